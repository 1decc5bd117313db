"""Each metric's definition, checked on hand-built timelines stored like any import."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from casework import Workspace
from casework.config.loader import default_config_text, load_config_text
from casework.config.schema import BusinessHours
from casework.config.versions import active_config
from casework.domain import FieldChange, Message, Priority, Ticket, TicketStatus
from casework.insights.business_hours import BusinessClock
from casework.insights.metrics import (
    MetricsAggregator,
    MetricsResult,
    Quantiles,
    TicketTimeline,
    compute_metrics,
    metrics_reference_markdown,
    registry,
)
from casework.insights.report import build_weekly_report, metric_rows
from casework.store.repository import upsert_tickets
from casework.store.tables import DraftRow, RoutingDecisionRow, TicketRow

DOCS = Path(__file__).parents[2] / "docs" / "metrics.md"
BERLIN = BusinessHours(timezone="Europe/Berlin", start=time(9), end=time(17))
# Monday 2026-02-23 .. Sunday 2026-03-01 is ISO week 2026-W09.
MON = datetime(2026, 2, 23, tzinfo=UTC)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """Day 0 is Monday of week 9, UTC."""
    return MON + timedelta(days=day, hours=hour, minutes=minute)


def status(when: datetime, old: str | None, new: str) -> FieldChange:
    return FieldChange(field="status", old_value=old, new_value=new, changed_at=when)


def customer(when: datetime, text: str = "Hello?") -> Message:
    return Message(author_role="customer", body=text, created_at=when)


def agent(when: datetime, public: bool = True, text: str = "Reply") -> Message:
    return Message(author_role="agent", author_external_id="a1", body=text, public=public,
                   created_at=when)  # fmt: skip


def ticket(ext: str, created: datetime, **kw: object) -> Ticket:
    return Ticket(source="test", external_id=ext, subject=ext, created_at=created,
                  queue=str(kw.pop("queue", "billing")), **kw)  # type: ignore[arg-type]  # fmt: skip


def store(ws: Workspace, *tickets: Ticket) -> None:
    with ws.session() as session:
        upsert_tickets(session, list(tickets))


def week9(ws: Workspace) -> MetricsResult:
    return compute_metrics(ws, MON, MON + timedelta(days=7))


def value(result: MetricsResult, name: str, dim: str = "all", key: str = "all") -> float | None:
    return result.groups[dim][key].summaries[name].median


# -- business hours -------------------------------------------------------------------


def test_business_hours_skip_nights_and_weekends() -> None:
    clock = BusinessClock(BusinessHours(timezone="UTC", start=time(9), end=time(17)))
    friday = datetime(2026, 2, 27, 16, 30, tzinfo=UTC)
    monday = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    assert clock.minutes(friday, monday) == 60
    assert clock.minutes(monday, monday + timedelta(days=1)) == 8 * 60  # one night skipped
    assert clock.minutes(monday, friday) == 0


def test_business_hours_follow_the_queue_time_zone_across_daylight_saving() -> None:
    clock = BusinessClock(BERLIN)
    # Berlin moves to summer time on Sunday 2026-03-29: 09:00 local is 08:00 UTC before,
    # 07:00 UTC after.
    friday = datetime(2026, 3, 27, 7, 0, tzinfo=UTC)  # 08:00 local: before opening
    assert clock.minutes(friday, datetime(2026, 3, 27, 9, 0, tzinfo=UTC)) == 60
    monday = datetime(2026, 3, 30, 7, 0, tzinfo=UTC)  # 09:00 local summer time
    assert clock.minutes(monday, monday + timedelta(hours=1)) == 60


# -- per-ticket definitions, on the store ---------------------------------------------


def test_first_reply_ignores_internal_notes_and_counts_business_minutes(
    workspace: Workspace,
) -> None:
    friday = datetime(2026, 2, 27, 15, 30, tzinfo=UTC)  # 16:30 Berlin
    monday = datetime(2026, 3, 2, 8, 30, tzinfo=UTC)  # 09:30 Berlin
    store(
        workspace,
        ticket(
            "t1",
            friday,
            messages=[customer(friday), agent(friday + timedelta(minutes=5), public=False),
                      agent(monday)],
        ),
    )  # fmt: skip
    result = week9(workspace)
    assert value(result, "first_reply_time.calendar") == (monday - friday).total_seconds() / 60
    # billing's hours in the bundled config are 08:00–20:00 Berlin, Mon–Fri:
    # Friday 16:30–20:00 (210) + Monday 08:00–09:30 (90).
    assert value(result, "first_reply_time.business") == 300


def test_an_agent_opening_message_is_not_a_reply(workspace: Workspace) -> None:
    store(
        workspace,
        ticket("t1", at(0, 9), messages=[agent(at(0, 9)), customer(at(0, 10)), agent(at(0, 11))]),
    )
    assert value(week9(workspace), "first_reply_time.calendar") == 120


def test_hold_is_requester_wait_and_pending_is_not(workspace: Workspace) -> None:
    store(
        workspace,
        ticket(
            "t1",
            at(0, 9),
            status=TicketStatus.solved,
            solved_at=at(0, 14),
            messages=[customer(at(0, 9)), agent(at(0, 10)), customer(at(0, 12)), agent(at(0, 14))],
            changes=[
                status(at(0, 9), None, "new"),
                status(at(0, 9, 30), "new", "open"),
                status(at(0, 10), "open", "pending"),  # 2 h waiting on the customer
                status(at(0, 12), "pending", "open"),
                status(at(0, 12, 30), "open", "hold"),  # 1 h waiting on a third party
                status(at(0, 13, 30), "hold", "open"),
                status(at(0, 14), "open", "solved"),
            ],
        ),
    )
    result = week9(workspace)
    # Zendesk's definition: new + open + hold = 9–10, 12–13:30 (hold 12:30–13:30), 13:30–14.
    assert value(result, "requester_wait_time.calendar") == 180
    assert value(result, "agent_wait_time.calendar") == 120
    assert value(result, "on_hold_time.calendar") == 60
    assert value(result, "agent_replies") == 2


def test_a_reopen_restarts_resolution_until_the_final_solve(workspace: Workspace) -> None:
    store(
        workspace,
        ticket(
            "t1",
            at(0, 9),
            status=TicketStatus.solved,
            solved_at=at(2, 9),
            messages=[customer(at(0, 9)), agent(at(0, 10)), customer(at(1, 9)), agent(at(2, 9))],
            changes=[
                status(at(0, 9), None, "new"),
                status(at(0, 10), "new", "solved"),
                status(at(1, 9), "solved", "open"),
                status(at(2, 9), "open", "solved"),
            ],
        ),
    )
    result = week9(workspace)
    assert value(result, "first_resolution_time.calendar") == 60
    assert value(result, "full_resolution_time.calendar") == 2 * 24 * 60
    assert value(result, "reopens") == 1
    # requester wait: new 9–10 on Monday, open Tuesday 9 to Wednesday 9.
    assert value(result, "requester_wait_time.calendar") == 60 + 24 * 60


def test_an_unsolved_ticket_has_no_resolution_and_breaches_its_sla(workspace: Workspace) -> None:
    store(
        workspace,
        ticket("late", at(1, 9), priority=Priority.urgent, messages=[customer(at(1, 9))],
               changes=[status(at(1, 9), None, "new")]),
        ticket("quick", at(1, 9), priority=Priority.urgent,
               messages=[customer(at(1, 9)), agent(at(1, 9, 10))],
               changes=[status(at(1, 9), None, "new"), status(at(1, 9, 10), "new", "open")]),
    )  # fmt: skip
    result = week9(workspace)
    overall = result.overall
    assert overall.created == 2 and overall.solved == 0
    assert "full_resolution_time.calendar" not in overall.summaries
    sla = overall.rates["sla_breach_rate"]
    assert (sla.numerator, sla.denominator) == (1, 2)
    assert result.backlog == {"billing": 2}


def test_groups_by_queue_channel_and_day(workspace: Workspace) -> None:
    store(
        workspace,
        ticket("a", at(0, 9), channel="email", messages=[customer(at(0, 9)), agent(at(0, 10))]),
        ticket("b", at(0, 9), channel="chat", queue="technical",
               messages=[customer(at(0, 9)), agent(at(0, 9, 2))]),
        ticket("c", at(3, 9), channel="email", messages=[customer(at(3, 9)), agent(at(3, 12))]),
        ticket("old", at(-7, 9), channel="email"),  # the week before: not in the figures
    )  # fmt: skip
    result = week9(workspace)
    assert result.overall.created == 3
    assert value(result, "first_reply_time.calendar", "queue", "technical") == 2
    assert value(result, "first_reply_time.calendar", "channel", "email") == 120  # of 60, 180
    assert result.groups["day"]["2026-02-23"].created == 2
    assert result.groups["week"]["2026-W09"].created == 3
    assert value(result, "first_reply_time.calendar", "intent", "(none)") == 60  # untriaged


def test_rates_from_routing_decisions_and_drafts() -> None:
    cfg = load_config_text(default_config_text(), "default.yaml")
    agg = MetricsAggregator(MON, MON + timedelta(days=7), cfg)
    base = {"created_at": at(0, 9), "status": "open"}
    agg.add(TicketTimeline(id=1, routing=[(True, "proposed"), (False, "overridden")],
                           drafts=["approved", "edited", "rejected", "proposed"], **base))  # type: ignore[arg-type]  # fmt: skip
    agg.add(TicketTimeline(id=2, routing=[(True, "accepted")], drafts=["edited"], **base))  # type: ignore[arg-type]
    rates = agg.result().overall.rates
    assert rates["escalation_rate"].rate == 0.5  # latest decisions: no, yes
    assert rates["override_rate"].rate == 0.5  # overridden / (overridden + accepted)
    assert rates["draft_acceptance_rate"].rate == 0.75  # 3 sent of 4 reviewed
    assert rates["draft_edit_rate"].rate == 2 / 3


def test_quantiles_are_exact_when_small_and_close_when_large() -> None:
    small = Quantiles()
    for v in (10, 20, 30, 40):
        small.add(v)
    assert small.quantile(0.5) == 25
    big = Quantiles(limit=100)
    for v in range(1, 10_001):
        big.add(float(v))
    assert big.values is None  # switched to the sketch
    assert big.quantile(0.5) == pytest.approx(5000, rel=0.02)
    assert big.quantile(0.9) == pytest.approx(9000, rel=0.02)


def test_every_metric_is_documented_with_its_docstring() -> None:
    docs = DOCS.read_text()
    assert metrics_reference_markdown() in docs, "regenerate docs/metrics.md (see its header)"
    for metric in registry():
        assert f"`{metric.name}`" in docs and metric.definition in docs


def test_the_bundled_config_gives_every_queue_business_hours(sqlite_workspace: Workspace) -> None:
    _, config = active_config(sqlite_workspace)
    assert config.sla and all(q.business_hours.days for q in config.queues)


# -- routing accuracy, automation that stayed resolved, queue age ---------------------


def decide(ws: Workspace, ext: str, queue: str, level: str = "draft",
           draft: str | None = None, machine: bool = True) -> None:  # fmt: skip
    """A routing decision for ticket `ext` (and a draft in state `draft`), stored as the
    pipeline stores them; decisions are numbered in the order they are made."""
    with ws.session() as session:
        tid = session.scalars(select(TicketRow.id).where(TicketRow.external_id == ext)).one()
        n = len(session.scalars(select(RoutingDecisionRow.id).where(
            RoutingDecisionRow.ticket_id == tid)).all())  # fmt: skip
        decision = RoutingDecisionRow(
            ticket_id=tid, config_version=n, model_version="test", queue=queue,
            decided_by="test", confidence=0.9, automation_level=level, created_at=MON,
        )  # fmt: skip
        session.add(decision)
        session.flush()
        if draft is not None:
            session.add(DraftRow(ticket_id=tid, routing_decision_id=decision.id, method="test",
                                 text="Answer", confidence=0.9, machine_written=machine,
                                 state=draft, created_at=MON))  # fmt: skip


def test_routing_accuracy_compares_the_first_decision_with_the_final_queue(
    workspace: Workspace,
) -> None:
    store(
        workspace,
        ticket("right-first", at(0, 9), queue="billing"),
        ticket("wrong-first", at(0, 9), queue="technical"),
        ticket("unrouted", at(0, 9), queue="billing"),
    )
    decide(workspace, "right-first", "billing")
    decide(workspace, "right-first", "technical")  # a later decision does not count
    decide(workspace, "wrong-first", "billing")
    decide(workspace, "wrong-first", "technical")  # corrected later: still a miss
    accuracy = week9(workspace).overall.rates["routing_accuracy"]
    assert (accuracy.numerator, accuracy.denominator) == (1, 2)


def solved(ext: str, solve: datetime, *changes: FieldChange) -> Ticket:
    return ticket(ext, at(0, 9), status=TicketStatus.solved, solved_at=solve,
                  messages=[customer(at(0, 9)), agent(at(0, 10))],
                  changes=[status(at(0, 9), None, "new"), *changes])  # fmt: skip


def test_automation_stayed_resolved_excludes_a_reopen_on_day_3(workspace: Workspace) -> None:
    store(
        workspace,
        solved("stayed", at(0, 10), status(at(0, 10), "new", "solved")),
        solved("reopened", at(4, 9), status(at(0, 10), "new", "solved"),
               status(at(3, 10), "solved", "open"), status(at(4, 9), "open", "solved")),
        solved("auto", at(0, 10), status(at(0, 10), "new", "solved")),
        solved("person", at(0, 10), status(at(0, 10), "new", "solved")),
        solved("rejected", at(0, 10), status(at(0, 10), "new", "solved")),
    )  # fmt: skip
    decide(workspace, "stayed", "billing", draft="approved")
    decide(workspace, "reopened", "billing", draft="edited")
    decide(workspace, "auto", "billing", level="auto", draft="proposed")  # sent automatically
    decide(workspace, "person", "billing", draft="approved", machine=False)
    decide(workspace, "rejected", "billing", draft="rejected")
    rate = week9(workspace).overall.rates["automation_stayed_resolved_rate"]
    assert (rate.numerator, rate.denominator) == (2, 3)  # stayed, auto; not reopened


def test_automation_stayed_resolved_is_undefined_without_automation(
    workspace: Workspace,
) -> None:
    store(workspace, solved("person", at(0, 10), status(at(0, 10), "new", "solved")))
    report = build_weekly_report(workspace, "2026-W09")
    assert "automation_stayed_resolved_rate" not in report.metrics.overall.rates
    row = next(r for r in metric_rows(report) if r[0] == "automation_stayed_resolved_rate")
    assert row[1] == "–"


def test_queue_age_of_tickets_open_at_the_period_end(workspace: Workspace) -> None:
    store(
        workspace,
        ticket("old", at(0, 9), changes=[status(at(0, 9), None, "new")]),
        ticket("young", at(5, 9), queue="technical",
               changes=[status(at(5, 9), None, "new"), status(at(5, 10), "new", "pending")]),
        ticket("done", at(0, 9), status=TicketStatus.solved, solved_at=at(1, 9),
               changes=[status(at(0, 9), None, "new"), status(at(1, 9), "new", "solved")]),
        ticket("later", at(8, 9)),  # created after the period: not in its queue
    )  # fmt: skip
    ages = week9(workspace).queue_age
    assert ages["billing"].n == 1 and ages["billing"].median == 7 * 24 - 9
    assert ages["technical"].median == 2 * 24 - 9
    assert ages["all"].n == 2 and ages["all"].median == ((7 * 24 - 9) + (2 * 24 - 9)) / 2
