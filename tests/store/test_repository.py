"""The store keeps what it is given, exactly once, on every backend."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import inspect

from casework import Workspace
from casework.domain import Agent, Customer, FieldChange, Message, Queue, Ticket
from casework.store import repository as repo
from casework.store.tables import Base

T0 = datetime(2026, 9, 1, 9, 30, tzinfo=UTC)


def make_ticket(
    external_id: str = "1", subject: str = "Where is my order?", **extra: object
) -> Ticket:
    data: dict[str, object] = {
        "source": "zendesk",
        "external_id": external_id,
        "subject": subject,
        "status": "open",
        "queue": "Orders & Delivery",
        "created_at": T0,
        "requester": Customer(external_id="c-1", name="Ana Silva", email="ana@example.com"),
        "assignee": Agent(external_id="a-1", name="Tom Berg"),
        "messages": [
            Message(author_role="customer", body="My parcel has not arrived.", created_at=T0),
            Message(
                author_role="agent",
                author_external_id="a-1",
                body="Sorry! Checking with the carrier.",
                created_at=T0 + timedelta(hours=2),
            ),
        ],
        "changes": [FieldChange(field="status", old_value="new", new_value="open", changed_at=T0)],
    }
    data.update(extra)
    return Ticket.model_validate(data)


def test_migrations_create_every_table(workspace: Workspace) -> None:
    names = set(inspect(workspace.engine).get_table_names())
    assert {t.name for t in Base.metadata.sorted_tables} <= names
    assert "alembic_version" in names


def test_ticket_round_trip_keeps_conversation_and_people(workspace: Workspace) -> None:
    with workspace.session() as s:
        stats = repo.upsert_tickets(s, [make_ticket()])
    assert stats.created == 1
    with workspace.session() as s:
        row = repo.find_ticket(s, "zendesk", "1")
        assert row is not None
        assert row.queue is not None and row.queue.key == "orders-delivery"
        assert row.requester is not None and row.requester.email == "ana@example.com"
        assert row.assignee is not None and row.assignee.name == "Tom Berg"
        assert [m.author_role for m in row.messages] == ["customer", "agent"]
        assert row.messages[1].agent_id == row.assignee_id
        assert row.created_at == T0  # aware UTC on both backends
        assert [(c.field, c.new_value) for c in row.changes] == [("status", "open")]


def test_reimport_of_unchanged_tickets_writes_nothing(workspace: Workspace) -> None:
    tickets = [make_ticket(str(i)) for i in range(5)]
    with workspace.session() as s:
        repo.upsert_tickets(s, tickets)
        before = repo.counts(s)
        imported_at = repo.find_ticket(s, "zendesk", "3").imported_at  # type: ignore[union-attr]
    with workspace.session() as s:
        stats = repo.upsert_tickets(s, tickets)
    assert (stats.created, stats.updated, stats.unchanged) == (0, 0, 5)
    with workspace.session() as s:
        assert repo.counts(s) == before
        assert repo.find_ticket(s, "zendesk", "3").imported_at == imported_at  # type: ignore[union-attr]


def test_updated_ticket_updates_in_place_and_keeps_message_ids(workspace: Workspace) -> None:
    with workspace.session() as s:
        repo.upsert_tickets(s, [make_ticket()])
        first_ids = [m.id for m in repo.find_ticket(s, "zendesk", "1").messages]  # type: ignore[union-attr]
    later = make_ticket(status="solved")
    later.messages.append(
        Message(author_role="customer", body="Got it, thanks!", created_at=T0 + timedelta(days=1))
    )
    later.changes.append(
        FieldChange(
            field="status", old_value="open", new_value="solved", changed_at=T0 + timedelta(days=1)
        )
    )
    with workspace.session() as s:
        stats = repo.upsert_tickets(s, [later])
    assert (stats.created, stats.updated) == (0, 1)
    with workspace.session() as s:
        row = repo.find_ticket(s, "zendesk", "1")
        assert row is not None and row.status == "solved"
        assert [m.id for m in row.messages][:2] == first_ids
        assert len(row.messages) == 3
        assert [c.new_value for c in row.changes] == ["open", "solved"]
        assert repo.counts(s)["tickets"] == 1


def test_same_external_id_from_two_sources_are_two_tickets(workspace: Workspace) -> None:
    with workspace.session() as s:
        repo.upsert_tickets(s, [make_ticket(), make_ticket(source="freshdesk")])
        assert repo.counts(s)["tickets"] == 2


def test_failed_batch_leaves_nothing_half_written(workspace: Workspace) -> None:
    try:
        with workspace.session() as s:
            repo.upsert_tickets(s, [make_ticket("ok")])
            raise RuntimeError("crash mid-batch")
    except RuntimeError:
        pass
    with workspace.session() as s:
        assert repo.counts(s)["tickets"] == 0
        assert repo.counts(s)["messages"] == 0


def test_list_tickets_filters_and_paginates(workspace: Workspace) -> None:
    with workspace.session() as s:
        repo.upsert_queues(s, [Queue(key="billing", name="Billing", owner="Lena")])
        repo.upsert_tickets(
            s,
            [
                make_ticket(str(i), queue="Billing" if i % 2 else "Orders & Delivery")
                for i in range(7)
            ],
        )
    with workspace.session() as s:
        billing = repo.list_tickets(s, repo.TicketFilter(queue="billing"))
        assert sorted(t.external_id for t in billing) == ["1", "3", "5"]
        page1 = repo.list_tickets(s, repo.TicketFilter(limit=4))
        page2 = repo.list_tickets(s, repo.TicketFilter(limit=4, after_id=page1[-1].id))
    ids = [t.external_id for t in page1 + page2]
    assert len(ids) == 7 and len(set(ids)) == 7


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    subjects=st.lists(st.text(min_size=0, max_size=30), min_size=1, max_size=6),
    repeats=st.integers(min_value=1, max_value=3),
)
def test_import_twice_equals_import_once(
    sqlite_workspace: Workspace, subjects: list[str], repeats: int
) -> None:
    tickets = [make_ticket(f"h-{i}", subject=s) for i, s in enumerate(subjects)]
    with sqlite_workspace.session() as s:
        repo.upsert_tickets(s, tickets)
        once = repo.counts(s)
    for _ in range(repeats):
        with sqlite_workspace.session() as s:
            stats = repo.upsert_tickets(s, tickets)
            assert stats.created == 0 and stats.updated == 0
    with sqlite_workspace.session() as s:
        assert repo.counts(s) == once
