"""Operational metrics, each defined once: the class docstring IS the definition.

Per-ticket metrics are computed from the ticket's timeline (its messages and
its status history), so they mean what a helpdesk means by them rather than
what a `solved_at - created_at` column happens to say. `docs/metrics.md` shows
`metrics_reference_markdown()`, built from these docstrings, and a test fails
when the two drift apart.

Aggregates stream tickets in id batches with their messages, status changes,
latest intent, routing decisions and drafts, one batch in memory at a time,
and keep per-group quantile sketches: exact up to `EXACT_LIMIT` values, then a
log-bucket sketch with 1% relative error whose size does not grow with the
number of tickets.

Weeks and days are UTC. Durations use the ticket's current queue's business
hours (the config's `default_queue` for tickets with no known queue).
"""

from __future__ import annotations

import inspect
import math
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from casework.config.schema import BusinessHours, SlaTarget, WorkspaceConfig
from casework.insights.business_hours import BusinessClock, CalendarClock, Clock, total_minutes
from casework.store.tables import (
    AgentRow,
    DraftRow,
    FieldChangeRow,
    MessageRow,
    QueueRow,
    RoutingDecisionRow,
    TicketRow,
    TriageResultRow,
)

if TYPE_CHECKING:
    from casework import Workspace

Cohort = Literal["created", "solved"]
Interval = tuple[datetime, datetime]

UNSOLVED = frozenset({"new", "open", "pending", "hold"})
SOLVED = frozenset({"solved", "closed"})
# The one place that says which statuses are "the requester is waiting": Zendesk's
# requester wait time counts `new`, `open` and `hold` (see insights/ticket_metrics.py).
REQUESTER_WAIT_STATUSES = frozenset({"new", "open", "hold"})
DIMENSIONS = ("all", "queue", "agent", "intent", "channel", "week", "day")
BATCH = 500
EXACT_LIMIT = 20_000
NONE_KEY = "(none)"


# -- the ticket timeline -------------------------------------------------------------


@dataclass(frozen=True)
class TimelineMessage:
    role: str
    public: bool
    at: datetime


@dataclass(frozen=True)
class StatusChange:
    at: datetime
    old: str | None
    new: str | None


@dataclass
class TicketTimeline:
    """What the metrics read of one ticket: its facts, messages and status history."""

    id: int
    created_at: datetime
    status: str
    solved_at: datetime | None = None
    priority: str | None = None
    channel: str | None = None
    queue: str | None = None
    agent: str | None = None
    intent: str | None = None
    messages: list[TimelineMessage] = field(default_factory=list)
    status_changes: list[StatusChange] = field(default_factory=list)
    routing: list[tuple[bool, str]] = field(default_factory=list)
    """(escalate, state) of each routing decision, oldest first."""
    drafts: list[str] = field(default_factory=list)
    """State of each draft."""
    routed_queues: list[str] = field(default_factory=list)
    """Proposed queue of each routing decision, oldest first."""
    machine_drafts: list[tuple[str, str]] = field(default_factory=list)
    """(state, automation level of its routing decision) of each machine-written draft."""

    def status_intervals(self, as_of: datetime) -> list[tuple[str, datetime, datetime]]:
        """(status, start, end) from creation; the current status runs until `as_of`.

        Without any status history, the ticket is taken as open until its
        `solved_at` (or in its current status until `as_of`): an approximation.
        """
        changes = sorted(self.status_changes, key=lambda c: c.at)
        if not changes:
            if self.status in SOLVED and self.solved_at is not None:
                return [("open", self.created_at, self.solved_at)]
            return [(self.status, self.created_at, max(as_of, self.created_at))]
        intervals = []
        current, since = changes[0].old or "new", self.created_at
        for change in changes:
            at = max(change.at, since)
            if at > since:
                intervals.append((current, since, at))
            current, since = change.new or current, at
        if as_of > since:
            intervals.append((current, since, as_of))
        return intervals

    def time_in(self, statuses: frozenset[str], as_of: datetime) -> list[Interval]:
        return [(s, e) for status, s, e in self.status_intervals(as_of) if status in statuses]

    def solves(self) -> list[datetime]:
        """Times the ticket entered `solved` (from history, else `solved_at`)."""
        times = [c.at for c in self.status_changes if c.new == "solved" and c.old != "solved"]
        if not times and self.solved_at is not None and self.status in SOLVED:
            times = [self.solved_at]
        return sorted(times)

    def final_solve(self) -> datetime | None:
        """The last solve, if the ticket is solved or closed now; None while unsolved."""
        solves = self.solves()
        return solves[-1] if solves and self.status in SOLVED else None

    def replies(self) -> list[TimelineMessage]:
        """Public agent messages, without an agent's opening message on a ticket it created."""
        ordered = sorted(self.messages, key=lambda m: m.at)
        if ordered and ordered[0].role == "agent":
            ordered = ordered[1:]
        return [m for m in ordered if m.role == "agent" and m.public]


