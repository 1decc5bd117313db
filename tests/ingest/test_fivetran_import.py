"""Fivetran's Zendesk tables arrive as the tickets, history and schedules Zendesk had."""

from __future__ import annotations

import csv
import json
import os
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from casework import Workspace
from casework.cli import app
from casework.ingest import run_import
from casework.ingest.fivetran import import_from_postgres
from casework.store.tables import (
    FieldChangeRow,
    ScheduleHolidayRow,
    ScheduleRow,
    TicketRow,
    TicketScheduleRow,
)

Stored = Callable[[Workspace, str, str], dict[str, Any] | None]
Counts = Callable[[Workspace], dict[str, int]]

TABLES: dict[str, list[list[Any]]] = {
    "organization": [["id", "name"], [501, "Acme Ltd"]],
    "group": [["id", "name", "_fivetran_deleted"], [70, "Orders & Delivery", "false"],
              [71, "Billing", "false"]],
    "user": [
        ["id", "name", "email", "phone", "role", "organization_id"],
        [1, "Ana Silva", "ana@example.com", "+351 912 345 678", "end-user", 501],
        [2, "Tom Berg", "tom@shop.example", "", "agent", ""],
        [3, "Zoe Admin", "zoe@shop.example", "", "admin", ""],
    ],
    "ticket": [
        ["id", "created_at", "updated_at", "subject", "description", "status", "priority",
         "type", "requester_id", "assignee_id", "group_id", "via_channel", "_fivetran_deleted"],
        [101, "2024-03-05T14:22:10Z", "2024-03-07T10:00:00Z", "Late parcel",
         "My parcel has not arrived.", "solved", "high", "problem", 1, 2, 71, "email", "false"],
        [102, "2024-03-06 09:00:00", "", "Refund", "Where is my money?", "open", "", "", 1, "",
         "", "voice", "false"],
        [103, "not a date", "", "Broken", "", "open", "", "", 1, "", "", "web", "false"],
        [104, "2024-03-06T09:00:00Z", "", "Spam", "", "deleted", "", "", 1, "", "", "web",
         "false"],
    ],
    "ticket_field_history": [
        ["field_name", "ticket_id", "updated", "value", "user_id"],
        ["status", 101, "2024-03-05T14:22:10Z", "new", 1],
        ["group_id", 101, "2024-03-05T14:22:10Z", 70, 1],
        ["assignee_id", 101, "2024-03-05T15:00:00Z", 2, 3],
        ["status", 101, "2024-03-05T15:00:00Z", "open", 2],
        ["group_id", 101, "2024-03-05T15:00:00Z", 71, 2],
        ["status", 101, "2024-03-06T08:00:00Z", "pending", 2],
        ["tags", 101, "2024-03-06T08:00:00Z", "late", 2],
        ["status", 101, "2024-03-07T10:00:00Z", "solved", 2],
        ["priority", 101, "2024-03-05T15:00:00Z", "high", 2],
        ["status", 102, "2024-03-06T09:00:00Z", "reopened?", 1],
        ["status", 102, "2024-03-06T09:00:00Z", "new", 1],
    ],
    "ticket_comment": [
        ["id", "ticket_id", "user_id", "created", "body", "public"],
        [9001, 101, 1, "2024-03-05T14:22:10Z", "My parcel has not arrived.", "true"],
        [9003, 101, 2, "2024-03-05T15:01:00Z", "Sorry! It arrives Friday.", "true"],
        [9002, 101, 3, "2024-03-05T15:00:30Z", "Carrier says Friday.", "false"],
        [9004, 101, 2, "yesterday", "Bad time", "true"],
    ],
    "schedule": [
        ["id", "name", "time_zone", "start_time", "end_time", "created_at"],
        [77, "Support hours", "Eastern Time (US & Canada)", 1980, 2460, "2024-01-01T00:00:00Z"],
        [77, "Support hours", "Eastern Time (US & Canada)", 3420, 3900, "2024-01-01T00:00:00Z"],
        [78, "Nowhere", "Atlantis/Capital", 1980, 2460, "2024-01-01T00:00:00Z"],
    ],
    "schedule_holiday": [
        ["id", "schedule_id", "name", "start_date", "end_date"],
        [5, 77, "Independence Day", "2024-07-04", "2024-07-04"],
    ],
    "ticket_schedule": [
        ["ticket_id", "schedule_id", "created_at"],
        [101, 77, "2024-03-05T14:22:10Z"],
    ],
}  # fmt: skip


