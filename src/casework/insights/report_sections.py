"""The weekly report's analysis sections: top issues, spikes, knowledge gaps.

Each provider turns one analysis into a `ReportSection` for the report's
period, escaping every value that came from ticket text.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from datetime import datetime, timedelta

from sqlalchemy import select

from casework.insights.gaps import Gap, find_gaps
from casework.insights.metrics_section import helpdesk_metrics_section
from casework.insights.report import ReportSection, SectionProvider
from casework.insights.topics import TopicSummary, top_topics
from casework.insights.trends import Alert, find_alerts
from casework.knowledge.index_store import workspace_retriever
from casework.privacy.transparency import transparency_section
from casework.qa.report_section import qa_section
from casework.store.tables import RoutingDecisionRow, TicketRow, TopicRow
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
    return _topics(top_topics(ws, since=start, until=end, limit=5))


def _topics(found: list[TopicSummary]) -> ReportSection:
    if not found:
        text = "No topics yet: run `casework insights refresh`."
        return ReportSection("Top recurring issues", text, f"<p>{html.escape(text)}</p>")
    rows = [[t.label, ", ".join(t.terms[:5]), str(t.count), f"{t.change:+d}"] for t in found]
    md, table = _table(["issue", "terms", "tickets", "vs last week"], rows)
    return ReportSection("Top recurring issues", md, table)


def spikes_section(ws: Workspace, start: datetime, end: datetime) -> ReportSection:
    week = start.strftime("%G-W%V")
    with ws.session() as session:
        return _spikes(find_alerts(session, week), week)


def topic_labels(ws: Workspace) -> dict[str, str]:
    """Topic id (as alerts and gaps name it) → its readable label."""
    with ws.session() as s:
        return {str(i): label for i, label in s.execute(select(TopicRow.id, TopicRow.label))}


def _name(kind: str, key: str, labels: Mapping[str, str]) -> str:
    return f"topic '{labels[key]}'" if kind == "topic" and key in labels else f"{kind} {key}"


def _spikes(
    alerts: list[Alert], week: str, labels: Mapping[str, str] | None = None
) -> ReportSection:
    if not alerts:
        text = f"No spike or emerging series in {week}."
        return ReportSection("Spikes and emerging topics", text, f"<p>{html.escape(text)}</p>")
    rows = [
        [
            _name(a.series_kind, a.series_key, labels or {}),
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
    retriever = workspace_retriever(ws, fallback="minilm")
    with ws.session() as session:
        gaps, threshold = find_gaps(session, retriever, since=GAP_WINDOW)
    return _gaps(gaps, threshold)


def _gaps(
    gaps: list[Gap], threshold: float, labels: Mapping[str, str] | None = None
) -> ReportSection:
    if not gaps:
        text = "No knowledge gap stands out in the last four weeks."
        return ReportSection("Knowledge gaps", text, f"<p>{html.escape(text)}</p>")
    rows = [
        [
            _name(g.group_kind, g.group_key, labels or {}),
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


class WeeklySections:
    """Computes each analysis once and derives the lead's decisions from the same results."""

    def __init__(self) -> None:
        self.topics: list[TopicSummary] = []
        self.alerts: list[Alert] = []
        self.gaps: list[Gap] = []
        self.labels: dict[str, str] = {}

    def topics_section(self, ws: Workspace, start: datetime, end: datetime) -> ReportSection:
        self.topics = top_topics(ws, since=start, until=end, limit=5)
        self.labels = topic_labels(ws)
        return _topics(self.topics)

    def spikes_section(self, ws: Workspace, start: datetime, end: datetime) -> ReportSection:
        week = start.strftime("%G-W%V")
        with ws.session() as session:
            self.alerts = find_alerts(session, week)
        return _spikes(self.alerts, week, self.labels)

    def gaps_section(self, ws: Workspace, start: datetime, end: datetime) -> ReportSection:
        with ws.session() as session:
            self.gaps, threshold = find_gaps(
                session, workspace_retriever(ws, fallback="minilm"), since=GAP_WINDOW
            )
        return _gaps(self.gaps, threshold, self.labels)

    def decisions_section(self, ws: Workspace, start: datetime, end: datetime) -> ReportSection:
        share = escalation_share(ws, start, end)
        items = decisions(self.alerts, self.gaps, self.topics, share, self.labels)
        if not items:
            items = ["Nothing this week calls for a change: no spike, gap or escalation surge."]
        md = "\n".join(f"{n}. {item}" for n, item in enumerate(items, start=1))
        body = "".join(f"<li>{html.escape(item)}</li>" for item in items)
        return ReportSection("Decisions for this week", md, f"<ol>{body}</ol>")

    def providers(self) -> dict[str, SectionProvider]:
        return {
            "topics": self.topics_section,
            "spikes": self.spikes_section,
            "gaps": self.gaps_section,
            "qa": qa_section,
            "helpdesk_metrics": helpdesk_metrics_section,
            "transparency": transparency_section,
            "decisions": self.decisions_section,
        }


