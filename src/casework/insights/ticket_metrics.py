"""Per-ticket metrics with Zendesk's names and definitions (the Ticket Metrics API).

Each ticket gets `reply_time_in_minutes`, `first_resolution_time_in_minutes`,
`full_resolution_time_in_minutes`, `agent_wait_time_in_minutes`,
`requester_wait_time_in_minutes` and `on_hold_time_in_minutes`, each as
`{calendar, business}` whole minutes, plus `reopens` and `replies`. The
definitions are the docstrings of the `ZENDESK_METRICS` entries; docs/metrics.md
shows them. Sources followed (Zendesk help centre): "About native Support time
duration metrics" (article 4408834848154), "Calculating first reply time"
(4408821871642) and "How does Zendesk record its business hour metrics?"
(5654110765338).

Rules taken from them, applied to every metric:

- A value is null until the events it spans have happened.
- **Solve events.** A change of status to `solved`, or to `closed` straight from
  an unsolved status ("if the unsolved ticket is set to closed by a business
  rule or API, this event is considered as the second timestamp"). `solved` →
  `closed` is not a new solve.
- **Which schedule.** Single-event metrics (reply time, first and full
  resolution) use the schedule in force at the moment of their second event for
  the whole span; status-time metrics (requester wait, agent wait, on-hold) are
  running totals recorded at each status change, each status interval measured
  with the schedule in force when it ended. A ticket's schedule comes from
  `ticket_schedules` (the latest assignment at or before the moment; the first
  one before any), else from its queue's `schedule`/`business_hours` in the
  config (the `default_queue`'s for a ticket without a queue).
- **Whole minutes.** The API reports integers; we keep exact seconds while
  adding intervals and truncate the total to whole minutes (a reply two seconds
  after creation is 0 minutes). Zendesk does not document its rounding; this
  is our choice and the one place to change it is `_minutes`.

A ticket whose status history was reconstructed (none stored, or rows flagged
`approximate` by the importer) is computed the same way but flagged
`approximate`: its wait times assume it was open from creation to its solve.

Computation is batched: per batch of tickets, Python walks each ticket's
history once to list (metric, start, end, schedule) spans, then numpy measures
all spans of a schedule at once (`CompiledSchedule`).
"""

from __future__ import annotations

import hashlib
import inspect
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import numpy as np
from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from casework.config.schema import WorkspaceConfig
from casework.insights.business_hours import CompiledSchedule
from casework.insights.schedules import (
    Schedule,
    config_schedules,
    load_schedules,
    schedules_version,
)
from casework.store.tables import (
    AgentRow,
    FieldChangeRow,
    MessageRow,
    QueueRow,
    TicketRow,
    TicketScheduleRow,
)

if TYPE_CHECKING:
    from casework import Workspace

UNSOLVED = frozenset({"new", "open", "pending", "hold"})
SOLVED = frozenset({"solved", "closed"})
REQUESTER_WAIT = frozenset({"new", "open", "hold"})
AGENT_WAIT = frozenset({"pending"})
ON_HOLD = frozenset({"hold"})
BATCH = 5000
# Bump when a definition below changes: stored metrics of an older version are stale.
DEFINITIONS_VERSION = "1"


@dataclass(frozen=True)
class ZendeskMetric:
    name: str
    column: str
    doc: str

    @property
    def definition(self) -> str:
        return inspect.cleandoc(self.doc)


