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

Computation is batched and vectorised (`ticket_metrics_compute`): a batch of
tickets is read as flat arrays, every rule above becomes an array operation
that lists (ticket, metric, start, end, schedule) spans, and numpy measures all
spans of a schedule at once (`CompiledSchedule`). The edge cases of
tests/insights/data/zendesk_edge_cases.yaml pin the behaviour down.
"""

from __future__ import annotations

import gc
import hashlib
import inspect
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import numpy as np
from sqlalchemy import select

from casework.config.schema import WorkspaceConfig
from casework.insights.business_hours import CompiledSchedule
from casework.insights.schedules import (
    Schedule,
    config_schedules,
    load_schedules,
    schedules_version,
)
from casework.insights.ticket_metrics_compute import (
    BatchMetrics,
    TicketBatch,
    compute,
    prefetched,
    whole_minutes,
)
from casework.store.tables import TicketRow

if TYPE_CHECKING:
    from casework import Workspace

UNSOLVED = frozenset({"new", "open", "pending", "hold"})
SOLVED = frozenset({"solved", "closed"})
REQUESTER_WAIT = frozenset({"new", "open", "hold"})
AGENT_WAIT = frozenset({"pending"})
ON_HOLD = frozenset({"hold"})
BATCH = 20_000
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


class ScheduleBook:
    """Every schedule a ticket may follow, compiled on first use, with small integer codes.

    Stored schedules (`ticket_schedules` point at them) and one per config
    queue (its `schedule`, else its `business_hours`); a ticket without
    assignments follows its queue's, a ticket without a queue the
    `default_queue`'s.
    """

    def __init__(self, config: WorkspaceConfig, stored: dict[int, Schedule]) -> None:
        _, by_queue = config_schedules(config)
        self.keys: list[str] = []
        self.schedules: list[Schedule] = []
        self.stored_codes: dict[int, int] = {}
        for row_id, schedule in stored.items():
            self.stored_codes[row_id] = self._add(f"store:{row_id}", schedule)
        self.queue_codes = {q: self._add(f"queue:{q}", s) for q, s in by_queue.items()}
        self.default_code = self.queue_codes.get(config.default_queue, 0)
        self.version = hashlib.sha256(
            (
                DEFINITIONS_VERSION
                + schedules_version(self.schedules)
                + repr(sorted(self.queue_codes.items()))
                + str(self.default_code)
            ).encode()
        ).hexdigest()[:16]
        self._compiled: dict[int, CompiledSchedule] = {}

    def _add(self, key: str, schedule: Schedule) -> int:
        self.keys.append(key)
        self.schedules.append(schedule)
        return len(self.keys) - 1

    def default_codes(self, queues: Sequence[str | None]) -> np.ndarray[Any, np.dtype[np.int64]]:
        codes = self.queue_codes
        return np.fromiter(
            (codes.get(q or "", self.default_code) for q in queues), np.int64, len(queues)
        )

    def business_seconds(
        self, code: int, starts: np.ndarray[Any, Any], ends: np.ndarray[Any, Any]
    ) -> np.ndarray[Any, Any]:
        compiled = self._compiled.get(code)
        if compiled is None:
            low = datetime.fromtimestamp(float(starts.min()), UTC).year - 1
            high = datetime.fromtimestamp(float(ends.max()), UTC).year + 1
            compiled = self._compiled[code] = CompiledSchedule(self.schedules[code], low, high)
        return compiled.seconds(starts, ends)


def compute_batch(batch: TicketBatch, book: ScheduleBook) -> BatchMetrics:
    """Every Zendesk metric of every ticket in `batch` (see ticket_metrics_compute)."""
    return compute(
        batch, book.default_codes(batch.queues), book.stored_codes, book.business_seconds
    )


def ticket_metrics(result: BatchMetrics) -> list[TicketMetrics]:
    """The batch's values as one `TicketMetrics` per ticket."""
    b = result.batch
    cal = whole_minutes(result.calendar).tolist()
    bus = whole_minutes(result.business).tolist()
    has = result.has.tolist()
    created = b.created.tolist()
    solved = result.last_solve.tolist()
    reopens = result.reopens.tolist()
    replies = result.replies.tolist()
    approximate = result.approximate.tolist()
    columns = [m.column for m in DURATIONS]
    out = []
    for i in range(len(b)):
        out.append(
            TicketMetrics(
                ticket_id=int(b.ids[i]),
                source=b.sources[i],
                external_id=b.external_ids[i],
                queue=b.queues[i],
                agent=b.agents[i],
                created_at=datetime.fromtimestamp(created[i], UTC),
                solved_at=None if math.isnan(solved[i]) else datetime.fromtimestamp(solved[i], UTC),
                approximate=approximate[i],
                reopens=reopens[i],
                replies=replies[i],
                calendar={c: cal[i][j] if has[i][j] else None for j, c in enumerate(columns)},
                business={c: bus[i][j] if has[i][j] else None for j, c in enumerate(columns)},
            )
        )
    return out


