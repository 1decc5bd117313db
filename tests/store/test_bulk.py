"""Appending rows with COPY stores what an INSERT would, and fails the way an INSERT does."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import insert, select, text
from sqlalchemy.exc import DataError, IntegrityError

from casework import Workspace
from casework.store.bulk import append_rows
from casework.store.tables import MessageRow, PiiIndexRow, TicketRow

T0 = datetime(2026, 9, 1, 9, 30, tzinfo=UTC)


def ticket_row(external_id: str, **extra: object) -> dict[str, object]:
    return {
        "source": "zendesk",
        "external_id": external_id,
        "subject": "Où est ma commande ?",
        "status": "open",
        "tags": ["vip", "late"],
        "custom_fields": {"plan": "pro", "seats": 3, "nested": {"a": None}},
        "created_at": T0.astimezone(timezone(timedelta(hours=2))),  # stored as UTC
        "updated_at": T0,
        "content_hash": "h",
        "imported_at": T0,
        **extra,
    }


def test_rows_come_back_as_written(workspace: Workspace) -> None:
    with workspace.session() as s:
        append_rows(s, TicketRow, [ticket_row("1"), ticket_row("2", tags=[])])
        ids = dict(s.execute(select(TicketRow.external_id, TicketRow.id)).all())
        append_rows(
            s,
            MessageRow,  # `public` left out: the model's default (True) applies
            [
                {
                    "ticket_id": ids["1"],
                    "external_id": "m1",
                    "position": 0,
                    "author_role": "customer",
                    "author_external_id": None,
                    "author_name": None,
                    "agent_id": None,
                    "body": 'tab\there, newline\nhere, backslash \\ and a NUL-free quote "',
                    "created_at": T0,
                }
            ],
        )
    with workspace.session() as s:
        first = s.scalars(select(TicketRow).where(TicketRow.external_id == "1")).one()
        assert first.tags == ["vip", "late"]
        assert first.custom_fields == {"plan": "pro", "seats": 3, "nested": {"a": None}}
        assert first.created_at == T0 and first.created_at.tzinfo is not None
        assert first.subject == "Où est ma commande ?"
        assert s.scalars(select(TicketRow.tags).where(TicketRow.external_id == "2")).one() == []
        message = s.scalars(select(MessageRow)).one()
        assert message.public is True
        assert message.body == 'tab\there, newline\nhere, backslash \\ and a NUL-free quote "'


def test_a_duplicate_is_an_integrity_error_and_nothing_of_the_batch_stays(
    workspace: Workspace,
) -> None:
    row = {"value_hash": "x" * 40, "kind": "EMAIL", "object_type": "ticket", "object_id": 1}
    with workspace.session() as s:
        append_rows(s, PiiIndexRow, [{**row, "ticket_id": 1}])
    with pytest.raises(IntegrityError), workspace.session() as s:
        append_rows(
            s, PiiIndexRow, [{**row, "object_id": 2, "ticket_id": 2}, {**row, "ticket_id": 1}]
        )
    with workspace.session() as s:
        assert s.scalars(select(PiiIndexRow.object_id)).all() == [1]


def test_a_value_too_long_is_a_data_error_on_postgresql(workspace: Workspace) -> None:
    if workspace.is_sqlite:
        pytest.skip("SQLite does not enforce VARCHAR lengths")
    with pytest.raises(DataError), workspace.session() as s:
        append_rows(
            s,
            PiiIndexRow,
            [
                {
                    "value_hash": "x" * 41,
                    "kind": "EMAIL",
                    "object_type": "ticket",
                    "object_id": 1,
                    "ticket_id": 1,
                }
            ],
        )


def test_none_in_a_json_column_is_stored_as_an_insert_would_store_it(
    workspace: Workspace,
) -> None:
    with workspace.session() as s:
        s.execute(insert(TicketRow), [ticket_row("by-insert", custom_fields=None)])
        append_rows(s, TicketRow, [ticket_row("by-copy", custom_fields=None)])
    with workspace.session() as s:
        null = dict(
            s.execute(
                text("SELECT external_id, custom_fields IS NULL FROM tickets ORDER BY external_id")
            ).all()
        )
    assert null["by-copy"] == null["by-insert"]


def test_rows_with_different_columns_are_refused_with_the_row_named(
    workspace: Workspace,
) -> None:
    row = {"value_hash": "y" * 40, "kind": "EMAIL", "object_type": "ticket", "object_id": 1}
    rows = [{**row, "ticket_id": 1}, {**row, "object_id": 2}]  # the second lacks ticket_id
    if workspace.is_sqlite:
        pytest.skip("SQLite takes SQLAlchemy's own executemany, which checks this itself")
    with pytest.raises(ValueError, match="row 1"), workspace.session() as s:
        append_rows(s, PiiIndexRow, rows)
