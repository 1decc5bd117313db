"""The casework MCP server: read-only tools for AI assistants, every answer redacted.

A thin layer: each tool parses its arguments, calls one query in
`casework.mcp.tools` and hands the result to `_out`, which passes every string
through the egress guard (`casework.privacy.egress`, channel `mcp`), redacting personal
data (ticket subjects and message
bodies are stored raw). No tool writes to the store.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import ToolAnnotations

from casework.mcp import tools
from casework.privacy import egress
from casework.privacy.egress import EgressBlocked, guard_text
from casework.text.pii import Redactor
from casework.workspace import Workspace

T = TypeVar("T")

# A bare timestamp holds no personal data, and its seconds and microseconds read as a phone.
_TIMESTAMP = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)?"
)

REPORT_URI = "casework://reports/weekly/latest"
READ_ONLY = ToolAnnotations(readOnlyHint=True, destructiveHint=False, openWorldHint=False)
PERIOD_HELP = (
    "`period` is `7d` (last 7 days), `12w` (last 12 weeks) — both ending at the newest "
    "ticket — an ISO week such as `2026-W09`, or a date range `2026-09-01..2026-10-01` "
    "(end exclusive)."
)
INSTRUCTIONS = (
    "casework answers questions about a customer-support helpdesk: what customers contact "
    "support about, how that changes, single tickets, the knowledge base and operational "
    "metrics. All tools are read-only. Personal data is replaced by placeholders such as "
    "<EMAIL_1> or <PHONE_1>; do not try to recover it. " + PERIOD_HELP
)


def _out(value: Any, redactor: Redactor | None = None) -> Any:
    """Redact every string in a result, dict keys too (one Redactor per answer, so a value
    keeps one placeholder throughout)."""
    redactor = redactor or Redactor()
    if isinstance(value, str):
        if not value or _TIMESTAMP.fullmatch(value):
            return value
        return guard_text(value, "mcp", role="assistant", redactor=redactor)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {_out(str(k), redactor): _out(v, redactor) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_out(v, redactor) for v in value]
    return value


def _redact_one(text: str) -> str:
    return str(_out(text))


def create_server(workspace_path: Workspace | Path | str) -> MCPServer:
    """Build the server over the workspace at `workspace_path` (opened lazily, read-only use).

    An open `Workspace` is used as is, so the API's `/mcp` reads the same database
    (whatever its URL) as the REST routes beside it.
    """
    ws = workspace_path if isinstance(workspace_path, Workspace) else Workspace(workspace_path)
    mcp = MCPServer(name="casework", instructions=INSTRUCTIONS, log_level="WARNING")
    triager: list[Any] = []

    def answer(query: Callable[[], T]) -> T:
        """Run a query; bad input becomes a message the model can act on, not a crash."""
        try:
            return _out(query())
        except (ValueError, LookupError, EgressBlocked) as exc:
            raise ToolError(str(exc)) from exc
        finally:
            if egress.pending():  # what the guard found, counted (never the values)
                with ws.session() as session:
                    egress.flush(session)

    @mcp.tool(
        annotations=READ_ONLY,
        description=(
            "The most frequent recurring issues in a period: topics (clusters of similar "
            "tickets, with their key terms, ticket count, the change vs the previous period of "
            "the same length and example ticket ids) and the top triaged intents. Use it first "
            "for 'what are customers contacting us about?'. " + PERIOD_HELP + " Example: "
            "top_issues(period='7d')."
        ),
    )
    def top_issues(period: str = "7d") -> dict[str, Any]:
        return answer(lambda: tools.top_issues(ws, period))

    @mcp.tool(
        annotations=READ_ONLY,
        description=(
            "Weekly ticket volumes per intent, queue and topic (series keyed by ISO week) and "
            "the spikes or emerging issues flagged by the statistical detector (with baseline, "
            "ratio, p-value, trigger terms, example ticket ids). Pass `topic` (an intent such "
            "as 'delivery_problem', a queue key such as 'billing', or a topic id or label) to "
            "follow one series. " + PERIOD_HELP + " Example: trends(period='12w', "
            "topic='delivery_problem')."
        ),
    )
    def trends(period: str = "12w", topic: str | None = None) -> dict[str, Any]:
        return answer(lambda: tools.trends(ws, period, topic))

    @mcp.tool(
        annotations=READ_ONLY,
        description=(
            "Find tickets by words in their subject or redacted first message, newest first; "
            "every word must match (case-insensitive). Optional filters: `status` (new, open, "
            "pending, hold, solved, closed) and `queue` (e.g. 'billing'). Returns id, subject, "
            "status, queue, intent and a snippet; use get_ticket(id) for the whole ticket. "
            "An empty query lists the newest tickets. limit is 1-50. Example: "
            "search_tickets(query='refund damaged', status='open')."
        ),
    )
    def search_tickets(
        query: str, status: str | None = None, queue: str | None = None, limit: int = 10
    ) -> dict[str, Any]:
        return answer(lambda: tools.search_tickets(ws, query, status, queue, limit, _redact_one))

    @mcp.tool(
        annotations=READ_ONLY,
        description=(
            "One ticket in full, personal data redacted: subject, status, queue, the "
            "conversation (customer and agent messages, internal notes marked public=false), "
            "the latest triage (intent, urgency, sentiment, missing information), the routing "
            "decision (queue, escalation, reasons, summary) and the stored reply draft. "
            "Example: get_ticket(ticket_id=42)."
        ),
    )
    def get_ticket(ticket_id: int) -> dict[str, Any]:
        return answer(lambda: tools.get_ticket(ws, ticket_id))

    @mcp.tool(
        annotations=READ_ONLY,
        description=(
            "Triage a customer message that is not in the helpdesk: language, intent (with "
            "confidence and alternatives), urgency, sentiment, frustration, missing "
            "information to ask for, and the text with personal data redacted. Nothing is "
            "stored. Example: triage_text(text='My parcel never arrived, order ORD-1234567')."
        ),
    )
    def triage_text(text: str) -> dict[str, Any]:
        if not text.strip():
            raise ValueError("text is empty; pass the customer's message")
        if not triager:
            from casework.triage.engine import Triager

            triager.append(Triager.for_workspace(ws.path))
        return answer(lambda: triager[0].triage(text[:20_000]).to_dict())

    @mcp.tool(
        annotations=READ_ONLY,
        description=(
            "Search the approved knowledge-base articles: the best passage of each matching "
            "article with its title, external id, version and scores (semantic_score is the "
            "cosine similarity; below about 0.3 the article likely does not answer). k is "
            "1-20. Example: kb_search(query='how long do refunds take', k=3)."
        ),
    )
    def kb_search(query: str, k: int = 5) -> dict[str, Any]:
        return answer(lambda: tools.kb_search(ws, query, k))

    @mcp.tool(
        annotations=READ_ONLY,
        description=(
            "Knowledge gaps: groups of tickets (by topic or intent) that the approved articles "
            "answer poorly, most costly first, with ticket count, agent replies per ticket, "
            "handling hours, distinctive terms and example ticket ids. `period` is relative "
            "only (`4w`, `12w`, `30d`), ending at the newest ticket. Example: "
            "knowledge_gaps(period='12w')."
        ),
    )
    def knowledge_gaps(period: str = "12w") -> dict[str, Any]:
        return answer(lambda: tools.knowledge_gaps(ws, period))

    @mcp.tool(
        annotations=READ_ONLY,
        description=(
            "Operational metrics for tickets created in a period: created and solved counts, "
            "first-reply, wait and resolution times (minutes: p50/p90/mean, calendar and "
            "business-hours clocks), reopens, escalation, override, draft acceptance and SLA "
            "breach rates, backlog and queue age, with each metric's definition. `group_by` "
            "is one of queue, agent, intent, channel, week, day. " + PERIOD_HELP + " Example: "
            "metrics(period='2026-W09', group_by='queue')."
        ),
    )
    def metrics(period: str = "7d", group_by: str | None = None) -> dict[str, Any]:
        return answer(lambda: tools.metrics(ws, period, group_by))

    @mcp.tool(
        annotations=READ_ONLY,
        description=(
            "Quality-assurance summary: per agent and per team (queue), the mean rubric score, "
            "auto-fails, the weakest criteria with their trend against the previous period, and "
            "example conversations with the evidence. `period` is relative (`4w`, `12w`), "
            "ending at the newest ticket; `agent` narrows to one agent's name. Example: "
            "qa_summary(period='4w', agent='Ben Okafor')."
        ),
    )
    def qa_summary(period: str = "4w", agent: str | None = None) -> dict[str, Any]:
        return answer(lambda: tools.qa_summary(ws, period, agent))

    @mcp.tool(
        annotations=READ_ONLY,
        description=(
            "A reply draft for a ticket, grounded in approved articles with citations: the "
            "stored draft the pipeline proposed (with its review state), or, when there is "
            "none, a fresh extractive draft that is not saved. Drafts are proposals for a "
            "person to review, never sent. Example: draft_reply(ticket_id=42)."
        ),
    )
    def draft_reply(ticket_id: int) -> dict[str, Any]:
        return answer(lambda: tools.draft_reply(ws, ticket_id))

    @mcp.resource(
        REPORT_URI,
        name="weekly-report",
        description="The weekly report (Markdown) for the newest ticket's ISO week.",
        mime_type="text/markdown",
    )
    def weekly_report() -> str:
        return answer(lambda: tools.weekly_report_markdown(ws))

    return mcp


def serve_stdio(workspace_path: Path | str) -> None:
    """Run the server over stdin/stdout until the client disconnects."""
    create_server(workspace_path).run(transport="stdio")
