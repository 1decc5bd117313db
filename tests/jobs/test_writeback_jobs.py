"""Write-backs leave through the job outbox and reach the helpdesk once, even when the
broker delivers a job twice (a worker died after the work, before the ack).

A real worker subprocess on the real broker, writing back to a local fake of Zendesk's
Update Ticket endpoint over loopback, as it would to the real one.
"""

from __future__ import annotations

from collections import Counter

from jobs_support import Workers, redeliver_all, wait_until
from sqlalchemy import func, select

from casework import Workspace
from casework.api.webhooks import zendesk_row
from casework.jobs.outbox import WRITEBACK, enqueue_tickets
from casework.store.repository import upsert_tickets
from casework.store.tables import JobRow, RoutingDecisionRow, TicketRow, WritebackRow
from fake_zendesk import FakeZendesk

# clearly order status and calm: the bundled model answers it well above the 0.9 `auto` floor
AUTO = "Can you check the status of my order ORD-7654321 please?"
SUGGEST = "I want a refund for my broken lamp"


def _store(ws: Workspace) -> list[int]:
    texts = {101: AUTO, 102: AUTO, 103: SUGGEST, 104: AUTO}
    tickets = []
    for external_id, text in texts.items():
        raw = {"id": external_id, "subject": text[:30], "description": text}
        ticket = zendesk_row({"ticket": {**raw, "created_at": "2026-11-20T09:00:00Z"}}).ticket
        assert ticket is not None
        tickets.append(ticket)
    with ws.session() as s:
        upsert_tickets(s, tickets)
        ids = sorted(s.scalars(select(TicketRow.id)))
        enqueue_tickets(s, ids, 2)
    return ids


def _states(ws: Workspace) -> Counter[str]:
    with ws.session() as s:
        rows = s.execute(select(JobRow.state, func.count()).group_by(JobRow.state)).all()
        return Counter({state: int(n) for state, n in rows})


def _writebacks(ws: Workspace) -> list[tuple[str, str]]:
    with ws.session() as s:
        rows = s.execute(
            select(TicketRow.external_id, WritebackRow.state)
            .join(TicketRow, TicketRow.id == WritebackRow.ticket_id)
            .order_by(TicketRow.external_id)
        )
        return [(e, st) for e, st in rows]


def test_write_backs_reach_the_helpdesk_once_even_when_delivered_twice(
    shared_ws: Workspace, workers: Workers, zendesk: FakeZendesk
) -> None:
    _store(shared_ws)
    workers.start(
        CASEWORK_ZENDESK_URL=zendesk.url,
        CASEWORK_ZENDESK_EMAIL="agent@example.com",
        CASEWORK_ZENDESK_API_TOKEN="tok123",
    )

    def all_sent() -> bool:
        done = set(_states(shared_ws)) == {"done"}
        sent = [st for _, st in _writebacks(shared_ws)]
        return done and bool(sent) and set(sent) == {"sent"}

    wait_until(all_sent, 120, "the write-backs to be sent", workers.logs)
    with shared_ws.session() as s:
        auto = sorted(
            s.scalars(
                select(TicketRow.external_id)
                .join(RoutingDecisionRow, RoutingDecisionRow.ticket_id == TicketRow.id)
                .where(RoutingDecisionRow.automation_level == "auto")
            )
        )
        writeback_jobs = list(s.scalars(select(JobRow).where(JobRow.kind == WRITEBACK)))
    # the three order-status tickets were routed automatically; the refund waits for a person
    assert auto == ["101", "102", "104"]
    assert _writebacks(shared_ws) == [("101", "sent"), ("102", "sent"), ("104", "sent")]
    assert writeback_jobs, "the write-backs did not leave through the job outbox"
    assert sorted(r["path"] for r in zendesk.requests) == [
        f"/api/v2/tickets/{e}.json" for e in auto
    ]

    # Every job delivered again, write-back jobs included: nothing reaches Zendesk twice.
    redeliver_all(shared_ws, workers)
    wait_until(lambda: set(_states(shared_ws)) == {"done"}, 60, "the second delivery", workers.logs)
    with shared_ws.session() as s:
        attempts = list(s.scalars(select(JobRow.attempts).where(JobRow.kind == WRITEBACK)))
    assert attempts and all(a >= 2 for a in attempts)  # the write-back jobs did run again
    assert len(zendesk.requests) == 3
    assert _writebacks(shared_ws) == [("101", "sent"), ("102", "sent"), ("104", "sent")]