def write_tables(folder: Path, tables: dict[str, list[list[Any]]] = TABLES) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        with (folder / f"{name}.csv").open("w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows(rows)
    return folder


def test_fivetran_tables_are_stored_as_zendesk_had_them(
    workspace: Workspace, tmp_path: Path, stored: Stored
) -> None:
    report = run_import(workspace, write_tables(tmp_path / "ft"), fmt="fivetran-zendesk")

    assert (report.created, report.updated, report.unchanged, report.skipped) == (2, 0, 0, 1)
    ticket = stored(workspace, "zendesk", "101")
    assert ticket is not None
    assert (ticket["status"], ticket["priority"], ticket["type"]) == ("solved", "high", "problem")
    assert ticket["queue"] == "Billing"
    assert ticket["assignee"] == "Tom Berg"
    assert ticket["requester"] == {
        "id": "1", "name": "Ana Silva", "email": "ana@example.com", "phone": "+351 912 345 678",
    }  # fmt: skip
    assert ticket["created_at"] == datetime(2024, 3, 5, 14, 22, 10, tzinfo=UTC)
    assert ticket["solved_at"] == datetime(2024, 3, 7, 10, 0, tzinfo=UTC)
    # Comments in time order, author roles from user.role, the private note kept private.
    messages = ticket["messages"]
    assert [(m["role"], m["author"], m["public"], m["by_known_agent"]) for m in messages] == [
        ("customer", "1", True, False),
        ("agent", "3", False, True),
        ("agent", "2", True, True),
    ]  # fmt: skip
    t = datetime(2024, 3, 5, 15, 0, tzinfo=UTC)
    assert sorted(ticket["changes"], key=lambda c: (c[3], c[0])) == [
        ("group", None, "Orders & Delivery", datetime(2024, 3, 5, 14, 22, 10, tzinfo=UTC)),
        ("status", None, "new", datetime(2024, 3, 5, 14, 22, 10, tzinfo=UTC)),
        ("assignee", None, "2", t),
        ("group", "Orders & Delivery", "Billing", t),
        ("priority", None, "high", t),
        ("status", "new", "open", t),
        ("status", "open", "pending", datetime(2024, 3, 6, 8, 0, tzinfo=UTC)),
        ("status", "pending", "solved", datetime(2024, 3, 7, 10, 0, tzinfo=UTC)),
    ]
    with workspace.session() as s:
        actors = s.scalars(
            select(FieldChangeRow.actor).where(FieldChangeRow.new_value == "open")
        ).all()
    assert actors == ["2"]
    # A ticket without comments starts with its description; voice is the phone channel.
    refund = stored(workspace, "zendesk", "102")
    assert refund is not None and refund["channel"] == "phone"
    assert [(m["role"], m["body"]) for m in refund["messages"]] == [
        ("customer", "Where is my money?")
    ]
    assert stored(workspace, "zendesk", "104") is None  # deleted in Zendesk


def test_bad_rows_name_file_line_and_column_and_good_rows_are_kept(
    workspace: Workspace, tmp_path: Path, stored: Stored
) -> None:
    report = run_import(workspace, write_tables(tmp_path / "ft"), fmt="fivetran-zendesk")

    errors = {str(e).split(": ")[0] + ": " + e.field for e in report.errors}
    assert errors >= {
        "ticket.csv:4: created_at",
        "ticket_field_history.csv:11: value",
        "ticket_comment.csv:5: created",
        "schedule.csv:4: time_zone",
    }
    assert report.failed == 4
    assert any("reopened?" in e.message for e in report.errors)
    assert stored(workspace, "zendesk", "103") is None
    assert len(stored(workspace, "zendesk", "101")["messages"]) == 3  # type: ignore[index]


def test_reimport_writes_nothing_and_a_change_updates(
    workspace: Workspace, tmp_path: Path, stored: Stored, counts: Counts
) -> None:
    folder = write_tables(tmp_path / "ft")
    run_import(workspace, folder, fmt="fivetran-zendesk")
    before = counts(workspace)

    again = run_import(workspace, folder, fmt="fivetran-zendesk")

    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert counts(workspace) == before

    tables = {name: [list(r) for r in rows] for name, rows in TABLES.items()}
    tables["ticket"][1][5] = "closed"
    tables["ticket"][1][2] = "2024-03-10T10:00:00Z"
    tables["ticket_field_history"].append(["status", 101, "2024-03-10T10:00:00Z", "closed", -1])
    changed = run_import(workspace, write_tables(tmp_path / "ft2", tables), fmt="fivetran-zendesk")

    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 1)
    ticket = stored(workspace, "zendesk", "101")
    assert ticket is not None and ticket["status"] == "closed"
    assert ticket["changes"][-1] == (
        "status", "solved", "closed", datetime(2024, 3, 10, 10, 0, tzinfo=UTC)
    )  # fmt: skip
    after = counts(workspace)
    assert after["field_changes"] == before["field_changes"] + 1
    assert after["messages"] == before["messages"]


