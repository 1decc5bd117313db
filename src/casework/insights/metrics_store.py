"""Stored per-ticket metrics and their aggregates, computed in SQL.

`refresh_ticket_metrics` writes every ticket's Zendesk-named metrics into
`ticket_metrics` (one row per ticket, stamped with the schedules' version), a
batch of tickets per transaction so memory stays flat. `summarise` then
computes medians and 90th percentiles per queue, agent or week straight in the
database: PostgreSQL's `percentile_cont`, and on SQLite (which has no
percentile function) the same linear interpolation between order statistics
built from `row_number()` windows. Both equal
`numpy.percentile(values, q, method="linear")`.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import Date, Integer, case, cast, delete, func, insert, literal_column, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from casework.config.schema import WorkspaceConfig
from casework.insights.ticket_metrics import (
    BATCH,
    DURATIONS,
    iter_batch_metrics,
    schedule_book,
)
from casework.insights.ticket_metrics_compute import BatchMetrics, whole_minutes
from casework.store.tables import TicketMetricsRow

if TYPE_CHECKING:
    from casework import Workspace

GroupBy = Literal["all", "queue", "agent", "week"]
Cohort = Literal["created", "solved"]
GROUPINGS: tuple[GroupBy, ...] = ("all", "queue", "agent", "week")
NONE_KEY = "(none)"
CLOCKS = {"calendar": "cal", "business": "bus"}


@dataclass
class RefreshStats:
    tickets: int
    version: str
    seconds: float


def _rows(result: BatchMetrics, version: str, now: datetime) -> list[dict[str, Any]]:
    """Insert parameters for one batch, straight from its arrays."""
    b = result.batch
    cal = whole_minutes(result.calendar).tolist()
    bus = whole_minutes(result.business).tolist()
    has = result.has.tolist()
    created = b.created.tolist()
    solved = result.last_solve.tolist()
    reopens = result.reopens.tolist()
    replies = result.replies.tolist()
    approximate = result.approximate.tolist()
    names = [(j, f"{m.column}_cal", f"{m.column}_bus") for j, m in enumerate(DURATIONS)]
    rows = []
    for i, ticket_id in enumerate(b.ids.tolist()):
        row: dict[str, Any] = {
            "ticket_id": ticket_id,
            "version": version,
            "computed_at": now,
            "approximate": approximate[i],
            "queue": b.queues[i],
            "agent": b.agents[i],
            "created_at": datetime.fromtimestamp(created[i], UTC),
            "solved_at": None if math.isnan(solved[i]) else datetime.fromtimestamp(solved[i], UTC),
            "replies": replies[i],
            "reopens": reopens[i],
        }
        flags, cal_i, bus_i = has[i], cal[i], bus[i]
        for j, cal_name, bus_name in names:
            row[cal_name] = cal_i[j] if flags[j] else None
            row[bus_name] = bus_i[j] if flags[j] else None
        rows.append(row)
    return rows


def _copy(session: Session, rows: list[dict[str, Any]]) -> None:
    """PostgreSQL's COPY, in the session's transaction: ~10x an INSERT of many rows."""
    if not rows:
        return
    columns = list(rows[0])
    driver = session.connection().connection.driver_connection
    assert driver is not None
    names = ", ".join(columns)
    with (
        driver.cursor() as cursor,
        cursor.copy(f"COPY ticket_metrics ({names}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row([row[c] for c in columns])


def refresh_ticket_metrics(
    ws: Workspace,
    config: WorkspaceConfig | None = None,
    progress: Callable[[int], None] | None = None,
    batch: int = BATCH,
) -> RefreshStats:
    """Recompute and store every ticket's metrics; `progress(n)` after each batch."""
    started = time.perf_counter()
    now = datetime.now(UTC)
    total = 0
    version = schedule_book(ws, config).version
    for result, version in iter_batch_metrics(ws, config, batch):
        ids = result.batch.ids
        low, high = int(ids[0]), int(ids[-1])
        with ws.session() as writer:  # one transaction per batch
            writer.execute(
                delete(TicketMetricsRow).where(
                    TicketMetricsRow.ticket_id >= low, TicketMetricsRow.ticket_id <= high
                )
            )
            rows = _rows(result, version, now)
            if writer.get_bind().dialect.name == "postgresql":
                _copy(writer, rows)
            else:
                writer.execute(insert(TicketMetricsRow), rows)
        total += len(ids)
        if progress is not None:
            progress(len(ids))
    with ws.session() as writer:
        # Deleted tickets cascade away; rows left with an older version are stale.
        writer.execute(delete(TicketMetricsRow).where(TicketMetricsRow.version != version))
    return RefreshStats(total, version, time.perf_counter() - started)


# -- aggregates in SQL ------------------------------------------------------------------


@dataclass(frozen=True)
class SummaryRow:
    """Median and 90th percentile of one metric and clock in one group."""

    group: str
    metric: str
    clock: str
    n: int
    median: float | None
    p90: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "group": self.group,
            "metric": self.metric,
            "clock": self.clock,
            "n": self.n,
            "median": self.median,
            "p90": self.p90,
        }


