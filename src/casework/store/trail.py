"""The decision trail of one ticket: every route, draft and audit event about it.

Shared by every shell that shows a ticket (API, MCP, dashboard), so "what
happened to this ticket" is answered the same way everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from casework.store.tables import AuditEventRow, DraftRow, RoutingDecisionRow, TriageResultRow


@dataclass
class Trail:
    decisions: list[RoutingDecisionRow] = field(default_factory=list)
    drafts: list[DraftRow] = field(default_factory=list)
    events: list[AuditEventRow] = field(default_factory=list)


def ticket_trail(session: Session, ticket_id: int, max_events: int = 200) -> Trail:
    """Routes and drafts oldest first, and the audit events on the ticket or on them."""
    decisions = list(
        session.scalars(
            select(RoutingDecisionRow)
            .where(RoutingDecisionRow.ticket_id == ticket_id)
            .order_by(RoutingDecisionRow.id)
        )
    )
    drafts = list(
        session.scalars(
            select(DraftRow).where(DraftRow.ticket_id == ticket_id).order_by(DraftRow.id)
        )
    )
    about = [and_(AuditEventRow.object_type == "ticket", AuditEventRow.object_id == str(ticket_id))]
    for object_type, rows in (("routing_decision", decisions), ("draft", drafts)):
        if rows:
            ids = [str(row.id) for row in rows]
            about.append(
                and_(AuditEventRow.object_type == object_type, AuditEventRow.object_id.in_(ids))
            )
    events = list(
        session.scalars(
            select(AuditEventRow).where(or_(*about)).order_by(AuditEventRow.seq).limit(max_events)
        )
    )
    return Trail(decisions, drafts, events)


def triage_summary(row: TriageResultRow | None) -> dict[str, Any] | None:
    """Stored triage holds redacted text only, so every role may see it."""
    if row is None:
        return None
    return {
        "id": row.id,
        "model_version": row.model_version,
        "language": row.language,
        "intent": row.intent,
        "intent_confidence": row.intent_confidence,
        "alternatives": row.alternatives,
        "urgency": row.urgency,
        "sentiment": row.sentiment,
        "sentiment_score": row.sentiment_score,
        "frustration": row.frustration,
        "missing": row.missing,
        "pii": row.pii,
        "redacted_text": row.redacted_text,
        "reasons": row.reasons,
    }
