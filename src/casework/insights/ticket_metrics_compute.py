"""The Zendesk metrics of a batch of tickets as array arithmetic (numpy), no per-ticket loop.

`ticket_metrics.py` holds the definitions; this module is how they are computed
fast enough for a million tickets. A batch is read as flat arrays — tickets,
status changes, comments, schedule assignments, with times as epoch seconds and
statuses/roles as small integer codes computed by the database — and every rule
of the definitions becomes a vector operation over the whole batch:

- the status before each change is the previous change's new status (or the
  first change's old one), so each change closes one status stretch;
- solves, reopens, first/last solve and the stretches per metric are masks and
  grouped min/max/sums (`np.bincount`, `np.minimum.at`) over ticket indices;
- the schedule for a moment is found with one `searchsorted` over (ticket,
  time) keys, and business seconds with one `CompiledSchedule` lookup per
  schedule for all spans of the batch.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import Float, case, cast, func, select
from sqlalchemy.orm import Session

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

F8 = npt.NDArray[np.float64]
I8 = npt.NDArray[np.int64]
B1 = npt.NDArray[np.bool_]

STATUS_CODES = {"new": 0, "open": 1, "pending": 2, "hold": 3, "solved": 4, "closed": 5}
OTHER_STATUS = 6  # e.g. `deleted`: counts in no metric
NEW, OPEN, PENDING, HOLD, SOLVED, CLOSED = range(6)
ROLE_AGENT = 1
SLOT_REPLY, SLOT_FIRST, SLOT_FULL, SLOT_AGENT_WAIT, SLOT_REQUESTER_WAIT, SLOT_ON_HOLD = range(6)
N_SLOTS = 6
MS_SPAN = 1 << 42  # ~139 years of milliseconds: (ticket, time) keys never collide


@dataclass
class TicketBatch:
    """One batch of tickets as arrays; per-ticket strings as lists, in ticket order."""

    ids: I8
    created: F8
    status: I8
    solved_at: F8  # NaN when none
    sources: list[str]
    external_ids: list[str]
    queues: list[str | None]
    agents: list[str | None]
    # status changes, sorted by ticket then time: index into the batch's tickets
    ch_ticket: I8
    ch_at: F8
    ch_old: I8
    ch_new: I8
    ch_approx: B1
    # comments in conversation order
    msg_ticket: I8
    msg_agent: B1
    msg_public: B1
    msg_at: F8
    # schedule assignments, sorted by ticket then time; schedule = stored row id
    sch_ticket: I8
    sch_at: F8
    sch_id: I8

    def __len__(self) -> int:
        return len(self.ids)


@dataclass
class BatchMetrics:
    """Every metric of a batch: durations in seconds with a has-value mask."""

    batch: TicketBatch
    calendar: F8  # (n, 6) seconds
    business: F8
    has: B1  # (n, 6)
    reopens: I8
    replies: I8
    approximate: B1
    last_solve: F8  # NaN when never solved


def _epoch(column: Any, dialect: str) -> Any:
    if dialect == "postgresql":
        return cast(func.extract("epoch", column), Float)
    # SQLite keeps UTC text; julianday is exact to well under a millisecond, rounded to ms.
    return func.round((func.julianday(column) - 2440587.5) * 86400.0, 3)


def _status_code(column: Any) -> Any:
    return case(
        *((column == name, code) for name, code in STATUS_CODES.items()),
        (column.is_(None), -1),
        else_=OTHER_STATUS,
    )


def _fetch(conn: Any, statement: Any) -> list[tuple[Any, ...]]:
    """Plain DBAPI tuples: SQLAlchemy's Row objects make numpy.array crawl."""
    result = conn.execute(statement)
    try:
        return list(result.cursor.fetchall()) if result.cursor is not None else []
    finally:
        result.close()


def _index(ticket_ids: I8, rows: I8) -> I8:
    return np.searchsorted(ticket_ids, rows).astype(np.int64)


def id_ranges(session: Session, batch: int) -> list[tuple[int, int]]:
    """Consecutive [low, high] ticket id ranges holding about `batch` tickets each."""
    low, high, count = session.execute(
        select(func.min(TicketRow.id), func.max(TicketRow.id), func.count(TicketRow.id))
    ).one()
    if not count:
        return []
    width = max(1, int(batch * (high - low + 1) / count))
    return [(start, min(start + width - 1, high)) for start in range(low, high + 1, width)]


