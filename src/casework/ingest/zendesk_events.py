"""Zendesk ticket history in its other shapes: the incremental ticket-events export,
and what can be said about a ticket whose export carried no history at all.

The importer (`zendesk.py`) reads history from ticket audits: `{"created_at",
"author_id", "events": [{"type": "Change", "field_name": "status",
"previous_value": "open", "value": "pending"}]}`. The incremental ticket-events
export (`/api/v2/incremental/ticket_events.json?include=comment_events`)
describes the same facts differently: one `ticket_events` entry per update,
with `updater_id`, `created_at`/`timestamp` and `child_events` that name the
changed field by key (`{"event_type": "Change", "status": "solved",
"previous_value": "open"}`) and carry comments (`event_type: "Comment"`).
`audit_from_event` rewrites such an entry into the audit shape, so one code
path turns both into field changes and messages.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from casework.domain import FieldChange, TicketStatus

HISTORY_FIELDS = ("status", "priority", "assignee_id", "group_id")
"""Ticket properties whose changes are kept as history (Zendesk's names)."""


def _when(event: dict[str, Any]) -> Any:
    """`created_at` text, or the epoch `timestamp` the events export also gives."""
    if event.get("created_at") not in (None, ""):
        return event["created_at"]
    stamp = event.get("timestamp")
    if isinstance(stamp, int | float) and not isinstance(stamp, bool):
        return datetime.fromtimestamp(stamp, UTC).isoformat()
    return None


def audit_from_event(event: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """One `ticket_events` entry → (an audit with Change/Create events, its comments).

    A child event names its field either as `field_name`/`value` (the audit
    shape, which some exports keep) or by key (`"status": "solved"`); both are
    understood. Comments get the parent's time and, without their own author,
    the updater as author.
    """
    when = _when(event)
    actor = event.get("updater_id", event.get("author_id"))
    changes: list[dict[str, Any]] = []
    comments: list[dict[str, Any]] = []
    children = event.get("child_events")
    for child in children if isinstance(children, list) else []:
        if not isinstance(child, dict):
            continue
        kind = child.get("event_type") or child.get("type")
        if kind in ("Comment", "VoiceComment"):
            comments.append(
                {
                    "id": child.get("id"),
                    "author_id": child.get("author_id", actor),
                    "body": child.get("body") or child.get("plain_body") or child.get("html_body"),
                    "public": child.get("public", child.get("comment_public", True)),
                    "created_at": child.get("created_at") or when,
                }
            )
        elif kind in ("Change", "Create"):
            name = child.get("field_name")
            if name is not None:
                value = child.get("value")
            else:
                name = next((f for f in HISTORY_FIELDS if f in child), None)
                value = child.get(name) if name else None
            if name is None:
                continue
            changes.append(
                {
                    "type": kind,
                    "field_name": name,
                    "value": value,
                    "previous_value": child.get("previous_value"),
                }
            )
    audit = {"created_at": when, "author_id": actor, "events": changes}
    return audit, comments


def approximate_history(created_at: datetime, solved_at: datetime | None) -> list[FieldChange]:
    """Status history as far as a history-less export allows: created → solved.

    A ticket exported without audits or events still says when it was created
    and, often (`metric_set.solved_at`), when it was solved. That gives a
    `new` at creation and a `solved` at the solve time, nothing in between
    (reopens, pending and hold spells, the close time are unknowable). Every row is stored
    with `ticket_field_changes.approximate = true`; the metrics that read this
    history report values computed from such rows as approximate. Real history
    imported later for the same ticket replaces these rows (see
    `repository._write_changes`). A ticket still `new` gets nothing beyond
    its creation; a ticket solved without a known solve time gets no guess.
    """
    history = [
        FieldChange(
            field="status",
            old_value=None,
            new_value=TicketStatus.new.value,
            changed_at=created_at,
            approximate=True,
        )
    ]
    if solved_at is not None and solved_at >= created_at:
        history.append(
            FieldChange(
                field="status",
                old_value=TicketStatus.new.value,
                new_value=TicketStatus.solved.value,
                changed_at=solved_at,
                approximate=True,
            )
        )
    return history
