"""Any spreadsheet or JSON-lines dump imports through a documented column mapping."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from casework import Workspace
from casework.ingest import run_import

Write = Callable[[str, str | bytes], Path]

CSV = """\
external_id,subject,body,status,priority,channel,queue,tags,created_at,updated_at,customer_id,customer_email,customer_name,order_no
A-1,Broken zip,"The zip on my jacket broke.",open,high,email,Returns,zip|defect,2024-03-05T14:22:10+01:00,,c-9,ana@example.com,Ana Silva,W-1001
A-2,Invoice,,resolved,medium,web,Billing,"invoice, vat",2024-03-06 08:00:00,2024-03-06 09:00:00,,BOB@example.com,Bob,
"""  # noqa: E501


def test_generic_csv_with_default_columns(
    workspace: Workspace, write: Write, stored: Callable[..., Any]
) -> None:
    report = run_import(workspace, write("tickets.csv", CSV), fmt="csv")

    assert (report.source, report.created, report.failed) == ("csv", 2, 0)
    first = stored(workspace, "csv", "A-1")
    assert (first["status"], first["priority"], first["queue"]) == ("open", "high", "Returns")
    assert first["tags"] == ["zip", "defect"]
    assert first["created_at"] == datetime(2024, 3, 5, 13, 22, 10, tzinfo=UTC)
    assert first["custom_fields"] == {"order_no": "W-1001"}
    assert [(m["role"], m["author"], m["body"]) for m in first["messages"]] == [
        ("customer", "c-9", "The zip on my jacket broke.")
    ]
    second = stored(workspace, "csv", "A-2")
    assert (second["status"], second["priority"]) == ("solved", "normal")
    assert second["tags"] == ["invoice", "vat"]
    assert second["requester"]["id"] == "bob@example.com"  # no customer_id: the email is the id
    assert second["messages"] == []


def test_generic_csv_with_a_column_mapping_and_semicolons(
    sqlite_workspace: Workspace, write: Write, stored: Callable[..., Any]
) -> None:
    text = "Nr;Betreff;Nachricht;Datum;Kunde\n17;Lieferung;Wo bleibt mein Paket?;2024-03-05;k-3\n"
    mapping = {
        "external_id": "Nr",
        "subject": "Betreff",
        "body": "Nachricht",
        "created_at": "Datum",
        "customer_id": "Kunde",
    }

    report = run_import(sqlite_workspace, write("de.csv", text), fmt="csv", mapping=mapping)

    assert report.created == 1, report.errors
    ticket = stored(sqlite_workspace, "csv", "17")
    assert ticket["subject"] == "Lieferung"
    assert ticket["messages"][0]["body"] == "Wo bleibt mein Paket?"
    assert ticket["requester"]["id"] == "k-3"


def test_mapping_to_a_column_that_is_not_there_stops_the_import(
    sqlite_workspace: Workspace, write: Write
) -> None:
    report = run_import(
        sqlite_workspace, write("t.csv", CSV), fmt="csv", mapping={"body": "Message"}
    )

    assert report.created == 0
    assert [(e.line, e.field) for e in report.errors] == [(1, "Message")]


def test_unknown_mapping_field_is_refused_before_reading(
    sqlite_workspace: Workspace, write: Write
) -> None:
    with pytest.raises(ValueError, match="unknown field.*bdy"):
        run_import(sqlite_workspace, write("t.csv", CSV), fmt="csv", mapping={"bdy": "Message"})


def test_jsonl_messages_become_the_conversation(
    sqlite_workspace: Workspace, write_jsonl: Callable[..., Path], stored: Callable[..., Any]
) -> None:
    record = {
        "external_id": 42,
        "subject": "Cancel my plan",
        "created_at": "2024-03-05T10:00:00Z",
        "customer_email": "ana@example.com",
        "tags": ["billing"],
        "messages": [
            {"author_role": "customer", "body": "Please cancel.", "author_id": "ana@example.com"},
            {"author_role": "agent", "body": "Done.", "created_at": "2024-03-05T11:00:00Z",
             "author_name": "Tom"},
            {"author_role": "agent", "body": "Retention offer sent", "public": False,
             "created_at": "2024-03-05T11:05:00Z"},
        ],
    }  # fmt: skip
    report = run_import(sqlite_workspace, write_jsonl("t.jsonl", record), fmt="jsonl")

    assert report.created == 1, report.errors
    ticket = stored(sqlite_workspace, "jsonl", "42")
    assert [(m["role"], m["body"], m["public"]) for m in ticket["messages"]] == [
        ("customer", "Please cancel.", True),
        ("agent", "Done.", True),
        ("agent", "Retention offer sent", False),
    ]
    assert ticket["messages"][0]["created_at"] == datetime(2024, 3, 5, 10, 0, tzinfo=UTC)


def test_jsonl_bad_lines_are_reported_and_the_rest_kept(
    sqlite_workspace: Workspace, write: Write, stored: Callable[..., Any]
) -> None:
    lines = [
        '{"external_id": "1", "created_at": "2024-03-05T10:00:00Z", "subject": "ok"}',
        '{"external_id": "2", "created_at": "2024-03-05T10:00:00Z", "subject": {"x": 1}}',
        "[1, 2]",
        '{"external_id": "4", "created_at": "2024-03-05T10:00:00Z", "messages": '
        '[{"author_role": "robot", "body": "hi"}]}',
        "",
        '{"external_id": "6", "created_at": "2024-03-05T10:00:00Z", "subject": "ok"}',
        '{"external_id": "7", "created_at": "2024-03-05T10',
    ]
    path = write("t.jsonl", "\n".join(lines))

    report = run_import(sqlite_workspace, path, fmt="jsonl")

    assert [(e.line, e.field) for e in report.errors] == [
        (2, "subject"),
        (3, "json"),
        (4, "messages[0].author_role"),
        (7, "json"),
    ]
    assert "expected text" in report.errors[0].message
    assert "truncated" in report.errors[3].message
    assert (report.created, report.failed) == (2, 4)
    assert stored(sqlite_workspace, "jsonl", "6") is not None


def test_csv_row_cut_short_is_reported(sqlite_workspace: Workspace, write: Write) -> None:
    text = CSV + "A-3,Half a row,2024-03"
    report = run_import(sqlite_workspace, write("t.csv", text), fmt="csv")

    assert report.created == 2
    [error] = report.errors
    assert (error.line, error.field) == (4, "row")
    assert "truncated" in error.message


def test_file_that_is_not_utf8_is_reported_not_crashed(
    sqlite_workspace: Workspace, write: Write
) -> None:
    text = CSV.encode() + "A-3,Caf\xe9,x,open,,,,,2024-03-05,,,,,\n".encode("latin-1")
    report = run_import(sqlite_workspace, write("t.csv", text), fmt="csv")

    assert report.created == 2
    assert (report.errors[0].line, report.errors[0].field) == (4, "encoding")
    assert "UTF-8" in report.errors[0].message