DURATIONS: tuple[ZendeskMetric, ...] = (
    ZendeskMetric(
        "reply_time_in_minutes",
        "reply_time",
        """From the ticket's creation to the first public comment by an agent.

        Internal notes never count; customer, bot and system comments never
        count. When an agent opened the ticket with a comment, that comment is not
        a reply: the clock stops at the next public agent comment. Business
        minutes use the schedule in force at the reply. Null until the reply.
        """,
    ),
    ZendeskMetric(
        "first_resolution_time_in_minutes",
        "first_resolution_time",
        """From the ticket's creation to its first solve.

        A solve is a change of status to `solved`, or to `closed` straight from an
        unsolved status; `solved` → `closed` is not another solve. Business
        minutes use the schedule in force at that solve. Null until solved.
        """,
    ),
    ZendeskMetric(
        "full_resolution_time_in_minutes",
        "full_resolution_time",
        """From the ticket's creation to its latest solve.

        Equal to the first resolution time until a reopened ticket is solved
        again; a ticket reopened and not yet solved again keeps the value of its
        latest solve, as Zendesk records it then. Business minutes use the
        schedule in force at the latest solve. Null until solved.
        """,
    ),
    ZendeskMetric(
        "agent_wait_time_in_minutes",
        "agent_wait_time",
        """Time the ticket spent in `pending`: support waiting on the requester.

        A running total recorded at each status change: every finished stretch in
        `pending` counts, each measured in business minutes with the schedule in
        force when it ended; the stretch still running does not. Null until the
        ticket's first solve.
        """,
    ),
    ZendeskMetric(
        "requester_wait_time_in_minutes",
        "requester_wait_time",
        """Time the ticket spent in `new`, `open` and `hold`: the requester waiting.

        Time in `pending` (waiting on the requester) and after a solve does not
        count. Recorded like agent wait time: finished stretches only, each with
        the schedule in force when it ended; null until the first solve.
        """,
    ),
    ZendeskMetric(
        "on_hold_time_in_minutes",
        "on_hold_time",
        """Time the ticket spent in `hold`: waiting on a third party.

        Part of requester wait time too. Recorded like agent wait time: finished
        stretches only, each with the schedule in force when it ended; null until
        the first solve.
        """,
    ),
)
COUNTS: tuple[ZendeskMetric, ...] = (
    ZendeskMetric(
        "reopens",
        "reopens",
        """How many times the ticket went from `solved` back to an unsolved status
        (`new`, `open`, `pending`, `hold`). Zero for a ticket never reopened.""",
    ),
    ZendeskMetric(
        "replies",
        "replies",
        """Public agent comments on the ticket, counted like the reply in reply
        time: no internal notes, and not the agent's opening comment on a ticket
        the agent created.""",
    ),
)
SLOTS = {m.column: i for i, m in enumerate(DURATIONS)}


@dataclass
class TicketFacts:
    """What the Zendesk metrics read of one ticket, times as epoch seconds (UTC)."""

    id: int
    source: str
    external_id: str
    created_at: float
    status: str
    solved_at: float | None = None
    queue: str | None = None
    agent: str | None = None
    changes: list[tuple[float, str | None, str | None, bool]] = field(default_factory=list)
    """(at, old, new, approximate) status changes, oldest first."""
    messages: list[tuple[str, bool, float]] = field(default_factory=list)
    """(role, public, at), in conversation order."""
    schedules: list[tuple[float, str]] = field(default_factory=list)
    """(from, schedule key) assignments, oldest first."""


@dataclass
class TicketMetrics:
    """One ticket's values: durations in whole minutes, None where not yet happened."""

    ticket_id: int
    source: str
    external_id: str
    queue: str | None
    agent: str | None
    created_at: datetime
    solved_at: datetime | None
    approximate: bool
    reopens: int
    replies: int
    calendar: dict[str, int | None]
    business: dict[str, int | None]

    def to_dict(self) -> dict[str, Any]:
        """The Ticket Metrics API's shape, keyed by the source's ticket id."""
        out: dict[str, Any] = {"source": self.source, "ticket_id": self.external_id}
        for metric in DURATIONS:
            out[metric.name] = {
                "calendar": self.calendar[metric.column],
                "business": self.business[metric.column],
            }
        out["reopens"] = self.reopens
        out["replies"] = self.replies
        out["approximate"] = self.approximate
        return out

    def flat(self) -> dict[str, Any]:
        """One CSV row: `reply_time_in_minutes_calendar`, … columns."""
        out: dict[str, Any] = {"source": self.source, "ticket_id": self.external_id}
        for metric in DURATIONS:
            out[f"{metric.name}_calendar"] = self.calendar[metric.column]
            out[f"{metric.name}_business"] = self.business[metric.column]
        out.update(reopens=self.reopens, replies=self.replies, approximate=self.approximate)
        return out


