"""The weekly report shows the week's own numbers, in Markdown and in HTML with charts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from casework import Workspace
from casework.cli import app
from casework.domain import FieldChange, Message, Ticket, TicketStatus
from casework.insights.report import (
    ReportSection,
    build_weekly_report,
    parse_week,
    to_html,
    to_markdown,
)
from casework.store.repository import upsert_tickets

MON = datetime(2026, 2, 23, tzinfo=UTC)  # Monday of 2026-W09


def solved_ticket(ext: str, created: datetime, queue: str, reply_minutes: int) -> Ticket:
    reply = created + timedelta(minutes=reply_minutes)
    solved = reply + timedelta(hours=2)
    return Ticket(
        source="test",
        external_id=ext,
        created_at=created,
        queue=queue,
        status=TicketStatus.solved,
        solved_at=solved,
        messages=[
            Message(author_role="customer", body="Help", created_at=created),
            Message(author_role="agent", body="Done", created_at=reply),
        ],
        changes=[
            FieldChange(field="status", old_value=None, new_value="new", changed_at=created),
            FieldChange(field="status", old_value="new", new_value="solved", changed_at=solved),
        ],
    )


@pytest.fixture
def week9(workspace: Workspace) -> Workspace:
    tickets = [
        solved_ticket("a", MON + timedelta(hours=10), "billing", 30),
        solved_ticket("b", MON + timedelta(days=1, hours=10), "billing", 90),
        solved_ticket("c", MON + timedelta(days=2, hours=10), "technical", 60),
        solved_ticket("prev", MON - timedelta(days=3), "billing", 10),
    ]
    with workspace.session() as session:
        upsert_tickets(session, tickets)
    return workspace


def test_the_report_has_the_weeks_numbers_in_both_formats(week9: Workspace) -> None:
    report = build_weekly_report(week9, "2026-W09")
    assert (report.volume.count, report.volume.previous) == (3, 1)
    assert [(q.key, q.count, q.previous) for q in report.queues] == [
        ("billing", 2, 1),
        ("technical", 1, 0),
    ]
    assert report.daily[0] == ("2026-02-23", 1) and report.daily[6] == ("2026-03-01", 0)

    markdown = to_markdown(report)
    assert "# Weekly support report — 2026-W09" in markdown
    assert "3 tickets created (+200% vs 1 the week before), 3 solved" in markdown
    assert "| first_reply_time | 60 min |" in markdown  # median of 30, 60, 90
    assert "| billing | 2 | 1 | +100% |" in markdown
    assert "<!-- slot:topics -->" in markdown and "no topics analysis is connected" in markdown

    page = to_html(report)
    assert page.count("<svg") == 2 and "Tickets per queue" in page
    assert "<td>first_reply_time</td><td>60 min</td>" in page


def test_a_connected_section_replaces_its_slot(week9: Workspace) -> None:
    def topics(ws: Workspace, start: datetime, end: datetime) -> ReportSection:
        return ReportSection("Top recurring issues", f"- from {start:%Y-%m-%d}", "<ul></ul>")

    report = build_weekly_report(week9, "2026-W09", providers={"topics": topics})
    assert "- from 2026-02-23" in to_markdown(report)
    assert "no topics analysis" not in to_markdown(report)


def test_the_cli_writes_the_report(week9: Workspace, tmp_path: Path) -> None:
    if not week9.is_sqlite:
        pytest.skip("the CLI opens the workspace folder's SQLite file")
    out = tmp_path / "week.html"
    result = CliRunner().invoke(
        app,
        ["report", "weekly", "--week", "2026-W09", "--format", "html", "--out", str(out),
         "-w", str(week9.path)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "<svg" in out.read_text()
    bad = CliRunner().invoke(app, ["report", "weekly", "--week", "W9", "-w", str(week9.path)])
    assert bad.exit_code == 2


def test_weeks_are_iso_weeks() -> None:
    assert parse_week("2026-W09") == MON
    with pytest.raises(ValueError, match="ISO week"):
        parse_week("2026-09")
