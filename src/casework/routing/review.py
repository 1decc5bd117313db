"""People decide: accept or override a proposed route, and say what a suggestion was worth.

Every action is stored on the decision (state, who, when, the corrected value)
and written to the audit log in the same transaction. An override is a label:
`routing.training.queue_history` prefers it to the ticket's final queue, so the
next queue model learns from the people who corrected this one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from sqlalchemy.orm import Session

from casework.store.tables import DraftRow, FeedbackRow, RoutingDecisionRow

Rating = Literal["useful", "incomplete", "wrong", "unsafe"]
RATINGS: tuple[Rating, ...] = ("useful", "incomplete", "wrong", "unsafe")
AuditHook = Callable[[Session, str, str, str, dict[str, object]], None]
"""(session, actor, action, object id, details) → writes one audit event."""
DecisionHook = Callable[[Session, RoutingDecisionRow], object]
"""Called in the review's transaction after a route is accepted or overridden
(`casework.writeback.enqueue_decision`), so the follow-up commits with the verdict."""
DraftHook = Callable[[Session, DraftRow], object]
"""Likewise after a draft is reviewed (`casework.writeback.enqueue_draft`)."""


class ReviewError(ValueError):
    """A review action that cannot apply: unknown decision, bad value, wrong state."""


@dataclass
class ReviewResult:
    decision_id: int
    state: str
    queue: str
    reviewed_by: str


def _decision(session: Session, decision_id: int) -> RoutingDecisionRow:
    row = session.get(RoutingDecisionRow, decision_id)
    if row is None:
        raise ReviewError(f"no routing decision with id {decision_id}")
    return row


def accept(
    session: Session,
    decision_id: int,
    actor: str,
    audit: AuditHook | None = None,
    on_reviewed: DecisionHook | None = None,
) -> ReviewResult:
    """Confirm the proposed route as it stands."""
    row = _decision(session, decision_id)
    if row.state != "proposed":
        raise ReviewError(f"decision {decision_id} is already {row.state}")
    row.state, row.reviewed_by, row.reviewed_at = "accepted", actor, datetime.now(UTC)
    if audit:
        audit(session, actor, "review.accept", str(row.id), {"queue": row.queue})
    if on_reviewed:
        on_reviewed(session, row)
    return ReviewResult(row.id, row.state, row.queue, actor)


def override(
    session: Session,
    decision_id: int,
    actor: str,
    queue: str,
    known_queues: set[str],
    audit: AuditHook | None = None,
    on_reviewed: DecisionHook | None = None,
) -> ReviewResult:
    """Replace the proposed queue; the correction is kept as a training label."""
    if queue not in known_queues:
        expected = ", ".join(sorted(known_queues))
        raise ReviewError(f"unknown queue {queue!r}; expected one of {expected}")
    row = _decision(session, decision_id)
    if row.state == "overridden" and row.override_queue == queue:
        return ReviewResult(row.id, row.state, queue, row.reviewed_by or actor)
    before = row.override_queue or row.queue
    row.state, row.override_queue = "overridden", queue
    row.reviewed_by, row.reviewed_at = actor, datetime.now(UTC)
    if audit:
        audit(session, actor, "review.override", str(row.id), {"from": before, "to": queue})
    if on_reviewed:
        on_reviewed(session, row)
    return ReviewResult(row.id, row.state, queue, actor)


def give_feedback(
    session: Session,
    object_type: str,
    object_id: int,
    rating: str,
    actor: str,
    comment: str | None = None,
    audit: AuditHook | None = None,
) -> FeedbackRow:
    """Record what a suggestion was worth: useful, incomplete, wrong or unsafe."""
    if rating not in RATINGS:
        raise ReviewError(f"rating must be one of {', '.join(RATINGS)}, got {rating!r}")
    if object_type == "routing":
        _decision(session, object_id)
    row = FeedbackRow(
        object_type=object_type,
        object_id=object_id,
        rating=rating,
        comment=comment,
        actor=actor,
        created_at=datetime.now(UTC),
    )
    session.add(row)
    session.flush()
    if audit:
        # The comment is free text and may hold personal data: the audit keeps its id only.
        audit(session, actor, "feedback", str(object_id), {"type": object_type, "rating": rating})
    return row


def word_edit_distance(before: str, after: str) -> int:
    """Words inserted, deleted or replaced to turn `before` into `after` (Levenshtein on
    words): how much a person had to change a draft, comparable across draft lengths."""
    a, b = before.split(), after.split()
    previous = list(range(len(b) + 1))
    for i, word in enumerate(a, start=1):
        current = [i]
        for j, other in enumerate(b, start=1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (word != other))
            )
        previous = current
    return previous[-1]


def _draft(session: Session, draft_id: int) -> DraftRow:
    row = session.get(DraftRow, draft_id)
    if row is None:
        raise ReviewError(f"no draft with id {draft_id}")
    if row.state != "proposed":
        raise ReviewError(f"draft {draft_id} is already {row.state}")
    return row


def review_draft(
    session: Session,
    draft_id: int,
    actor: str,
    action: Literal["approve", "edit", "reject"],
    edited_text: str | None = None,
    audit: AuditHook | None = None,
    on_reviewed: DraftHook | None = None,
) -> DraftRow:
    """Approve as written, approve with edits (the edit distance is kept), or reject."""
    row = _draft(session, draft_id)
    if action == "edit":
        if not edited_text or not edited_text.strip():
            raise ReviewError("an edit needs the edited text")
        row.final_text = edited_text
        row.edit_distance = word_edit_distance(row.text, edited_text)
        row.state = "edited"
    elif action == "approve":
        row.final_text, row.edit_distance, row.state = row.text, 0, "approved"
    elif action == "reject":
        row.state = "rejected"
    else:
        raise ReviewError(f"unknown draft action {action!r}")
    row.reviewed_by, row.reviewed_at = actor, datetime.now(UTC)
    if audit:
        details: dict[str, object] = (
            {"edit_distance": row.edit_distance} if action == "edit" else {}
        )
        audit(session, actor, f"draft.{action}", str(row.id), details)
    if on_reviewed:
        on_reviewed(session, row)
    return row