CSV_COLUMNS = [
    "source",
    "ticket_id",
    *(f"{m.name}_{clock}" for m in DURATIONS for clock in ("calendar", "business")),
    "reopens",
    "replies",
    "approximate",
]


def _minutes(seconds: float) -> int:
    """Whole minutes, truncated (see the module docstring)."""
    return int(math.floor(max(seconds, 0.0) / 60 + 1e-9))


class ScheduleBook:
    """Every schedule a ticket may follow, compiled once, and the default per queue."""

    def __init__(self, config: WorkspaceConfig, stored: dict[int, Schedule]) -> None:
        _, by_queue = config_schedules(config)
        self.schedules: dict[str, Schedule] = {f"store:{k}": s for k, s in stored.items()}
        for queue, schedule in by_queue.items():
            self.schedules[f"queue:{queue}"] = schedule
        self.queue_keys = {q: f"queue:{q}" for q in by_queue}
        self.default_key = self.queue_keys.get(config.default_queue) or next(
            iter(self.queue_keys.values())
        )
        self.version = hashlib.sha256(
            (
                DEFINITIONS_VERSION
                + schedules_version(self.schedules.values())
                + repr(sorted(self.queue_keys.items()))
                + self.default_key
            ).encode()
        ).hexdigest()[:16]
        self._compiled: dict[str, CompiledSchedule] = {}

    def compiled(self, key: str, instants: np.ndarray[Any, Any]) -> CompiledSchedule:
        """The compiled schedule, first built over the years of `instants` (± 1)."""
        found = self._compiled.get(key)
        if found is None:
            low = datetime.fromtimestamp(float(instants.min()), UTC).year - 1
            high = datetime.fromtimestamp(float(instants.max()), UTC).year + 1
            found = self._compiled[key] = CompiledSchedule(self.schedules[key], low, high)
        return found

    def queue_default(self, queue: str | None) -> str:
        return self.queue_keys.get(queue or "", self.default_key)


def _schedule_at(facts: TicketFacts, default: str, at: float) -> str:
    if not facts.schedules:
        return default
    chosen = facts.schedules[0][1]
    for start, key in facts.schedules:
        if start <= at:
            chosen = key
        else:
            break
    return chosen


