"""Routes at automation level `auto` queue their write-back with the decision, once.

The default config routes `order_status` and `shipping_cost` at `auto`; a neutral
order-status question stays there, a refund request is `suggest`. Only tickets from a
helpdesk with a write-back client (Zendesk) get an outbox item.
"""

from __future__ import annotations

from sqlalchemy import select

from casework import Workspace
from casework.api.webhooks import zendesk_row
from casework.domain import Ticket
from casework.pipeline import process_all
from casework.routing import review
from casework.store.repository import upsert_tickets
from casework.store.tables import RoutingDecisionRow, TicketRow, WritebackRow
from casework.triage.engine import Triager
from casework.triage.model_store import load_bundled
from casework.writeback import enqueue_decision

# clearly order status and calm: the bundled model answers it well above the 0.9 `auto` floor
AUTO = "Can you check the status of my order ORD-7654321 please?"
SUGGEST = "I want a refund for my broken lamp"


def _ticket(external_id: int, text: str, source: str = "zendesk") -> Ticket:
    raw = {"id": external_id, "subject": text[:30], "description": text}
    ticket = zendesk_row({"ticket": {**raw, "created_at": "2026-11-20T09:00:00Z"}}).ticket
    assert ticket is not None
    return ticket if source == "zendesk" else ticket.model_copy(update={"source": source})


def _outbox(ws: Workspace) -> list[tuple[str, str, int, str]]:
    with ws.session() as session:
        rows = session.execute(
            select(
                TicketRow.source, TicketRow.external_id, WritebackRow.object_id, WritebackRow.state
            )
            .join(TicketRow, TicketRow.id == WritebackRow.ticket_id)
            .order_by(WritebackRow.id)
        )
        return [(s, e, int(o), st) for s, e, o, st in rows]


def test_auto_routes_of_zendesk_tickets_are_queued_once(workspace: Workspace) -> None:
    tickets = [_ticket(1, AUTO), _ticket(2, SUGGEST), _ticket(3, AUTO, source="email")]
    with workspace.session() as session:
        upsert_tickets(session, tickets)
    triager = Triager(load_bundled("intent"))
    process_all(workspace, triager)

    with workspace.session() as session:
        levels = {
            (t.source, t.external_id): d.automation_level
            for d, t in session.execute(
                select(RoutingDecisionRow, TicketRow).join(
                    TicketRow, TicketRow.id == RoutingDecisionRow.ticket_id
                )
            )
        }
        auto = session.scalars(
            select(RoutingDecisionRow)
            .join(TicketRow, TicketRow.id == RoutingDecisionRow.ticket_id)
            .where(TicketRow.source == "zendesk", TicketRow.external_id == "1")
        ).one()
        (item,) = session.scalars(select(WritebackRow)).all()
        payload = dict(item.payload)
    assert levels[("zendesk", "1")] == levels[("email", "3")] == "auto"
    assert levels[("zendesk", "2")] != "auto"
    # Only the Zendesk ticket at `auto`: the suggest one waits for a person, email has no client.
    assert _outbox(workspace) == [("zendesk", "1", auto.id, "pending")]
    assert payload["external_id"] == "1" and payload["group"] == auto.queue
    assert payload["fields"]["queue"] == auto.queue
    assert "applied automatically" in payload["note"] and auto.summary in payload["note"]

    process_all(workspace, triager)  # nothing new to route: nothing new to write back
    assert _outbox(workspace) == [("zendesk", "1", auto.id, "pending")]

    # A person accepting the same decision later replaces the queued item, never adds one.
    with workspace.session() as session:
        review.accept(session, auto.id, "agent:ana", on_reviewed=enqueue_decision)
    assert _outbox(workspace) == [("zendesk", "1", auto.id, "pending")]
    with workspace.session() as session:
        note = session.scalars(select(WritebackRow.payload)).one()["note"]
    assert "accepted by agent:ana" in note
