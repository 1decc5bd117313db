"""The MCP tools' queries: read the store through the core, return plain JSON-ready data.

Nothing here writes to the store (a fresh draft is computed, never saved), and
nothing here redacts: the server passes every result through one egress
function so no tool can forget to.
"""

from __future__ import annotations

import re
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select

from casework.insights.compare import parse_range
from casework.insights.gaps import find_gaps
from casework.insights.metrics import DIMENSIONS, compute_metrics, registry
from casework.insights.report import parse_week
from casework.insights.topics import top_topics
from casework.insights.trends import daily_counts, find_alerts, iso_week, weekly_counts
from casework.knowledge.compose import draft_reply as compose_draft
from casework.knowledge.index_store import workspace_retriever
from casework.store import repository
from casework.store.tables import (
    QueueRow,
    RoutingDecisionRow,
    TicketRow,
    TopicRow,
    TriageResultRow,
)
from casework.workspace import Workspace

_RELATIVE = re.compile(r"^\s*(\d{1,4})\s*([dw])\s*$", re.IGNORECASE)
MAX_SEARCH = 50
MAX_SERIES = 40


# -- periods -------------------------------------------------------------------------


def newest_ticket(ws: Workspace) -> datetime:
    """Relative periods end at the newest ticket, so imported history reads like live data."""
    with ws.session() as session:
        newest = session.scalar(select(func.max(TicketRow.created_at)))
    moment = newest or datetime.now(UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def parse_period(ws: Workspace, period: str) -> tuple[datetime, datetime]:
    """`7d`, `12w`, an ISO week `2026-W09` or `2026-09-01..2026-10-01` → [start, end)."""
    text = period.strip()
    if match := _RELATIVE.match(text):
        n, unit = int(match[1]), match[2].lower()
        if n < 1:
            raise ValueError(f"period {period!r} must be at least 1 day or week")
        end = newest_ticket(ws) + timedelta(microseconds=1)
        return end - (timedelta(days=n) if unit == "d" else timedelta(weeks=n)), end
    if "-W" in text.upper():
        start = parse_week(text)
        return start, start + timedelta(days=7)
    if ".." in text:
        return parse_range(text)
    raise ValueError(
        f"bad period {period!r}; use 7d, 12w, an ISO week such as 2026-W09, "
        "or a date range such as 2026-09-01..2026-10-01"
    )


def _span(start: datetime, end: datetime) -> dict[str, str]:
    return {"start": start.isoformat(), "end": end.isoformat()}


def _tickets_in(ws: Workspace, start: datetime, end: datetime) -> int:
    with ws.session() as session:
        stmt = select(func.count()).where(TicketRow.created_at >= start, TicketRow.created_at < end)
        return int(session.scalar(stmt) or 0)


# -- insights --------------------------------------------------------------------------


def top_issues(ws: Workspace, period: str) -> dict[str, Any]:
    """Recurring topics and intents of the period, with the change vs the period before."""
    start, end = parse_period(ws, period)
    topics = top_topics(ws, since=start, until=end, limit=10)
    latest = _latest_triage()
    with ws.session() as session:
        rows = session.execute(
            select(TriageResultRow.intent, func.count())
            .join(latest, latest.c.ticket_id == TriageResultRow.ticket_id)
            .where(TriageResultRow.id == latest.c.id)
            .join(TicketRow, TicketRow.id == TriageResultRow.ticket_id)
            .where(TicketRow.created_at >= start, TicketRow.created_at < end)
            .group_by(TriageResultRow.intent)
            .order_by(func.count().desc(), TriageResultRow.intent)
            .limit(10)
        ).all()
    return {
        "period": _span(start, end),
        "tickets": _tickets_in(ws, start, end),
        "topics": [
            {
                "topic_id": t.id,
                "label": t.label,
                "terms": t.terms[:8],
                "tickets": t.count,
                "previous_period": t.previous,
                "change": t.change,
                "example_ticket_ids": t.example_ticket_ids[:5],
            }
            for t in topics
        ],
        "intents": [{"intent": intent, "tickets": int(n)} for intent, n in rows],
    }


def _latest_triage() -> Any:
    """Subquery: each ticket's newest triage id (a re-triage replaces, never adds)."""
    return (
        select(TriageResultRow.ticket_id, func.max(TriageResultRow.id).label("id"))
        .group_by(TriageResultRow.ticket_id)
        .subquery()
    )


def trends(ws: Workspace, period: str, topic: str | None) -> dict[str, Any]:
    """Weekly counts per intent, queue and topic, and the spikes flagged in the period."""
    start, end = parse_period(ws, period)
    with ws.session() as session:
        labels = {str(t.id): t.label for t in session.scalars(select(TopicRow))}
        counts = daily_counts(session, start, end)
        alerts = [a for a in find_alerts(session) if a.start < end.date() and a.end > start.date()]
    wanted = topic.strip().lower() if topic else None

    def matches(kind: str, key: str) -> bool:
        names = {key.lower(), labels.get(key, "").lower()} if kind == "topic" else {key.lower()}
        return wanted is None or wanted in names

    series = []
    for (kind, key), days in counts.items():
        if not matches(kind, key):
            continue
        weeks = weekly_counts(days)
        entry: dict[str, Any] = {"kind": kind, "key": key}
        if kind == "topic":
            entry["label"] = labels.get(key, "")
        entry["total"] = sum(weeks.values())
        entry["weekly"] = {iso_week(m): n for m, n in sorted(weeks.items())}
        series.append(entry)
    series.sort(key=lambda s: (s["kind"], -s["total"], s["key"]))
    if wanted is not None and not series:
        raise ValueError(
            f"no intent, queue or topic called {topic!r} has tickets in {period}; "
            "try top_issues to see the names in use"
        )
    flagged = [a.to_dict() for a in alerts if matches(a.series_kind, a.series_key)]
    return {
        "period": _span(start, end),
        "series": series[:MAX_SERIES],
        "series_left_out": max(0, len(series) - MAX_SERIES),
        "alerts": flagged,
    }


def knowledge_gaps(ws: Workspace, period: str) -> dict[str, Any]:
    """Ticket groups the approved articles answer poorly, most costly first (nothing stored)."""
    start, end = parse_period(ws, period)
    if not _RELATIVE.match(period):
        raise ValueError("knowledge_gaps takes a relative period such as 4w or 12w")
    retriever = workspace_retriever(ws, fallback="static")
    with ws.session() as session:
        gaps, threshold = find_gaps(session, retriever, since=end - start)
    keep = ("draft_title", "draft_body", "article_external_id")
    return {
        "period": _span(start, end),
        "weak_match_threshold": round(threshold, 4),
        "gaps": [{k: v for k, v in g.to_dict().items() if k not in keep} for g in gaps],
    }


def metrics(ws: Workspace, period: str, group_by: str | None) -> dict[str, Any]:
    """Operational metrics (reply/resolution times, rates, backlog), optionally grouped."""
    dims = ["all"]
    if group_by:
        if group_by not in DIMENSIONS:
            raise ValueError(f"group_by must be one of {', '.join(DIMENSIONS[1:])}")
        dims.append(group_by)
    start, end = parse_period(ws, period)
    result = compute_metrics(ws, start, end, dims=dims).to_dict()
    result["definitions"] = {d.name: d.definition for d in registry()}
    return result


# -- tickets ---------------------------------------------------------------------------


def search_tickets(
    ws: Workspace,
    query: str,
    status: str | None,
    queue: str | None,
    limit: int,
    redact: Any,
) -> dict[str, Any]:
    """Tickets whose redacted subject or redacted triage text holds every word, newest first.

    The store pre-filters on the raw subject; the match is confirmed on the redacted
    text, so a query cannot probe for personal data the answer would hide."""
    limit = max(1, min(limit, MAX_SEARCH))
    words = [w.lower() for w in query.split()]
    latest = _latest_triage()
    stmt = (
        select(TicketRow, TriageResultRow)
        .outerjoin(latest, latest.c.ticket_id == TicketRow.id)
        .outerjoin(TriageResultRow, TriageResultRow.id == latest.c.id)
        .order_by(TicketRow.created_at.desc(), TicketRow.id.desc())
    )
    for word in words:
        like = f"%{word}%"
        stmt = stmt.where(
            or_(func.lower(TicketRow.subject).like(like), TriageResultRow.redacted_text.ilike(like))
        )
    if status:
        stmt = stmt.where(TicketRow.status == status.lower())
    if queue:
        stmt = stmt.join(QueueRow, TicketRow.queue_id == QueueRow.id).where(
            QueueRow.key == repository.queue_key(queue)
        )
    found: list[dict[str, Any]] = []
    with ws.session() as session:
        for ticket, triage in session.execute(stmt.limit(20 * limit)):
            subject = redact(ticket.subject)
            text = triage.redacted_text if triage else ""
            haystack = f"{subject}\n{text}".lower()
            if not all(w in haystack for w in words):
                continue
            found.append(
                {
                    "id": ticket.id,
                    "subject": subject,
                    "status": ticket.status,
                    "queue": ticket.queue.key if ticket.queue else None,
                    "created_at": ticket.created_at.isoformat(),
                    "intent": triage.intent if triage else None,
                    "snippet": _snippet(text, words),
                }
            )
            if len(found) == limit:
                break
    return {"query": query, "tickets": found}


def _snippet(text: str, words: list[str], width: int = 160) -> str:
    lower = text.lower()
    at = min((i for w in words if (i := lower.find(w)) >= 0), default=0)
    begin = max(0, at - width // 3)
    return ("…" if begin else "") + text[begin : begin + width].replace("\n", " ")


def _ticket_row(session: Any, ticket_id: int) -> TicketRow:
    ticket = repository.get_ticket(session, ticket_id)
    if ticket is None:
        raise ValueError(f"no ticket with id {ticket_id}; search_tickets finds ids")
    return ticket


def get_ticket(ws: Workspace, ticket_id: int) -> dict[str, Any]:
    """The ticket, its conversation, latest triage, routing decision and draft."""
    with ws.session() as session:
        t = _ticket_row(session, ticket_id)
        triage = repository.latest_triage(session, ticket_id)
        decision = session.scalar(
            select(RoutingDecisionRow)
            .where(RoutingDecisionRow.ticket_id == ticket_id)
            .order_by(RoutingDecisionRow.id.desc())
            .limit(1)
        )
        draft = repository.latest_draft(session, ticket_id)
        return {
            "id": t.id,
            "source": t.source,
            "external_id": t.external_id,
            "subject": t.subject,
            "status": t.status,
            "priority": t.priority,
            "channel": t.channel,
            "tags": list(t.tags),
            "queue": t.queue.key if t.queue else None,
            "created_at": t.created_at.isoformat(),
            "solved_at": t.solved_at.isoformat() if t.solved_at else None,
            "satisfaction": t.satisfaction,
            "messages": [
                {
                    "position": m.position,
                    "author_role": m.author_role,
                    "public": m.public,
                    "created_at": m.created_at.isoformat(),
                    "body": m.body,
                }
                for m in sorted(t.messages, key=lambda m: m.position)
            ],
            "triage": _triage(triage),
            "routing": _decision(decision),
            "draft": _stored_draft(draft),
        }


def _triage(row: TriageResultRow | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {
        "intent": row.intent,
        "intent_confidence": round(row.intent_confidence, 4),
        "alternatives": row.alternatives,
        "language": row.language,
        "urgency": row.urgency,
        "sentiment": row.sentiment,
        "frustration": row.frustration,
        "missing": row.missing,
        "pii_types": sorted({str(p.get("type")) for p in row.pii}),
        "reasons": row.reasons,
        "model_version": row.model_version,
    }


def _decision(row: RoutingDecisionRow | None) -> dict[str, Any] | None:
    if row is None:
        return None
    fields = (
        "queue priority tags assignee_group decided_by confidence reasons escalate "
        "escalation_reasons summary automation_level state override_queue config_version"
    )
    return {name: getattr(row, name) for name in fields.split()}


def _stored_draft(row: Any) -> dict[str, Any] | None:
    if row is None:
        return None
    fields = "id method text confidence citations low_confidence_reasons warnings state final_text"
    out = {name: getattr(row, name) for name in fields.split()}
    out["created_at"] = row.created_at.isoformat()
    return out


def draft_reply(ws: Workspace, ticket_id: int) -> dict[str, Any]:
    """The stored draft, else a fresh extractive one from approved articles (not saved)."""
    from casework.config.versions import active_config
    from casework.text.pii import redact

    with ws.session() as session:
        ticket = _ticket_row(session, ticket_id)
        stored = repository.latest_draft(session, ticket_id)
        if stored is not None:
            return {"ticket_id": ticket_id, "source": "stored", "draft": _stored_draft(stored)}
        triage = repository.latest_triage(session, ticket_id)
        first = next((m.body for m in ticket.messages if m.author_role == "customer"), "")
        text = triage.redacted_text if triage else redact(f"{ticket.subject}\n{first}")
    hits = workspace_retriever(ws, fallback="static").search(text, k=3)
    draft = compose_draft(text, hits, {}, active_config(ws)[1], provider=None)
    return {
        "ticket_id": ticket_id,
        "source": "fresh: extractive, not saved, written without customer context",
        "draft": draft.to_dict(),
    }


def kb_search(ws: Workspace, query: str, k: int) -> dict[str, Any]:
    """Approved-article passages for a question, best first."""
    if not query.strip():
        raise ValueError("query is empty; ask a question such as 'how do I return an item'")
    hits = workspace_retriever(ws, fallback="static").search(query, k=max(1, min(k, 20)))
    return {"query": query, "hits": [asdict(h) for h in hits]}


def weekly_report_markdown(ws: Workspace) -> str:
    """The weekly report of the newest ticket's week, with topics, spikes and gaps."""
    from casework.insights.report import build_weekly_report, to_markdown
    from casework.insights.report_sections import DEFAULT_PROVIDERS

    return to_markdown(build_weekly_report(ws, None, DEFAULT_PROVIDERS))


def qa_summary(ws: Workspace, period: str, agent: str | None) -> dict[str, Any]:
    """Quality per agent and team for tickets created in the period, weakest criteria first."""
    from casework.qa.coach import coaching_report

    start, end = parse_period(ws, period)
    report = coaching_report(ws, since=end - start, agent=agent)
    data = report.to_dict()
    data["period"] = _span(report.start, report.end)
    return data
