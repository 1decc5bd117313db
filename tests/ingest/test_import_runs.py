"""What every import does whatever the format: batches, runs, progress, limits."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from casework import Workspace
from casework.ingest import run_import
from casework.store import repository
from casework.store.tables import ImportRunRow

Write = Callable[[str, str | bytes], Path]
WriteJsonl = Callable[..., Path]


def ticket(external_id: str, **values: Any) -> dict[str, Any]:
    base = {"external_id": external_id, "created_at": "2024-03-05T10:00:00Z",
            "subject": f"Ticket {external_id}", "body": "Hello"}  # fmt: skip
    return base | values


def test_each_run_is_recorded_with_counts_and_errors(
    workspace: Workspace, write_jsonl: WriteJsonl
) -> None:
    path = write_jsonl("t.jsonl", ticket("1"), ticket("2", status="lost"), ticket("3"))

    report = run_import(workspace, path, fmt="jsonl")

    with workspace.session() as s:
        [run] = s.scalars(select(ImportRunRow)).all()
        assert run.id == report.run_id
        assert (run.source, run.format, run.path) == ("jsonl", "jsonl", str(path))
        assert (run.created, run.updated, run.unchanged, run.failed) == (2, 0, 0, 1)
        assert run.finished_at is not None and run.finished_at >= run.started_at
        assert [(e["line"], e["field"]) for e in run.errors] == [(2, "status")]


def test_batches_report_progress_in_bytes_up_to_the_file_size(
    sqlite_workspace: Workspace, write_jsonl: WriteJsonl
) -> None:
    path = write_jsonl("t.jsonl", *(ticket(str(n)) for n in range(7)))
    seen: list[int] = []

    report = run_import(sqlite_workspace, path, fmt="jsonl", batch_size=2, progress=seen.append)

    assert report.created == 7
    assert seen == sorted(seen) and len(seen) >= 3
    assert seen[-1] == path.stat().st_size


def test_the_same_ticket_twice_in_one_file_counts_as_created_then_updated(
    sqlite_workspace: Workspace, write_jsonl: WriteJsonl, stored: Callable[..., Any]
) -> None:
    path = write_jsonl("t.jsonl", ticket("1", status="open"), ticket("1", status="solved"))

    report = run_import(sqlite_workspace, path, fmt="jsonl")

    assert (report.created, report.updated, report.rows) == (1, 1, 2)
    assert stored(sqlite_workspace, "jsonl", "1")["status"] == "solved"


def test_statistics_refresh_during_a_large_import_is_harmless(
    workspace: Workspace, write_jsonl: WriteJsonl, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(repository, "ANALYZE_FLOOR", 1)  # PostgreSQL: ANALYZE as tables double
    path = write_jsonl("t.jsonl", *(ticket(str(n)) for n in range(5)))

    report = run_import(workspace, path, fmt="jsonl", batch_size=1)

    assert (report.created, report.failed) == (5, 0)


def test_value_too_long_for_the_store_is_refused_alike_on_every_backend(
    workspace: Workspace, write_jsonl: WriteJsonl, stored: Callable[..., Any]
) -> None:
    long_name = "A" * 300  # customers.name is VARCHAR(255); SQLite alone would keep it
    path = write_jsonl(
        "t.jsonl", ticket("1"), ticket("2", customer_id="c", customer_name=long_name)
    )

    report = run_import(workspace, path, fmt="jsonl")

    assert (report.created, report.failed) == (1, 1)
    assert str(report.errors[0]) == (
        f"{path}:2: requester.name: 300 characters; at most 255 can be stored"
    )
    assert stored(workspace, "jsonl", "2") is None


def test_ticket_the_database_refuses_fails_alone(
    workspace: Workspace, write_jsonl: WriteJsonl, stored: Callable[..., Any]
) -> None:
    twice = [{"id": "m1", "author_role": "customer", "body": "Hi"}] * 2  # message ids clash
    path = write_jsonl("t.jsonl", ticket("1"), ticket("2", messages=twice), ticket("3"))

    report = run_import(workspace, path, fmt="jsonl")

    assert (report.created, report.failed) == (2, 1)
    assert (report.errors[0].line, report.errors[0].field) == (2, "ticket")
    assert stored(workspace, "jsonl", "3") is not None


def test_errors_beyond_the_limit_are_counted_not_kept(
    sqlite_workspace: Workspace, write: Write
) -> None:
    path = write("t.jsonl", "not json\n" * 5)

    report = run_import(sqlite_workspace, path, fmt="jsonl", max_errors=2)

    assert (report.failed, len(report.errors), report.errors_not_kept) == (5, 2, 3)


def test_a_folder_imports_every_file_of_the_format(
    sqlite_workspace: Workspace, write_jsonl: WriteJsonl, write: Write
) -> None:
    first = write_jsonl("a.jsonl", ticket("1"))
    write_jsonl("b.jsonl", ticket("2"))
    write("notes.txt", "not an export")

    report = run_import(sqlite_workspace, first.parent, fmt="jsonl")

    assert report.created == 2 and report.failed == 0


def test_gzipped_export_is_read_as_is(
    sqlite_workspace: Workspace, tmp_path: Path, stored: Callable[..., Any]
) -> None:
    import gzip

    path = tmp_path / "t.jsonl.gz"
    path.write_bytes(gzip.compress((json.dumps(ticket("9")) + "\n").encode()))

    report = run_import(sqlite_workspace, path, fmt="jsonl")

    assert report.created == 1
    assert stored(sqlite_workspace, "jsonl", "9")["subject"] == "Ticket 9"


tickets = st.lists(
    st.fixed_dictionaries(
        {
            "external_id": st.text("abc123", min_size=1, max_size=3),
            "subject": st.text(max_size=20),
            "body": st.text(max_size=40),
            "status": st.sampled_from(["new", "open", "pending", "solved", "bogus"]),
            "tags": st.lists(st.text("xyz", min_size=1, max_size=3), max_size=3),
            "created_at": st.sampled_from(["2024-03-05T10:00:00Z", "2024-03-05 11:00", "soon"]),
        }
    ),
    max_size=12,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(records=tickets)
def test_importing_twice_equals_importing_once(
    sqlite_workspace: Workspace,
    tmp_path: Path,
    counts: Callable[..., Any],
    records: list[dict[str, Any]],
) -> None:
    run = uuid.uuid4().hex
    path = tmp_path / f"{run}.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    source = f"prop-{run}"  # one workspace serves every example; sources keep them apart

    first = run_import(sqlite_workspace, path, fmt="jsonl", source=source)
    after_first = counts(sqlite_workspace)
    second = run_import(sqlite_workspace, path, fmt="jsonl", source=source)

    assert first.rows == second.rows == len(records)
    assert (second.created, second.failed) == (0, first.failed)
    stored_rows = first.created + first.updated + first.unchanged
    assert second.unchanged + second.updated == stored_rows
    assert counts(sqlite_workspace) == after_first
