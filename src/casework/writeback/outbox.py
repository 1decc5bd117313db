"""The `writebacks` outbox: queue a change with the review that caused it, send it later.

Queuing happens in the reviewer's transaction, so an accepted route and its
write-back are stored together or not at all. Sending (`run_due`) happens
outside any review, one item per transaction: a crash mid-run leaves every
item either sent or still due, and a failure is kept with its error and the
time of the next attempt — visible in `casework writeback status`, never dropped.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from casework.audit import AuditEvent, append, load_key
from casework.privacy import egress
from casework.privacy.transparency import with_disclosure
from casework.store.tables import DraftRow, RoutingDecisionRow, TicketRow, WritebackRow
from casework.workspace import Workspace
from casework.writeback.client import Changes, HelpdeskClient, WritebackError

SOURCES = frozenset({"zendesk"})  # helpdesks with a client: others have nothing to write to
MAX_DELAY = timedelta(hours=6)


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff between runs: 1, 2, 4 … minutes, at most six hours."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_DELAY)


def _enqueue(
    session: Session, ticket_id: int, kind: str, object_id: int, payload: dict[str, Any]
) -> WritebackRow | None:
    ticket = session.get(TicketRow, ticket_id)
    if ticket is None or ticket.source not in SOURCES:
        return None
    payload = {"source": ticket.source, "external_id": ticket.external_id, **payload}
    now = datetime.now(UTC)
    row = session.scalar(
        select(WritebackRow).where(
            WritebackRow.ticket_id == ticket_id,
            WritebackRow.kind == kind,
            WritebackRow.object_id == object_id,
        )
    )
    if row is None:
        row = WritebackRow(
            ticket_id=ticket_id,
            kind=kind,
            object_id=object_id,
            payload=payload,
            state="pending",
            attempts=0,
            next_attempt_at=now,
            created_at=now,
        )
        session.add(row)
    elif row.payload != payload:
        # A later verdict on the same object (an override after an accept) replaces
        # what is queued, or — once sent — is sent as the correction it is.
        row.payload, row.state, row.attempts = payload, "pending", 0
        row.last_error, row.next_attempt_at, row.sent_at = None, now, None
    session.flush()
    return row


def _route_payload(decision: RoutingDecisionRow, queue: str, how: str) -> dict[str, Any]:
    note = f"casework routing: queue {queue} ({how})."
    if decision.summary:
        note += f"\n\nSummary:\n{decision.summary}"
    fields: dict[str, Any] = {"queue": queue}
    if decision.priority:
        fields["priority"] = decision.priority
    return {"tags": list(decision.tags or []), "fields": fields, "group": queue, "note": note}


def enqueue_decision(session: Session, decision: RoutingDecisionRow) -> WritebackRow | None:
    """Queue the reviewed route: queue as group and field, its tags, the summary as a note."""
    queue = decision.override_queue or decision.queue
    verdict = "overridden" if decision.state == "overridden" else "accepted"
    payload = _route_payload(decision, queue, f"{verdict} by {decision.reviewed_by}")
    return _enqueue(session, decision.ticket_id, "routing_decision", decision.id, payload)


def enqueue_automatic(
    session: Session, ticket_ids: Collection[int], config_version: int, model_version: str
) -> int:
    """Queue the routes the config lets casework apply by itself (automation level `auto`).

    Called by the routing stage inside the transaction that stores the decisions, so a
    decision and its write-back commit together. Keyed like a reviewed route (ticket,
    `routing_decision`, decision id): routing again adds nothing, and a later review of
    the same decision replaces what is queued. Tickets from helpdesks without a client
    are skipped. Returns how many items are queued.
    """
    if not ticket_ids:
        return 0
    decisions = session.scalars(
        select(RoutingDecisionRow)
        .join(TicketRow, TicketRow.id == RoutingDecisionRow.ticket_id)
        .where(
            RoutingDecisionRow.ticket_id.in_(list(ticket_ids)),
            RoutingDecisionRow.config_version == config_version,
            RoutingDecisionRow.model_version == model_version,
            RoutingDecisionRow.automation_level == "auto",
            TicketRow.source.in_(sorted(SOURCES)),
        )
    ).all()
    queued = 0
    for decision in decisions:
        payload = _route_payload(decision, decision.queue, "applied automatically: level auto")
        queued += (
            _enqueue(session, decision.ticket_id, "routing_decision", decision.id, payload)
            is not None
        )
    return queued


def enqueue_draft(session: Session, draft: DraftRow) -> WritebackRow | None:
    """Queue an approved (or edited) draft as an internal note for the agent to send."""
    if draft.state not in ("approved", "edited") or not draft.final_text:
        return None
    reply = with_disclosure(draft.final_text, draft.text, draft.machine_written)
    note = f"casework draft reply, {draft.state} by {draft.reviewed_by}:\n\n{reply}"
    payload = {"note": note, "machine_written": draft.machine_written}
    return _enqueue(session, draft.ticket_id, "draft", draft.id, payload)


@dataclass
class RunReport:
    sent: int = 0
    failed: int = 0
    skipped: int = 0  # no client for the ticket's helpdesk: left pending
    errors: list[dict[str, Any]] = field(default_factory=list)


def run_due(
    ws: Workspace,
    clients: Mapping[str, HelpdeskClient],
    *,
    now: datetime | None = None,
    retry_failed: bool = False,
    limit: int = 500,
) -> RunReport:
    """Send pending and failed items whose next attempt is due (`retry_failed`: all failed)."""
    now = now or datetime.now(UTC)
    report = RunReport()
    due = WritebackRow.next_attempt_at <= now
    if retry_failed:
        due = due | (WritebackRow.state == "failed")
    with ws.session() as session:
        ids = list(
            session.scalars(
                select(WritebackRow.id)
                .where(WritebackRow.state.in_(("pending", "failed")), due)
                .order_by(WritebackRow.next_attempt_at, WritebackRow.id)
                .limit(limit)
            )
        )
    key = load_key(ws)
    for id_ in ids:
        with ws.session() as session:
            row = session.get(WritebackRow, id_)
            if row is None or row.state == "sent":
                continue
            client = clients.get(str(row.payload.get("source")))
            if client is None:
                report.skipped += 1
                continue
            try:
                changes = _changes(egress.guard_payload(dict(row.payload), "writeback"))
                client.apply(str(row.payload["external_id"]), changes)
            except (WritebackError, egress.EgressBlocked) as exc:
                row.attempts += 1
                row.state, row.last_error = "failed", str(exc)[:2000]
                row.next_attempt_at = datetime.now(UTC) + retry_delay(row.attempts)
                report.failed += 1
                report.errors.append({"id": row.id, "ticket_id": row.ticket_id, "error": str(exc)})
                action = "writeback.failed"
            else:
                row.attempts += 1
                row.state, row.sent_at, row.last_error = "sent", datetime.now(UTC), None
                report.sent += 1
                action = "writeback.sent"
            details = {"kind": row.kind, "object_id": row.object_id, "attempts": row.attempts}
            event = AuditEvent(
                "system:writeback", action, "ticket", str(row.ticket_id), details=details
            )
            append(session, key, event)
            egress.flush(session)
    return report


def _changes(payload: Mapping[str, Any]) -> Changes:
    return Changes(
        tags=list(payload.get("tags") or []),
        fields=dict(payload.get("fields") or {}),
        group=payload.get("group"),
        note=payload.get("note"),
    )


def status(ws: Workspace, failed_limit: int = 50) -> dict[str, Any]:
    """Counts by state and the failed items with their errors: what `writeback status` shows."""
    with ws.session() as session:
        counts = dict(
            session.execute(
                select(WritebackRow.state, func.count()).group_by(WritebackRow.state)
            ).all()
        )
        failed = session.scalars(
            select(WritebackRow)
            .where(WritebackRow.state == "failed")
            .order_by(WritebackRow.next_attempt_at)
            .limit(failed_limit)
        )
        items = [
            {
                "id": r.id,
                "ticket_id": r.ticket_id,
                "kind": r.kind,
                "object_id": r.object_id,
                "attempts": r.attempts,
                "last_error": r.last_error,
                "next_attempt_at": r.next_attempt_at.isoformat(),
            }
            for r in failed
        ]
    return {
        "counts": {s: int(counts.get(s, 0)) for s in ("pending", "failed", "sent")},
        "failed": items,
    }