def test_schedule_tables_become_schedules_with_iana_zones(
    workspace: Workspace, tmp_path: Path
) -> None:
    run_import(workspace, write_tables(tmp_path / "ft"), fmt="fivetran-zendesk")

    with workspace.session() as s:
        schedules = s.scalars(select(ScheduleRow)).all()
        assert [(r.external_id, r.timezone, r.intervals) for r in schedules] == [
            ("77", "America/New_York", [[1980, 2460], [3420, 3900]])
        ]
        holiday = s.scalars(select(ScheduleHolidayRow)).one()
        assert (holiday.name, holiday.start_date) == ("Independence Day", date(2024, 7, 4))
        assigned = s.execute(
            select(TicketRow.external_id, TicketScheduleRow.starts_at).join(
                TicketRow, TicketRow.id == TicketScheduleRow.ticket_id
            )
        ).all()
        assert assigned == [("101", datetime(2024, 3, 5, 14, 22, 10, tzinfo=UTC))]


def test_a_missing_required_column_stops_that_table_on_line_1(
    sqlite_workspace: Workspace, tmp_path: Path
) -> None:
    tables = dict(TABLES)
    tables["ticket_field_history"] = [["field_name", "ticket_id", "value"], ["status", 101, "x"]]

    report = run_import(sqlite_workspace, write_tables(tmp_path / "ft", tables), "fivetran-zendesk")

    assert [str(e) for e in report.errors if e.file == "ticket_field_history.csv"] == [
        "ticket_field_history.csv:1: updated: required column missing "
        "(header: field_name, ticket_id, value)"
    ]
    assert report.created == 2


def test_a_folder_without_a_ticket_table_is_refused(
    sqlite_workspace: Workspace, tmp_path: Path
) -> None:
    folder = write_tables(tmp_path / "ft", {"user": TABLES["user"]})
    with pytest.raises(ValueError, match="no ticket table"):
        run_import(sqlite_workspace, folder, fmt="fivetran-zendesk")


def test_fivetran_and_zendesk_json_imports_update_the_same_tickets(
    sqlite_workspace: Workspace, tmp_path: Path, counts: Counts
) -> None:
    run_import(sqlite_workspace, write_tables(tmp_path / "ft"), fmt="fivetran-zendesk")
    tickets = counts(sqlite_workspace)["tickets"]
    export = {
        "tickets": [{"id": 101, "created_at": "2024-03-05T14:22:10Z", "status": "closed",
                     "subject": "Late parcel", "requester_id": 1}],
        "users": [{"id": 1, "name": "Ana Silva", "role": "end-user"}],
    }  # fmt: skip
    (tmp_path / "export.json").write_text(json.dumps(export))

    report = run_import(sqlite_workspace, tmp_path / "export.json", fmt="zendesk")

    assert (report.created, report.updated) == (0, 1)
    assert counts(sqlite_workspace)["tickets"] == tickets


def test_cli_imports_a_generated_folder(tmp_path: Path) -> None:
    folder = write_tables(tmp_path / "ft")
    result = CliRunner().invoke(
        app,
        ["import", str(folder), "--format", "fivetran-zendesk", "-w", str(tmp_path / "ws"),
         "--json"],
    )  # fmt: skip
    assert result.exit_code == 1, result.output  # the bad rows fail the run
    summary = json.loads(result.stdout)
    assert (summary["created"], summary["failed"]) == (2, 4)
    assert any(e.startswith("ticket.csv:4: created_at:") for e in summary["errors"])


