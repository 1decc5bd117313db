"""Business minutes: time that falls inside a queue's working hours, in its own time zone.

A lead judges a team by the time it could have acted, so a ticket that arrives
on Friday evening and is answered on Monday morning must not count the weekend.
Working hours come from the queue's `business_hours` in the workspace config
(a weekly interval in an IANA time zone); days are walked in local time with
`zoneinfo`, so daylight-saving changes shift the interval as a wall clock does.
Holidays and schedule changes are left to the Zendesk-exact metrics issue.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from casework.config.schema import BusinessHours

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Clock(Protocol):
    """Measures the minutes between two instants: calendar or business."""

    name: str

    def minutes(self, start: datetime, end: datetime) -> float: ...


class CalendarClock:
    """Wall-clock minutes, nights and weekends included."""

    name = "calendar"

    def minutes(self, start: datetime, end: datetime) -> float:
        return max((end - start).total_seconds(), 0.0) / 60


class BusinessClock:
    """Minutes inside one queue's working hours; nights and non-working days count zero."""

    name = "business"

    def __init__(self, hours: BusinessHours) -> None:
        self.zone = ZoneInfo(hours.timezone)
        self.weekdays = frozenset(DAY_NAMES.index(day) for day in hours.days)
        self.open_at = hours.start
        self.close_at = hours.end

    def minutes(self, start: datetime, end: datetime) -> float:
        if end <= start or not self.weekdays:
            return 0.0
        start, end = start.astimezone(UTC), end.astimezone(UTC)
        day = start.astimezone(self.zone).date()
        last = end.astimezone(self.zone).date()
        seconds = 0.0
        while day <= last:
            if day.weekday() in self.weekdays:
                # Converted to UTC so a subtraction never uses wall-clock arithmetic.
                opens = datetime.combine(day, self.open_at, self.zone).astimezone(UTC)
                closes = datetime.combine(day, self.close_at, self.zone).astimezone(UTC)
                low, high = max(opens, start), min(closes, end)
                if high > low:
                    seconds += (high - low).total_seconds()
            day += timedelta(days=1)
        return seconds / 60


def total_minutes(clock: Clock, intervals: Iterable[tuple[datetime, datetime]]) -> float:
    """Sum of `clock` minutes over disjoint intervals."""
    return sum(clock.minutes(start, end) for start, end in intervals)
