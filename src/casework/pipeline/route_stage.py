"""The routing stage: route and escalate every triaged ticket, once per config and model.

Routing reads the stored triage (never the raw text), the ticket's channel and
tags and the customer's tier and attributes. A decision is keyed by (ticket,
config version, queue-model version): a new config or model routes again and
keeps the old decisions beside the new; the same ones add nothing. A decision the
config lets casework apply by itself (automation level `auto`) on a ticket from a
helpdesk with a write-back client is queued for write-back in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session, aliased

from casework.audit import AuditEvent, append_many, dedup_key_for
from casework.config.schema import AutomationLevel
from casework.config.versions import active_config
from casework.routing.facts import RoutingFacts, facts_from_stored
from casework.routing.router import Router, RoutingDecision
from casework.store.bulk import append_rows
from casework.store.tables import CustomerRow, RoutingDecisionRow, TicketRow, TriageResultRow
from casework.triage.model_store import ModelNotFound, StoredModel, load_model
from casework.workspace import Workspace

NO_MODEL = "none"
ROUTE_FIELDS_READ = [
    "triage_result",
    "ticket.channel",
    "ticket.tags",
    "customer.tier",
    "customer.attributes",
]


@dataclass
class RouteReport:
    routed: int
    escalated: int
    config_version: int
    model_version: str


def router_for(ws: Workspace) -> Router:
    """The active config version with the workspace's queue model, when it has one."""
    version, config = active_config(ws)
    return Router(config, version, queue_model(ws.path))


def queue_model(workspace_path: Path) -> StoredModel | None:
    try:
        return load_model(workspace_path / "models", "queue")
    except ModelNotFound:
        return None


def stored_facts(session: Session, rows: Sequence[TriageResultRow]) -> list[RoutingFacts]:
    """Facts for stored triage results, with each ticket's channel, tags and customer.

    Reads only those columns (one query, customer joined), not whole tickets with
    their queue, assignee and requester objects: routing needs nothing else.
    """
    intake = {
        ticket_id: (channel, tags, tier, attributes)
        for ticket_id, channel, tags, tier, attributes in session.execute(
            select(
                TicketRow.id,
                TicketRow.channel,
                TicketRow.tags,
                CustomerRow.tier,
                CustomerRow.attributes,
            )
            .outerjoin(CustomerRow, CustomerRow.id == TicketRow.requester_id)
            .where(TicketRow.id.in_([r.ticket_id for r in rows]))
        )
    }
    facts = []
    for row in rows:
        channel, tags, tier, attributes = intake[row.ticket_id]
        facts.append(
            facts_from_stored(
                row,
                channel=channel,
                tags=tags or (),
                customer_tier=tier,
                customer_attributes=attributes,
            )
        )
    return facts


def decision_row(row: TriageResultRow, decision: RoutingDecision, now: datetime) -> dict[str, Any]:
    return {
        "ticket_id": row.ticket_id,
        "triage_id": row.id,
        "config_version": decision.config_version,
        "model_version": decision.model_version or NO_MODEL,
        "queue": decision.queue,
        "priority": decision.priority,
        "tags": list(decision.tags),
        "assignee_group": decision.assignee_group,
        "decided_by": decision.decided_by,
        "confidence": decision.confidence,
        "reasons": [*decision.reasons, *decision.automation_reasons],
        "escalate": decision.escalation.escalate,
        "escalation_reasons": decision.escalation.reasons,
        "escalation_owner": decision.escalation.owner or None,
        "summary": decision.escalation.summary,
        "automation_level": decision.automation_level.value,
        "state": "proposed",
        "created_at": now,
    }


def route_events(ticket_id: int, decision: RoutingDecision) -> list[AuditEvent]:
    versions = {
        "config": decision.config_version,
        "queue_model": decision.model_version or NO_MODEL,
        "triage": decision.triage_model_version,
    }
    events = [
        AuditEvent(
            actor="system:pipeline",
            action="route",
            object_type="ticket",
            object_id=str(ticket_id),
            versions=versions,
            fields_read=ROUTE_FIELDS_READ,
            details={
                "queue": decision.queue,
                "decided_by": decision.decided_by,
                "confidence": round(decision.confidence, 4),
                "rules_fired": decision.rules_fired,
                "automation_level": decision.automation_level.value,
            },
            dedup_key=dedup_key_for("route", "ticket", str(ticket_id), versions),
        )
    ]
    if decision.escalation.escalate:
        events.append(
            AuditEvent(
                actor="system:pipeline",
                action="escalate",
                object_type="ticket",
                object_id=str(ticket_id),
                versions=versions,
                fields_read=ROUTE_FIELDS_READ,
                details={
                    "owner": decision.escalation.owner,
                    "reasons": decision.escalation.reasons,
                },
                dedup_key=dedup_key_for("escalate", "ticket", str(ticket_id), versions),
            )
        )
    return events


def _pending(
    session: Session,
    router: Router,
    triage_version: str,
    after_id: int,
    size: int,
    ticket_ids: Collection[int] | None = None,
) -> list[TriageResultRow]:
    done = aliased(RoutingDecisionRow)
    query = (
        select(TriageResultRow)
        .outerjoin(
            done,
            and_(
                done.ticket_id == TriageResultRow.ticket_id,
                done.config_version == router.config_version,
                done.model_version == (router.model_version or NO_MODEL),
            ),
        )
        .where(
            done.id.is_(None),
            TriageResultRow.model_version == triage_version,
            TriageResultRow.id > after_id,
        )
        .order_by(TriageResultRow.id)
        .limit(size)
    )
    if ticket_ids is not None:
        query = query.where(TriageResultRow.ticket_id.in_(list(ticket_ids)))
    return list(session.scalars(query))


def route_pending(
    ws: Workspace,
    router: Router,
    triage_version: str,
    audit_key: bytes,
    batch_size: int = 500,
    progress: Callable[[int], None] | None = None,
    ticket_ids: Collection[int] | None = None,
    on_batch: Callable[[Session, list[int], list[RoutingDecision]], None] | None = None,
) -> RouteReport:
    """Route every ticket triaged by `triage_version` that this router has not routed.

    `ticket_ids`: only these. `on_batch(session, ids, decisions)` runs in each batch's
    transaction, after the decisions and their write-backs are queued.
    """
    routed = escalated = after_id = 0
    while True:
        with ws.session() as s:
            rows = _pending(s, router, triage_version, after_id, batch_size, ticket_ids)
            if not rows:
                break
            after_id = rows[-1].id
            decisions = router.route_many(stored_facts(s, rows))
            now = datetime.now(UTC)
            append_rows(
                s,
                RoutingDecisionRow,
                [decision_row(r, d, now) for r, d in zip(rows, decisions, strict=True)],
            )
            events = [
                e
                for r, d in zip(rows, decisions, strict=True)
                for e in route_events(r.ticket_id, d)
            ]
            append_many(s, audit_key, events)
            auto = [
                r.ticket_id
                for r, d in zip(rows, decisions, strict=True)
                if d.automation_level is AutomationLevel.auto
            ]
            if auto:  # write-back in the same transaction as the decisions it carries
                from casework.writeback.outbox import enqueue_automatic

                enqueue_automatic(s, auto, router.config_version, router.model_version or NO_MODEL)
            if on_batch is not None:
                on_batch(s, [r.ticket_id for r in rows], decisions)
        routed += len(rows)
        escalated += sum(d.escalation.escalate for d in decisions)
        if progress:
            progress(routed)
    return RouteReport(routed, escalated, router.config_version, router.model_version or NO_MODEL)