def read_batches(session: Session, batch: int) -> Iterator[TicketBatch]:
    """Every ticket in id order, about `batch` at a time, as arrays."""
    for low, high in id_ranges(session, batch):
        found = read_range(session, low, high)
        if found is not None:
            yield found


def read_range(session: Session, first_id: int, last_id: int) -> TicketBatch | None:
    """The tickets with ids in [first_id, last_id] as arrays; None if there are none."""
    dialect = session.get_bind().dialect.name
    conn = session.connection()
    rows = _fetch(
        conn,
        select(
            TicketRow.id,
            _epoch(TicketRow.created_at, dialect),
            _status_code(TicketRow.status),
            _epoch(TicketRow.solved_at, dialect),
            TicketRow.source,
            TicketRow.external_id,
            QueueRow.key,
            AgentRow.name,
        )
        .outerjoin(QueueRow, QueueRow.id == TicketRow.queue_id)
        .outerjoin(AgentRow, AgentRow.id == TicketRow.assignee_id)
        .where(TicketRow.id >= first_id, TicketRow.id <= last_id)
        .order_by(TicketRow.id),
    )
    if not rows:
        return None
    low, high = rows[0][0], rows[-1][0]
    ids = np.fromiter((r[0] for r in rows), np.int64, len(rows))
    numeric = np.array(
        [(r[1], r[2], np.nan if r[3] is None else r[3]) for r in rows], dtype=np.float64
    ).reshape(-1, 3)
    changes = _fetch(
        conn,
        select(
            FieldChangeRow.ticket_id,
            _epoch(FieldChangeRow.changed_at, dialect),
            _status_code(FieldChangeRow.old_value),
            _status_code(FieldChangeRow.new_value),
            case((FieldChangeRow.approximate, 1), else_=0),
            FieldChangeRow.id,
        ).where(
            FieldChangeRow.ticket_id >= low,
            FieldChangeRow.ticket_id <= high,
            FieldChangeRow.field == "status",
            FieldChangeRow.new_value.is_not(None),
        ),
    )
    # Ordered here, not by the database: a sort per batch cost the server more than
    # numpy's lexsort costs us. Changes: by ticket, time, id.
    ch = np.array(changes, dtype=np.float64).reshape(-1, 6)
    ch = ch[np.lexsort((ch[:, 5], ch[:, 1], ch[:, 0]))]
    messages = _fetch(
        conn,
        select(
            MessageRow.ticket_id,
            case((MessageRow.author_role == "agent", ROLE_AGENT), else_=0),
            case((MessageRow.public, 1), else_=0),
            _epoch(MessageRow.created_at, dialect),
            MessageRow.position,
            MessageRow.id,
        ).where(MessageRow.ticket_id >= low, MessageRow.ticket_id <= high),
    )
    msg = np.array(messages, dtype=np.float64).reshape(-1, 6)
    msg = msg[np.lexsort((msg[:, 5], msg[:, 4], msg[:, 0]))]  # conversation order
    assignments = _fetch(
        conn,
        select(
            TicketScheduleRow.ticket_id,
            _epoch(TicketScheduleRow.starts_at, dialect),
            TicketScheduleRow.schedule_id,
        )
        .where(TicketScheduleRow.ticket_id >= low, TicketScheduleRow.ticket_id <= high)
        .order_by(TicketScheduleRow.ticket_id, TicketScheduleRow.starts_at),
    )
    sch = np.array(assignments, dtype=np.float64).reshape(-1, 3)
    return TicketBatch(
        ids=ids,
        created=numeric[:, 0].copy(),
        status=numeric[:, 1].astype(np.int64),
        solved_at=numeric[:, 2].copy(),
        sources=[r[4] for r in rows],
        external_ids=[r[5] for r in rows],
        queues=[r[6] for r in rows],
        agents=[r[7] for r in rows],
        ch_ticket=_index(ids, ch[:, 0].astype(np.int64)),
        ch_at=ch[:, 1].copy(),
        ch_old=ch[:, 2].astype(np.int64),
        ch_new=ch[:, 3].astype(np.int64),
        ch_approx=ch[:, 4] > 0,
        msg_ticket=_index(ids, msg[:, 0].astype(np.int64)),
        msg_agent=msg[:, 1] == ROLE_AGENT,
        msg_public=msg[:, 2] > 0,
        msg_at=msg[:, 3].copy(),
        sch_ticket=_index(ids, sch[:, 0].astype(np.int64)),
        sch_at=sch[:, 1].copy(),
        sch_id=sch[:, 2].astype(np.int64),
    )


