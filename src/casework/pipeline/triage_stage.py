"""The triage stage: every stored ticket triaged once per set of model versions.

A ticket is pending when it has no result from the triager's current version.
Each batch is read, triaged and written with its audit events in one
transaction, so a crash loses at most one batch and a re-run resumes; the
unique key (ticket, version) and the audit dedup keys make a repeated batch
write nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, aliased, selectinload

from casework.audit import AuditEvent, append_many, dedup_key_for, load_key
from casework.store.bulk import append_rows
from casework.store.tables import CustomerRow, TicketRow, TriageResultRow
from casework.triage.engine import Triager, TriageRequest, TriageResult
from casework.triage.training import ticket_text
from casework.workspace import Workspace

PRIOR_CONTACT_WINDOW = timedelta(days=30)


@dataclass
class ProcessReport:
    processed: int
    already_done: int
    model_version: str
    seconds: float


def pending_count(session: Session, model_version: str) -> int:
    done = select(TriageResultRow.ticket_id).where(TriageResultRow.model_version == model_version)
    return int(
        session.scalar(select(func.count()).select_from(TicketRow).where(TicketRow.id.not_in(done)))
        or 0
    )


def _pending_batch(
    session: Session,
    model_version: str,
    after_id: int,
    size: int,
    ticket_ids: Collection[int] | None = None,
) -> list[TicketRow]:
    result = aliased(TriageResultRow)
    query = (
        select(TicketRow)
        .outerjoin(
            result, and_(result.ticket_id == TicketRow.id, result.model_version == model_version)
        )
        .where(result.id.is_(None), TicketRow.id > after_id)
        .order_by(TicketRow.id)
        .limit(size)
        .options(selectinload(TicketRow.messages))
    )
    if ticket_ids is not None:
        query = query.where(TicketRow.id.in_(list(ticket_ids)))
    return list(session.scalars(query).unique())


def _prior_contacts(session: Session, tickets: list[TicketRow]) -> dict[int, int]:
    """Tickets the same requester opened in the 30 days before each ticket."""
    counts: dict[int, int] = {}
    requesters = {t.requester_id for t in tickets if t.requester_id}
    if not requesters:
        return counts
    history: dict[int, list[datetime]] = {}
    rows = session.execute(
        select(TicketRow.requester_id, TicketRow.created_at).where(
            TicketRow.requester_id.in_(requesters)
        )
    )
    for requester_id, created_at in rows:
        if requester_id is not None:
            history.setdefault(requester_id, []).append(created_at)
    for t in tickets:
        earlier = history.get(t.requester_id or -1, [])
        counts[t.id] = sum(
            1 for at in earlier if t.created_at - PRIOR_CONTACT_WINDOW <= at < t.created_at
        )
    return counts


def triage_request(ticket: TicketRow, prior_contacts: int) -> TriageRequest:
    """What was known when the ticket arrived: subject, opening message, customer."""
    first = next((m.body for m in ticket.messages if m.author_role == "customer"), "")
    requester: CustomerRow | None = ticket.requester
    return TriageRequest(
        text=ticket_text(ticket.subject, first),
        customer_tier=requester.tier if requester else None,
        prior_contacts=prior_contacts,
        message_count=1,
        known_fields={"email": requester.email} if requester and requester.email else {},
    )


def result_row(ticket_id: int, result: TriageResult, now: datetime) -> dict[str, Any]:
    data = result.to_dict()
    return {
        "ticket_id": ticket_id,
        "model_version": result.model_version,
        "language": data["language"],
        "intent": result.intent.label,
        "intent_confidence": result.intent.confidence,
        "alternatives": data["intent"]["alternatives"],
        "urgency": result.urgency.level,
        "sentiment": result.sentiment.label,
        "sentiment_score": result.sentiment.score,
        "frustration": result.frustration.flag,
        "missing": data["missing"],
        "pii": data["pii"],
        "redacted_text": result.redacted_text,
        "reasons": {
            "intent": result.intent.reasons,
            "intent_terms": result.intent.terms,
            "urgency": result.urgency.reasons,
            "sentiment": result.sentiment.reasons,
            "frustration": result.frustration.reasons,
        },
        "created_at": now,
    }


TRIAGE_FIELDS_READ = [
    "ticket.subject",
    "ticket.first_customer_message",
    "customer.tier",
    "customer.email:present",
    "tickets.requester_history:count",
]


def triage_event(ticket_id: int, result: TriageResult) -> AuditEvent:
    """What the audit log keeps of a triage: labels and versions, no text, no personal data."""
    versions = {"triage": result.model_version}
    return AuditEvent(
        actor="system:pipeline",
        action="triage",
        object_type="ticket",
        object_id=str(ticket_id),
        versions=versions,
        fields_read=TRIAGE_FIELDS_READ,
        details={
            "intent": result.intent.label,
            "confidence": round(result.intent.confidence, 4),
            "urgency": result.urgency.level,
            "sentiment": result.sentiment.label,
            "frustration": result.frustration.flag,
            "language": result.language.code,
            "pii_types": sorted({span.type for span in result.pii}),
        },
        dedup_key=dedup_key_for("triage", "ticket", str(ticket_id), versions),
    )


def process_pending(
    ws: Workspace,
    triager: Triager | None = None,
    batch_size: int = 500,
    progress: Callable[[int, int], None] | None = None,
    audit_key: bytes | None = None,
    ticket_ids: Collection[int] | None = None,
    on_batch: Callable[[Session, list[int]], None] | None = None,
) -> ProcessReport:
    """Triage every ticket that has no result from the active model yet.

    `ticket_ids`: only these (a worker's batch). `on_batch(session, ids)` runs in each
    batch's transaction, after its results: the workers record their ledger there.
    """
    key = audit_key if audit_key is not None else load_key(ws)
    started = datetime.now(UTC)
    triager = triager or Triager.for_workspace(ws.path)
    version = triager.version
    with ws.session() as s:
        if ticket_ids is None:
            total = pending_count(s, version)
            already = int(s.scalar(select(func.count()).select_from(TicketRow)) or 0) - total
        else:
            total, already = len(ticket_ids), 0
    done, after_id = 0, 0
    while True:
        with ws.session() as s:
            batch = _pending_batch(s, version, after_id, batch_size, ticket_ids)
            if not batch:
                break
            after_id = batch[-1].id
            prior = _prior_contacts(s, batch)
            results = triager.triage_many([triage_request(t, prior.get(t.id, 0)) for t in batch])
            now = datetime.now(UTC)
            append_rows(
                s,
                TriageResultRow,
                [result_row(t.id, r, now) for t, r in zip(batch, results, strict=True)],
            )
            append_many(
                s, key, [triage_event(t.id, r) for t, r in zip(batch, results, strict=True)]
            )
            if on_batch is not None:
                on_batch(s, [t.id for t in batch])
        done += len(batch)
        if progress:
            progress(done, total)
    return ProcessReport(
        processed=done,
        already_done=already,
        model_version=version,
        seconds=(datetime.now(UTC) - started).total_seconds(),
    )