def _group_expr(session: Session, by: GroupBy, cohort: Cohort) -> ColumnElement[Any]:
    if by == "all":
        return literal_column("'all'")
    if by == "queue":
        return func.coalesce(TicketMetricsRow.queue, NONE_KEY)
    if by == "agent":
        return func.coalesce(TicketMetricsRow.agent, NONE_KEY)
    moment = TicketMetricsRow.created_at if cohort == "created" else TicketMetricsRow.solved_at
    if session.get_bind().dialect.name == "postgresql":
        return cast(func.date_trunc("week", func.timezone("UTC", moment)), Date)
    # SQLite stores UTC text; 'weekday 0' moves to the coming Sunday, -6 days to its Monday.
    return func.date(moment, "weekday 0", "-6 days")


def _period(cohort: Cohort, start: datetime | None, end: datetime | None) -> list[Any]:
    moment = TicketMetricsRow.created_at if cohort == "created" else TicketMetricsRow.solved_at
    where: list[Any] = [moment.is_not(None)]
    if start is not None:
        where.append(moment >= start)
    if end is not None:
        where.append(moment < end)
    return where


def _week_label(value: Any) -> str:
    day = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def summarise(
    session: Session,
    by: GroupBy = "all",
    cohort: Cohort = "solved",
    start: datetime | None = None,
    end: datetime | None = None,
    metrics: Sequence[str] | None = None,
) -> list[SummaryRow]:
    """Median and p90 of each stored duration per group, computed by the database.

    `cohort` picks the tickets: created in [start, end) or (last) solved in it.
    Null values (events not happened) are left out, as `percentile_cont` does.
    """
    if by not in GROUPINGS:
        raise ValueError(f"unknown grouping {by!r}; expected one of {', '.join(GROUPINGS)}")
    chosen = [m for m in DURATIONS if metrics is None or m.name in metrics or m.column in metrics]
    group = _group_expr(session, by, cohort).label("grp")
    where = _period(cohort, start, end)
    postgres = session.get_bind().dialect.name == "postgresql"
    rows: list[SummaryRow] = []
    pairs = [
        (metric, clock, getattr(TicketMetricsRow, f"{metric.column}_{suffix}"))
        for metric in chosen
        for clock, suffix in CLOCKS.items()
    ]
    found: dict[tuple[str, str], list[tuple[Any, int, Any, Any]]] = {}
    if postgres and pairs:
        # One pass for every column: percentile_cont and count() skip NULLs per column.
        aggregates = []
        for _, _, column in pairs:
            aggregates += [
                func.count(column),
                func.percentile_cont(0.5).within_group(column),
                func.percentile_cont(0.9).within_group(column),
            ]
        query = select(group, *aggregates).where(*where)
        if by != "all":  # PostgreSQL refuses GROUP BY a constant
            query = query.group_by(group)
        for r in session.execute(query).all():
            for j, (metric, clock, _) in enumerate(pairs):
                n, median, p90 = r[1 + 3 * j : 4 + 3 * j]
                if n:
                    found.setdefault((metric.name, clock), []).append((r[0], int(n), median, p90))
    else:
        for metric, clock, column in pairs:
            found[(metric.name, clock)] = _sqlite_quantiles(session, group, column, where)
    for (name, clock), groups in found.items():
        for grp, n, median, p90 in groups:
            key = _week_label(grp) if by == "week" else str(grp)
            rows.append(
                SummaryRow(
                    key,
                    name,
                    clock,
                    int(n),
                    None if median is None else float(median),
                    None if p90 is None else float(p90),
                )
            )
    rows.sort(key=lambda r: (r.group, [m.name for m in DURATIONS].index(r.metric), r.clock))
    return rows


def _sqlite_quantiles(
    session: Session, group: Any, column: Any, where: list[Any]
) -> list[tuple[Any, int, float | None, float | None]]:
    """percentile_cont(0.5) and (0.9) per group from row_number() windows."""
    ranked = (
        select(
            group,
            column.label("v"),
            (func.row_number().over(partition_by=group, order_by=column) - 1).label("rn"),
            func.count().over(partition_by=group).label("n"),
        )
        .where(*where, column.is_not(None))
        .subquery()
    )

    def quantile(q: float) -> Any:
        pos = q * (ranked.c.n - 1)
        low = cast(pos, Integer)  # truncation = floor, as pos >= 0
        frac = pos - low
        at_low = func.max(case((ranked.c.rn == low, ranked.c.v)))
        at_high = func.max(case((ranked.c.rn == low + 1, ranked.c.v)))
        return at_low + frac * (func.coalesce(at_high, at_low) - at_low)

    query = select(ranked.c.grp, ranked.c.n, quantile(0.5), quantile(0.9)).group_by(
        ranked.c.grp, ranked.c.n
    )
    return [(r[0], int(r[1]), r[2], r[3]) for r in session.execute(query).all()]


def stored_count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(TicketMetricsRow)) or 0)


def week_bounds(label: str) -> tuple[datetime, datetime]:
    """`2026-W09` → its Monday 00:00 UTC and the next Monday."""
    monday = date.fromisocalendar(int(label[:4]), int(label[6:]), 1)
    start = datetime(monday.year, monday.month, monday.day, tzinfo=UTC)
    return start, start + timedelta(days=7)
