"""Transparency: machine-written text says so, and the weekly report counts who wrote to customers.

Drafting appends the configured disclosure (`knowledge.disclosure`) as a draft's last
paragraph and stores the draft with `machine_written = true`. A person may edit the
draft before it goes out; `with_disclosure` puts the draft's disclosure back if the
edit dropped it, so a reply casework wrote never reaches a customer unmarked.

Who wrote to customers: a public agent message in the helpdesk counts as casework's
when it is a reviewed machine-written draft's final text (sent through the helpdesk and
synced back) or carries a disclosure; every other public agent message was written by a
person. Drafts approved but not (yet) seen as a message are counted apart.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from casework.insights.report import ReportSection
from casework.store.tables import DraftRow, MessageRow
from casework.workspace import Workspace


def disclosure_of(draft_text: str) -> str:
    """The disclosure a draft was written with: its last paragraph."""
    return draft_text.rstrip().rsplit("\n\n", 1)[-1].strip()


def with_disclosure(final_text: str, draft_text: str, machine_written: bool = True) -> str:
    """`final_text`, ending with the draft's disclosure when casework wrote the draft."""
    disclosure = disclosure_of(draft_text)
    if not machine_written or not disclosure or disclosure in final_text:
        return final_text
    return f"{final_text.rstrip()}\n\n{disclosure}"


@dataclass(frozen=True)
class Authorship:
    """Customer-facing messages of a period by who wrote them."""

    by_casework: int
    by_people: int
    approved_not_seen: int
    """Machine-written drafts reviewed in the period and not (yet) among the messages."""

    @property
    def total(self) -> int:
        return self.by_casework + self.by_people


def _norm(text: str) -> str:
    return " ".join(text.split())


def authorship(ws: Workspace, start: datetime, end: datetime) -> Authorship:
    with ws.session() as s:
        drafts = s.execute(
            select(DraftRow.ticket_id, DraftRow.final_text, DraftRow.text).where(
                DraftRow.machine_written.is_(True),
                DraftRow.state.in_(("approved", "edited")),
                DraftRow.reviewed_at >= start,
                DraftRow.reviewed_at < end,
            )
        ).all()
        messages = s.execute(
            select(MessageRow.ticket_id, MessageRow.body).where(
                MessageRow.author_role == "agent",
                MessageRow.public.is_(True),
                MessageRow.created_at >= start,
                MessageRow.created_at < end,
            )
        ).all()
    sent = {(tid, _norm(final or "")) for tid, final, _ in drafts}
    disclosures = {disclosure_of(text) for _, _, text in drafts if text}
    seen: set[tuple[int, str]] = set()
    machine = 0
    for tid, body in messages:
        key = (tid, _norm(body))
        if key in sent or any(d and d in body for d in disclosures):
            machine += 1
            seen.add(key)
    return Authorship(machine, len(messages) - machine, len(sent - seen))


def transparency_section(ws: Workspace, start: datetime, end: datetime) -> ReportSection:
    """The weekly report's "Who wrote to customers" section."""
    a = authorship(ws, start, end)
    share = f"{a.by_casework / a.total:.0%}" if a.total else "—"
    rows = [
        ("written by casework (disclosed, marked machine-written)", a.by_casework),
        ("written by people", a.by_people),
        ("casework drafts approved, not yet seen in the helpdesk", a.approved_not_seen),
    ]
    md = "| customer-facing messages | count |\n|---|---|\n"
    md += "".join(f"| {label} | {n:,} |\n" for label, n in rows)
    md += f"\nShare written by casework: {share}."
    body = "".join(f"<tr><td>{html.escape(label)}</td><td>{n:,}</td></tr>" for label, n in rows)
    page = (
        f"<table><thead><tr><th>customer-facing messages</th><th>count</th></tr></thead>"
        f"<tbody>{body}</tbody></table><p>Share written by casework: {share}.</p>"
    )
    return ReportSection("Who wrote to customers", md, page)