def schedule_book(ws: Workspace, config: WorkspaceConfig | None = None) -> ScheduleBook:
    """The workspace's schedules: its active config's plus the stored ones."""
    if config is None:
        from casework.config.versions import active_config

        config = active_config(ws)[1]
    with ws.session() as session:
        return ScheduleBook(config, load_schedules(session))


def flat_rows(result: BatchMetrics) -> list[list[Any]]:
    """The batch as `CSV_COLUMNS` rows, straight from its arrays (no per-ticket objects)."""
    b = result.batch
    cal = whole_minutes(result.calendar)
    bus = whole_minutes(result.business)
    # Interleave calendar/business per metric; -1 marks "no value" (never a real minute).
    values = np.empty((len(b), 2 * len(DURATIONS)), dtype=np.int64)
    values[:, 0::2] = np.where(result.has, cal, -1)
    values[:, 1::2] = np.where(result.has, bus, -1)
    tail = zip(
        result.reopens.tolist(), result.replies.tolist(), result.approximate.tolist(), strict=True
    )
    return [
        [source, ext, *[None if v < 0 else v for v in row], *extra]
        for source, ext, row, extra in zip(
            b.sources, b.external_ids, values.tolist(), tail, strict=True
        )
    ]


def api_dict(row: Sequence[Any]) -> dict[str, Any]:
    """A `flat_rows` row in the Ticket Metrics API's shape (`TicketMetrics.to_dict`)."""
    out: dict[str, Any] = {"source": row[0], "ticket_id": row[1]}
    for j, metric in enumerate(DURATIONS):
        out[metric.name] = {"calendar": row[2 + 2 * j], "business": row[3 + 2 * j]}
    out["reopens"], out["replies"], out["approximate"] = row[-3:]
    return out


def iter_batch_metrics(
    ws: Workspace, config: WorkspaceConfig | None = None, batch: int = BATCH
) -> Iterator[tuple[BatchMetrics, str]]:
    """(metrics of one batch, schedules version), every ticket in id order.

    The next batch is read by a second thread while this one is computed (the
    database driver releases the GIL while it waits), and the cyclic garbage
    collector is paused meanwhile: the batches' millions of short-lived tuples
    hold no cycles, and collecting them cost a quarter of the run.
    """
    book = schedule_book(ws, config)
    collecting = gc.isenabled()
    gc.disable()
    try:
        for tickets in prefetched(ws, batch):
            yield compute_batch(tickets, book), book.version
    finally:
        if collecting:
            gc.enable()


def iter_ticket_metrics(
    ws: Workspace, config: WorkspaceConfig | None = None, batch: int = BATCH
) -> Iterator[list[TicketMetrics]]:
    """Every ticket's Zendesk metrics, computed from the store, one batch at a time."""
    for result, _ in iter_batch_metrics(ws, config, batch):
        yield ticket_metrics(result)


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
