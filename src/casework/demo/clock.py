"""The demo's calendar: a fixed "now", its weeks, and the support team's hours.

Everything is anchored on `REFERENCE_DATE` instead of today's date, so two runs
with the same seed produce byte-identical helpdesks. Support works in one
fixed timezone (CET, UTC+1; daylight saving is deliberately ignored), which is
what makes first-reply times follow business hours rather than the clock.
"""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, timedelta, timezone

REFERENCE_DATE = datetime(2026, 11, 23, tzinfo=UTC)
"""Monday 00:00 UTC: the snapshot moment. Nothing in the demo happens after it."""

LOCAL = timezone(timedelta(hours=1), "CET")

# Support hours per weekday (Mon=0), local time: (open hour, close hour).
SUPPORT_HOURS: dict[int, tuple[int, int]] = {
    0: (8, 20),
    1: (8, 20),
    2: (8, 20),
    3: (8, 20),
    4: (8, 20),
    5: (10, 16),
    6: (10, 16),
}

# When customers write: relative weight per weekday and per local hour.
DAY_WEIGHTS = (1.3, 1.12, 1.0, 1.0, 0.95, 0.7, 0.78)
HOUR_WEIGHTS = (
    0.25, 0.12, 0.07, 0.05, 0.05, 0.1, 0.3, 0.7, 1.2, 1.6, 1.8, 1.8,
    1.6, 1.6, 1.5, 1.45, 1.4, 1.35, 1.35, 1.5, 1.6, 1.45, 1.0, 0.55,
)  # fmt: skip


def period_start(weeks: int) -> datetime:
    """Monday 00:00 UTC of the first demo week."""
    return REFERENCE_DATE - timedelta(weeks=weeks)


def week_of(moment: datetime, weeks: int) -> int:
    """1-based week number of `moment` within the demo period."""
    return (moment - period_start(weeks)).days // 7 + 1


def is_open(moment: datetime) -> bool:
    """Whether the support team is working at `moment`."""
    local = moment.astimezone(LOCAL)
    start, end = SUPPORT_HOURS[local.weekday()]
    return start <= local.hour < end


def add_business_minutes(moment: datetime, minutes: float) -> datetime:
    """`moment` plus `minutes` of support-team working time.

    A ticket written on Saturday night is first seen on Sunday morning: the
    wait outside opening hours does not consume the agent's reaction time.
    """
    local = moment.astimezone(LOCAL)
    remaining = timedelta(minutes=minutes)
    for _ in range(60):  # at most two months of calendar walking
        start_hour, end_hour = SUPPORT_HOURS[local.weekday()]
        day = local.replace(hour=0, minute=0, second=0, microsecond=0)
        opens, closes = day + timedelta(hours=start_hour), day + timedelta(hours=end_hour)
        if local < opens:
            local = opens
        if local < closes:
            available = closes - local
            if remaining <= available:
                return (local + remaining).astimezone(UTC)
            remaining -= available
        local = day + timedelta(days=1, hours=SUPPORT_HOURS[(local.weekday() + 1) % 7][0])
    return (local + remaining).astimezone(UTC)


def arrival_in_week(rng: random.Random, week: int, weeks: int) -> datetime:
    """A moment in the given week drawn from customers' day and hour habits."""
    monday = period_start(weeks) + timedelta(weeks=week - 1)
    day = rng.choices(range(7), weights=DAY_WEIGHTS)[0]
    hour = rng.choices(range(24), weights=HOUR_WEIGHTS)[0]
    local_day = monday.astimezone(LOCAL).replace(hour=0, minute=0, second=0) + timedelta(days=day)
    moment = local_day + timedelta(hours=hour, seconds=rng.randrange(3600))
    moment = moment.astimezone(UTC)
    # The local-time shift may leave the week by an hour; fold it back inside.
    end = monday + timedelta(weeks=1)
    if moment < monday:
        moment += timedelta(days=7)
    if moment >= end:
        moment -= timedelta(days=7)
    return moment.replace(microsecond=0)


def lognormal_minutes(rng: random.Random, median: float, spread: float) -> float:
    """A right-skewed delay: most are near `median`, a few are much longer."""
    return rng.lognormvariate(math.log(median), spread)
