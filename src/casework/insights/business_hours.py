"""Business minutes: time that falls inside a queue's working hours, in its own time zone.

A lead judges a team by the time it could have acted, so a ticket that arrives
on Friday evening and is answered on Monday morning must not count the weekend.
Working hours come from the queue's `business_hours` in the workspace config
(a weekly interval in an IANA time zone); days are walked in local time with
`zoneinfo`, so daylight-saving changes shift the interval as a wall clock does.

`CompiledSchedule` is the fast path for the Zendesk-exact per-ticket metrics:
a schedule (several intervals a day, holidays) is expanded once into sorted UTC
open/close instants with a running total of business seconds, so the business
seconds between any two instants are `F(end) - F(start)`, looked up with
`numpy.searchsorted` for a whole batch of intervals at a time.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Protocol
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

from casework.config.schema import BusinessHours

if TYPE_CHECKING:
    from casework.insights.schedules import Schedule

Seconds = npt.NDArray[np.float64]

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


class CompiledSchedule:
    """A schedule expanded into UTC open/close instants over a range of years.

    `opens[i]`/`closes[i]` are epoch seconds of the i-th working interval (local
    wall-clock times converted with `zoneinfo`, so a daylight-saving change moves
    them as the team's clocks move; holidays and overlaps removed), and
    `before[i]` the business seconds of all intervals before it. `F(t)`, the
    business seconds from the first interval up to `t`, is then one
    `searchsorted`; the range grows on demand when an instant falls outside it.
    """

    def __init__(self, schedule: Schedule, first_year: int = 2000, last_year: int = 2040) -> None:
        self.schedule = schedule
        self.zone = ZoneInfo(schedule.timezone)
        self.first_year, self.last_year = first_year, last_year
        self._build()

    def _build(self) -> None:
        by_weekday: dict[int, list[tuple[int, int]]] = {}
        for start, end in self.schedule.intervals:
            # Zendesk counts from Sunday; Python's weekday() from Monday.
            weekday = (start // 1440 - 1) % 7
            by_weekday.setdefault(weekday, []).append((start % 1440, end - start // 1440 * 1440))
        closed: set[date] = set()
        for holiday in self.schedule.holidays:
            day = holiday.start_date
            while day <= holiday.end_date:
                closed.add(day)
                day += timedelta(days=1)
        spans: list[tuple[float, float]] = []
        day = date(self.first_year, 1, 1)
        last = date(self.last_year, 12, 31)
        while day <= last:
            todays = by_weekday.get(day.weekday())
            if todays and day not in closed:
                midnight = datetime.combine(day, time(0), self.zone)
                for start, end in todays:
                    # Aware + timedelta is wall-clock arithmetic; .timestamp() then
                    # applies the offset in force at that local time.
                    spans.append(
                        (
                            (midnight + timedelta(minutes=start)).timestamp(),
                            (midnight + timedelta(minutes=end)).timestamp(),
                        )
                    )
            day += timedelta(days=1)
        spans.sort()
        merged: list[list[float]] = []
        for opens, closes in spans:
            if closes <= opens:
                continue
            if merged and opens <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], closes)
            else:
                merged.append([opens, closes])
        table = np.array(merged, dtype=np.float64).reshape(-1, 2)
        self.opens = table[:, 0].copy()
        self.closes = table[:, 1].copy()
        lengths = self.closes - self.opens
        self.before = np.concatenate(([0.0], np.cumsum(lengths)[:-1])) if len(lengths) else lengths
        self.low = datetime(self.first_year, 1, 2, tzinfo=UTC).timestamp()
        self.high = datetime(self.last_year, 12, 30, tzinfo=UTC).timestamp()

    def _cover(self, instants: Seconds) -> None:
        if not len(instants):
            return
        lo, hi = float(instants.min()), float(instants.max())
        if lo >= self.low and hi <= self.high:
            return
        self.first_year = min(self.first_year, datetime.fromtimestamp(lo, UTC).year - 1)
        self.last_year = max(self.last_year, datetime.fromtimestamp(hi, UTC).year + 1)
        self._build()

    def cumulative(self, instants: Seconds) -> Seconds:
        """F(t): business seconds from the start of the compiled range to each instant."""
        self._cover(instants)
        if not len(self.opens):
            return np.zeros_like(instants)
        index = np.searchsorted(self.opens, instants, side="right") - 1
        safe = np.clip(index, 0, None)
        inside = np.minimum(instants, self.closes[safe]) - self.opens[safe]
        return np.where(index >= 0, self.before[safe] + inside, 0.0)

    def seconds(self, starts: Seconds, ends: Seconds) -> Seconds:
        """Business seconds of each [start, end) pair; zero where end <= start."""
        value = self.cumulative(ends) - self.cumulative(starts)
        return np.where(ends > starts, value, 0.0)
