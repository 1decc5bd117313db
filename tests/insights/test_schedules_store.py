"""`store_schedules`, the importers' entry point: idempotent, validated, read back whole."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from casework import Workspace
from casework.domain import Ticket
from casework.insights.schedules import (
    Holiday,
    Schedule,
    TicketSchedule,
    load_schedules,
    store_schedules,
    ticket_schedule_changes,
)
from casework.store.repository import upsert_tickets
from casework.store.tables import ScheduleHolidayRow, ScheduleRow, TicketScheduleRow

CREATED = datetime(2026, 3, 2, 8, tzinfo=UTC)
# Monday-Friday 09:00-17:00: Sunday 00:00 + 1 day + 9 h = 1980 minutes.
WEEKDAYS = tuple((d * 1440 + 540, d * 1440 + 1020) for d in range(1, 6))


def test_store_schedules_is_idempotent_and_reads_back(workspace: Workspace) -> None:
    with workspace.session() as session:
        upsert_tickets(
            session,
            [Ticket(source="zendesk", external_id="7", subject="x", created_at=CREATED)],
        )
    berlin = Schedule("11", "Berlin", "Europe/Berlin", WEEKDAYS)
    tokyo = Schedule("12", "Tokyo", "Asia/Tokyo", WEEKDAYS[:3])
    holiday = Holiday("11", "h1", date(2026, 4, 3), date(2026, 4, 6), "Easter")
    assignments = [
        TicketSchedule("7", "11", CREATED),
        TicketSchedule("7", "12", datetime(2026, 3, 3, 12, tzinfo=UTC)),
        TicketSchedule("404", "11", CREATED),
    ]
    for _ in range(2):
        with workspace.session() as session:
            stats = store_schedules(session, [berlin, tokyo], [holiday], assignments)
            session.commit()
        assert (stats.schedules, stats.holidays, stats.ticket_schedules) == (2, 1, 2)
        assert stats.unknown_tickets == ["404"]
    with workspace.session() as session:
        counts = [
            session.scalar(select(func.count()).select_from(t))
            for t in (ScheduleRow, ScheduleHolidayRow, TicketScheduleRow)
        ]
        assert counts == [2, 1, 2]
        loaded = {s.name: s for s in load_schedules(session).values()}
        assert loaded["Berlin"].intervals == WEEKDAYS
        assert loaded["Berlin"].timezone == "Europe/Berlin"
        assert [(h.start_date, h.end_date) for h in loaded["Berlin"].holidays] == [
            (date(2026, 4, 3), date(2026, 4, 6))
        ]
        assert loaded["Tokyo"].holidays == ()
        (changes,) = ticket_schedule_changes(session, [1]).values()
        ids = {s.name: sid for sid, s in load_schedules(session).items()}
        assert changes == [
            (CREATED, ids["Berlin"]),
            (datetime(2026, 3, 3, 12, tzinfo=UTC), ids["Tokyo"]),
        ]


def test_bad_schedules_are_refused_with_their_name() -> None:
    with pytest.raises(ValueError, match=r"schedule 'Mars'.*unknown time zone 'Mars/Olympus'"):
        Schedule("1", "Mars", "Mars/Olympus", WEEKDAYS)
    with pytest.raises(ValueError, match=r"schedule 'Late'.*spans midnight"):
        Schedule("2", "Late", "UTC", ((1380, 1500),))
    with pytest.raises(ValueError, match=r"holiday 'Oops'.*before start_date"):
        Holiday("1", "h", date(2026, 1, 2), date(2026, 1, 1), "Oops")


def test_an_assignment_to_an_unknown_schedule_is_an_error(workspace: Workspace) -> None:
    with workspace.session() as session, pytest.raises(ValueError, match="schedule '99'"):
        store_schedules(session, [], [Holiday("99", "h", date(2026, 1, 1), date(2026, 1, 1))])


def test_a_compiled_schedule_agrees_with_the_day_by_day_clock() -> None:
    """The searchsorted fast path against the plain walk over local days (BusinessClock)."""
    import random
    from datetime import time, timedelta

    import numpy as np

    from casework.config.schema import BusinessHours
    from casework.insights.business_hours import BusinessClock, CompiledSchedule
    from casework.insights.schedules import schedule_from_business_hours

    hours = BusinessHours(
        timezone="America/New_York", days=["mon", "wed", "thu", "sat"], start=time(8, 30),
        end=time(18),
    )  # fmt: skip
    compiled = CompiledSchedule(schedule_from_business_hours("ny", hours), 2025, 2027)
    clock = BusinessClock(hours)
    rng = random.Random(7)
    base = datetime(2026, 1, 1, tzinfo=UTC)
    pairs = []
    for _ in range(300):
        start = base + timedelta(minutes=rng.randrange(0, 365 * 24 * 60))
        pairs.append((start, start + timedelta(minutes=rng.randrange(0, 20 * 24 * 60))))
    starts = np.array([s.timestamp() for s, _ in pairs])
    ends = np.array([e.timestamp() for _, e in pairs])
    fast = compiled.seconds(starts, ends) / 60
    slow = [clock.minutes(s, e) for s, e in pairs]
    assert np.allclose(fast, slow)
    assert any(v > 0 for v in slow) and any(v == 0 for v in slow)


def test_a_config_schedule_and_a_queue_pointing_at_a_missing_one() -> None:
    from casework.config.loader import ConfigError, load_config_text
    from casework.insights.schedules import config_schedules

    text = (
        "queues:\n"
        "  - {key: a, name: A, owner: L, schedule: split}\n"
        "  - {key: b, name: B, owner: L}\n"
        "default_queue: a\n"
        "schedules:\n"
        "  split:\n"
        "    timezone: Europe/Berlin\n"
        "    intervals:\n"
        "      - {days: [mon, fri], start: '09:00', end: '12:00'}\n"
        "      - {days: [mon], start: '13:00', end: '17:00'}\n"
        "    holidays: [{start: 2026-12-24, end: 2026-12-26}]\n"
    )
    named, by_queue = config_schedules(load_config_text(text, "casework.yaml"))
    # Monday = 1440 + minutes; Friday = 5 * 1440 + minutes.
    assert named["split"].intervals == ((1980, 2160), (2220, 2460), (7740, 7920))
    assert [(h.start_date, h.end_date) for h in named["split"].holidays] == [
        (date(2026, 12, 24), date(2026, 12, 26))
    ]
    assert by_queue["a"] is named["split"]
    assert by_queue["b"].intervals == tuple((d * 1440 + 540, d * 1440 + 1020) for d in range(1, 6))
    broken = text.replace("schedule: split", "schedule: nope")
    with pytest.raises(ConfigError, match=r"queues\[0\]\.schedule.*'nope' is not in `schedules`"):
        load_config_text(broken, "casework.yaml")
