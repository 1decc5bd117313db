"""Per-agent QA summary: where each agent is strong, where coaching helps, with examples.

Aggregates the stored scores of the rubric in force (never re-scores), so a
lead's one-to-one starts from the same numbers the dashboard shows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import select

from casework.config.versions import active_config
from casework.qa.scoring import rubric_of, rubric_version
from casework.store.tables import AgentRow, QAScoreRow, TicketRow
from casework.workspace import Workspace


@dataclass
class AgentSummary:
    agent: str
    conversations: int
    mean_total: float
    auto_failed: int
    criteria: dict[str, float | None]
    """Mean score as a share of the criterion's maximum (0–1), over applicable conversations."""
    weakest: list[str] = field(default_factory=list)
    examples: list[dict[str, Any]] = field(default_factory=list)
    """Lowest-scoring conversations, each with its failing criteria and reasons."""


def summarise(
    ws: Workspace, agent: str | None = None, examples: int = 3
) -> tuple[str, list[AgentSummary]]:
    """Summaries per assigned agent (optionally one, by name), worst mean first."""
    _, config = active_config(ws)
    rubric = rubric_of(config)
    version = rubric_version(rubric)
    query = (
        select(AgentRow.name, TicketRow.external_id, QAScoreRow.total, QAScoreRow.auto_failed,
               QAScoreRow.scores)
        .join(TicketRow, TicketRow.id == QAScoreRow.ticket_id)
        .join(AgentRow, AgentRow.id == TicketRow.assignee_id)
        .where(QAScoreRow.rubric_version == version)
    )  # fmt: skip
    if agent:
        query = query.where(AgentRow.name == agent)
    rows: dict[str, list[tuple[str, float, bool, list[dict[str, Any]]]]] = defaultdict(list)
    with ws.session() as session:
        for name, external_id, total, failed, scores in session.execute(query):
            rows[name].append((external_id, total, failed, scores))
    out = [
        _summary(name, items, [c.id for c in rubric.criteria], examples)
        for name, items in rows.items()
    ]
    return version, sorted(out, key=lambda s: s.mean_total)


def _summary(
    name: str, items: list[tuple[str, float, bool, list[dict[str, Any]]]], ids: list[str], n: int
) -> AgentSummary:
    shares: dict[str, list[float]] = defaultdict(list)
    for _, _, _, scores in items:
        for s in scores:
            if s["score"] is not None:
                shares[s["criterion"]].append(s["score"] / s["max"])
    means = {c: (round(sum(v) / len(v), 3) if (v := shares.get(c)) else None) for c in ids}
    ranked = sorted((m, c) for c, m in means.items() if m is not None and m < 1)
    worst = sorted(items, key=lambda i: i[1])[:n]
    examples = [
        {
            "ticket": external_id,
            "total": total,
            "auto_failed": failed,
            "failing": [
                {"criterion": s["criterion"], "reason": s["reason"], "evidence": s["evidence"][:2]}
                for s in scores
                if s["score"] is not None and s["score"] < s["max"]
            ],
        }
        for external_id, total, failed, scores in worst
    ]
    return AgentSummary(
        agent=name,
        conversations=len(items),
        mean_total=round(sum(i[1] for i in items) / len(items), 1),
        auto_failed=sum(i[2] for i in items),
        criteria=means,
        weakest=[c for _, c in ranked[:3]],
        examples=examples,
    )


def to_dict(summary: AgentSummary) -> dict[str, Any]:
    return asdict(summary)
