"""The weekly report's analysis sections: top issues, spikes, knowledge gaps.

Each provider turns one analysis into a `ReportSection` for the report's
period, escaping every value that came from ticket text.
"""

from __future__ import annotations

import html
from datetime import datetime, timedelta

from casework.insights.gaps import find_gaps
from casework.insights.report import ReportSection, SectionProvider
from casework.insights.topics import top_topics
from casework.insights.trends import find_alerts
from casework.knowledge.index_store import workspace_retriever
from casework.workspace import Workspace

GAP_WINDOW = timedelta(weeks=4)


def _table(headers: list[str], rows: list[list[str]]) -> tuple[str, str]:
    md = "| " + " | ".join(headers) + " |\n|" + "---|" * len(headers) + "\n"
    md += "".join("| " + " | ".join(r) + " |\n" for r in rows)
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in rows
    )
    return md, f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def topics_section(ws: Workspace, start: datetime, end: datetime) -> ReportSection:
    found = top_topics(ws, since=start, until=end, limit=5)
    if not found:
        text = "No topics yet: run `casework insights refresh`."
        return ReportSection("Top recurring issues", text, f"<p>{html.escape(text)}</p>")
    rows = [[t.label, ", ".join(t.terms[:5]), str(t.count), f"{t.change:+d}"] for t in found]
    md, table = _table(["issue", "terms", "tickets", "vs last week"], rows)
    return ReportSection("Top recurring issues", md, table)


def spikes_section(ws: Workspace, start: datetime, end: datetime) -> ReportSection:
    week = start.strftime("%G-W%V")
    with ws.session() as session:
        alerts = find_alerts(session, week)
    if not alerts:
        text = f"No spike or emerging series in {week}."
        return ReportSection("Spikes and emerging topics", text, f"<p>{html.escape(text)}</p>")
    rows = [
        [
            f"{a.series_kind} {a.series_key}",
            a.period,
            str(a.count),
            f"{a.baseline:.1f}",
            f"{a.p_value:.1e}",
            ", ".join(a.trigger_terms[:5]),
        ]
        for a in alerts[:10]
    ]
    md, table = _table(["series", "period", "tickets", "baseline", "p", "trigger terms"], rows)
    return ReportSection("Spikes and emerging topics", md, table)


def gaps_section(ws: Workspace, start: datetime, end: datetime) -> ReportSection:
    retriever = workspace_retriever(ws, "minilm")
    with ws.session() as session:
        gaps, threshold = find_gaps(session, retriever, since=GAP_WINDOW)
    if not gaps:
        text = "No knowledge gap stands out in the last four weeks."
        return ReportSection("Knowledge gaps", text, f"<p>{html.escape(text)}</p>")
    rows = [
        [
            f"{g.group_kind} {g.group_key}",
            ", ".join(g.terms[:5]),
            str(g.tickets),
            f"{g.agent_replies:.1f}",
        ]
        for g in gaps[:3]
    ]
    md, table = _table(["gap", "terms", "weakly answered tickets", "agent replies/ticket"], rows)
    note = (
        f"\n\nWeak match: best article passage cosine ≤ {threshold:.2f}. "
        "`casework insights gaps --draft-articles` drafts an article per gap for review."
    )
    return ReportSection("Knowledge gaps", md + note, table + f"<p>{html.escape(note.strip())}</p>")


DEFAULT_PROVIDERS: dict[str, SectionProvider] = {
    "topics": topics_section,
    "spikes": spikes_section,
    "gaps": gaps_section,
}