def test_with_workers_a_table_import_queues_its_tickets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A set-based import has no per-batch hook: its stored tickets are queued right after."""
    from casework import Workspace
    from casework.jobs.outbox import active_ticket_ids

    monkeypatch.setenv("CASEWORK_BROKER_URL", "amqp://guest:guest@127.0.0.1:9/")  # not dialled
    folder = write_tables(tmp_path / "ft")
    result = CliRunner().invoke(
        app,
        ["import", str(folder), "--format", "fivetran-zendesk", "-w", str(tmp_path / "ws"),
         "--json"],
    )  # fmt: skip
    summary = json.loads(result.stdout)
    assert summary["created"] == 2 and summary["queued_jobs"] == 1
    ws = Workspace(tmp_path / "ws")
    with ws.session() as s:
        assert len(active_ticket_ids(s)) == 2
    ws.close()


@pytest.fixture
def warehouse_schema() -> Iterator[tuple[str, str]]:
    """The test tables as a Fivetran schema in the real PostgreSQL, dropped afterwards."""
    url = os.environ.get("CASEWORK_TEST_DATABASE_URL")
    if not url:
        pytest.skip("CASEWORK_TEST_DATABASE_URL is not set")
    import psycopg

    schema = f"fivetran_{uuid.uuid4().hex[:8]}"
    conninfo = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
        for name, rows in TABLES.items():
            columns = ", ".join(f'"{c}" text' for c in rows[0])
            conn.execute(f'CREATE TABLE "{schema}"."{name}" ({columns})')
            with conn.cursor().copy(f'COPY "{schema}"."{name}" FROM STDIN') as copy:
                for row in rows[1:]:
                    copy.write_row([None if v == "" else str(v) for v in row])
    try:
        yield url, schema
    finally:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def test_tables_are_read_straight_from_a_postgres_schema(
    workspace: Workspace, tmp_path: Path, warehouse_schema: tuple[str, str], stored: Stored
) -> None:
    url, schema = warehouse_schema
    report = import_from_postgres(workspace, url, schema)

    assert (report.created, report.skipped, report.failed) == (2, 1, 4)
    assert f"{schema}.ticket:4: created_at" in {
        f"{e.file}:{e.line}: {e.field}" for e in report.errors
    }
    from_db = stored(workspace, "zendesk", "101")
    # The same tables from CSV give the same tickets.
    csv_ws = Workspace(tmp_path / "csv-ws").init()
    run_import(csv_ws, write_tables(tmp_path / "ft"), fmt="fivetran-zendesk")
    from_csv = stored(csv_ws, "zendesk", "101")
    assert from_db is not None and from_csv is not None
    for ticket in (from_db, from_csv):  # rows of one instant come in either order
        ticket["changes"] = sorted(ticket["changes"], key=lambda c: (c[3], c[0]))
    assert from_db == from_csv
    csv_ws.close()


def test_a_latin1_byte_costs_one_row_with_its_line(
    sqlite_workspace: Workspace, tmp_path: Path
) -> None:
    folder = write_tables(tmp_path / "ft")
    with (folder / "ticket_comment.csv").open("ab") as f:
        f.write(b"9005,101,1,2024-03-05T16:00:00Z,Obrigado \xe0 equipa,true\r\n")

    report = run_import(sqlite_workspace, folder, fmt="fivetran-zendesk")

    assert "ticket_comment.csv:6: body: not UTF-8 text; re-export or re-save the file as UTF-8" in [
        str(e) for e in report.errors
    ]
    assert report.created == 2


def _bulk(ws: Workspace, folder: Path) -> tuple[list[Any] | None, list[str], int]:
    """Run the PostgreSQL bulk path on `folder`'s history file; (result, errors, staged rows)."""
    from sqlalchemy import text

    from casework.ingest.fivetran_bulk import stage_history
    from casework.ingest.fivetran_load import Stage
    from casework.ingest.fivetran_tables import CsvFolder

    tables = CsvFolder(folder)
    header = tables.header("ticket_field_history")
    assert header is not None
    errors: list[str] = []
    with ws.engine.begin() as conn:
        Stage(conn)
        result = stage_history(
            conn,
            tables.path("ticket_field_history"),
            header,
            {"70": "Orders & Delivery"},
            lambda found: errors.extend(str(e) for e in found),
        )
        staged = 0
        if result is not None:
            staged = conn.execute(text("SELECT COUNT(*) FROM stg_history_bulk")).scalar_one()
    return result, errors, staged