def compute_batch(facts: Sequence[TicketFacts], book: ScheduleBook) -> list[TicketMetrics]:
    """Every Zendesk metric of every ticket in `facts`."""
    n = len(facts)
    has = np.zeros((n, len(DURATIONS)), dtype=bool)
    idx: list[int] = []
    slot: list[int] = []
    starts: list[float] = []
    ends: list[float] = []
    keys: list[str] = []
    counts: list[tuple[int, int, bool, float | None]] = []

    def span(i: int, s: int, start: float, end: float, key: str) -> None:
        idx.append(i)
        slot.append(s)
        starts.append(start)
        ends.append(end)
        keys.append(key)

    for i, t in enumerate(facts):
        default = book.queue_default(t.queue)
        # -- first reply and replies
        ordered = t.messages
        if ordered and ordered[0][0] == "agent":
            ordered = ordered[1:]
        replies = [at for role, public, at in ordered if role == "agent" and public]
        if replies:
            has[i, SLOTS["reply_time"]] = True
            key = _schedule_at(t, default, replies[0])
            span(i, SLOTS["reply_time"], t.created_at, replies[0], key)
        # -- status walk
        approximate = not t.changes or any(c[3] for c in t.changes)
        solves: list[float] = []
        reopens = 0
        if t.changes:
            current, since = t.changes[0][1] or "new", t.created_at
            finished: list[tuple[str, float, float]] = []
            for at, _old, new, _ in t.changes:
                at = max(at, since)
                new = new or current
                finished.append((current, since, at))
                if (new == "solved" and current != "solved") or (
                    new == "closed" and current not in SOLVED
                ):
                    solves.append(at)
                if current == "solved" and new in UNSOLVED:
                    reopens += 1
                current, since = new, at
        elif t.status in SOLVED and t.solved_at is not None:
            finished = [("open", t.created_at, t.solved_at)]
            solves = [t.solved_at]
        else:
            finished = []
        if solves:
            for column in ("first_resolution_time", "full_resolution_time"):
                at = solves[0] if column == "first_resolution_time" else solves[-1]
                has[i, SLOTS[column]] = True
                span(i, SLOTS[column], t.created_at, at, _schedule_at(t, default, at))
            for column in ("agent_wait_time", "requester_wait_time", "on_hold_time"):
                has[i, SLOTS[column]] = True
            for status, start, end in finished:
                if end <= start:
                    continue
                key = _schedule_at(t, default, end)
                if status in AGENT_WAIT:
                    span(i, SLOTS["agent_wait_time"], start, end, key)
                if status in REQUESTER_WAIT:
                    span(i, SLOTS["requester_wait_time"], start, end, key)
                if status in ON_HOLD:
                    span(i, SLOTS["on_hold_time"], start, end, key)
        counts.append((reopens, len(replies), approximate, solves[-1] if solves else None))

    calendar = np.zeros((n, len(DURATIONS)))
    business = np.zeros((n, len(DURATIONS)))
    if idx:
        rows = np.asarray(idx)
        cols = np.asarray(slot)
        start_arr = np.asarray(starts, dtype=np.float64)
        end_arr = np.asarray(ends, dtype=np.float64)
        np.add.at(calendar, (rows, cols), np.maximum(end_arr - start_arr, 0.0))
        key_arr = np.asarray(keys)
        for key in set(keys):
            mask = key_arr == key
            seconds = book.compiled(key, start_arr[mask]).seconds(start_arr[mask], end_arr[mask])
            np.add.at(business, (rows[mask], cols[mask]), seconds)
    out = []
    cal_min = np.floor(np.maximum(calendar, 0.0) / 60 + 1e-9).astype(np.int64)
    bus_min = np.floor(np.maximum(business, 0.0) / 60 + 1e-9).astype(np.int64)
    for i, t in enumerate(facts):
        reopens, replies_count, approximate, solved = counts[i]
        out.append(
            TicketMetrics(
                ticket_id=t.id,
                source=t.source,
                external_id=t.external_id,
                queue=t.queue,
                agent=t.agent,
                created_at=datetime.fromtimestamp(t.created_at, UTC),
                solved_at=datetime.fromtimestamp(solved, UTC) if solved is not None else None,
                approximate=approximate,
                reopens=reopens,
                replies=replies_count,
                calendar={
                    m.column: int(cal_min[i, j]) if has[i, j] else None
                    for j, m in enumerate(DURATIONS)
                },
                business={
                    m.column: int(bus_min[i, j]) if has[i, j] else None
                    for j, m in enumerate(DURATIONS)
                },
            )
        )
    return out


# -- reading the store ------------------------------------------------------------------


def _ts(value: datetime) -> float:
    return value.timestamp()


