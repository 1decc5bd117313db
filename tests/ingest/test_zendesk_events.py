"""Zendesk history in its other shapes: the ticket-events export, and none at all."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from casework import Workspace
from casework.ingest import run_import
from casework.store.tables import FieldChangeRow

Write = Callable[[str, str | bytes], Path]
Stored = Callable[..., Any]

USERS = [
    {"id": 1, "name": "Ana Silva", "role": "end-user"},
    {"id": 2, "name": "Tom Berg", "role": "agent"},
]


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def base_ticket(**extra: Any) -> dict[str, Any]:
    return {
        "id": 301, "subject": "Late", "description": "Where is it?", "status": "solved",
        "requester_id": 1, "assignee_id": 2, "created_at": "2024-03-05T10:00:00Z", **extra,
    }  # fmt: skip


EVENTS = [
    {"id": 1, "ticket_id": 301, "timestamp": 1709632800, "updater_id": 1,
     "event_type": "Audit", "via": "Mail",
     "child_events": [
         {"id": 11, "event_type": "Comment", "body": "Where is it?", "public": True,
          "author_id": 1},
         {"id": 12, "event_type": "Create", "status": "new"},
     ]},
    {"id": 2, "ticket_id": 301, "created_at": "2024-03-05T11:00:00Z", "updater_id": 2,
     "event_type": "Audit", "via": "Web form",
     "child_events": [
         {"id": 21, "event_type": "Comment", "body": "Checking.", "public": False,
          "author_id": 2},
         {"id": 22, "event_type": "Change", "status": "pending", "previous_value": "new"},
         {"id": 23, "event_type": "Change", "field_name": "group_id", "value": 70,
          "previous_value": None},
         {"id": 24, "event_type": "Notification", "body": "not history"},
     ]},
    {"id": 3, "ticket_id": 301, "created_at": "2024-03-06T09:30:00Z", "updater_id": 2,
     "event_type": "Audit",
     "child_events": [{"id": 31, "event_type": "Change", "status": "solved",
                       "previous_value": "pending"}]},
]  # fmt: skip


def test_the_ticket_events_export_gives_history_and_comments(
    workspace: Workspace, write: Write, stored: Stored
) -> None:
    doc = {"ticket_events": EVENTS, "tickets": [base_ticket()], "users": USERS,
           "groups": [{"id": 70, "name": "Orders"}]}  # fmt: skip

    report = run_import(workspace, write("events.json", json.dumps(doc)))

    assert (report.created, report.failed) == (1, 0)
    ticket = stored(workspace, "zendesk", "301")
    assert sorted(ticket["changes"], key=lambda c: (c[3], c[0])) == [
        ("status", None, "new", at("2024-03-05T10:00:00")),
        ("group", None, "Orders", at("2024-03-05T11:00:00")),
        ("status", "new", "pending", at("2024-03-05T11:00:00")),
        ("status", "pending", "solved", at("2024-03-06T09:30:00")),
    ]
    assert ticket["solved_at"] == at("2024-03-06T09:30:00")
    assert [(m["role"], m["body"], m["public"]) for m in ticket["messages"]] == [
        ("customer", "Where is it?", True),
        ("agent", "Checking.", False),
    ]
    with workspace.session() as s:
        actors = s.scalars(select(FieldChangeRow.actor).order_by(FieldChangeRow.changed_at))
        assert list(actors)[-1] == "2"


def test_events_pages_as_json_lines_come_before_their_tickets(
    sqlite_workspace: Workspace, write_jsonl: Callable[..., Path], stored: Stored
) -> None:
    path = write_jsonl(
        "pages.jsonl",
        {"ticket_events": EVENTS[:2], "end_time": 1, "end_of_stream": False},
        {"ticket_events": EVENTS[2:], "end_time": 2, "end_of_stream": True},
        {"tickets": [base_ticket()], "users": USERS},
    )

    run_import(sqlite_workspace, path)

    assert len(stored(sqlite_workspace, "zendesk", "301")["changes"]) == 4


def test_a_ticket_without_history_gets_approximate_history_until_real_history_arrives(
    workspace: Workspace, write: Write, stored: Stored
) -> None:
    bare = base_ticket(metric_set={"solved_at": "2024-03-06T09:30:00Z"})
    run_import(workspace, write("bare.json", json.dumps({"tickets": [bare], "users": USERS})))

    ticket = stored(workspace, "zendesk", "301")
    assert ticket["changes"] == [
        ("status", None, "new", at("2024-03-05T10:00:00")),
        ("status", "new", "solved", at("2024-03-06T09:30:00")),
    ]
    with workspace.session() as s:
        assert set(s.scalars(select(FieldChangeRow.approximate))) == {True}

    full = {"ticket_events": EVENTS, "tickets": [bare], "users": USERS}
    report = run_import(workspace, write("full.json", json.dumps(full)))

    assert report.updated == 1
    with workspace.session() as s:
        rows = s.execute(select(FieldChangeRow.new_value, FieldChangeRow.approximate)).all()
    assert sorted(rows, key=str) == sorted(
        [("new", False), ("pending", False), ("zendesk-group-70", False), ("solved", False)],
        key=str,
    )


def test_an_unsolved_ticket_without_history_only_knows_its_creation(
    sqlite_workspace: Workspace, write: Write, stored: Stored
) -> None:
    open_ticket = base_ticket(status="open")
    run_import(sqlite_workspace, write("open.json", json.dumps({"tickets": [open_ticket]})))

    assert stored(sqlite_workspace, "zendesk", "301")["changes"] == [
        ("status", None, "new", at("2024-03-05T10:00:00"))
    ]