def _first_of_group(groups: I8) -> B1:
    first = np.ones(len(groups), dtype=bool)
    first[1:] = groups[1:] != groups[:-1]
    return first


class Spans:
    """(ticket, slot, start, end, moment deciding the schedule) collected for one batch."""

    def __init__(self) -> None:
        self.parts: list[tuple[I8, I8, F8, F8, F8]] = []

    def add(self, ticket: I8, slot: int | I8, start: F8, end: F8, moment: F8) -> None:
        slots = np.broadcast_to(np.asarray(slot, dtype=np.int64), ticket.shape)
        self.parts.append((ticket, slots, start, end, moment))

    def arrays(self) -> tuple[I8, I8, F8, F8, F8]:
        if not self.parts:
            empty_i = np.zeros(0, dtype=np.int64)
            empty_f = np.zeros(0, dtype=np.float64)
            return empty_i, empty_i, empty_f, empty_f, empty_f
        return tuple(np.concatenate(column) for column in zip(*self.parts, strict=True))  # type: ignore[return-value]


def schedule_codes(
    b: TicketBatch, default_codes: I8, stored_codes: dict[int, int], ticket: I8, moment: F8
) -> I8:
    """Per span: the schedule (code) in force for its ticket at `moment`.

    The latest assignment at or before the moment, the ticket's first one before
    any, the queue's schedule for a ticket without assignments.
    """
    codes = default_codes[ticket].copy()
    if not len(b.sch_ticket) or not len(ticket):
        return codes
    base = min(float(b.sch_at.min()), float(moment.min())) - 1.0
    keys = b.sch_ticket * MS_SPAN + np.round((b.sch_at - base) * 1000).astype(np.int64)
    query = ticket * MS_SPAN + np.round((moment - base) * 1000).astype(np.int64)
    pos = np.searchsorted(keys, query, side="right") - 1
    counts = np.bincount(b.sch_ticket, minlength=len(b))
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    has = counts[ticket] > 0
    pos = np.where(pos < starts[ticket], starts[ticket], pos)  # before the first: the first
    mapped = np.array([stored_codes[int(s)] for s in b.sch_id], dtype=np.int64)
    codes[has] = mapped[pos[has]]
    return codes


