"""The weekly report's QA section: the agents' replies and casework's drafts side by side.

Both are scored with the same rubric and stored apart (`subject`), so a lead
sees in one table whether the drafts are as good as the people's replies, and
on which criteria each falls short, before trusting drafts with more.
"""

from __future__ import annotations

import html
from datetime import datetime

from sqlalchemy import select

from casework.config.versions import active_config
from casework.insights.report import ReportSection
from casework.qa.coach import Item, shares
from casework.qa.scoring import AGENT, DRAFT, rubric_of, rubric_version
from casework.store.tables import QAScoreRow, TicketRow
from casework.workspace import Workspace

TITLE = "Quality assurance"
WORST = 3


def qa_section(ws: Workspace, start: datetime, end: datetime) -> ReportSection:
    """Mean total and worst criteria for tickets created in the period, per subject."""
    _, config = active_config(ws)
    version = rubric_version(rubric_of(config))
    query = (
        select(QAScoreRow.subject, TicketRow.external_id, TicketRow.created_at, QAScoreRow.total,
               QAScoreRow.auto_failed, QAScoreRow.scores)
        .join(TicketRow, TicketRow.id == QAScoreRow.ticket_id)
        .where(QAScoreRow.rubric_version == version,
               TicketRow.created_at >= start, TicketRow.created_at < end)
    )  # fmt: skip
    rows: dict[str, list[Item]] = {AGENT: [], DRAFT: []}
    with ws.session() as session:
        for subject, external_id, created, total, failed, scores in session.execute(query):
            rows.setdefault(subject, []).append((external_id, created, total, failed, scores))
    if not rows[AGENT] and not rows[DRAFT]:
        text = "No conversation or draft from this week is scored yet: run `casework qa score`."
        return ReportSection(TITLE, text, f"<p>{html.escape(text)}</p>")
    table = [
        [label, str(len(items)), _mean(items), str(sum(i[3] for i in items)), _worst(items)]
        for label, items in (("agents", rows[AGENT]), ("casework's drafts", rows[DRAFT]))
    ]
    headers = ["who wrote it", "scored", "mean score", "auto-fails", "worst criteria"]
    md = "| " + " | ".join(headers) + " |\n|" + "---|" * len(headers) + "\n"
    md += "".join("| " + " | ".join(r) + " |\n" for r in table)
    note = "Same rubric for both; drafts are not judged on SLA or resolution (not theirs)."
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in table
    )
    page = f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    return ReportSection(TITLE, f"{md}\n{note}", f"{page}<p>{html.escape(note)}</p>")


def _mean(items: list[Item]) -> str:
    return f"{sum(i[2] for i in items) / len(items):.1f}" if items else "–"


def _worst(items: list[Item]) -> str:
    means = {c: sum(v) / len(v) for c, v in shares(items).items() if v}
    worst = sorted((m, c) for c, m in means.items() if m < 1)[:WORST]
    return ", ".join(f"{c} {m * 100:.0f}%" for m, c in worst) or "none below maximum"
