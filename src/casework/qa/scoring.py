"""Apply a rubric to conversations and store each result once per rubric version.

The rubric version is a hash of the rubric's content and of `SCORER_VERSION`:
changing a weight, a criterion or a scorer's logic scores everything again,
while re-running with the same rubric adds nothing (idempotent, like triage).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from casework.config.rubric import QARubric
from casework.config.schema import WorkspaceConfig
from casework.config.versions import active_config, default_version
from casework.knowledge.retrieval import Document
from casework.qa.conversation import Conversation, ScoringContext, conversation_of
from casework.qa.scorers import SCORERS, Score
from casework.store.tables import QAScoreRow, TicketRow, TriageResultRow
from casework.workspace import Workspace

SCORER_VERSION = "1"
"""Bump when a scorer's logic changes, so stored scores are redone."""
FINISHED = ("solved", "closed")
AGENT, DRAFT = "agent", "draft"
"""`QAScoreRow.subject`: the people's replies, or casework's own drafts."""
BATCH = 500


@dataclass
class QAResult:
    total: float
    auto_failed: bool
    scores: list[Score] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "auto_failed": self.auto_failed,
            "scores": [s.to_dict() for s in self.scores],
        }


def rubric_of(config: WorkspaceConfig) -> QARubric:
    """The workspace's rubric, or the bundled default when it defines none."""
    if config.qa_rubric.criteria:
        return config.qa_rubric
    return default_version().config.qa_rubric


def rubric_version(rubric: QARubric) -> str:
    content = json.dumps(
        {"scorers": SCORER_VERSION, "rubric": rubric.model_dump(mode="json")}, sort_keys=True
    )
    return hashlib.sha256(content.encode()).hexdigest()[:16]


def score_conversation(
    conv: Conversation,
    rubric: QARubric,
    ctx: ScoringContext,
    not_applicable: frozenset[str] = frozenset(),
) -> QAResult:
    """Weighted mean of the applicable criteria on 0–100; an auto-fail at 0 zeroes it.

    `not_applicable` names scorers left out (e.g. timing for a draft nobody sent yet).
    """
    scores = [
        Score(c.id, None, c.scale, f"{c.scorer} does not apply here")
        if c.scorer in not_applicable
        else SCORERS[c.scorer](conv, c, ctx)
        for c in rubric.criteria
    ]
    weighted = total_weight = 0.0
    auto_failed = False
    for crit, score in zip(rubric.criteria, scores, strict=True):
        if score.score is None:
            continue
        weighted += crit.weight * score.score / score.max
        total_weight += crit.weight
        auto_failed |= crit.auto_fail and score.score == 0
    total = 0.0 if auto_failed or not total_weight else round(100 * weighted / total_weight, 1)
    return QAResult(total, auto_failed, scores)


@dataclass
class ScoreRun:
    rubric_version: str
    scored: int
    already: int
    seconds: float
    mean_total: float | None
    auto_failed: int

    @property
    def per_second(self) -> float:
        return self.scored / self.seconds if self.seconds else 0.0


def score_pending(ws: Workspace, *, kb: bool = True, limit: int | None = None) -> ScoreRun:
    """Score every finished conversation not yet scored with the rubric in force."""
    _, config = active_config(ws)
    rubric = rubric_of(config)
    version = rubric_version(rubric)
    ctx = ScoringContext(config, article_for=article_lookup(ws) if kb else no_article)
    started = time.perf_counter()
    scored = failed = 0
    totals = 0.0
    with ws.session() as session:
        done = session.scalar(
            select(func.count())
            .select_from(QAScoreRow)
            .where(QAScoreRow.rubric_version == version, QAScoreRow.subject == AGENT)
        )
    for ids in _pending_ids(ws, version, limit):
        with ws.session() as session:
            rows = []
            for ticket, triage in load_tickets(session, ids):
                result = score_conversation(conversation_of(ticket, triage), rubric, ctx)
                scored += 1
                failed += result.auto_failed
                totals += result.total
                rows.append(
                    QAScoreRow(
                        ticket_id=ticket.id,
                        rubric_version=version,
                        subject=AGENT,
                        total=result.total,
                        auto_failed=result.auto_failed,
                        scores=[s.to_dict() for s in result.scores],
                        created_at=datetime.now(UTC),
                    )
                )
            session.add_all(rows)
    seconds = time.perf_counter() - started
    mean = round(totals / scored, 1) if scored else None
    return ScoreRun(version, scored, done or 0, seconds, mean, failed)


def no_article(_conv: Conversation, _text: str) -> Document | None:
    return None


def article_lookup(ws: Workspace) -> Any:
    """The approved article nearest a reply (BM25 over the workspace's articles)."""
    from casework.knowledge.index_store import approved_documents
    from casework.knowledge.lexical import LexicalIndex

    documents = approved_documents(ws)
    if not documents:
        return no_article
    index = LexicalIndex([f"{d.title}\n{d.body}" for d in documents])

    def lookup(_conv: Conversation, text: str) -> Document | None:
        scores = index.scores(text)
        best = int(scores.argmax())
        return documents[best] if scores[best] > 0 else None

    return lookup


def _pending_ids(ws: Workspace, version: str, limit: int | None) -> Iterator[list[int]]:
    """Ticket ids in batches, streaming: never the whole helpdesk in memory."""
    after, left = 0, limit
    while left is None or left > 0:
        size = BATCH if left is None else min(BATCH, left)
        scored = select(QAScoreRow.ticket_id).where(
            QAScoreRow.rubric_version == version, QAScoreRow.subject == AGENT
        )
        query = (
            select(TicketRow.id)
            .where(
                TicketRow.id > after, TicketRow.status.in_(FINISHED), TicketRow.id.not_in(scored)
            )
            .order_by(TicketRow.id)
            .limit(size)
        )
        with ws.session() as session:
            ids = list(session.scalars(query))
        if not ids:
            return
        yield ids
        after = ids[-1]
        left = None if left is None else left - len(ids)


def load_tickets(
    session: Session, ids: Sequence[int]
) -> list[tuple[TicketRow, TriageResultRow | None]]:
    tickets = session.scalars(
        select(TicketRow)
        .where(TicketRow.id.in_(ids))
        .options(selectinload(TicketRow.messages), selectinload(TicketRow.changes))
        .order_by(TicketRow.id)
    ).all()
    newest = (
        select(func.max(TriageResultRow.id))
        .where(TriageResultRow.ticket_id.in_(ids))
        .group_by(TriageResultRow.ticket_id)
    )
    triage = {
        t.ticket_id: t
        for t in session.scalars(select(TriageResultRow).where(TriageResultRow.id.in_(newest)))
    }
    return [(t, triage.get(t.id)) for t in tickets]
