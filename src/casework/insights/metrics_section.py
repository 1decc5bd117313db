"""The weekly report's "Helpdesk metrics" section, read from the stored per-ticket metrics.

Medians and 90th percentiles per queue of the Zendesk-named metrics for the
tickets solved in the week, in business minutes, computed by the database from
`ticket_metrics` (`casework metrics refresh` fills it). The report's own
operational metrics table stays as it was; this section is the figures a lead
can hold against Zendesk's, ticket by ticket.
"""

from __future__ import annotations

import html
from datetime import datetime
from typing import TYPE_CHECKING

from casework.insights.metrics_store import stored_count, summarise
from casework.insights.report import ReportSection

if TYPE_CHECKING:
    from casework import Workspace

TITLE = "Helpdesk metrics (Zendesk definitions)"
SHOWN = (
    "reply_time_in_minutes",
    "full_resolution_time_in_minutes",
    "requester_wait_time_in_minutes",
)


def _minutes(value: float | None) -> str:
    if value is None:
        return "–"
    if value >= 120:
        return f"{value / 60:.1f} h"
    return f"{value:.0f} min"


def helpdesk_metrics_section(ws: Workspace, start: datetime, end: datetime) -> ReportSection:
    """Per queue: tickets solved in [start, end), median / p90 business minutes of each metric."""
    with ws.session() as session:
        if not stored_count(session):
            text = "No stored per-ticket metrics: run `casework metrics refresh`."
            return ReportSection(TITLE, text, f"<p>{html.escape(text)}</p>")
        rows = [
            r
            for r in summarise(session, "queue", "solved", start, end, metrics=SHOWN)
            if r.clock == "business"
        ]
    if not rows:
        text = "No ticket solved this week has stored metrics."
        return ReportSection(TITLE, text, f"<p>{html.escape(text)}</p>")
    table: dict[str, dict[str, str]] = {}
    counts: dict[str, int] = {}
    for r in rows:
        table.setdefault(r.group, {})[r.metric] = f"{_minutes(r.median)} / {_minutes(r.p90)}"
        counts[r.group] = max(counts.get(r.group, 0), r.n)
    headers = ["queue", "solved", "first reply", "full resolution", "requester wait"]
    body = [
        [queue, str(counts[queue]), *(cells.get(m, "–") for m in SHOWN)]
        for queue, cells in sorted(table.items())
    ]
    note = (
        "Median / 90th percentile in business minutes, per queue, for tickets solved this "
        "week; definitions in docs/metrics.md (as of the last `casework metrics refresh`)."
    )
    md = "| " + " | ".join(headers) + " |\n|" + "---|" * len(headers) + "\n"
    md += "".join("| " + " | ".join(row) + " |\n" for row in body) + "\n" + note
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    cells_html = "".join(
        "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in body
    )
    page = (
        f"<table><thead><tr>{head}</tr></thead><tbody>{cells_html}</tbody></table>"
        f"<p>{html.escape(note)}</p>"
    )
    return ReportSection(TITLE, md, page)
