"""The MCP server through the SDK's own client over stdio: every tool answers from the store,
and no planted personal data ever leaves it.

One demo workspace and one server process for the module: the client makes every call
in one session up front, and each test checks one tool's answers against the store.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp.client import Client
from mcp.client.stdio import StdioServerParameters
from sqlalchemy import func, select

from casework import Workspace
from casework.demo import generate_demo
from casework.insights.topics import refresh_topics
from casework.mcp import REPORT_URI
from casework.pipeline import process_all
from casework.qa.scoring import score_pending
from casework.store import db, repository
from casework.store.tables import (
    ArticleRow,
    AuditEventRow,
    DraftRow,
    RoutingDecisionRow,
    TicketRow,
)
from casework.text.pii import redact
from casework.triage.engine import Triager
from casework.triage.model_store import load_bundled

TOOLS = {
    "top_issues",
    "trends",
    "search_tickets",
    "get_ticket",
    "triage_text",
    "kb_search",
    "knowledge_gaps",
    "metrics",
    "draft_reply",
    "qa_summary",
}
PLACEHOLDER = re.compile(r"<[A-Z_]+_\d+>")
SECRET_TYPES = {"email", "card_number", "iban", "ip_address", "phone"}
PLANTED_TEXT = "Card 4111 1111 1111 1111 charged twice! Write to jane.roe@example.com please."


def same_after_redaction(shown: str, raw: str) -> bool:
    """Placeholder numbering depends on what else the answer redacted; compare without it."""
    return PLACEHOLDER.sub("<PII>", shown) == PLACEHOLDER.sub("<PII>", redact(raw))


def result_data(result: Any) -> Any:
    text = "".join(c.text for c in result.content if getattr(c, "text", None))
    if result.is_error:
        return {"error": text}
    return json.loads(text)


class Seeded:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.ws = Workspace(path, database_url=db.sqlite_url(path))
        truth = [json.loads(line) for line in (path / "demo-truth.jsonl").open()]
        self.secrets = sorted(
            {
                p["value"]
                for t in truth
                for p in t["pii"]
                if p["message"] == 0 and p["type"] in SECRET_TYPES
            }
        )
        with self.ws.session() as s:
            ids = {t.external_id: t.id for t in s.scalars(select(TicketRow))}
        # tickets whose opening message carries an email or a card number
        self.pii_ids = [
            ids[t["external_id"]]
            for t in truth
            if any(p["message"] == 0 and p["type"] in ("email", "card_number") for p in t["pii"])
        ][:5]
        with self.ws.session() as s:
            self.drafted_id = s.scalar(select(func.min(DraftRow.ticket_id)))
            undrafted = select(TicketRow.id).where(TicketRow.id.not_in(select(DraftRow.ticket_id)))
            self.undrafted_id = s.scalar(undrafted.order_by(TicketRow.id).limit(1))
        self.email = next(v for v in self.secrets if "@" in v)
        self.before = self.snapshot()

    def snapshot(self) -> dict[str, int]:
        """Row counts of every table a tool could conceivably write."""
        with self.ws.session() as s:
            counts = repository.counts(s)
            for table in (DraftRow, AuditEventRow, ArticleRow, RoutingDecisionRow):
                counts[table.__tablename__] = s.scalar(select(func.count()).select_from(table)) or 0
        return counts


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seeded]:
    path = tmp_path_factory.mktemp("mcp") / "ws"
    ws = Workspace(path, database_url=db.sqlite_url(path)).init()
    generate_demo(ws, seed=1, tickets=200)
    process_all(ws, Triager(load_bundled("intent")))
    refresh_topics(ws)
    score_pending(ws)
    ws.close()
    seeded = Seeded(path)
    yield seeded
    seeded.ws.close()


CALLS: list[tuple[str, str, dict[str, Any]]] = [
    ("top", "top_issues", {"period": "7d"}),
    ("top_4w", "top_issues", {"period": "4w"}),
    ("trends", "trends", {"period": "12w"}),
    ("trends_intent", "trends", {"period": "12w", "topic": "refund_request"}),
    ("trends_unknown", "trends", {"topic": "no-such-thing"}),
    ("search", "search_tickets", {"query": "refund", "limit": 5}),
    ("search_closed", "search_tickets", {"query": "", "status": "closed", "limit": 50}),
    ("triage", "triage_text", {"text": PLANTED_TEXT}),
    ("kb", "kb_search", {"query": "how long does a refund take", "k": 3}),
    ("gaps", "knowledge_gaps", {"period": "12w"}),
    ("gaps_week", "knowledge_gaps", {"period": "2026-W40"}),
    ("metrics", "metrics", {"period": "7d"}),
    ("metrics_queue", "metrics", {"period": "4w", "group_by": "queue"}),
    ("metrics_bad", "metrics", {"group_by": "colour"}),
    ("bad_period", "top_issues", {"period": "last tuesday"}),
    ("missing", "get_ticket", {"ticket_id": 999_999}),
    ("qa", "qa_summary", {"period": "12w"}),
]


@pytest.fixture(scope="module")
def answers(seeded: Seeded) -> dict[str, Any]:
    """Every call, made once through one stdio session to `casework mcp`."""
    calls = list(CALLS)
    calls += [(f"ticket_{i}", "get_ticket", {"ticket_id": i}) for i in seeded.pii_ids]
    calls += [("search_email", "search_tickets", {"query": seeded.email})]
    calls += [("draft_stored", "draft_reply", {"ticket_id": seeded.drafted_id})]
    calls += [("draft_fresh", "draft_reply", {"ticket_id": seeded.undrafted_id})]
    command = Path(sys.executable).parent / "casework"
    params = StdioServerParameters(
        command=str(command), args=["mcp", "--workspace", str(seeded.path)]
    )

    async def run() -> dict[str, Any]:
        out: dict[str, Any] = {}
        async with Client(params, read_timeout_seconds=60) as client:
            out["tools"] = {t.name: t for t in (await client.list_tools()).tools}
            out["resources"] = [str(r.uri) for r in (await client.list_resources()).resources]
            raw: list[str] = []
            for key, name, args in calls:
                result = await client.call_tool(name, args)
                raw += [getattr(c, "text", "") for c in result.content]
                out[key] = result_data(result)
            report = await client.read_resource(REPORT_URI)
            out["report"] = "".join(getattr(c, "text", "") for c in report.contents)
            out["raw"] = "\n".join([*raw, out["report"]])
        return out

    return anyio.run(run)


def test_every_tool_is_listed_read_only_with_a_description(answers: dict[str, Any]) -> None:
    tools = answers["tools"]
    assert set(tools) == TOOLS
    for tool in tools.values():
        assert len(tool.description or "") > 120, tool.name
        assert "Example" in (tool.description or ""), tool.name
        assert tool.annotations.read_only_hint is True
    assert REPORT_URI in answers["resources"]


def test_no_planted_personal_data_leaves_the_server(
    answers: dict[str, Any], seeded: Seeded
) -> None:
    assert seeded.secrets and seeded.pii_ids
    leaked = [s for s in seeded.secrets if s in answers["raw"]]
    assert not leaked
    assert "jane.roe@example.com" not in answers["raw"]
    assert "4111 1111 1111 1111" not in answers["raw"]
    # a query cannot probe for hidden data either
    assert answers["search_email"]["tickets"] == []


def test_get_ticket_matches_the_store_after_redaction(
    answers: dict[str, Any], seeded: Seeded
) -> None:
    with seeded.ws.session() as s:
        for ticket_id in seeded.pii_ids:
            shown = answers[f"ticket_{ticket_id}"]
            stored = repository.get_ticket(s, ticket_id)
            assert stored is not None
            assert shown["id"] == ticket_id
            assert same_after_redaction(shown["subject"], stored.subject)
            assert len(shown["messages"]) == len(stored.messages)
            first = next(m for m in stored.messages if m.position == 0)
            assert same_after_redaction(shown["messages"][0]["body"], first.body)
            assert PLACEHOLDER.search(shown["messages"][0]["body"])
            triage = repository.latest_triage(s, ticket_id)
            assert triage is not None and shown["triage"]["intent"] == triage.intent
            assert shown["routing"]["queue"]
    assert "no ticket with id 999999" in answers["missing"]["error"]


def test_top_issues_counts_fit_the_period(answers: dict[str, Any], seeded: Seeded) -> None:
    for key in ("top", "top_4w"):
        top = answers[key]
        with seeded.ws.session() as s:
            start, end = (datetime.fromisoformat(top["period"][k]) for k in ("start", "end"))
            in_period = TicketRow.created_at >= start, TicketRow.created_at < end
            n = s.scalar(select(func.count()).where(*in_period)) or 0
        assert top["tickets"] == n > 0
        assert top["topics"], key
        assert sum(t["tickets"] for t in top["topics"]) <= n
        assert sum(i["tickets"] for i in top["intents"]) <= n
    assert "bad period 'last tuesday'" in answers["bad_period"]["error"]


def test_trends_has_weekly_series_and_follows_one(answers: dict[str, Any]) -> None:
    trends = answers["trends"]
    kinds = {s["kind"] for s in trends["series"]}
    assert {"intent", "queue"} <= kinds
    assert all(sum(s["weekly"].values()) == s["total"] for s in trends["series"])
    assert isinstance(trends["alerts"], list)
    only = answers["trends_intent"]["series"]
    assert [(s["kind"], s["key"]) for s in only] == [("intent", "refund_request")]
    assert "no-such-thing" in answers["trends_unknown"]["error"]


def test_search_tickets_matches_newest_first_with_filters(answers: dict[str, Any]) -> None:
    found = answers["search"]["tickets"]
    assert 0 < len(found) <= 5
    for t in found:
        assert "refund" in (t["subject"] + t["snippet"]).lower()
    dates = [t["created_at"] for t in found]
    assert dates == sorted(dates, reverse=True)
    closed = answers["search_closed"]["tickets"]
    assert closed and all(t["status"] == "closed" for t in closed)


def test_triage_text_is_redacted(answers: dict[str, Any]) -> None:
    triage = answers["triage"]
    assert triage["intent"]["label"]
    assert len(triage["pii"]) >= 2
    assert "<EMAIL_" in triage["redacted_text"]
    assert "jane.roe" not in triage["redacted_text"]


def test_kb_search_returns_approved_articles(answers: dict[str, Any], seeded: Seeded) -> None:
    hits = answers["kb"]["hits"]
    assert 0 < len(hits) <= 3
    with seeded.ws.session() as s:
        approved = set(s.scalars(select(ArticleRow.id).where(ArticleRow.status == "approved")))
    assert {h["article_id"] for h in hits} <= approved


def test_knowledge_gaps_and_metrics(answers: dict[str, Any], seeded: Seeded) -> None:
    gaps = answers["gaps"]
    assert all(g["tickets"] >= 5 and "draft_body" not in g for g in gaps["gaps"])
    assert "relative period" in answers["gaps_week"]["error"]
    overall = answers["metrics"]["groups"]["all"]["all"]
    assert overall["created"] == answers["top"]["tickets"]
    assert "first_reply_time" in answers["metrics"]["definitions"]
    queues = answers["metrics_queue"]["groups"]["queue"]
    assert sum(g["created"] for g in queues.values()) == answers["top_4w"]["tickets"]
    assert "group_by must be one of" in answers["metrics_bad"]["error"]


def test_draft_reply_stored_or_fresh(answers: dict[str, Any], seeded: Seeded) -> None:
    stored = answers["draft_stored"]
    assert seeded.drafted_id is not None and stored["source"] == "stored"
    with seeded.ws.session() as s:
        row = repository.latest_draft(s, seeded.drafted_id)
    assert row is not None and same_after_redaction(stored["draft"]["text"], row.text)
    fresh = answers["draft_fresh"]
    assert fresh["source"].startswith("fresh") and fresh["draft"]["text"]


def test_weekly_report_resource_is_the_newest_week(answers: dict[str, Any], seeded: Seeded) -> None:
    with seeded.ws.session() as s:
        newest = s.scalar(select(func.max(TicketRow.created_at)))
    assert newest is not None
    week = "{}-W{:02d}".format(*newest.isocalendar()[:2])
    assert answers["report"].startswith(f"# Weekly support report — {week}")


def test_no_tool_writes(answers: dict[str, Any], seeded: Seeded) -> None:
    assert answers["draft_fresh"]["source"].startswith("fresh")  # computed, not saved
    assert seeded.snapshot() == seeded.before


def test_qa_summary_covers_scored_agents(answers: dict[str, Any]) -> None:
    report = answers["qa"]
    agents = [g for g in report["groups"] if g["kind"] == "agent"]
    assert agents and all(g["mean_total"] is not None for g in agents)
