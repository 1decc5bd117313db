"""Zendesk's per-ticket metrics on hand-built edge cases, every value asserted.

The tickets, schedules and expected figures (with the arithmetic in comments)
are in `data/zendesk_edge_cases.yaml`; they are stored like any import (tickets
through `upsert_tickets`, schedules through `store_schedules`) and measured from
the store, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from casework import Workspace
from casework.config.loader import load_config_text
from casework.domain import FieldChange, Message, Ticket
from casework.insights.schedules import Holiday, Schedule, TicketSchedule, store_schedules
from casework.insights.ticket_metrics import (
    DURATIONS,
    TicketMetrics,
    api_dict,
    flat_rows,
    iter_batch_metrics,
    iter_ticket_metrics,
)
from casework.store.repository import upsert_tickets

DATA = Path(__file__).parent / "data" / "zendesk_edge_cases.yaml"
CASES: dict[str, Any] = yaml.safe_load(DATA.read_text("utf-8"))
EXPECT_KEYS = {
    "reply": "reply_time",
    "first_resolution": "first_resolution_time",
    "full_resolution": "full_resolution_time",
    "agent_wait": "agent_wait_time",
    "requester_wait": "requester_wait_time",
    "on_hold": "on_hold_time",
}
SOLVES = {"solved", "closed"}


def _when(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def build_ticket(case: dict[str, Any]) -> Ticket:
    messages, changes = [], []
    status, solved_at = "new", None
    for line in case["events"]:
        at_text, kind, *rest = line.split()
        at = _when(at_text)
        if kind == "status":
            changes.append(
                FieldChange(
                    field="status",
                    old_value=status,
                    new_value=rest[0],
                    changed_at=at,
                    approximate=bool(case.get("approximate_history")),
                )
            )
            if rest[0] in SOLVES and status not in SOLVES:
                solved_at = at
            status = rest[0]
        else:
            role = "agent" if kind == "note" else kind
            messages.append(
                Message(
                    external_id=f"{case['id']}-{len(messages)}",
                    author_role=role,
                    body=kind,
                    public=kind != "note",
                    created_at=at,
                )
            )
    if case.get("history") is False:
        changes = []
        status, solved_at = case["status"], _when(case["solved_at"])
    return Ticket(
        source="zendesk",
        external_id=case["id"],
        subject=case["title"],
        status=status,
        queue=case.get("queue", "default"),
        created_at=_when(case["created"]),
        solved_at=solved_at,
        messages=messages,
        changes=changes,
    )


@pytest.fixture
def stored(workspace: Workspace) -> Workspace:
    with workspace.session() as session:
        upsert_tickets(session, [build_ticket(c) for c in CASES["tickets"]])
        schedules = [
            Schedule(s["id"], s["name"], s["timezone"], tuple(tuple(i) for i in s["intervals"]))
            for s in CASES["schedules"]
        ]
        holidays = [
            Holiday(s["id"], h["id"], _as_date(h["start"]), _as_date(h["end"]), h["name"])
            for s in CASES["schedules"]
            for h in s.get("holidays", [])
        ]
        assignments = [
            TicketSchedule(c["id"], schedule, _when(at))
            for c in CASES["tickets"]
            for at, schedule in c.get("schedules", [])
        ]
        stats = store_schedules(session, schedules, holidays, assignments)
        assert stats.unknown_tickets == []
        session.commit()
    return workspace


@pytest.fixture
def measured(stored: Workspace) -> dict[str, TicketMetrics]:
    config = load_config_text(CASES["config"], "casework.yaml")
    return {
        m.external_id: m
        for batch in iter_ticket_metrics(stored, config, batch=7)  # several batches
        for m in batch
    }


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def test_there_are_at_least_thirty_hand_built_tickets() -> None:
    assert len(CASES["tickets"]) >= 30
    assert len({c["id"] for c in CASES["tickets"]}) == len(CASES["tickets"])
    for case in CASES["tickets"]:
        assert set(case["expect"]) >= set(EXPECT_KEYS), case["id"]


def test_every_value_matches_the_hand_worked_figure(measured: dict[str, TicketMetrics]) -> None:
    assert set(measured) == {c["id"] for c in CASES["tickets"]}
    wrong = []
    for case in CASES["tickets"]:
        got = measured[case["id"]]
        expect = case["expect"]
        for key, column in EXPECT_KEYS.items():
            value = [got.calendar[column], got.business[column]]
            wanted = expect[key] if expect[key] is not None else [None, None]
            if value != wanted:
                wrong.append(f"#{case['id']} {case['title']}: {key} {value} != {wanted}")
        for key, value in (
            ("reopens", got.reopens),
            ("replies", got.replies),
            ("approximate", got.approximate),
        ):
            wanted = expect.get(key, False if key == "approximate" else 0)
            if value != wanted:
                wrong.append(f"#{case['id']} {case['title']}: {key} {value} != {wanted}")
    assert not wrong, "\n".join(wrong)


def test_the_api_shape_names_every_zendesk_metric(measured: dict[str, TicketMetrics]) -> None:
    row = measured["3"].to_dict()
    assert row["source"] == "zendesk" and row["ticket_id"] == "3"
    assert row["on_hold_time_in_minutes"] == {"calendar": 3960, "business": 120}
    assert {m.name for m in DURATIONS} <= set(row)
    assert row["reopens"] == 0 and row["replies"] == 1 and row["approximate"] is False
    assert measured["12"].to_dict()["full_resolution_time_in_minutes"] == {
        "calendar": None,
        "business": None,
    }


def test_the_export_rows_say_the_same_as_the_objects(
    stored: Workspace, measured: dict[str, TicketMetrics]
) -> None:
    config = load_config_text(CASES["config"], "casework.yaml")
    rows = [row for result, _ in iter_batch_metrics(stored, config, 5) for row in flat_rows(result)]
    assert len(rows) == len(measured)
    for row in rows:
        assert api_dict(row) == measured[row[1]].to_dict()


def test_docs_define_every_zendesk_metric_with_its_docstring() -> None:
    from casework.insights.ticket_metrics import COUNTS, reference_markdown

    docs = (Path(__file__).parents[2] / "docs" / "metrics.md").read_text("utf-8")
    assert reference_markdown() in docs, "regenerate docs/metrics.md (see its header)"
    for metric in DURATIONS:
        assert docs.count(f"### `{metric.name}`") == 1
    # `reopens` is also the name of the weekly aggregate (its median), defined alike.
    for metric in COUNTS:
        assert f"### `{metric.name}`\n\n{metric.definition}" in docs