def escalation_share(ws: Workspace, start: datetime, end: datetime) -> tuple[int, int]:
    """(escalated, routed) among tickets created in the period, newest decision each."""
    with ws.session() as s:
        rows = s.execute(
            select(RoutingDecisionRow.ticket_id, RoutingDecisionRow.escalate)
            .join(TicketRow, TicketRow.id == RoutingDecisionRow.ticket_id)
            .where(TicketRow.created_at >= start, TicketRow.created_at < end)
            .order_by(RoutingDecisionRow.id)
        ).all()
    newest = {ticket: escalate for ticket, escalate in rows}
    return sum(newest.values()), len(newest)


def decisions(
    alerts: list[Alert],
    gaps: list[Gap],
    topics: list[TopicSummary],
    escalation: tuple[int, int],
    labels: Mapping[str, str] | None = None,
) -> list[str]:
    """What a lead should act on, each with the figures behind it."""
    out: list[str] = []
    for a in [a for a in alerts if a.granularity == "week"][:3]:
        terms = ", ".join(a.trigger_terms[:4]) or "no clear trigger terms"
        out.append(
            f"Investigate the rise in {_name(a.series_kind, a.series_key, labels or {})}: "
            f"{a.count} tickets in "
            f"{a.period} against a baseline of {a.baseline:.0f} (p = {a.p_value:.0e}); trigger "
            f"terms: {terms}. A proactive notice or macro may absorb it."
        )
    for g in gaps[:2]:
        out.append(
            f"Write or fix help content for {_name(g.group_kind, g.group_key, labels or {})} "
            f"({g.tickets} weakly "
            f"answered tickets, {g.agent_replies:.1f} agent replies each): review its draft "
            "article (`casework insights gaps --draft-articles`)."
        )
    for t in topics:
        if t.previous and t.count >= 20 and t.count >= 1.5 * t.previous:
            out.append(
                f"Topic '{t.label}' grew from {t.previous} to {t.count} tickets: assign an owner."
            )
    escalated, routed = escalation
    if routed and escalated / routed > 0.4:
        out.append(
            f"{escalated} of {routed} tickets ({escalated / routed:.0%}) were escalated: review "
            "the escalation policy (e.g. escalation.negative_sentiment_at) with `casework "
            "config dry-run` before changing it."
        )
    return out


def default_providers() -> dict[str, SectionProvider]:
    """Fresh providers for one report (they share the analyses they compute)."""
    return WeeklySections().providers()


DEFAULT_PROVIDERS: dict[str, SectionProvider] = {
    "topics": topics_section,
    "spikes": spikes_section,
    "gaps": gaps_section,
    "qa": qa_section,
    "helpdesk_metrics": helpdesk_metrics_section,
}
"""Stateless providers without the decisions section; `default_providers()` adds it."""
