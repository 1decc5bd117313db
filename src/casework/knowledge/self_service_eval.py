"""How often self-service answers on the demo, and how often its answer is about the right thing.

An answer counts as right when an article it cites covers the ticket's true
intent (the truth manifest's `article_intents`) or, for answers from order
data alone, when the true intent is one the context allow-list serves. Only
`eval` reads the manifest; the answers themselves never do.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from casework.knowledge.self_service import SelfService
from casework.store.tables import TicketRow
from casework.triage.training import ticket_text
from casework.workspace import Workspace


def evaluate_self_service(ws: Workspace, limit: int = 1000) -> dict[str, Any]:
    header = json.loads((ws.path / "demo-truth.json").read_text("utf-8"))
    covers: dict[str, set[str]] = {k: set(v) for k, v in header["article_intents"].items()}
    truths: dict[str, str] = {}
    with (ws.path / header["tickets_file"]).open(encoding="utf-8") as stream:
        for line in stream:
            if line.strip():
                row = json.loads(line)
                truths[row["external_id"]] = row["intent"]
    service = SelfService.for_workspace(ws)
    served_by_context = set(service.router.config.context_allow)
    with ws.session() as s:
        tickets = list(
            s.scalars(
                select(TicketRow)
                .where(TicketRow.source == "demo")
                .order_by(TicketRow.id)
                .limit(limit)
                .options(selectinload(TicketRow.messages))
            ).unique()
        )
        questions = [
            (
                t.external_id,
                ticket_text(
                    t.subject, next((m.body for m in t.messages if m.author_role == "customer"), "")
                ),
            )
            for t in tickets
        ]
    started = time.perf_counter()
    answered = right = 0
    reasons: Counter[str] = Counter()
    wrong_examples: list[dict[str, Any]] = []
    for external_id, question in questions:
        result = service.decide(question)
        truth = truths.get(external_id, "")
        if result.kind == "handoff":
            reasons.update({r.split(":")[0].split(" (")[0][:60] for r in result.reasons})
            continue
        answered += 1
        cited = [c.external_id for c in result.draft.citations] if result.draft else []
        ok = any(truth in covers.get(c, set()) for c in cited) or (
            not cited and truth in served_by_context
        )
        right += ok
        if not ok and len(wrong_examples) < 5:
            wrong_examples.append({"ticket": external_id, "truth": truth, "cited": cited})
    n = len(questions)
    return {
        "questions": n,
        "answered": answered,
        "answered_share": round(answered / max(1, n), 4),
        "handed_over_share": round((n - answered) / max(1, n), 4),
        "answer_precision": round(right / answered, 4) if answered else None,
        "handoff_reasons": dict(reasons.most_common(8)),
        "wrong_examples": wrong_examples,
        "questions_per_second": round(n / (time.perf_counter() - started), 1),
    }
