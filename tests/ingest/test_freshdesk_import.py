"""A Freshdesk CSV export arrives with Freshdesk's meaning mapped onto ours."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from casework import Workspace
from casework.ingest import run_import

Write = Callable[[str, str | bytes], Path]

HEADER = [
    "Ticket ID", "Subject", "Description", "Status", "Priority", "Source", "Type", "Group",
    "Agent", "Created time", "Resolved time", "Closed time", "Last update time", "Contact ID",
    "Full name", "Email", "Phone", "Tags", "Product",
]  # fmt: skip


def row(ticket_id: str, **values: str) -> dict[str, str]:
    base = {
        "Ticket ID": ticket_id,
        "Subject": "Parcel missing",
        "Description": "My parcel has not arrived,\nand the tracking link is dead.",
        "Status": "Open",
        "Priority": "Medium",
        "Source": "Email",
        "Type": "Question",
        "Group": "Orders & Delivery",
        "Agent": "Tom Berg",
        "Created time": "2024-03-05 14:22:10",
        "Resolved time": "",
        "Closed time": "",
        "Last update time": "2024-03-06 09:00:00",
        "Contact ID": "5001",
        "Full name": "Ana Silva",
        "Email": "ana@example.com",
        "Phone": "+351 912 345 678",
        "Tags": "shipping, late",
        "Product": "Webshop",
    }
    return base | values


def to_csv(rows: list[dict[str, str]], header: list[str] = HEADER) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def test_freshdesk_export_maps_status_priority_channel_people_and_queue(
    workspace: Workspace, write: Write, stored: Callable[..., Any]
) -> None:
    report = run_import(workspace, write("tickets.csv", to_csv([row("1")])), fmt="freshdesk")

    assert (report.created, report.failed) == (1, 0)
    ticket = stored(workspace, "freshdesk", "1")
    assert (ticket["status"], ticket["priority"], ticket["channel"]) == ("open", "normal", "email")
    assert ticket["queue"] == "Orders & Delivery"
    assert ticket["assignee"] == "Tom Berg"
    assert ticket["requester"] == {
        "id": "5001", "name": "Ana Silva", "email": "ana@example.com", "phone": "+351 912 345 678",
    }  # fmt: skip
    assert ticket["tags"] == ["shipping", "late"]
    assert ticket["created_at"] == datetime(2024, 3, 5, 14, 22, 10, tzinfo=UTC)
    assert ticket["custom_fields"] == {"Product": "Webshop"}
    assert [(m["role"], m["author"], m["body"]) for m in ticket["messages"]] == [
        ("customer", "5001", "My parcel has not arrived,\nand the tracking link is dead.")
    ]


@pytest.mark.parametrize(
    ("freshdesk", "ours"),
    [
        ("Open", "open"),
        ("Pending", "pending"),
        ("Resolved", "solved"),
        ("Closed", "closed"),
        ("Waiting on Customer", "pending"),
        ("Waiting on Third Party", "hold"),
    ],
)
def test_freshdesk_statuses(
    sqlite_workspace: Workspace,
    write: Write,
    stored: Callable[..., Any],
    freshdesk: str,
    ours: str,
) -> None:
    run_import(sqlite_workspace, write("t.csv", to_csv([row("1", Status=freshdesk)])), "freshdesk")

    assert stored(sqlite_workspace, "freshdesk", "1")["status"] == ours


def test_priorities_sources_and_resolution_time(
    sqlite_workspace: Workspace, write: Write, stored: Callable[..., Any]
) -> None:
    rows = [
        row("1", Priority="Low", Source="Portal"),
        row("2", Priority="High", Source="Phone", **{"Resolved time": "2024-03-07 10:00:00"}),
        row("3", Priority="Urgent", Source="Feedback Widget",
            **{"Closed time": "2024-03-08 11:00:00 +0100"}),
    ]  # fmt: skip
    run_import(sqlite_workspace, write("t.csv", to_csv(rows)), fmt="freshdesk")

    got = [stored(sqlite_workspace, "freshdesk", n) for n in "123"]
    assert [(t["priority"], t["channel"]) for t in got] == [
        ("low", "web"), ("high", "phone"), ("urgent", "web_widget"),
    ]  # fmt: skip
    assert got[1]["solved_at"] == datetime(2024, 3, 7, 10, 0, tzinfo=UTC)
    assert got[2]["solved_at"] == datetime(2024, 3, 8, 10, 0, tzinfo=UTC)  # offset honoured


def test_bad_rows_are_reported_and_the_good_rows_kept(
    workspace: Workspace, write: Write, stored: Callable[..., Any]
) -> None:
    rows = [
        row("1"),
        row("2", **{"Created time": "05/03/2024 2pm"}),
        row("3", Status="Snoozed"),
        row("", Subject="no id"),
        row("5"),
    ]
    path = write("tickets.csv", to_csv(rows))

    report = run_import(workspace, path, fmt="freshdesk")

    # Each description spans two lines, so row n starts on line 2n.
    assert [str(e) for e in report.errors] == [
        f"{path}:4: Created time: not a date and time: '05/03/2024 2pm' "
        "(expected e.g. 2024-03-05 14:22:10 or 2024-03-05T14:22:10+01:00)",
        f"{path}:6: Status: unknown value 'Snoozed'; expected one of: closed, open, pending, "
        "resolved, waiting on customer, waiting on third party",
        f"{path}:8: Ticket ID: missing; every row needs one",
    ]
    assert (report.created, report.failed) == (2, 3)
    assert stored(workspace, "freshdesk", "5") is not None
    assert stored(workspace, "freshdesk", "2") is None


def test_missing_required_column_stops_before_importing_anything(
    sqlite_workspace: Workspace, write: Write, counts: Callable[..., Any]
) -> None:
    header = [h for h in HEADER if h != "Created time"]
    report = run_import(sqlite_workspace, write("t.csv", to_csv([row("1")], header)), "freshdesk")

    assert report.failed == 1 and report.created == 0
    assert report.errors[0].line == 1 and report.errors[0].field == "Created time"
    assert counts(sqlite_workspace)["tickets"] == 0


def test_translated_headers_are_read_through_a_mapping(
    sqlite_workspace: Workspace, write: Write, stored: Callable[..., Any]
) -> None:
    header = ["Ticket-ID" if h == "Ticket ID" else "Erstellt" if h == "Created time" else h
              for h in HEADER]  # fmt: skip
    renamed = {"Ticket-ID": "7", "Erstellt": "2024-03-05 14:22:10"}
    path = write("t.csv", to_csv([row("7") | renamed], header))

    report = run_import(
        sqlite_workspace,
        path,
        fmt="freshdesk",
        mapping={"Ticket ID": "Ticket-ID", "Created time": "Erstellt"},
    )

    assert report.created == 1
    assert stored(sqlite_workspace, "freshdesk", "7")["subject"] == "Parcel missing"
