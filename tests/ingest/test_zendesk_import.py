"""Zendesk exports arrive as the tickets an agent saw in Zendesk."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from casework import Workspace
from casework.ingest import run_import

Write = Callable[[str, str | bytes], Path]

USERS = [
    {"id": 1, "name": "Ana Silva", "email": "ana@example.com", "phone": "+351 912 345 678",
     "role": "end-user"},
    {"id": 2, "name": "Tom Berg", "email": "tom@shop.example", "role": "agent"},
    {"id": 3, "name": "Zoe Admin", "email": "zoe@shop.example", "role": "admin"},
]  # fmt: skip
GROUPS = [{"id": 70, "name": "Orders & Delivery"}]


def late_parcel(**changes: Any) -> dict[str, Any]:
    ticket = {
        "id": 101,
        "subject": "Where is my order?",
        "description": "My parcel has not arrived.",
        "status": "open",
        "priority": "high",
        "type": "question",
        "tags": ["shipping", "late"],
        "group_id": 70,
        "assignee_id": 2,
        "requester_id": 1,
        "created_at": "2024-03-05T14:22:10Z",
        "updated_at": "2024-03-06T09:00:00Z",
        "via": {"channel": "email"},
        "satisfaction_rating": {"score": "good"},
        "comments": [
            {"id": 9001, "author_id": 1, "body": "My parcel has not arrived.", "public": True,
             "created_at": "2024-03-05T14:22:10Z"},
            {"id": 9002, "author_id": 3, "body": "Carrier says Friday.", "public": False,
             "created_at": "2024-03-05T15:00:00Z"},
            {"id": 9003, "author_id": 2, "body": "Sorry! It arrives Friday.", "public": True,
             "created_at": "2024-03-05T15:10:00Z"},
        ],
    }  # fmt: skip
    ticket.update(changes)
    return ticket


def refund(**changes: Any) -> dict[str, Any]:
    ticket = {
        "id": 102,
        "subject": "Refund please",
        "description": "I returned the shoes, where is my money?",
        "status": "solved",
        "priority": None,
        "requester_id": 1,
        "created_at": "2024-03-05 10:00:00",
        "satisfaction_rating": {"score": "offered"},
        "audits": [
            {"created_at": "2024-03-07T10:00:00Z", "author_id": 2,
             "events": [{"type": "Change", "field_name": "status", "value": "solved",
                         "previous_value": "open"}]},
        ],
    }  # fmt: skip
    ticket.update(changes)
    return ticket


def export(*tickets: dict[str, Any]) -> str:
    return json.dumps({"tickets": list(tickets), "users": USERS, "groups": GROUPS}, indent=2)


def test_zendesk_export_is_stored_as_agents_saw_it(
    workspace: Workspace, write: Write, stored: Callable[..., Any]
) -> None:
    report = run_import(workspace, write("export.json", export(late_parcel(), refund())))

    assert (report.created, report.updated, report.unchanged, report.failed) == (2, 0, 0, 0)
    ticket = stored(workspace, "zendesk", "101")
    assert ticket["status"] == "open"
    assert ticket["priority"] == "high"
    assert ticket["queue"] == "Orders & Delivery"
    assert ticket["assignee"] == "Tom Berg"
    assert ticket["requester"] == {
        "id": "1", "name": "Ana Silva", "email": "ana@example.com", "phone": "+351 912 345 678",
    }  # fmt: skip
    assert ticket["channel"] == "email"
    assert ticket["tags"] == ["shipping", "late"]
    assert ticket["satisfaction"] == "good"
    assert ticket["created_at"] == datetime(2024, 3, 5, 14, 22, 10, tzinfo=UTC)
    assert [(m["role"], m["body"], m["public"]) for m in ticket["messages"]] == [
        ("customer", "My parcel has not arrived.", True),
        ("agent", "Carrier says Friday.", False),
        ("agent", "Sorry! It arrives Friday.", True),
    ]
    # The admin who wrote the internal note is not the assignee, yet is a known agent.
    assert all(m["by_known_agent"] for m in ticket["messages"][1:])


def test_ticket_without_comments_starts_with_its_description(
    sqlite_workspace: Workspace, write: Write, stored: Callable[..., Any]
) -> None:
    run_import(sqlite_workspace, write("export.json", export(refund())))

    ticket = stored(sqlite_workspace, "zendesk", "102")
    assert ticket["messages"] == [
        {
            "role": "customer",
            "author": "1",
            "by_known_agent": False,
            "body": "I returned the shoes, where is my money?",
            "public": True,
            "created_at": datetime(2024, 3, 5, 10, 0, tzinfo=UTC),
        }
    ]
    assert ticket["satisfaction"] is None  # "offered" is not a rating
    assert ticket["solved_at"] == datetime(2024, 3, 7, 10, 0, tzinfo=UTC)
    assert ticket["changes"] == [
        ("status", "open", "solved", datetime(2024, 3, 7, 10, 0, tzinfo=UTC))
    ]


def test_top_level_comments_are_matched_to_their_ticket(
    sqlite_workspace: Workspace, write: Write, stored: Callable[..., Any]
) -> None:
    ticket = late_parcel()
    comments = [{**c, "ticket_id": 101} for c in ticket.pop("comments")]
    data = {"tickets": [ticket], "users": USERS, "groups": GROUPS, "comments": comments}

    run_import(sqlite_workspace, write("export.json", json.dumps(data)))

    assert len(stored(sqlite_workspace, "zendesk", "101")["messages"]) == 3


def test_reimport_changes_nothing_and_a_changed_ticket_updates(
    workspace: Workspace, write: Write, stored: Callable[..., Any], counts: Callable[..., Any]
) -> None:
    path = write("export.json", export(late_parcel(), refund()))
    run_import(workspace, path)
    before = counts(workspace)

    again = run_import(workspace, path)

    assert (again.created, again.updated, again.unchanged, again.failed) == (0, 0, 2, 0)
    assert counts(workspace) == before

    reply = {"id": 9004, "author_id": 1, "body": "Thanks, got it!", "public": True,
             "created_at": "2024-03-08T08:00:00Z"}  # fmt: skip
    solved = late_parcel(status="solved", comments=[*late_parcel()["comments"], reply])
    changed = run_import(workspace, write("export.json", export(solved, refund())))

    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 1)
    ticket = stored(workspace, "zendesk", "101")
    assert ticket["status"] == "solved"
    assert [m["body"] for m in ticket["messages"]][-1] == "Thanks, got it!"
    assert counts(workspace)["messages"] == before["messages"] + 1


def test_jsonl_export_with_a_truncated_last_line_keeps_the_complete_tickets(
    sqlite_workspace: Workspace, write: Write, stored: Callable[..., Any]
) -> None:
    lines = [json.dumps(late_parcel()), json.dumps(refund()), json.dumps(refund(id=103))[:60]]
    path = write("export.jsonl", "\n".join(lines))

    report = run_import(sqlite_workspace, path)

    assert (report.created, report.failed) == (2, 1)
    [error] = report.errors
    assert (error.file, error.line, error.field) == (str(path), 3, "json")
    assert "truncated" in error.message
    assert stored(sqlite_workspace, "zendesk", "103") is None
    # Without a user list, the requester is the customer and others are agents.
    roles = [m["role"] for m in stored(sqlite_workspace, "zendesk", "101")["messages"]]
    assert roles == ["customer", "agent", "agent"]


def test_truncated_json_document_stores_nothing_half_known(
    sqlite_workspace: Workspace, write: Write, stored: Callable[..., Any]
) -> None:
    text = export(late_parcel(), refund(), refund(id=103))
    cut = text[: text.index('"id": 103') + 20]

    report = run_import(sqlite_workspace, write("export.json", cut))

    # Users, groups and comments come after the tickets: a ticket read before the
    # break would be stored without them, so nothing from the file is stored.
    assert report.created == 0 and report.failed == 3
    json_error = next(e for e in report.errors if e.field == "json")
    assert json_error.line == cut.count("\n") + 1
    assert "nothing from this file was stored" in json_error.message
    assert stored(sqlite_workspace, "zendesk", "101") is None
    full = run_import(sqlite_workspace, write("export.json", text))
    assert (full.created, full.failed) == (3, 0)


def test_bad_ticket_is_reported_by_line_and_field(
    sqlite_workspace: Workspace, write: Write, stored: Callable[..., Any]
) -> None:
    bad = refund(id=104, status="escalated", created_at="next tuesday")
    path = write("export.json", export(late_parcel(), bad))

    report = run_import(sqlite_workspace, path)

    lines = export(late_parcel(), bad).splitlines()
    line = [number for number, text in enumerate(lines, 1) if text == "    {"][1]
    assert sorted(str(e) for e in report.errors) == [
        f"{path}:{line}: created_at: not a date and time: 'next tuesday' "
        "(expected e.g. 2024-03-05 14:22:10 or 2024-03-05T14:22:10+01:00)",
        f"{path}:{line}: status: unknown value 'escalated'; "
        "expected one of: closed, hold, new, open, pending, solved",
    ]
    assert report.failed == 1 and report.created == 1
    assert stored(sqlite_workspace, "zendesk", "104") is None


def test_deleted_tickets_are_skipped_not_failed(sqlite_workspace: Workspace, write: Write) -> None:
    report = run_import(
        sqlite_workspace, write("export.json", export(late_parcel(), refund(status="deleted")))
    )

    assert (report.created, report.skipped, report.failed) == (1, 1, 0)


def test_api_pages_one_per_line_bring_their_users_and_groups(
    sqlite_workspace: Workspace, write: Write, stored: Callable[..., Any]
) -> None:
    pages = [
        {"tickets": [late_parcel()], "users": USERS, "groups": GROUPS, "next_page": "…"},
        {"tickets": [refund()], "users": USERS[:1], "end_of_stream": True},
    ]
    run_import(sqlite_workspace, write("pages.json", "\n".join(json.dumps(p) for p in pages)))

    assert stored(sqlite_workspace, "zendesk", "101")["queue"] == "Orders & Delivery"
    assert stored(sqlite_workspace, "zendesk", "102")["requester"]["name"] == "Ana Silva"


def test_ticket_line_without_an_id_is_an_error_not_a_page(
    sqlite_workspace: Workspace, write: Write
) -> None:
    no_id = late_parcel()
    del no_id["id"]
    path = write("export.jsonl", json.dumps(refund()) + "\n" + json.dumps(no_id) + "\n")

    report = run_import(sqlite_workspace, path)

    assert [(e.line, e.field, e.message) for e in report.errors] == [
        (2, "id", "missing; every row needs one")
    ]
