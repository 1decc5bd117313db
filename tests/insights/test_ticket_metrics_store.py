"""Stored per-ticket metrics, their SQL medians/p90 and the `casework metrics` commands."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import select, update
from typer.testing import CliRunner

from casework import Workspace
from casework.cli import app
from casework.config.loader import load_config_text
from casework.domain import FieldChange, Message, Ticket
from casework.insights.metrics_store import refresh_ticket_metrics, stored_count, summarise
from casework.store.repository import upsert_tickets
from casework.store.tables import TicketMetricsRow

CONFIG = load_config_text(
    "queues:\n  - {key: a, name: A, owner: L}\n  - {key: b, name: B, owner: L}\ndefault_queue: a\n",
    "casework.yaml",
)
MON = datetime(2026, 3, 2, 9, tzinfo=UTC)  # ISO week 2026-W10


def make(ext: str, queue: str, created: datetime, reply_minutes: int, solve_minutes: int) -> Ticket:
    solved = created + timedelta(minutes=solve_minutes)
    return Ticket(
        source="zendesk",
        external_id=ext,
        subject=ext,
        status="solved",
        queue=queue,
        created_at=created,
        solved_at=solved,
        messages=[
            Message(external_id=f"{ext}-c", author_role="customer", body="?", created_at=created),
            Message(
                external_id=f"{ext}-a",
                author_role="agent",
                body="!",
                created_at=created + timedelta(minutes=reply_minutes),
            ),
        ],
        changes=[
            FieldChange(field="status", old_value="new", new_value="solved", changed_at=solved)
        ],
    )


# Replies within the UTC 09-17 working day, so calendar = business minutes.
A_REPLIES = [3, 7, 10, 12, 20, 41, 60]
B_REPLIES = [5, 90]


@pytest.fixture
def stored(workspace: Workspace) -> Workspace:
    tickets = [make(f"a{i}", "a", MON, m, 120) for i, m in enumerate(A_REPLIES)]
    tickets += [
        make(f"b{i}", "b", MON + timedelta(days=7), m, 200) for i, m in enumerate(B_REPLIES)
    ]
    with workspace.session() as session:
        upsert_tickets(session, tickets)
    stats = refresh_ticket_metrics(workspace, CONFIG, batch=4)
    assert stats.tickets == len(tickets)
    return workspace


def test_sql_medians_and_p90_equal_linear_interpolation(stored: Workspace) -> None:
    with stored.session() as session:
        rows = summarise(session, "queue", metrics=["reply_time_in_minutes"])
        weeks = summarise(session, "week", cohort="created", metrics=["reply_time"])
        overall = summarise(session, "all", metrics=["first_resolution_time_in_minutes"])
    got = {(r.group, r.clock): (r.n, r.median, r.p90) for r in rows}
    for queue, values in (("a", A_REPLIES), ("b", B_REPLIES)):
        for clock in ("calendar", "business"):
            n, median, p90 = got[(queue, clock)]
            assert n == len(values)
            assert median == pytest.approx(float(np.percentile(values, 50)))
            assert p90 == pytest.approx(float(np.percentile(values, 90)))
    assert got[("a", "calendar")][1:] == (12.0, pytest.approx(48.6))  # 41 + 0.4 * (60 - 41)
    assert {(r.group, r.n) for r in weeks} == {("2026-W10", 7), ("2026-W11", 2)}
    resolution = {r.clock: (r.n, r.median, r.p90) for r in overall}
    assert resolution["calendar"] == (9, 120.0, pytest.approx(200.0))


def test_refresh_replaces_rows_and_the_period_filters(stored: Workspace) -> None:
    with stored.session() as session:
        session.execute(update(TicketMetricsRow).values(reply_time_cal=99999))
    refresh_ticket_metrics(stored, CONFIG)
    with stored.session() as session:
        assert stored_count(session) == 9
        assert 99999 not in session.scalars(select(TicketMetricsRow.reply_time_cal)).all()
        week11 = summarise(
            session,
            "all",
            cohort="created",
            start=MON + timedelta(days=7),
            end=MON + timedelta(days=14),
            metrics=["reply_time"],
        )
    assert {r.n for r in week11} == {2}
    assert {r.median for r in week11} == {47.5}


def test_metrics_tickets_streams_every_ticket(sqlite_workspace: Workspace, tmp_path: Path) -> None:
    with sqlite_workspace.session() as session:
        upsert_tickets(session, [make("x1", "a", MON, 2, 30), make("x2", "b", MON, 5, 60)])
    runner = CliRunner()
    out = tmp_path / "m.csv"
    folder = str(sqlite_workspace.path)
    result = runner.invoke(
        app, ["metrics", "tickets", "-w", folder, "--format", "csv", "--out", str(out), "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["tickets"] == 2
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert [(r["ticket_id"], r["reply_time_in_minutes_calendar"]) for r in rows] == [
        ("x1", "2"),
        ("x2", "5"),
    ]
    result = runner.invoke(app, ["metrics", "tickets", "-w", folder])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data[1]["full_resolution_time_in_minutes"] == {"calendar": 60, "business": 60}
    bad = runner.invoke(app, ["metrics", "tickets", "-w", folder, "--format", "xml"])
    assert bad.exit_code == 2 and "expected json or csv" in bad.output
    none_yet = runner.invoke(app, ["metrics", "summary", "-w", folder])
    assert none_yet.exit_code == 2 and "casework metrics refresh" in none_yet.output
    assert runner.invoke(app, ["metrics", "refresh", "-w", folder, "--json"]).exit_code == 0
    summary = runner.invoke(app, ["metrics", "summary", "-w", folder, "--by", "queue", "--json"])
    assert summary.exit_code == 0, summary.output
    medians = {
        (r["group"], r["metric"], r["clock"]): r["median"] for r in json.loads(summary.stdout)
    }
    assert medians[("b", "reply_time_in_minutes", "business")] == 5.0


def test_the_weekly_report_section_reads_the_stored_metrics(stored: Workspace) -> None:
    from casework.insights.metrics_section import helpdesk_metrics_section

    section = helpdesk_metrics_section(stored, MON, MON + timedelta(days=7))
    # Queue a, week 10: 7 tickets solved; reply median 12 min, p90 48.6 min;
    # resolution 120 min for all of them (shown in hours from 120 min on).
    assert "| a | 7 | 12 min / 49 min | 2.0 h / 2.0 h | 2.0 h / 2.0 h |" in section.markdown
    assert "| b |" not in section.markdown  # solved the week after
    with stored.session() as session:
        session.execute(TicketMetricsRow.__table__.delete())
    empty = helpdesk_metrics_section(stored, MON, MON + timedelta(days=7))
    assert "casework metrics refresh" in empty.markdown
