"""Spikes: a planted surge is flagged, a flat or weekly-seasonal series is not."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import typer
from typer.testing import CliRunner

from casework import Workspace
from casework.cli.insights_trends import register
from casework.domain import Message, Ticket
from casework.insights.trends import Counts, daily_counts, detect, find_alerts, weekly_counts
from casework.store.repository import upsert_tickets
from casework.store.tables import TicketRow, TriageResultRow

FIRST = date(2026, 8, 31)  # a Monday
DAYS = 8 * 7


def _flat(per_day: int, monday: int | None = None) -> dict[date, int]:
    out = {}
    for i in range(DAYS):
        day = FIRST + timedelta(days=i)
        out[day] = monday if monday is not None and day.weekday() == 0 else per_day
    return out


def test_flat_series_raises_no_alert() -> None:
    counts: Counts = {("intent", "refund"): _flat(6)}
    assert detect(counts, FIRST, FIRST + timedelta(days=DAYS - 1)) == []


def test_a_weekly_monday_peak_is_seasonality_not_a_spike() -> None:
    counts: Counts = {("intent", "billing"): _flat(3, monday=15)}
    assert detect(counts, FIRST, FIRST + timedelta(days=DAYS - 1)) == []


def test_planted_day_and_week_are_flagged() -> None:
    days = _flat(4)
    spike_week = FIRST + timedelta(weeks=7)
    for i in range(7):
        days[spike_week + timedelta(days=i)] = 12
    alerts = detect({("intent", "order_status"): days}, FIRST, FIRST + timedelta(days=DAYS - 1))
    weekly = [a for a in alerts if a.granularity == "week"]
    assert [(a.period, a.count) for a in weekly] == [("2026-W43", 84)]
    assert weekly[0].baseline == 28 and weekly[0].p_value < 0.001
    assert {a.start for a in alerts if a.granularity == "day"} <= set(
        spike_week + timedelta(days=i) for i in range(7)
    )


def test_emerging_series_from_near_zero() -> None:
    days = {FIRST + timedelta(weeks=6, days=i): 3 for i in range(14)}
    alerts = detect({("topic", "7"): days}, FIRST, FIRST + timedelta(days=DAYS - 1))
    assert any(a.alert == "emerging" and a.count == 42 for a in alerts)


def test_weekly_counts_sum_iso_weeks() -> None:
    assert weekly_counts({date(2026, 9, 6): 1, date(2026, 9, 7): 2, date(2026, 9, 13): 3}) == {
        date(2026, 8, 31): 1,
        date(2026, 9, 7): 5,
    }


def _store(ws: Workspace) -> None:
    """Eight weeks: refunds flat with a Monday peak, order status surging in the last week."""
    tickets, intents = [], {}
    for i in range(DAYS):
        day = FIRST + timedelta(days=i)
        plan = [("refund", 8 if day.weekday() == 0 else 2, "I want my money back for the lamp")]
        spiking = i >= DAYS - 7
        plan.append(
            (
                "order_status",
                12 if spiking else 3,
                "SwiftPost tracking stuck, where is my parcel"
                if spiking
                else "When will my order arrive",
            )
        )
        for intent, n, text in plan:
            for j in range(n):
                at = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=8 + j % 10)
                ext = f"{intent}-{i}-{j}"
                msg = Message(author_role="customer", body=text, created_at=at)
                tickets.append(Ticket(source="t", external_id=ext, created_at=at, messages=[msg]))
                intents[ext] = (intent, text)
    with ws.session() as session:
        upsert_tickets(session, tickets)
        for row in session.query(TicketRow):
            intent, text = intents[row.external_id]
            session.add(
                TriageResultRow(
                    ticket_id=row.id,
                    model_version="m1",
                    language="en",
                    intent=intent,
                    intent_confidence=0.9,
                    urgency="normal",
                    sentiment="neutral",
                    sentiment_score=0.0,
                    redacted_text=text,
                    created_at=row.created_at,
                )
            )


def test_spike_in_the_store_is_flagged_with_evidence(workspace: Workspace) -> None:
    _store(workspace)
    with workspace.session() as session:
        counts = daily_counts(session)
        assert counts[("intent", "refund")][FIRST] == 8
        assert counts[("queue", "(none)")][FIRST] == 11
        alerts = find_alerts(session)
        week = find_alerts(session, "2026-W43")
    weekly = [a for a in alerts if a.granularity == "week"]
    assert [(a.series_kind, a.series_key, a.period) for a in weekly] == [
        ("intent", "order_status", "2026-W43"),
        ("queue", "(none)", "2026-W43"),
    ]
    assert not any(a.series_key == "refund" for a in alerts)
    assert {"swiftpost", "tracking"} <= set(weekly[0].trigger_terms)
    assert len(weekly[0].example_ticket_ids) == 5
    assert {a.period for a in week if a.granularity == "week"} == {"2026-W43"}


def test_cli_prints_alerts_as_json(sqlite_workspace: Workspace) -> None:
    _store(sqlite_workspace)
    group = typer.Typer()
    register(group)
    result = CliRunner().invoke(
        group, ["spikes", "--week", "2026-W43", "--json", "-w", str(sqlite_workspace.path)]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["alerts"][0]["series_key"] == "order_status"
    bad = CliRunner().invoke(group, ["spikes", "--week", "W9", "-w", str(sqlite_workspace.path)])
    assert bad.exit_code == 2


def test_trigger_terms_survive_a_period_of_one_repeated_word() -> None:
    from casework.insights.trends import distinctive_terms

    assert distinctive_terms(["refund"] * 5, []) == []
    assert distinctive_terms(["refund refund"] * 5, ["hello there"]) in ([], ["refund"])
