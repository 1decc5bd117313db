"""Retrieval on the demo help centre, with the demo's tickets as queries.

A query is a ticket's redacted opening text (subject + first customer message,
as triage reads it); the right answers are every approved article that the
demo's truth manifest says covers the ticket's true intent. Tickets whose
intent no approved article covers (the planted knowledge gap) are left out:
no ranking could be right for them, so they say nothing about the ranker.
Evaluation only: the manifest is read here and nowhere in a decision.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from casework.knowledge.index_store import approved_documents, index_store
from casework.knowledge.retrieval import DEFAULT_BACKEND
from casework.knowledge.retrieval_eval import EvalQuery, evaluate_retriever
from casework.store.tables import TicketRow
from casework.triage.training import redacted_opening
from casework.workspace import Workspace


class DemoTruthMissing(FileNotFoundError):
    """The workspace has no demo truth manifest (run `casework demo` first)."""


def _truth(folder: Path) -> tuple[dict[str, list[str]], dict[str, str]]:
    """(article external id -> intents, ticket external id -> true intent)."""
    header_path = folder / "demo-truth.json"
    if not header_path.exists():
        raise DemoTruthMissing(f"{folder} has no demo-truth.json; run `casework demo` first")
    header = json.loads(header_path.read_text("utf-8"))
    intents: dict[str, str] = {}
    with (folder / header["tickets_file"]).open(encoding="utf-8") as stream:
        for line in stream:
            if line.strip():
                row = json.loads(line)
                intents[str(row["external_id"])] = str(row["intent"])
    return header.get("article_intents", {}), intents


def demo_queries(ws: Workspace) -> list[EvalQuery]:
    """Every demo ticket whose true intent some approved article covers, as a query."""
    article_intents, ticket_intents = _truth(ws.path)
    approved = {d.external_id for d in approved_documents(ws)}
    covering: dict[str, set[str]] = defaultdict(set)
    for article, intents in article_intents.items():
        if article in approved:
            for intent in intents:
                covering[intent].add(article)
    queries: list[EvalQuery] = []
    with ws.session() as session:
        tickets = session.scalars(
            select(TicketRow)
            .where(TicketRow.source == "demo")
            .order_by(TicketRow.id)
            .options(selectinload(TicketRow.messages))
        ).unique()
        for ticket in tickets:
            answers = covering.get(ticket_intents.get(ticket.external_id, ""))
            if not answers:
                continue
            text = redacted_opening(ticket)
            queries.append(EvalQuery(text, frozenset(answers)))
    return queries


def evaluate_demo_kb(
    ws: Workspace, mode: str = DEFAULT_BACKEND, seed: int = 0, store_fusion: bool = False
) -> dict[str, Any]:
    """Lexical, semantic and hybrid on the demo KB; ``store_fusion`` keeps the tuned
    weights with the workspace index, so `casework kb search` uses them."""
    queries = demo_queries(ws)
    store = index_store(ws, mode)
    update = store.update(approved_documents(ws))
    retriever = store.load()
    report: dict[str, Any] = {"mode": mode, "indexed_now": update.embedded}
    report.update(evaluate_retriever(retriever, queries, "demo tickets", seed))
    if store_fusion:
        store.store_fusion(retriever.fusion)
        report["fusion_stored"] = str(store.folder / "fusion.json")
    return report
