"""Business-hour schedules: what they are, where they are stored, how a ticket follows them.

A schedule is Zendesk's: weekly intervals counted in minutes since Sunday 00:00
local time (`start_time`/`end_time` in the Schedules API, several per day
allowed, none spanning midnight), an IANA time zone, and holidays (date ranges,
inclusive, on which the schedule is closed). A ticket follows one schedule at a
time; `ticket_schedules` says from when (Zendesk's and Fivetran's
`ticket_schedule` table), so a ticket may switch schedule mid-life.

Two sources feed them:

- the workspace config (`schedules:` name → timezone, intervals, holidays; a
  queue's `schedule:` names one, and a queue without one keeps its
  `business_hours`), loaded by `config_schedules`;
- the store tables `schedules`, `schedule_holidays`, `ticket_schedules`, filled by
  importers through `store_schedules` and read back by `load_schedules` and
  `ticket_schedule_changes`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from casework.config.schema import BusinessHours, WorkspaceConfig
from casework.store.tables import ScheduleHolidayRow, ScheduleRow, TicketRow, TicketScheduleRow

MINUTES_PER_WEEK = 7 * 24 * 60
# Zendesk's weeks start on Sunday; Python's weekday() counts from Monday.
ZENDESK_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
CHUNK = 500
CONFIG_SOURCE = "config"


@dataclass(frozen=True)
class Schedule:
    """A named schedule.

    `intervals` are `(start_minute, end_minute)` pairs in minutes since Sunday
    00:00 in `timezone` (0 … 10080), each within one calendar day, as in
    Zendesk's Schedules API. `external_id` is the source's id (Zendesk's schedule
    id; the name for config schedules).
    """

    external_id: str
    name: str
    timezone: str
    intervals: tuple[tuple[int, int], ...]
    holidays: tuple[Holiday, ...] = ()
    source: str = "zendesk"

    def __post_init__(self) -> None:
        where = f"schedule {self.name!r} ({self.source}:{self.external_id})"
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"{where}: unknown time zone {self.timezone!r}; expected an IANA name such as "
                "'Europe/Berlin'"
            ) from None
        for start, end in self.intervals:
            if not 0 <= start < end <= MINUTES_PER_WEEK:
                raise ValueError(
                    f"{where}: interval ({start}, {end}) must satisfy "
                    f"0 <= start_time < end_time <= {MINUTES_PER_WEEK}"
                )
            if start // 1440 != (end - 1) // 1440:
                raise ValueError(
                    f"{where}: interval ({start}, {end}) spans midnight; split it per day"
                )

    def fingerprint(self) -> str:
        """Stable text of everything that changes business minutes (for metric versions)."""
        return json.dumps(
            [
                self.source,
                self.external_id,
                self.timezone,
                sorted(self.intervals),
                sorted((h.start_date.isoformat(), h.end_date.isoformat()) for h in self.holidays),
            ]
        )


@dataclass(frozen=True)
class Holiday:
    """A day range (inclusive, the schedule's local dates) with no business time."""

    schedule_external_id: str
    external_id: str
    start_date: date
    end_date: date
    name: str = ""

    def __post_init__(self) -> None:
        if self.end_date < self.start_date:
            raise ValueError(
                f"holiday {self.name or self.external_id!r} of schedule "
                f"{self.schedule_external_id!r}: end_date {self.end_date} is before "
                f"start_date {self.start_date}"
            )


@dataclass(frozen=True)
class TicketSchedule:
    """From `starts_at` on, the ticket `ticket_external_id` follows `schedule_external_id`."""

    ticket_external_id: str
    schedule_external_id: str
    starts_at: datetime


@dataclass
class StoreStats:
    schedules: int = 0
    holidays: int = 0
    ticket_schedules: int = 0
    unknown_tickets: list[str] = field(default_factory=list)


def schedule_from_business_hours(name: str, hours: BusinessHours) -> Schedule:
    """The old one-interval `business_hours` of a queue as a schedule."""
    start = hours.start.hour * 60 + hours.start.minute
    end = hours.end.hour * 60 + hours.end.minute
    intervals = tuple(
        (ZENDESK_DAYS.index(day) * 1440 + start, ZENDESK_DAYS.index(day) * 1440 + end)
        for day in hours.days
    )
    return Schedule(name, name, hours.timezone, tuple(sorted(intervals)), source=CONFIG_SOURCE)


def config_schedules(config: WorkspaceConfig) -> tuple[dict[str, Schedule], dict[str, Schedule]]:
    """(schedules by name, schedule of each queue key) from the workspace config.

    A queue with `schedule:` follows that named schedule; one without follows its
    `business_hours` (Mon–Fri 09:00–17:00 UTC unless set).
    """
    named = {
        name: Schedule(
            name,
            name,
            spec.timezone,
            tuple(sorted(spec.minute_intervals())),
            tuple(
                Holiday(name, h.start.isoformat(), h.start, h.end or h.start, h.name)
                for h in spec.holidays
            ),
            source=CONFIG_SOURCE,
        )
        for name, spec in config.schedules.items()
    }
    by_queue = {}
    for queue in config.queues:
        if queue.schedule is not None:
            by_queue[queue.key] = named[queue.schedule]
        else:
            by_queue[queue.key] = schedule_from_business_hours(
                f"queue:{queue.key}", queue.business_hours
            )
    return named, by_queue


def store_schedules(
    session: Session,
    schedules: Iterable[Schedule],
    holidays: Iterable[Holiday] = (),
    ticket_schedules: Iterable[TicketSchedule] = (),
    source: str = "zendesk",
) -> StoreStats:
    """Write schedules, their holidays and tickets' schedule assignments; idempotent.

    The importers' one entry point, so an importer only maps its rows to these
    plain dataclasses:

    - `Schedule(external_id, name, timezone, intervals, source=source)` —
      `intervals` a tuple of `(start_time, end_time)` minutes since Sunday 00:00
      local time, one per Zendesk/Fivetran `schedule` row; validated (IANA zone,
      0 ≤ start < end ≤ 10080, within one day) when constructed.
    - `Holiday(schedule_external_id, external_id, start_date, end_date, name)` —
      a Fivetran `schedule_holiday` row; dates inclusive, in the schedule's zone.
    - `TicketSchedule(ticket_external_id, schedule_external_id, starts_at)` — a
      Fivetran `ticket_schedule` row (`created_at` → `starts_at`, timezone-aware).

    Schedules are keyed by `(source, external_id)` and updated in place;
    holidays by (schedule, external_id); ticket assignments by (ticket,
    starts_at). Tickets are looked up by `(source, external_id)`: assignments of
    tickets not in the store are skipped and listed in `unknown_tickets`.
    Holidays and assignments naming an unknown schedule raise `ValueError`.
    The caller commits.
    """
    stats = StoreStats()
    now = datetime.now(UTC)
    ids: dict[str, int] = {
        ext: sid
        for ext, sid in session.execute(
            select(ScheduleRow.external_id, ScheduleRow.id).where(ScheduleRow.source == source)
        )
    }
    for schedule in schedules:
        values = {
            "name": schedule.name,
            "timezone": schedule.timezone,
            "intervals": [list(i) for i in sorted(schedule.intervals)],
            "updated_at": now,
        }
        if schedule.external_id in ids:
            row = session.get(ScheduleRow, ids[schedule.external_id])
            assert row is not None
            for key, value in values.items():
                setattr(row, key, value)
        else:
            row = ScheduleRow(source=source, external_id=schedule.external_id, **values)
            session.add(row)
            session.flush()
            ids[schedule.external_id] = row.id
        stats.schedules += 1

    def schedule_id(ext: str, what: str) -> int:
        if ext not in ids:
            raise ValueError(f"{what} names schedule {ext!r}, which is not among the schedules")
        return ids[ext]

    existing_holidays = {
        (sid, ext): hid
        for sid, ext, hid in session.execute(
            select(
                ScheduleHolidayRow.schedule_id,
                ScheduleHolidayRow.external_id,
                ScheduleHolidayRow.id,
            ).where(ScheduleHolidayRow.schedule_id.in_(list(ids.values()) or [-1]))
        )
    }
    for holiday in holidays:
        sid = schedule_id(holiday.schedule_external_id, f"holiday {holiday.external_id!r}")
        hkey = (sid, holiday.external_id)
        if hkey in existing_holidays:
            hrow = session.get(ScheduleHolidayRow, existing_holidays[hkey])
            assert hrow is not None
            hrow.name, hrow.start_date, hrow.end_date = (
                holiday.name,
                holiday.start_date,
                holiday.end_date,
            )
        else:
            hrow = ScheduleHolidayRow(
                schedule_id=sid,
                external_id=holiday.external_id,
                name=holiday.name,
                start_date=holiday.start_date,
                end_date=holiday.end_date,
            )
            session.add(hrow)
            session.flush()
            existing_holidays[hkey] = hrow.id
        stats.holidays += 1
    session.flush()

    for chunk in _chunks(ticket_schedules):
        tickets = {
            ext: tid
            for ext, tid in session.execute(
                select(TicketRow.external_id, TicketRow.id).where(
                    TicketRow.source == source,
                    TicketRow.external_id.in_({ts.ticket_external_id for ts in chunk}),
                )
            )
        }
        rows = {}
        for ts in chunk:
            if ts.starts_at.tzinfo is None:
                raise ValueError(
                    f"ticket_schedule of ticket {ts.ticket_external_id!r}: starts_at "
                    f"{ts.starts_at.isoformat()} has no time zone"
                )
            tid = tickets.get(ts.ticket_external_id)
            if tid is None:
                stats.unknown_tickets.append(ts.ticket_external_id)
                continue
            sid = schedule_id(
                ts.schedule_external_id, f"ticket_schedule of ticket {ts.ticket_external_id!r}"
            )
            rows[(tid, ts.starts_at.astimezone(UTC))] = sid
        if not rows:
            continue
        present = {
            (tid, at.astimezone(UTC)): rid
            for tid, at, rid in session.execute(
                select(
                    TicketScheduleRow.ticket_id, TicketScheduleRow.starts_at, TicketScheduleRow.id
                ).where(TicketScheduleRow.ticket_id.in_({tid for tid, _ in rows}))
            )
        }
        new = []
        for (tid, at), sid in rows.items():
            if (tid, at) in present:
                trow = session.get(TicketScheduleRow, present[(tid, at)])
                assert trow is not None
                trow.schedule_id = sid
            else:
                new.append({"ticket_id": tid, "schedule_id": sid, "starts_at": at})
        if new:
            session.execute(insert(TicketScheduleRow), new)
        stats.ticket_schedules += len(rows)
    session.flush()
    return stats


def _chunks(items: Iterable[TicketSchedule], size: int = CHUNK) -> Iterator[list[TicketSchedule]]:
    chunk: list[TicketSchedule] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def load_schedules(session: Session) -> dict[int, Schedule]:
    """Every stored schedule with its holidays, by row id."""
    holidays: dict[int, list[Holiday]] = {}
    for row in session.scalars(select(ScheduleHolidayRow).order_by(ScheduleHolidayRow.id)):
        holidays.setdefault(row.schedule_id, []).append(
            Holiday(str(row.schedule_id), row.external_id, row.start_date, row.end_date, row.name)
        )
    return {
        row.id: Schedule(
            row.external_id,
            row.name,
            row.timezone,
            tuple((int(a), int(b)) for a, b in row.intervals),
            tuple(holidays.get(row.id, ())),
            source=row.source,
        )
        for row in session.scalars(select(ScheduleRow).order_by(ScheduleRow.id))
    }


def ticket_schedule_changes(
    session: Session, ticket_ids: Sequence[int]
) -> dict[int, list[tuple[datetime, int]]]:
    """Per ticket, its (starts_at, schedule row id) assignments, oldest first."""
    out: dict[int, list[tuple[datetime, int]]] = {}
    if not ticket_ids:
        return out
    for tid, at, sid in session.execute(
        select(
            TicketScheduleRow.ticket_id, TicketScheduleRow.starts_at, TicketScheduleRow.schedule_id
        )
        .where(TicketScheduleRow.ticket_id.in_(list(ticket_ids)))
        .order_by(TicketScheduleRow.ticket_id, TicketScheduleRow.starts_at)
    ):
        out.setdefault(tid, []).append((at, sid))
    return out


def schedules_version(schedules: Iterable[Schedule]) -> str:
    """A short fingerprint of a set of schedules: stored metrics older than it are stale."""
    text = "\n".join(sorted(s.fingerprint() for s in schedules))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


__all__ = [
    "Holiday",
    "Schedule",
    "StoreStats",
    "TicketSchedule",
    "config_schedules",
    "load_schedules",
    "schedule_from_business_hours",
    "schedules_version",
    "store_schedules",
    "ticket_schedule_changes",
]
