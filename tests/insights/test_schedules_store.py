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
