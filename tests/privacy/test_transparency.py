"""Transparency: casework's customer-facing text carries the disclosure and is stored marked
machine-written; the weekly report counts messages written by casework and by people."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, insert, select, update

from casework import Workspace
from casework.config.versions import active_config
from casework.insights.report import build_weekly_report, to_markdown
from casework.insights.report_sections import default_providers
from casework.privacy.transparency import authorship
from casework.routing.review import review_draft
from casework.store.tables import DraftRow, MessageRow, TicketRow, WritebackRow
from casework.writeback import enqueue_draft


def test_every_machine_written_draft_carries_the_disclosure(
    helpdesk: Workspace,
) -> None:
    ws = helpdesk
    _, config = active_config(ws)
    with ws.session() as s:
        drafts = s.execute(select(DraftRow.text, DraftRow.machine_written)).all()
    assert drafts
    assert all(machine and config.knowledge.disclosure in text for text, machine in drafts)


def test_an_edit_that_drops_the_disclosure_gets_it_back_on_the_way_out(
    helpdesk: Workspace,
) -> None:
    ws = helpdesk
    _, config = active_config(ws)
    with ws.session() as s:
        draft_id = s.scalars(select(DraftRow.id).order_by(DraftRow.id).limit(1)).one()
        row = review_draft(s, draft_id, "agent-1", "edit", "Your parcel ships tomorrow.")
        # Write-back goes to helpdesks with a client (Zendesk): make this ticket one.
        s.execute(update(TicketRow).where(TicketRow.id == row.ticket_id).values(source="zendesk"))
        queued = enqueue_draft(s, row)
        assert queued is not None
        payload = s.get(WritebackRow, queued.id).payload  # type: ignore[union-attr]
    assert payload["note"].endswith(config.knowledge.disclosure)
    assert payload["machine_written"] is True


def test_weekly_report_counts_messages_by_casework_and_by_people(
    helpdesk: Workspace,
) -> None:
    ws = helpdesk
    now = datetime.now(UTC)
    with ws.session() as s:
        ids = s.scalars(select(DraftRow.id).order_by(DraftRow.id).limit(2)).all()
        sent = [review_draft(s, i, "agent-1", "approve") for i in ids]
        # The first approved draft comes back from the helpdesk as a public agent message;
        # the second is not synced yet. One reply a person wrote themselves.
        rows = [(sent[0].ticket_id, sent[0].final_text), (sent[1].ticket_id, "Sorted, Tom.")]
        for n, (ticket_id, body) in enumerate(rows):
            s.execute(insert(MessageRow).values(
                ticket_id=ticket_id, external_id=f"sync-{n}", position=99, author_role="agent",
                body=body, public=True, created_at=now,
            ))  # fmt: skip
        people = s.scalar(select(func.count()).select_from(MessageRow).where(
            MessageRow.author_role == "agent", MessageRow.public.is_(True),
            MessageRow.created_at >= now - timedelta(hours=1)))  # fmt: skip
    counts = authorship(ws, now - timedelta(hours=1), now + timedelta(hours=1))
    assert (counts.by_casework, counts.approved_not_seen) == (1, 1)
    assert counts.by_people == people - 1 == 1
    week = now.strftime("%G-W%V")
    report = to_markdown(build_weekly_report(ws, week, default_providers()))
    assert "## Who wrote to customers" in report
    assert "| written by casework (disclosed, marked machine-written) | 1 |" in report