def compute(
    b: TicketBatch,
    default_codes: I8,
    stored_codes: dict[int, int],
    business_seconds: Any,
) -> BatchMetrics:
    """All metrics of one batch; `business_seconds(code, starts, ends)` measures spans."""
    n = len(b)
    spans = Spans()
    has = np.zeros((n, N_SLOTS), dtype=bool)

    # -- replies: public agent comments, without an agent's opening comment
    first_msg = _first_of_group(b.msg_ticket)
    counted = b.msg_agent & b.msg_public & ~(first_msg & b.msg_agent)
    replies = np.bincount(b.msg_ticket[counted], minlength=n).astype(np.int64)
    reply_at = np.full(n, np.inf)
    np.minimum.at(reply_at, b.msg_ticket[counted], b.msg_at[counted])
    replied = np.isfinite(reply_at)
    has[replied, SLOT_REPLY] = True
    who = np.nonzero(replied)[0]
    spans.add(who, SLOT_REPLY, b.created[who], reply_at[who], reply_at[who])

    # -- status walk
    t = b.ch_ticket
    with_history = np.bincount(t, minlength=n) > 0
    first = _first_of_group(t)
    at = np.maximum(b.ch_at, b.created[t])  # a change never precedes creation
    before = np.empty_like(b.ch_new)
    before[1:] = b.ch_new[:-1]
    initial = np.where(b.ch_old >= 0, b.ch_old, NEW)
    current = np.where(first, initial, before)
    since = np.empty_like(at)
    since[1:] = at[:-1]
    since = np.where(first, b.created[t], since)
    new = b.ch_new
    solve = ((new == SOLVED) & (current != SOLVED)) | (
        (new == CLOSED) & (current != SOLVED) & (current != CLOSED)
    )
    reopen = (current == SOLVED) & (new <= HOLD) & (new >= NEW)
    reopens = np.bincount(t[reopen], minlength=n).astype(np.int64)
    first_solve = np.full(n, np.inf)
    last_solve = np.full(n, -np.inf)
    np.minimum.at(first_solve, t[solve], at[solve])
    np.maximum.at(last_solve, t[solve], at[solve])
    approximate = ~with_history | (np.bincount(t[b.ch_approx], minlength=n) > 0)

    # Tickets without history: open from creation to solved_at if solved now.
    bare = ~with_history & (b.status >= SOLVED) & (b.status <= CLOSED) & ~np.isnan(b.solved_at)
    first_solve[bare] = b.solved_at[bare]
    last_solve[bare] = b.solved_at[bare]
    solved = np.isfinite(first_solve)
    has[solved, SLOT_FIRST] = has[solved, SLOT_FULL] = True
    has[solved, SLOT_AGENT_WAIT] = has[solved, SLOT_REQUESTER_WAIT] = True
    has[solved, SLOT_ON_HOLD] = True
    who = np.nonzero(solved)[0]
    spans.add(who, SLOT_FIRST, b.created[who], first_solve[who], first_solve[who])
    spans.add(who, SLOT_FULL, b.created[who], last_solve[who], last_solve[who])

    # Finished stretches of solved tickets, each under the schedule at its end.
    keep = solved[t] & (at > since)
    for which, mask in (
        (SLOT_AGENT_WAIT, current == PENDING),
        (SLOT_REQUESTER_WAIT, (current == NEW) | (current == OPEN) | (current == HOLD)),
        (SLOT_ON_HOLD, current == HOLD),
    ):
        chosen = keep & mask
        spans.add(t[chosen], which, since[chosen], at[chosen], at[chosen])
    who = np.nonzero(bare)[0]
    spans.add(who, SLOT_REQUESTER_WAIT, b.created[who], b.solved_at[who], b.solved_at[who])

    # -- measure every span
    ticket, slot, start, end, moment = spans.arrays()
    cell = ticket * N_SLOTS + slot
    calendar = np.asarray(
        np.bincount(cell, np.maximum(end - start, 0.0), minlength=n * N_SLOTS), dtype=np.float64
    )
    business = np.zeros(n * N_SLOTS)
    if len(ticket):
        codes = schedule_codes(b, default_codes, stored_codes, ticket, moment)
        order = np.argsort(codes, kind="stable")
        bounds = np.flatnonzero(np.diff(codes[order])) + 1
        for group in np.split(order, bounds):
            seconds = business_seconds(int(codes[group[0]]), start[group], end[group])
            business += np.bincount(cell[group], seconds, minlength=n * N_SLOTS)
    return BatchMetrics(
        batch=b,
        calendar=calendar.reshape(n, N_SLOTS),
        business=business.reshape(n, N_SLOTS),
        has=has,
        reopens=reopens,
        replies=replies,
        approximate=approximate,
        last_solve=np.where(np.isfinite(last_solve), last_solve, np.nan),
    )


def whole_minutes(seconds: F8) -> I8:
    """Truncated whole minutes; the millisecond slack absorbs float noise."""
    return np.floor((np.maximum(seconds, 0.0) + 1e-3) / 60).astype(np.int64)


def prefetched(ws: Workspace, batch: int, readers: int = 2) -> Iterator[TicketBatch]:
    """The batches of `read_batches`, in order, read by `readers` threads ahead of use.

    Each range is read in its own session on a worker thread; the database
    driver releases the GIL while it waits, so the server reads the next ranges
    (on as many backends as readers) while this thread computes.
    """
    with ws.session() as session:
        ranges = id_ranges(session, batch)

    def read(bounds: tuple[int, int]) -> TicketBatch | None:
        with ws.session() as session:
            return read_range(session, *bounds)

    with ThreadPoolExecutor(max_workers=readers, thread_name_prefix="metrics-reader") as pool:
        pending: deque[Future[TicketBatch | None]] = deque()
        upcoming = iter(ranges)
        try:
            for bounds in islice(upcoming, readers + 1):
                pending.append(pool.submit(read, bounds))
            while pending:
                found = pending.popleft().result()
                for bounds in islice(upcoming, 1):
                    pending.append(pool.submit(read, bounds))
                if found is not None:
                    yield found
        finally:
            for future in pending:
                future.cancel()