def test_postgres_parses_the_history_csv_itself_and_python_explains_the_odd_rows(
    workspace: Workspace, tmp_path: Path
) -> None:
    if workspace.engine.dialect.name != "postgresql":
        pytest.skip("the bulk path is PostgreSQL's COPY")
    result, errors, staged = _bulk(workspace, write_tables(tmp_path / "ft"))

    assert result == []  # nothing left for Python to stage
    assert errors == [
        "ticket_field_history.csv:11: value: unknown value 'reopened?'; expected one of: "
        "closed, deleted, hold, new, open, pending, solved"
    ]
    assert staged == 9  # 11 rows: the tags row is not history, the bad one refused

    clean = {name: [list(r) for r in rows] for name, rows in TABLES.items()}
    clean["ticket_field_history"] = [
        r for r in clean["ticket_field_history"] if r[3] != "reopened?"
    ]
    result, errors, staged = _bulk(workspace, write_tables(tmp_path / "clean", clean))
    assert (result, errors, staged) == ([], [], 9)


def test_a_record_spanning_lines_sends_the_history_back_to_python(
    workspace: Workspace, tmp_path: Path, stored: Stored
) -> None:
    tables = {name: [list(r) for r in rows] for name, rows in TABLES.items()}
    tables["ticket_field_history"].insert(3, ["tags", 101, "2024-03-05T14:30:00Z", "a\nb", 1])
    folder = write_tables(tmp_path / "ft", tables)
    if workspace.engine.dialect.name == "postgresql":
        assert _bulk(workspace, folder)[0] is None

    report = run_import(workspace, folder, fmt="fivetran-zendesk")

    assert "ticket_field_history.csv:13: value" in {
        f"{e.file}:{e.line}: {e.field}" for e in report.errors
    }  # one line further down: the record above spans two
    assert len(stored(workspace, "zendesk", "101")["changes"]) == 8  # type: ignore[index]


def test_a_big_load_without_per_row_key_checks_stores_the_same(
    workspace: Workspace, tmp_path: Path, stored: Stored, counts: Counts
) -> None:
    """Threshold 0 makes this small load take the big-load path (a superuser's, on PostgreSQL)."""
    from casework.ingest.fivetran import run_fivetran_import
    from casework.ingest.fivetran_tables import CsvFolder

    steps: list[str] = []
    folder = write_tables(tmp_path / "ft")
    run_fivetran_import(workspace, CsvFolder(folder), step=steps.append, bulk_threshold=0)

    expected = "without per-row foreign-key checks"
    assert (expected in steps) == (workspace.engine.dialect.name == "postgresql")
    reference = Workspace(tmp_path / "reference").init()
    run_import(reference, folder, fmt="fivetran-zendesk")
    for ticket_id in ("101", "102"):
        ours, theirs = (
            stored(workspace, "zendesk", ticket_id),
            stored(reference, "zendesk", ticket_id),
        )
        assert ours is not None and theirs is not None
        for ticket in (ours, theirs):
            ticket["changes"] = sorted(ticket["changes"], key=lambda c: (c[3], c[0]))
        assert ours == theirs
    assert {k: v for k, v in counts(workspace).items()} == counts(reference)
    reference.close()
    with workspace.engine.connect() as conn:  # the session is back to checking keys
        from sqlalchemy import text

        if workspace.engine.dialect.name == "postgresql":
            assert conn.execute(text("SHOW session_replication_role")).scalar() == "origin"


def test_cli_reads_the_tables_from_a_postgres_schema(
    warehouse_schema: tuple[str, str], tmp_path: Path
) -> None:
    url, schema = warehouse_schema
    args = ["import", "--format", "fivetran-zendesk", "--database-url", url, "--schema", schema,
            "-w", str(tmp_path / "ws"), "--json"]  # fmt: skip
    result = CliRunner().invoke(app, args)

    assert result.exit_code == 1, result.output  # the bad rows fail the run
    summary = json.loads(result.stdout)
    assert (summary["created"], summary["failed"]) == (2, 4)
    assert f"{schema}.ticket:4: created_at" in " ".join(summary["errors"])

    wrong = CliRunner().invoke(app, ["import", "--database-url", url, "--schema", schema])
    assert wrong.exit_code == 2  # --database-url needs --format fivetran-zendesk
