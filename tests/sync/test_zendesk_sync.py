"""`casework sync zendesk` against a real local server speaking Zendesk's wire format."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner
from zendesk_wire import GROUPS, T0, USERS, Fault, Server, events_of, ticket

from casework import Workspace
from casework.cli import app
from casework.ingest import run_import
from casework.store import repository as repo
from casework.sync import SyncError, ZendeskClient, ZendeskSync, state

TICKETS = "/api/v2/incremental/tickets/cursor.json"
EVENTS = "/api/v2/incremental/ticket_events.json"
Stored = Callable[[Workspace, str, str], dict[str, Any] | None]
Counts = Callable[[Workspace], dict[str, int]]


def client(server: Server, **options: Any) -> ZendeskClient:
    options.setdefault("backoff", 0.01)
    return ZendeskClient("acme", "ops@acme.example", "s3cret", base_url=server.url, **options)


def at(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def test_a_sync_stores_tickets_comments_and_history(
    workspace: Workspace, zendesk_server: Server, stored: Stored, counts: Counts
) -> None:
    result = ZendeskSync(workspace, client(zendesk_server)).run()

    assert (result.created, result.updated, result.failed) == (5, 0, 0)
    assert (result.ticket_pages, result.event_pages, result.events) == (3, 4, 12)
    ticket = stored(workspace, "zendesk", "1002")
    assert ticket is not None
    assert (ticket["status"], ticket["queue"], ticket["assignee"]) == (
        "solved", "Orders & Delivery", "Tom Berg",
    )  # fmt: skip
    created = T0 + 2 * 3600
    assert [(m["role"], m["body"], m["by_known_agent"]) for m in ticket["messages"]] == [
        ("customer", "Where is order 2?", False),
        ("agent", "On its way.", True),
    ]
    assert sorted(ticket["changes"], key=lambda c: (c[3], c[0])) == [
        ("priority", None, "normal", at(created)),
        ("status", None, "new", at(created)),
        ("assignee", None, "2", at(created + 600)),
        ("status", "new", "open", at(created + 600)),
        ("status", "open", "solved", at(created + 1800)),
    ]
    assert ticket["solved_at"] == at(created + 1800)
    with workspace.session() as s:
        assert state.positions(s, "zendesk") == {
            "tickets": "c5",
            "ticket_events": str(T0 + 5 * 3600 + 600 + 1),
        }
    # Every request authenticated as email/token, with the side-loads asked for.
    auth = base64.b64encode(b"ops@acme.example/token:s3cret").decode()
    assert {a for *_, a in zendesk_server.data.log} == {f"Basic {auth}"}
    assert zendesk_server.data.requests(TICKETS)[0] == {
        "include": "users,groups,organizations", "start_time": "0",
    }  # fmt: skip
    assert counts(workspace)["messages"] == 10


def test_a_second_run_resumes_from_the_stored_positions_and_writes_nothing(
    workspace: Workspace, zendesk_server: Server, counts: Counts
) -> None:
    ZendeskSync(workspace, client(zendesk_server)).run()
    before = counts(workspace)
    zendesk_server.data.log.clear()

    again = ZendeskSync(workspace, client(zendesk_server)).run()

    assert zendesk_server.data.requests(TICKETS)[0]["cursor"] == "c5"
    assert zendesk_server.data.requests(EVENTS)[0]["start_time"] == str(T0 + 5 * 3600 + 601)
    assert (again.created, again.updated, again.events) == (0, 0, 0)
    assert counts(workspace) == before


def test_an_interrupted_sync_resumes_without_duplicating_anything(
    workspace: Workspace, zendesk_server: Server, counts: Counts, tmp_path: Path
) -> None:
    # The third ticket page fails for good (more 500s than retries): the run stops.
    zendesk_server.data.faults.append(Fault(TICKETS, 500, times=3))
    calls = {"n": 0}

    def page_two_then_fail(result: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 2:  # after page 2 is stored, the next request starts failing
            zendesk_server.data.faults[0].times = 3

    zendesk_server.data.faults[0].times = 0
    with pytest.raises(SyncError, match="gave up after 2 retries"):
        ZendeskSync(workspace, client(zendesk_server, retries=2), progress=page_two_then_fail).run()

    assert counts(workspace)["tickets"] == 4
    with workspace.session() as s:
        assert state.position(s, "zendesk", "tickets") == "c4"
        assert state.position(s, "zendesk", "ticket_events") is None  # not before the end

    resumed = ZendeskSync(workspace, client(zendesk_server)).run()

    assert zendesk_server.data.requests(TICKETS)[-1] == {
        "include": "users,groups,organizations", "cursor": "c4",
    }  # fmt: skip
    assert (resumed.created, resumed.resumed_from) == (1, "c4")
    # Exactly what one uninterrupted sync stores.
    clean = Workspace(tmp_path / "clean").init()
    ZendeskSync(clean, client(zendesk_server)).run()
    assert counts(workspace) == counts(clean)
    clean.close()


def test_429_retry_after_and_an_exhausted_rate_limit_are_honoured(
    sqlite_workspace: Workspace, zendesk_server: Server
) -> None:
    data = zendesk_server.data
    data.faults.append(Fault(TICKETS, 429, {"Retry-After": "1"}))
    data.faults.append(
        Fault(EVENTS, 200, {"X-Rate-Limit-Remaining": "0", "ratelimit-reset": "1"})
    )

    result = ZendeskSync(sqlite_workspace, client(zendesk_server)).run()

    assert result.created == 5 and result.rate_limited == 1
    log = data.log
    limited = next(i for i, entry in enumerate(log) if entry[3] == 429)
    assert log[limited + 1][0] - log[limited][0] >= 0.95  # waited as told
    assert log[1][0] - log[0][0] >= 0.95  # paused when the minute's budget was spent
    assert result.waited_seconds >= 2


def test_a_500_mid_stream_is_retried_with_backoff(
    workspace: Workspace, zendesk_server: Server, counts: Counts
) -> None:
    zendesk_server.data.faults.append(Fault(TICKETS, 502, times=0))

    def fail_next(result: Any) -> None:
        if result.ticket_pages == 1:
            zendesk_server.data.faults[0].times = 2

    result = ZendeskSync(workspace, client(zendesk_server), progress=fail_next).run()

    assert (result.created, result.retries) == (5, 2)
    statuses = [status for _, path, _, status, _ in zendesk_server.data.log if path == TICKETS]
    assert statuses == [200, 502, 502, 200, 200]
    assert counts(workspace)["tickets"] == 5


def test_sync_after_a_file_import_of_the_same_tickets_adds_nothing(
    workspace: Workspace, zendesk_server: Server, counts: Counts, tmp_path: Path
) -> None:
    """The export of the same account, with nested comments and audits, imported first."""
    tickets = []
    for n in range(1, 6):
        raw = ticket(n)
        comments, audits = [], []
        for event in events_of(n):
            changes = []
            for child in event["child_events"]:
                if child["event_type"] == "Comment":
                    comments.append({"id": child["id"], "author_id": child["author_id"],
                                     "body": child["body"], "public": True,
                                     "created_at": event["created_at"]})  # fmt: skip
                elif child["event_type"] in ("Create", "Change"):
                    name = next(k for k in ("status", "priority", "assignee_id") if k in child)
                    changes.append({"type": child["event_type"], "field_name": name,
                                    "value": child[name],
                                    "previous_value": child.get("previous_value")})  # fmt: skip
            audits.append({"created_at": event["created_at"], "author_id": event["updater_id"],
                           "events": changes})  # fmt: skip
        tickets.append({**raw, "comments": comments, "audits": audits})
    export = tmp_path / "export.json"
    export.write_text(json.dumps({"tickets": tickets, "users": USERS, "groups": GROUPS}))
    imported = run_import(workspace, export, fmt="zendesk")
    assert imported.created == 5
    before = counts(workspace)

    result = ZendeskSync(workspace, client(zendesk_server)).run()

    assert result.created == 0
    assert counts(workspace) == before


def test_cli_sync_prints_a_json_summary(
    zendesk_server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZD_TOKEN", "s3cret")
    args = ["sync", "zendesk", "--subdomain", "acme", "--email", "ops@acme.example",
            "--token-env", "ZD_TOKEN", "--base-url", zendesk_server.url,
            "-w", str(tmp_path / "ws"), "--json"]  # fmt: skip

    result = CliRunner().invoke(app, args)

    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert (summary["created"], summary["cursor"]) == (5, "c5")
    ws = Workspace(tmp_path / "ws")
    with ws.session() as s:
        assert repo.counts(s)["tickets"] == 5
    ws.close()


def test_cli_sync_needs_the_token_variable(tmp_path: Path) -> None:
    args = ["sync", "zendesk", "--subdomain", "acme", "--email", "e@x",
            "--token-env", "CASEWORK_NO_SUCH_VAR", "-w", str(tmp_path / "ws")]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert "CASEWORK_NO_SUCH_VAR is not set" in result.output
