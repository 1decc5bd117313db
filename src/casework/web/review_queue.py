"""The review queue as one SQL query: what waits for a person, most pressing first.

An item is a routing decision still `proposed` (route to accept or override, maybe an
escalation) or one whose draft is still `proposed` (reply to approve, edit or reject).
Order: escalations first, then priority (urgent → low), then age (oldest ticket
first), so the page shows the same thing a lead would pick by hand. Filters and the
page window are applied in the database; a page of 50 out of 5,000 waiting reads 50
rows plus one count (`casework bench dashboard` measures it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from casework.store.tables import DraftRow, RoutingDecisionRow, TicketRow, TriageResultRow

PRIORITY_RANK = {"urgent": 0, "high": 1, "normal": 2, "low": 3}
PAGE_SIZE = 50
KINDS = ("draft", "escalation", "route")


@dataclass(frozen=True)
class QueueFilter:
    queue: str | None = None
    intent: str | None = None
    sentiment: str | None = None
    kind: str | None = None  # "draft", "escalation" or "route" (a plain proposed route)
    page: int = 1
    page_size: int = PAGE_SIZE


@dataclass(frozen=True)
class QueueItem:
    decision: RoutingDecisionRow
    ticket_id: int
    subject: str
    created_at: datetime
    intent: str | None
    intent_confidence: float | None
    sentiment: str | None
    draft: DraftRow | None


@dataclass(frozen=True)
class QueuePage:
    items: list[QueueItem]
    total: int
    page: int
    pages: int


def _waiting(flt: QueueFilter, *columns: Any) -> Any:
    """The waiting items under `flt` as a `Select` of `columns`, unordered.

    Waiting drafts are grouped per decision first (one small aggregate): joining the
    drafts table row by row would scan every proposed draft for every decision, as
    `drafts.routing_decision_id` has no index.
    """
    D, T, R, Dr = RoutingDecisionRow, TicketRow, TriageResultRow, DraftRow
    drafts = (
        select(Dr.routing_decision_id.label("decision_id"), func.max(Dr.id).label("draft_id"))
        .where(Dr.state == "proposed")
        .group_by(Dr.routing_decision_id)
        .subquery()
    )
    stmt: Any = (
        select(*columns, drafts.c.draft_id)
        .select_from(D)
        .join(T, T.id == D.ticket_id)
        .outerjoin(R, R.id == D.triage_id)
        .outerjoin(drafts, drafts.c.decision_id == D.id)
        .where(or_(D.state == "proposed", drafts.c.draft_id.is_not(None)))
    )
    if flt.queue:
        stmt = stmt.where(D.queue == flt.queue)
    if flt.intent:
        stmt = stmt.where(R.intent == flt.intent)
    if flt.sentiment:
        stmt = stmt.where(R.sentiment == flt.sentiment)
    if flt.kind == "draft":
        stmt = stmt.where(drafts.c.draft_id.is_not(None))
    elif flt.kind == "escalation":
        stmt = stmt.where(D.escalate.is_(True), D.state == "proposed")
    elif flt.kind == "route":
        stmt = stmt.where(D.escalate.is_(False), D.state == "proposed")
    return stmt


def waiting_page(session: Session, flt: QueueFilter) -> QueuePage:
    """One page of the queue and the total waiting under the same filters."""
    D, T, R = RoutingDecisionRow, TicketRow, TriageResultRow
    counted = _waiting(flt, D.id).subquery()
    total = int(session.scalar(select(func.count()).select_from(counted)) or 0)
    pages = max(1, -(-total // flt.page_size))
    page = min(max(1, flt.page), pages)
    rank = case(PRIORITY_RANK, value=D.priority, else_=2)
    columns = (D, T.id, T.subject, T.created_at, R.intent, R.intent_confidence, R.sentiment)
    ordered = _waiting(flt, *columns).order_by(D.escalate.desc(), rank, T.created_at, D.id)
    rows = list(session.execute(ordered.limit(flt.page_size).offset((page - 1) * flt.page_size)))
    draft_ids = [row[-1] for row in rows if row[-1] is not None]
    drafts = {d.id: d for d in session.scalars(select(DraftRow).where(DraftRow.id.in_(draft_ids)))}
    items = [
        QueueItem(d, tid, subject, created, intent, confidence, sentiment, drafts.get(draft_id))
        for d, tid, subject, created, intent, confidence, sentiment, draft_id in rows
    ]
    return QueuePage(items, total, page, pages)


def filter_choices(session: Session) -> dict[str, list[str]]:
    """The values the filters offer: queues, intents and sentiments that occur in the queue."""
    D, R = RoutingDecisionRow, TriageResultRow
    waiting = D.state == "proposed"
    queues = session.scalars(select(D.queue).where(waiting).distinct().order_by(D.queue))
    joined = select(R.intent).join(D, D.triage_id == R.id).where(waiting).distinct()
    sentiments = select(R.sentiment).join(D, D.triage_id == R.id).where(waiting).distinct()
    return {
        "kind": list(KINDS),
        "queue": list(queues),
        "intent": sorted(session.scalars(joined)),
        "sentiment": sorted(session.scalars(sentiments)),
    }