def iter_facts(session: Session, batch: int = BATCH) -> Iterator[list[TicketFacts]]:
    """Every ticket's facts in id order, `batch` tickets at a time (bounded memory)."""
    last_id = 0
    while True:
        rows = session.execute(
            select(
                TicketRow.id,
                TicketRow.source,
                TicketRow.external_id,
                TicketRow.created_at,
                TicketRow.status,
                TicketRow.solved_at,
                QueueRow.key,
                AgentRow.name,
            )
            .outerjoin(QueueRow, QueueRow.id == TicketRow.queue_id)
            .outerjoin(AgentRow, AgentRow.id == TicketRow.assignee_id)
            .where(TicketRow.id > last_id)
            .order_by(TicketRow.id)
            .limit(batch)
        ).all()
        if not rows:
            return
        low, high = rows[0][0], rows[-1][0]
        last_id = high
        facts = {
            r[0]: TicketFacts(
                id=r[0],
                source=r[1],
                external_id=r[2],
                created_at=_ts(r[3]),
                status=r[4],
                solved_at=_ts(r[5]) if r[5] is not None else None,
                queue=r[6],
                agent=r[7],
            )
            for r in rows
        }
        in_range = and_(FieldChangeRow.ticket_id >= low, FieldChangeRow.ticket_id <= high)
        for tid, at, old, new, approx in session.execute(
            select(
                FieldChangeRow.ticket_id,
                FieldChangeRow.changed_at,
                FieldChangeRow.old_value,
                FieldChangeRow.new_value,
                FieldChangeRow.approximate,
            )
            .where(in_range, FieldChangeRow.field == "status")
            .order_by(FieldChangeRow.ticket_id, FieldChangeRow.changed_at, FieldChangeRow.id)
        ):
            found = facts.get(tid)
            if found is not None:
                found.changes.append((_ts(at), old, new, bool(approx)))
        for tid, role, public, at in session.execute(
            select(
                MessageRow.ticket_id,
                MessageRow.author_role,
                MessageRow.public,
                MessageRow.created_at,
            )
            .where(MessageRow.ticket_id >= low, MessageRow.ticket_id <= high)
            .order_by(MessageRow.ticket_id, MessageRow.position, MessageRow.id)
        ):
            found = facts.get(tid)
            if found is not None:
                found.messages.append((role, bool(public), _ts(at)))
        for tid, at, sid in session.execute(
            select(
                TicketScheduleRow.ticket_id,
                TicketScheduleRow.starts_at,
                TicketScheduleRow.schedule_id,
            )
            .where(TicketScheduleRow.ticket_id >= low, TicketScheduleRow.ticket_id <= high)
            .order_by(TicketScheduleRow.ticket_id, TicketScheduleRow.starts_at)
        ):
            found = facts.get(tid)
            if found is not None:
                found.schedules.append((_ts(at), f"store:{sid}"))
        yield list(facts.values())


def schedule_book(ws: Workspace, config: WorkspaceConfig | None = None) -> ScheduleBook:
    """The workspace's schedules: its active config's plus the stored ones."""
    if config is None:
        from casework.config.versions import active_config

        config = active_config(ws)[1]
    with ws.session() as session:
        return ScheduleBook(config, load_schedules(session))


def iter_ticket_metrics(
    ws: Workspace, config: WorkspaceConfig | None = None, batch: int = BATCH
) -> Iterator[list[TicketMetrics]]:
    """Every ticket's Zendesk metrics, computed from the store, one batch at a time."""
    book = schedule_book(ws, config)
    with ws.session() as session:
        for facts in iter_facts(session, batch):
            yield compute_batch(facts, book)


def count_tickets(ws: Workspace) -> int:
    from sqlalchemy import func

    with ws.session() as session:
        return int(session.scalar(select(func.count()).select_from(TicketRow)) or 0)


def reference_markdown() -> str:
    """The definitions section of docs/metrics.md for the Zendesk-named metrics."""
    parts = [
        "Each duration is `{calendar, business}` whole minutes (truncated), null until "
        "its events have happened; counts are integers.\n"
    ]
    for metric in (*DURATIONS, *COUNTS):
        parts.append(f"### `{metric.name}`\n\n{metric.definition}\n")
    return "\n".join(parts)
