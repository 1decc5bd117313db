"""`report compare`: a clear improvement is a real change, resampled noise is not."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from typer.testing import CliRunner

from casework import Workspace
from casework.cli import app
from casework.domain import Message, Ticket
from casework.insights.compare import (
    NOISE,
    REAL,
    Comparison,
    compare_periods,
    compare_values,
    parse_range,
    to_markdown,
)
from casework.store.repository import upsert_tickets

BEFORE = datetime(2026, 9, 1, tzinfo=UTC)
AFTER = datetime(2026, 10, 1, tzinfo=UTC)
SPANS = (BEFORE, BEFORE + timedelta(days=28)), (AFTER, AFTER + timedelta(days=28))


def replied(ext: str, created: datetime, minutes: float) -> Ticket:
    return Ticket(
        source="test", external_id=ext, subject=ext, created_at=created, queue="billing",
        messages=[
            Message(author_role="customer", body="Hello?", created_at=created),
            Message(author_role="agent", author_external_id="a1", body="Reply",
                    created_at=created + timedelta(minutes=minutes)),
        ],
    )  # fmt: skip


def store_period(ws: Workspace, start: datetime, minutes: list[float], tag: str) -> None:
    """One ticket a day-ish through the period, replied to after the given minutes."""
    tickets = [
        replied(f"{tag}{i}", start + timedelta(hours=9 + 12 * i), m) for i, m in enumerate(minutes)
    ]
    with ws.session() as session:
        upsert_tickets(session, tickets)


def row(rows: list[Comparison], metric: str) -> Comparison:
    return next(r for r in rows if r.metric == metric)


def test_a_clearly_faster_first_reply_is_a_real_change(workspace: Workspace) -> None:
    rng = np.random.default_rng(7)
    store_period(workspace, BEFORE, list(rng.uniform(120, 240, 40)), "b")
    store_period(workspace, AFTER, list(rng.uniform(20, 60, 40)), "a")
    result = compare_periods(workspace, *SPANS)
    first = row(result.rows, "first_reply_time.calendar")
    assert first.n_before == first.n_after == 40
    assert first.difference is not None and first.difference < -60
    assert first.high is not None and first.high < 0  # the interval excludes 0
    assert first.verdict == REAL
    assert row(result.rows, "routing_accuracy").verdict == "no data"  # nothing routed
    markdown = to_markdown(result)
    assert "| `first_reply_time.calendar` |" in markdown and REAL in markdown


def test_two_samples_of_one_distribution_are_within_noise() -> None:
    rng = np.random.default_rng(3)
    values = rng.exponential(120, size=400)
    result = compare_values("x", "minutes", list(values[:200]), list(values[200:]), rng)
    assert result.low is not None and result.high is not None
    assert result.low < 0 < result.high
    assert result.verdict == NOISE


def test_rates_are_resampled_over_tickets() -> None:
    rng = np.random.default_rng(5)
    same = [(int(rng.random() < 0.3), 1) for _ in range(600)]
    noise = compare_values("r", "rate", same[:300], same[300:], rng)
    assert noise.verdict == NOISE
    better = compare_values(
        "r", "rate", [(0, 1)] * 80 + [(1, 1)] * 20, [(1, 1)] * 60 + [(0, 1)] * 40, rng
    )
    assert better.before == 0.2 and better.after == 0.6 and better.verdict == REAL
    assert better.low is not None and better.low > 0
    empty = compare_values("r", "rate", [], [(1, 1)], rng)
    assert (empty.before, empty.difference, empty.verdict) == (None, None, "no data")


def test_the_same_data_gives_the_same_interval() -> None:
    values = list(np.random.default_rng(1).normal(100, 20, 100))
    one = compare_values("x", "minutes", values, values[::-1], np.random.default_rng(9))
    two = compare_values("x", "minutes", values, values[::-1], np.random.default_rng(9))
    assert (one.low, one.high) == (two.low, two.high)


def test_parse_range_is_end_exclusive_utc_and_strict() -> None:
    assert parse_range("2026-09-01..2026-10-01") == (BEFORE, AFTER)
    for bad in ("2026-09-01", "2026-10-01..2026-09-01", "soon..later"):
        with pytest.raises(ValueError):
            parse_range(bad)


def test_report_compare_command_prints_json(sqlite_workspace: Workspace) -> None:
    store_period(sqlite_workspace, BEFORE, [200.0] * 10, "b")
    store_period(sqlite_workspace, AFTER, [30.0] * 10, "a")
    result = CliRunner().invoke(app, [
        "report", "compare", "--before", "2026-09-01..2026-09-29",
        "--after", "2026-10-01..2026-10-29", "--format", "json",
        "--workspace", str(sqlite_workspace.path),
    ])  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    first = next(m for m in data["metrics"] if m["metric"] == "first_reply_time.calendar")
    assert (first["before"], first["after"], first["verdict"]) == (200, 30, REAL)
    bad = CliRunner().invoke(app, ["report", "compare", "--before", "x", "--after", "y",
                                   "--workspace", str(sqlite_workspace.path)])  # fmt: skip
    assert bad.exit_code == 2
