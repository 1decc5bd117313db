"""Fivetran's `schedule`, `schedule_holiday` and `ticket_schedule` tables → business-hour schedules.

Fivetran writes one `schedule` row per weekly interval (`id`, `name`,
`time_zone`, `start_time`, `end_time` in minutes since Sunday 00:00 local
time), so rows are grouped by `id`. Zendesk names time zones as Rails does
("Eastern Time (US & Canada)"); they are translated to IANA names, which
casework's schedules use with the `zoneinfo` database (never fixed offsets,
which is why Fivetran's `time_zone` and `daylight_time` offset tables are not
needed). Holidays and ticket assignments are handed to
`casework.insights.schedules.store_schedules`, the one writer of those tables.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.orm import Session

from casework.ingest.base import RowError
from casework.ingest.fivetran_rows import Problems, deleted
from casework.insights.schedules import (
    Holiday,
    Schedule,
    StoreStats,
    TicketSchedule,
    store_schedules,
)

Records = Callable[[str], Iterator[tuple[str, int, dict[str, str]]]]
Fail = Callable[[list[RowError]], None]

RAILS_ZONES = {
    "American Samoa": "Pacific/Pago_Pago",
    "Hawaii": "Pacific/Honolulu",
    "Alaska": "America/Juneau",
    "Pacific Time (US & Canada)": "America/Los_Angeles",
    "Arizona": "America/Phoenix",
    "Mountain Time (US & Canada)": "America/Denver",
    "Central Time (US & Canada)": "America/Chicago",
    "Mexico City": "America/Mexico_City",
    "Eastern Time (US & Canada)": "America/New_York",
    "Indiana (East)": "America/Indiana/Indianapolis",
    "Bogota": "America/Bogota",
    "Lima": "America/Lima",
    "Atlantic Time (Canada)": "America/Halifax",
    "Santiago": "America/Santiago",
    "Newfoundland": "America/St_Johns",
    "Brasilia": "America/Sao_Paulo",
    "Buenos Aires": "America/Argentina/Buenos_Aires",
    "UTC": "Etc/UTC",
    "London": "Europe/London",
    "Edinburgh": "Europe/London",
    "Dublin": "Europe/Dublin",
    "Lisbon": "Europe/Lisbon",
    "Madrid": "Europe/Madrid",
    "Paris": "Europe/Paris",
    "Amsterdam": "Europe/Amsterdam",
    "Brussels": "Europe/Brussels",
    "Berlin": "Europe/Berlin",
    "Bern": "Europe/Zurich",
    "Zurich": "Europe/Zurich",
    "Rome": "Europe/Rome",
    "Stockholm": "Europe/Stockholm",
    "Vienna": "Europe/Vienna",
    "Copenhagen": "Europe/Copenhagen",
    "Prague": "Europe/Prague",
    "Warsaw": "Europe/Warsaw",
    "Athens": "Europe/Athens",
    "Helsinki": "Europe/Helsinki",
    "Kyiv": "Europe/Kiev",
    "Istanbul": "Europe/Istanbul",
    "Moscow": "Europe/Moscow",
    "Cairo": "Africa/Cairo",
    "Johannesburg": "Africa/Johannesburg",
    "Nairobi": "Africa/Nairobi",
    "Dubai": "Asia/Dubai",
    "Abu Dhabi": "Asia/Dubai",
    "Karachi": "Asia/Karachi",
    "Mumbai": "Asia/Kolkata",
    "New Delhi": "Asia/Kolkata",
    "Kolkata": "Asia/Kolkata",
    "Chennai": "Asia/Kolkata",
    "Bangkok": "Asia/Bangkok",
    "Jakarta": "Asia/Jakarta",
    "Singapore": "Asia/Singapore",
    "Hong Kong": "Asia/Hong_Kong",
    "Beijing": "Asia/Shanghai",
    "Taipei": "Asia/Taipei",
    "Seoul": "Asia/Seoul",
    "Tokyo": "Asia/Tokyo",
    "Osaka": "Asia/Tokyo",
    "Perth": "Australia/Perth",
    "Adelaide": "Australia/Adelaide",
    "Brisbane": "Australia/Brisbane",
    "Sydney": "Australia/Sydney",
    "Melbourne": "Australia/Melbourne",
    "Auckland": "Pacific/Auckland",
    "Wellington": "Pacific/Auckland",
}
"""Rails (Zendesk) time-zone names → IANA; an IANA name is accepted as it is."""


def iana_zone(name: str) -> str:
    """The IANA name of a Zendesk or IANA time-zone name; ValueError if unknown."""
    zone = RAILS_ZONES.get(name.strip(), name.strip())
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown time zone {name!r}; expected a Zendesk name such as "
            "'Eastern Time (US & Canada)' or an IANA name such as 'America/New_York'"
        ) from None
    return zone


@dataclass
class _Draft:
    name: str
    timezone: str
    intervals: list[tuple[int, int]] = field(default_factory=list)
    where: tuple[str, int] = ("", 0)


@dataclass
class FivetranSchedules:
    """Schedules read whole (they are few); ticket assignments streamed when stored."""

    schedules: list[Schedule]
    holidays: list[Holiday]
    records: Records
    fail: Fail

    def store(self, session: Session, source: str) -> StoreStats:
        known = {s.external_id for s in self.schedules}
        holidays = [h for h in self.holidays if h.schedule_external_id in known]
        return store_schedules(
            session, self.schedules, holidays, self._assignments(known), source=source
        )

    def _assignments(self, known: set[str]) -> Iterator[TicketSchedule]:
        for label, line, row in self.records("ticket_schedule"):
            p = Problems(label, line)
            ticket = p.ident(row, "ticket_id", required=True)
            schedule = p.ident(row, "schedule_id", required=True)
            starts = p.when(row, "created_at", required=True)
            if schedule and schedule not in known and not p.errors:
                p.add("schedule_id", f"no schedule with id {schedule} in the schedule table")
            if p.errors or ticket is None or schedule is None or starts is None:
                self.fail(p.errors)
                continue
            yield TicketSchedule(ticket, schedule, starts.astimezone(UTC))


def _minutes(p: Problems, row: dict[str, str], column: str) -> int | None:
    value = (row.get(column) or "").strip()
    try:
        return int(float(value))
    except ValueError:
        p.add(column, f"expected minutes since Sunday 00:00, got {value!r}")
        return None


def _date(p: Problems, row: dict[str, str], column: str) -> date | None:
    value = (row.get(column) or "").strip()
    try:
        if len(value) > 10:  # a timestamp column holding a date
            return datetime.fromisoformat(value).date()
        return date.fromisoformat(value)
    except ValueError:
        p.add(column, f"expected a date such as 2024-12-25, got {value!r}")
        return None


def read_schedules(records: Records, fail: Fail, source: str) -> FivetranSchedules | None:
    """The schedule tables, or None when the export has no `schedule` table."""
    drafts: dict[str, _Draft] = {}
    seen_any = False
    for label, line, row in records("schedule"):
        seen_any = True
        if deleted(row):
            continue
        p = Problems(label, line)
        ident = p.ident(row, "id", required=True)
        start, end = _minutes(p, row, "start_time"), _minutes(p, row, "end_time")
        zone = None
        try:
            zone = iana_zone(row.get("time_zone") or "")
        except ValueError as exc:
            p.add("time_zone", str(exc))
        if p.errors or ident is None or start is None or end is None or zone is None:
            fail(p.errors)
            continue
        draft = drafts.setdefault(
            ident, _Draft(row.get("name") or ident, zone, where=(label, line))
        )
        draft.intervals.append((start, end))
    if not seen_any:
        return None
    schedules = []
    for ident, draft in drafts.items():
        try:
            intervals = tuple(sorted(draft.intervals))
            schedules.append(Schedule(ident, draft.name, draft.timezone, intervals, source=source))
        except ValueError as exc:
            fail([RowError(draft.where[0], draft.where[1], "start_time", str(exc))])
    holidays = []
    for label, line, row in records("schedule_holiday"):
        if deleted(row):
            continue
        p = Problems(label, line)
        ident = p.ident(row, "id", required=True)
        schedule = p.ident(row, "schedule_id", required=True)
        first, last = _date(p, row, "start_date"), _date(p, row, "end_date")
        if p.errors or ident is None or schedule is None or first is None or last is None:
            fail(p.errors)
            continue
        if schedule not in drafts:
            p.add("schedule_id", f"no schedule with id {schedule} in the schedule table")
            fail(p.errors)
            continue
        try:
            holidays.append(Holiday(schedule, ident, first, last, row.get("name") or ""))
        except ValueError as exc:
            p.add("end_date", str(exc))
            fail(p.errors)
    return FivetranSchedules(schedules, holidays, records, fail)