# -- metric definitions --------------------------------------------------------------


@dataclass(frozen=True)
class MetricContext:
    """What a metric may need beyond the ticket: the measuring time and the config."""

    as_of: datetime
    business: Clock
    sla: dict[str, SlaTarget]


class Metric(ABC):
    name: ClassVar[str]
    kind: ClassVar[str]
    cohort: ClassVar[Cohort] = "created"

    @classmethod
    def definition(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")


class DurationMetric(Metric):
    """Base: the intervals a ticket spent in some state, in calendar and business minutes."""

    kind = "duration"

    @abstractmethod
    def intervals(self, t: TicketTimeline, ctx: MetricContext) -> list[Interval] | None:
        """None when the event the metric waits for has not happened."""


class CountMetric(Metric):
    kind = "count"

    @abstractmethod
    def count(self, t: TicketTimeline, ctx: MetricContext) -> int | None: ...


class RateMetric(Metric):
    kind = "rate"

    @abstractmethod
    def outcomes(self, t: TicketTimeline, ctx: MetricContext) -> Iterable[bool]:
        """One bool per trial: True counts in the numerator."""


class FirstReplyTime(DurationMetric):
    """Time from ticket creation to the first public agent message.

    Internal notes, customer, bot and system messages do not count, nor does an
    agent's opening message on a ticket the agent created. Empty until the
    first reply. Grouped by the week the ticket was created.
    """

    name = "first_reply_time"

    def intervals(self, t: TicketTimeline, ctx: MetricContext) -> list[Interval] | None:
        replies = t.replies()
        return [(t.created_at, replies[0].at)] if replies else None


class RequesterWaitTime(DurationMetric):
    """Cumulative time the ticket spent in `new`, `open` or `hold`: the customer waiting.

    Zendesk's definition: time in `hold` (support waiting on a third party)
    counts, the customer is still waiting; time in `pending` (waiting on the
    customer) does not. Read from the status history; measured up to the final
    solve, for tickets solved in the period.
    """

    name = "requester_wait_time"
    cohort = "solved"

    def intervals(self, t: TicketTimeline, ctx: MetricContext) -> list[Interval] | None:
        return t.time_in(REQUESTER_WAIT_STATUSES, ctx.as_of)


class AgentWaitTime(DurationMetric):
    """Cumulative time the ticket spent in `pending`: support waiting on the customer.

    Measured up to the final solve, for tickets solved in the period.
    """

    name = "agent_wait_time"
    cohort = "solved"

    def intervals(self, t: TicketTimeline, ctx: MetricContext) -> list[Interval] | None:
        return t.time_in(frozenset({"pending"}), ctx.as_of)


class OnHoldTime(DurationMetric):
    """Cumulative time the ticket spent in `hold`: waiting on a third party.

    Measured up to the final solve, for tickets solved in the period.
    """

    name = "on_hold_time"
    cohort = "solved"

    def intervals(self, t: TicketTimeline, ctx: MetricContext) -> list[Interval] | None:
        return t.time_in(frozenset({"hold"}), ctx.as_of)


class FirstResolutionTime(DurationMetric):
    """Time from ticket creation to its first solve, for tickets solved in the period."""

    name = "first_resolution_time"
    cohort = "solved"

    def intervals(self, t: TicketTimeline, ctx: MetricContext) -> list[Interval] | None:
        solves = t.solves()
        return [(t.created_at, solves[0])] if solves and t.final_solve() else None


class FullResolutionTime(DurationMetric):
    """Time from ticket creation to its final solve: a reopen restarts the wait for it.

    Empty while the ticket is unsolved; grouped by the week of the final solve.
    """

    name = "full_resolution_time"
    cohort = "solved"

    def intervals(self, t: TicketTimeline, ctx: MetricContext) -> list[Interval] | None:
        solved = t.final_solve()
        return [(t.created_at, solved)] if solved else None


class Reopens(CountMetric):
    """Number of times a solved ticket returned to an unsolved status, for tickets solved in
    the period."""

    name = "reopens"
    cohort = "solved"

    def count(self, t: TicketTimeline, ctx: MetricContext) -> int | None:
        return sum(1 for c in t.status_changes if c.old == "solved" and c.new in UNSOLVED)


class AgentReplies(CountMetric):
    """Public agent messages on a ticket (the back-and-forth), for tickets solved in the period.

    Counted like first reply time: no internal notes, no agent's opening message.
    """

    name = "agent_replies"
    cohort = "solved"

    def count(self, t: TicketTimeline, ctx: MetricContext) -> int | None:
        return len(t.replies())


class EscalationRate(RateMetric):
    """Share of routed tickets whose latest routing decision escalates to a person."""

    name = "escalation_rate"

    def outcomes(self, t: TicketTimeline, ctx: MetricContext) -> Iterable[bool]:
        return [t.routing[-1][0]] if t.routing else []


class OverrideRate(RateMetric):
    """Routing decisions a person overrode, out of those a person reviewed (accepted or
    overridden)."""

    name = "override_rate"

    def outcomes(self, t: TicketTimeline, ctx: MetricContext) -> Iterable[bool]:
        return [state == "overridden" for _, state in t.routing if state != "proposed"]


class DraftAcceptanceRate(RateMetric):
    """Reviewed drafts that were sent (approved as is or edited), out of all reviewed drafts
    (approved, edited or rejected)."""

    name = "draft_acceptance_rate"

    def outcomes(self, t: TicketTimeline, ctx: MetricContext) -> Iterable[bool]:
        return [s in ("approved", "edited") for s in t.drafts if s != "proposed"]


class DraftEditRate(RateMetric):
    """Sent drafts that a person edited first, out of all sent drafts (approved or edited)."""

    name = "draft_edit_rate"

    def outcomes(self, t: TicketTimeline, ctx: MetricContext) -> Iterable[bool]:
        return [s == "edited" for s in t.drafts if s in ("approved", "edited")]


class SlaBreachRate(RateMetric):
    """Tickets whose first reply took longer than their priority's `first_reply_minutes`
    target, in business minutes, out of tickets whose priority has a target.

    A ticket still unanswered counts as breached once the business minutes from
    its creation to the end of the period exceed the target.
    """

    name = "sla_breach_rate"

    def outcomes(self, t: TicketTimeline, ctx: MetricContext) -> Iterable[bool]:
        target = ctx.sla.get(t.priority or "")
        if target is None:
            return []
        replies = t.replies()
        end = replies[0].at if replies else ctx.as_of
        return [ctx.business.minutes(t.created_at, end) > target.first_reply_minutes]


class RoutingAccuracy(RateMetric):
    """Tickets whose first proposed routing decision (the oldest) named the queue the
    ticket ended up in, out of tickets with a routing decision and a known current queue.

    Later decisions and overrides do not count: this measures the first guess.
    """

    name = "routing_accuracy"

    def outcomes(self, t: TicketTimeline, ctx: MetricContext) -> Iterable[bool]:
        if not t.routed_queues or t.queue is None:
            return []
        return [t.routed_queues[0] == t.queue]


REOPEN_WINDOW = timedelta(days=7)


class AutomationStayedResolved(RateMetric):
    """Tickets resolved by automation that were not reopened within 7 days of a solve, out
    of tickets resolved by automation and solved in the period.

    Resolved by automation: the ticket has a machine-written draft that was sent
    (approved or edited) or whose routing decision's automation level is `auto`.
    A reopen is a status change from `solved` to an unsolved status; reopens
    recorded so far count, so a recent solve may still lose its place. Undefined
    (shown as –) when no ticket was resolved by automation.
    """

    name = "automation_stayed_resolved_rate"
    cohort = "solved"

    def outcomes(self, t: TicketTimeline, ctx: MetricContext) -> Iterable[bool]:
        automated = any(
            state in ("approved", "edited") or level == "auto" for state, level in t.machine_drafts
        )
        if not automated or t.final_solve() is None:
            return []
        solves = t.solves()
        reopened = any(
            c.old == "solved"
            and c.new in UNSOLVED
            and any(s <= c.at <= s + REOPEN_WINDOW for s in solves)
            for c in t.status_changes
        )
        return [not reopened]


def _status_at(at: datetime) -> Any:
    """SQL: a ticket's status at `at` from its history (its current status without history)."""
    last_status = (
        select(FieldChangeRow.new_value)
        .where(
            FieldChangeRow.ticket_id == TicketRow.id,
            FieldChangeRow.field == "status",
            FieldChangeRow.changed_at < at,
        )
        .order_by(FieldChangeRow.changed_at.desc(), FieldChangeRow.id.desc())
        .limit(1)
        .correlate(TicketRow)
        .scalar_subquery()
    )
    first_old = (
        select(FieldChangeRow.old_value)
        .where(FieldChangeRow.ticket_id == TicketRow.id, FieldChangeRow.field == "status")
        .order_by(FieldChangeRow.changed_at, FieldChangeRow.id)
        .limit(1)
        .correlate(TicketRow)
        .scalar_subquery()
    )
    has_history = (
        select(func.count(FieldChangeRow.id))
        .where(FieldChangeRow.ticket_id == TicketRow.id, FieldChangeRow.field == "status")
        .correlate(TicketRow)
        .scalar_subquery()
    )
    return case(
        (has_history == 0, TicketRow.status),
        else_=func.coalesce(last_status, first_old, "new"),
    )


def backlog(session: Session, at: datetime) -> dict[str, int]:
    """Tickets created before the moment whose status at that moment was unsolved
    (new, open, pending or hold), per queue, from the status history.

    A ticket with no status history counts by its current status.
    """
    inner = (
        select(QueueRow.key.label("queue"), _status_at(at).label("status"))
        .select_from(TicketRow)
        .outerjoin(QueueRow, QueueRow.id == TicketRow.queue_id)
        .where(TicketRow.created_at < at)
        .subquery()
    )
    rows = session.execute(
        select(inner.c.queue, func.count())
        .where(inner.c.status.in_(sorted(UNSOLVED)))
        .group_by(inner.c.queue)
    )
    return {queue or NONE_KEY: count for queue, count in rows}


class QueueAge:
    """Age in hours (since creation) of the tickets open at the end of the period, i.e.
    created before it and unsolved (new, open, pending or hold) at that moment by the
    status history; median and 90th percentile per queue and overall.
    """

    name = "queue_age"
    kind = "age"

    @classmethod
    def definition(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")

    @staticmethod
    def ages(session: Session, at: datetime, batch: int = 5 * BATCH) -> Iterator[tuple[str, float]]:
        """(queue, age in hours) of each ticket open at `at`, streamed in id batches."""
        inner = (
            select(
                TicketRow.id.label("id"),
                QueueRow.key.label("queue"),
                TicketRow.created_at.label("created_at"),
                _status_at(at).label("status"),
            )
            .select_from(TicketRow)
            .outerjoin(QueueRow, QueueRow.id == TicketRow.queue_id)
            .where(TicketRow.created_at < at)
            .subquery()
        )
        last_id = 0
        while True:
            rows = session.execute(
                select(inner.c.id, inner.c.queue, inner.c.created_at)
                .where(inner.c.status.in_(sorted(UNSOLVED)), inner.c.id > last_id)
                .order_by(inner.c.id)
                .limit(batch)
            ).all()
            if not rows:
                return
            last_id = rows[-1][0]
            for _, queue, created in rows:
                yield queue or NONE_KEY, (at - created).total_seconds() / 3600

    @classmethod
    def summarise(cls, session: Session, at: datetime) -> dict[str, Summary]:
        """Per queue, plus `all`: the median and p90 age of the tickets open at `at`."""
        sketches: dict[str, Quantiles] = {}
        for queue, hours in cls.ages(session, at):
            for key in ("all", queue):
                sketches.setdefault(key, Quantiles()).add(hours)
        return {
            key: Summary(q.n, q.quantile(0.5), q.quantile(0.9))
            for key, q in sorted(sketches.items())
        }


TICKET_METRICS: tuple[Metric, ...] = (
    FirstReplyTime(),
    RequesterWaitTime(),
    AgentWaitTime(),
    OnHoldTime(),
    FirstResolutionTime(),
    FullResolutionTime(),
    Reopens(),
    AgentReplies(),
    EscalationRate(),
    OverrideRate(),
    DraftAcceptanceRate(),
    DraftEditRate(),
    SlaBreachRate(),
    RoutingAccuracy(),
    AutomationStayedResolved(),
)


@dataclass(frozen=True)
class MetricDoc:
    name: str
    kind: str
    definition: str


def registry() -> list[MetricDoc]:
    """Every metric casework reports, with its definition: what the docs show."""
    docs = [MetricDoc(m.name, m.kind, m.definition()) for m in TICKET_METRICS]
    docs.append(MetricDoc("backlog", "level", inspect.cleandoc(backlog.__doc__ or "")))
    docs.append(MetricDoc(QueueAge.name, QueueAge.kind, QueueAge.definition()))
    return docs


def metrics_reference_markdown() -> str:
    """The metric reference section of docs/metrics.md, generated from the docstrings."""
    units = {
        "duration": "minutes, calendar and business; median and 90th percentile",
        "count": "per ticket; median and 90th percentile",
        "rate": "numerator / denominator",
        "level": "count at the end of the period",
        "age": "hours at the end of the period; median and 90th percentile",
    }
    parts = []
    for doc in registry():
        parts.append(f"### `{doc.name}`\n\n*{units[doc.kind]}*\n\n{doc.definition}\n")
    return "\n".join(parts)


# -- aggregation ---------------------------------------------------------------------


class Quantiles:
    """Median and percentiles in bounded memory.

    Exact (linear interpolation between order statistics) up to `limit` values;
    beyond that a log-bucket sketch (DDSketch-style) within `accuracy` relative error.
    """

    def __init__(self, limit: int = EXACT_LIMIT, accuracy: float = 0.01) -> None:
        self.limit = limit
        self.gamma = (1 + accuracy) / (1 - accuracy)
        self.values: list[float] | None = []
        self.buckets: Counter[int] = Counter()
        self.zeros = 0
        self.n = 0

    def add(self, value: float) -> None:
        self.n += 1
        if self.values is not None:
            self.values.append(value)
            if len(self.values) > self.limit:
                values, self.values = self.values, None
                for v in values:
                    self._bucket(v)
        else:
            self._bucket(value)

    def _bucket(self, value: float) -> None:
        if value <= 0:
            self.zeros += 1
        else:
            self.buckets[math.ceil(math.log(value, self.gamma))] += 1

    def quantile(self, q: float) -> float | None:
        if self.n == 0:
            return None
        if self.values is not None:
            ordered = sorted(self.values)
            pos = q * (len(ordered) - 1)
            low = math.floor(pos)
            high = min(low + 1, len(ordered) - 1)
            return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)
        rank = q * (self.n - 1)
        seen = self.zeros
        if rank < seen:
            return 0.0
        for index in sorted(self.buckets):
            seen += self.buckets[index]
            if rank < seen:
                return 2 * self.gamma**index / (self.gamma + 1)
        return 2 * self.gamma ** max(self.buckets) / (self.gamma + 1)


@dataclass
class Summary:
    n: int
    median: float | None
    p90: float | None

    def to_dict(self) -> dict[str, Any]:
        return {"n": self.n, "median": self.median, "p90": self.p90}


@dataclass
class Rate:
    numerator: int = 0
    denominator: int = 0

    @property
    def rate(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None

    def to_dict(self) -> dict[str, Any]:
        return {"numerator": self.numerator, "denominator": self.denominator, "rate": self.rate}


@dataclass
class GroupAccumulator:
    created: int = 0
    solved: int = 0
    sketches: dict[str, Quantiles] = field(default_factory=dict)
    rates: dict[str, Rate] = field(default_factory=dict)

    def add(self, key: str, value: float) -> None:
        self.sketches.setdefault(key, Quantiles()).add(value)

    def rate(self, key: str) -> Rate:
        return self.rates.setdefault(key, Rate())


@dataclass
class GroupMetrics:
    """One group's figures: volumes, quantile summaries (`metric` or `metric.clock`), rates."""

    created: int
    solved: int
    summaries: dict[str, Summary]
    rates: dict[str, Rate]

    def to_dict(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "solved": self.solved,
            "summaries": {k: v.to_dict() for k, v in self.summaries.items()},
            "rates": {k: v.to_dict() for k, v in self.rates.items()},
        }


@dataclass
class MetricsResult:
    start: datetime
    end: datetime
    as_of: datetime
    groups: dict[str, dict[str, GroupMetrics]]
    """dimension → group key → figures; dimension `all` has the single key `all`."""
    backlog: dict[str, int]
    queue_age: dict[str, Summary] = field(default_factory=dict)
    """Queue → age of the tickets open at `end`; key `all` for every queue."""

    @property
    def overall(self) -> GroupMetrics:
        return self.groups["all"].get("all") or GroupMetrics(0, 0, {}, {})

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "as_of": self.as_of.isoformat(),
            "backlog": self.backlog,
            "queue_age": {k: v.to_dict() for k, v in self.queue_age.items()},
            "groups": {
                dim: {key: g.to_dict() for key, g in groups.items()}
                for dim, groups in self.groups.items()
            },
        }


@dataclass(frozen=True)
class Measurement:
    """One metric value of one ticket: minutes, a count, or a rate trial (1.0 or 0.0)."""

    key: str
    kind: str
    value: float


def _keys(t: TicketTimeline, dims: Sequence[str], moment: datetime) -> list[tuple[str, str]]:
    values = {
        "all": "all",
        "queue": t.queue,
        "agent": t.agent,
        "intent": t.intent,
        "channel": t.channel,
        "week": "{}-W{:02d}".format(*moment.isocalendar()[:2]),
        "day": moment.date().isoformat(),
    }
    return [(dim, values[dim] or NONE_KEY) for dim in dims]


class MetricsAggregator:
    """Feeds ticket timelines into per-group sketches; one ticket at a time."""

    def __init__(
        self,
        start: datetime,
        end: datetime,
        config: WorkspaceConfig,
        as_of: datetime | None = None,
        dims: Sequence[str] = DIMENSIONS,
    ) -> None:
        unknown = set(dims) - set(DIMENSIONS)
        if unknown:
            raise ValueError(f"unknown dimensions {sorted(unknown)}; expected {DIMENSIONS}")
        self.start, self.end = start, end
        self.as_of = min(as_of or end, end)
        self.dims = tuple(dict.fromkeys(("all", *dims)))
        self.sla = {str(k): v for k, v in config.sla.items()}
        hours = {q.key: q.business_hours for q in config.queues}
        self.default_hours = hours.get(config.default_queue, BusinessHours())
        self.clocks: dict[str, Clock] = {k: BusinessClock(v) for k, v in hours.items()}
        self.calendar = CalendarClock()
        self.acc: dict[tuple[str, str], GroupAccumulator] = {}

    def _business(self, queue: str | None) -> Clock:
        clock = self.clocks.get(queue or "")
        if clock is None:
            clock = self.clocks.setdefault(queue or "", BusinessClock(self.default_hours))
        return clock

    def _groups(self, t: TicketTimeline, moment: datetime) -> list[GroupAccumulator]:
        return [self.acc.setdefault(key, GroupAccumulator()) for key in _keys(t, self.dims, moment)]

    def add(self, t: TicketTimeline) -> None:
        for cohort, moment, values in self.measurements(t):
            groups = self._groups(t, moment)
            for g in groups:
                if cohort == "created":
                    g.created += 1
                else:
                    g.solved += 1
            for value in values:
                for g in groups:
                    if value.kind == "rate":
                        rate = g.rate(value.key)
                        rate.denominator += 1
                        rate.numerator += int(value.value)
                    else:
                        g.add(value.key, value.value)

    def measurements(
        self, t: TicketTimeline
    ) -> Iterator[tuple[Cohort, datetime, list[Measurement]]]:
        """Per cohort the ticket falls in this period: its moment and every metric value.

        The one place per-ticket values are computed, shared by the weekly figures
        and `compare`'s bootstrap.
        """
        solved = t.final_solve()
        business = self._business(t.queue)
        cohorts: list[tuple[Cohort, datetime | None]] = [
            ("created", t.created_at),
            ("solved", solved),
        ]
        for cohort, moment in cohorts:
            if moment is None or not self.start <= moment < self.end:
                continue
            as_of = solved if cohort == "solved" and solved else self.as_of
            ctx = MetricContext(as_of=as_of, business=business, sla=self.sla)
            values = [
                value
                for metric in TICKET_METRICS
                if metric.cohort == cohort
                for value in self._measure(metric, t, ctx)
            ]
            yield cohort, moment, values

    def _measure(self, metric: Metric, t: TicketTimeline, ctx: MetricContext) -> list[Measurement]:
        if isinstance(metric, DurationMetric):
            intervals = metric.intervals(t, ctx)
            if intervals is None:
                return []
            return [
                Measurement(
                    f"{metric.name}.{clock.name}", metric.kind, total_minutes(clock, intervals)
                )
                for clock in (self.calendar, ctx.business)
            ]
        if isinstance(metric, CountMetric):
            count = metric.count(t, ctx)
            return [] if count is None else [Measurement(metric.name, metric.kind, count)]
        if isinstance(metric, RateMetric):
            return [
                Measurement(metric.name, metric.kind, float(o)) for o in metric.outcomes(t, ctx)
            ]
        return []

    def result(
        self,
        backlog_by_queue: dict[str, int] | None = None,
        queue_age: dict[str, Summary] | None = None,
    ) -> MetricsResult:
        groups: dict[str, dict[str, GroupMetrics]] = {dim: {} for dim in self.dims}
        for (dim, key), acc in sorted(self.acc.items()):
            groups[dim][key] = GroupMetrics(
                created=acc.created,
                solved=acc.solved,
                summaries={
                    name: Summary(q.n, q.quantile(0.5), q.quantile(0.9))
                    for name, q in sorted(acc.sketches.items())
                },
                rates=dict(sorted(acc.rates.items())),
            )
        return MetricsResult(
            self.start, self.end, self.as_of, groups, backlog_by_queue or {}, queue_age or {}
        )


# -- streaming from the store ----------------------------------------------------------


def iter_timelines(
    session: Session, start: datetime, end: datetime, batch: int = BATCH
) -> Iterator[TicketTimeline]:
    """Tickets created or solved in [start, end), in id order, `batch` at a time."""
    in_period = or_(
        and_(TicketRow.created_at >= start, TicketRow.created_at < end),
        and_(TicketRow.solved_at >= start, TicketRow.solved_at < end),
    )
    last_id = 0
    while True:
        rows = session.execute(
            select(
                TicketRow.id,
                TicketRow.created_at,
                TicketRow.status,
                TicketRow.solved_at,
                TicketRow.priority,
                TicketRow.channel,
                QueueRow.key,
                AgentRow.name,
            )
            .outerjoin(QueueRow, QueueRow.id == TicketRow.queue_id)
            .outerjoin(AgentRow, AgentRow.id == TicketRow.assignee_id)
            .where(TicketRow.id > last_id, in_period)
            .order_by(TicketRow.id)
            .limit(batch)
        ).all()
        if not rows:
            return
        last_id = rows[-1][0]
        timelines = {
            r[0]: TicketTimeline(
                id=r[0],
                created_at=r[1],
                status=r[2],
                solved_at=r[3],
                priority=r[4],
                channel=r[5],
                queue=r[6],
                agent=r[7],
            )
            for r in rows
        }
        _attach(session, timelines)
        yield from timelines.values()


def _attach(session: Session, timelines: dict[int, TicketTimeline]) -> None:
    ids = list(timelines)
    for tid, role, public, at in session.execute(
        select(
            MessageRow.ticket_id, MessageRow.author_role, MessageRow.public, MessageRow.created_at
        )
        .where(MessageRow.ticket_id.in_(ids))
        .order_by(MessageRow.ticket_id, MessageRow.position)
    ):
        timelines[tid].messages.append(TimelineMessage(role, bool(public), at))
    for tid, at, old, new in session.execute(
        select(
            FieldChangeRow.ticket_id,
            FieldChangeRow.changed_at,
            FieldChangeRow.old_value,
            FieldChangeRow.new_value,
        )
        .where(FieldChangeRow.ticket_id.in_(ids), FieldChangeRow.field == "status")
        .order_by(FieldChangeRow.ticket_id, FieldChangeRow.changed_at, FieldChangeRow.id)
    ):
        timelines[tid].status_changes.append(StatusChange(at, old, new))
    for tid, intent in session.execute(
        select(TriageResultRow.ticket_id, TriageResultRow.intent)
        .where(TriageResultRow.ticket_id.in_(ids))
        .order_by(TriageResultRow.ticket_id, TriageResultRow.id)
    ):
        timelines[tid].intent = intent  # the newest triage wins
    for tid, escalate, state, queue in session.execute(
        select(
            RoutingDecisionRow.ticket_id,
            RoutingDecisionRow.escalate,
            RoutingDecisionRow.state,
            RoutingDecisionRow.queue,
        )
        .where(RoutingDecisionRow.ticket_id.in_(ids))
        .order_by(RoutingDecisionRow.ticket_id, RoutingDecisionRow.id)
    ):
        timelines[tid].routing.append((bool(escalate), state))
        timelines[tid].routed_queues.append(queue)
    for tid, state, machine, level in session.execute(
        select(
            DraftRow.ticket_id,
            DraftRow.state,
            DraftRow.machine_written,
            RoutingDecisionRow.automation_level,
        )
        .outerjoin(RoutingDecisionRow, RoutingDecisionRow.id == DraftRow.routing_decision_id)
        .where(DraftRow.ticket_id.in_(ids))
        .order_by(DraftRow.ticket_id, DraftRow.id)
    ):
        timelines[tid].drafts.append(state)
        if machine:
            timelines[tid].machine_drafts.append((state, level or ""))


def compute_metrics(
    ws: Workspace,
    start: datetime,
    end: datetime,
    dims: Sequence[str] = DIMENSIONS,
    as_of: datetime | None = None,
    config: WorkspaceConfig | None = None,
) -> MetricsResult:
    """All metrics for [start, end), grouped by `dims`, streamed from the store."""
    if config is None:
        from casework.config.versions import active_config

        config = active_config(ws)[1]
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    aggregator = MetricsAggregator(start, end, config, as_of=as_of, dims=dims)
    with ws.session() as session:
        for timeline in iter_timelines(session, start, end):
            aggregator.add(timeline)
        level = backlog(session, end)
        ages = QueueAge.summarise(session, end)
    return aggregator.result(level, ages)
