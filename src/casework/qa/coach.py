"""Coaching report: per agent and per team, the weakest criteria over a period and the trend.

A one-to-one needs three things: what to work on (the criteria furthest from
their maximum), whether it is getting better (the same figure over the
previous period of equal length), and two real conversations per weak
criterion with the quoted evidence, so the talk starts from the customer's
words rather than from a number. Only stored agent scores of the rubric in
force are read (never re-scored), so the report matches `qa score`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from casework.config.versions import active_config
from casework.insights.report import parse_week
from casework.qa.scoring import AGENT, rubric_of, rubric_version
from casework.store.tables import AgentRow, QAScoreRow, QueueRow, TicketRow
from casework.workspace import Workspace

Item = tuple[str, datetime, float, bool, list[dict[str, Any]]]
"""(ticket external id, created, total, auto-failed, per-criterion scores)."""


@dataclass
class WeakCriterion:
    criterion: str
    share: float
    """Mean score as a share of the maximum (0–1) in the period."""
    previous: float | None
    change: float | None
    conversations: int
    examples: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class CoachingGroup:
    kind: str  # agent | team
    name: str
    conversations: int
    mean_total: float
    previous_total: float | None
    auto_failed: int
    weakest: list[WeakCriterion] = field(default_factory=list)


@dataclass
class CoachingReport:
    rubric_version: str
    start: datetime
    end: datetime
    previous_start: datetime
    groups: list[CoachingGroup]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def period_of(
    ws: Workspace, since: timedelta | None, week: str | None
) -> tuple[datetime, datetime]:
    """An ISO week, or the span back from the newest ticket (default four weeks)."""
    if week:
        start = parse_week(week)
        return start, start + timedelta(days=7)
    with ws.session() as session:
        newest = session.scalar(select(func.max(TicketRow.created_at)))
    end = (newest or datetime.now().astimezone()) + timedelta(seconds=1)
    return end - (since or timedelta(weeks=4)), end


def coaching_report(
    ws: Workspace,
    *,
    since: timedelta | None = None,
    week: str | None = None,
    agent: str | None = None,
    team: str | None = None,
    weakest: int = 3,
    examples: int = 2,
) -> CoachingReport:
    """Groups for each agent and each team (queue) with scored conversations, worst first."""
    _, config = active_config(ws)
    rubric = rubric_of(config)
    version = rubric_version(rubric)
    start, end = period_of(ws, since, week)
    previous_start = start - (end - start)
    query = (
        select(AgentRow.name, QueueRow.key, TicketRow.external_id, TicketRow.created_at,
               QAScoreRow.total, QAScoreRow.auto_failed, QAScoreRow.scores)
        .join(TicketRow, TicketRow.id == QAScoreRow.ticket_id)
        .outerjoin(AgentRow, AgentRow.id == TicketRow.assignee_id)
        .outerjoin(QueueRow, QueueRow.id == TicketRow.queue_id)
        .where(QAScoreRow.rubric_version == version, QAScoreRow.subject == AGENT,
               TicketRow.created_at >= previous_start, TicketRow.created_at < end)
    )  # fmt: skip
    if agent:
        query = query.where(AgentRow.name == agent)
    if team:
        query = query.where((QueueRow.key == team) | (QueueRow.name == team))
    buckets: dict[tuple[str, str], tuple[list[Item], list[Item]]] = defaultdict(lambda: ([], []))
    with ws.session() as session:
        for name, queue, external_id, created, total, failed, scores in session.execute(query):
            item: Item = (external_id, created, total, failed, scores)
            for key in (("agent", name), ("team", queue)):
                if key[1] is not None:
                    buckets[key][0 if _aware(created) >= start else 1].append(item)
    groups = [
        _group(kind, name, now, before, [c.id for c in rubric.criteria], weakest, examples)
        for (kind, name), (now, before) in buckets.items()
        if now
    ]
    groups.sort(key=lambda g: (g.kind, g.mean_total))
    return CoachingReport(version, start, end, previous_start, groups)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.astimezone()


def shares(items: list[Item]) -> dict[str, list[float]]:
    """Per criterion, each applicable score as a share of its maximum."""
    out: dict[str, list[float]] = defaultdict(list)
    for *_, scores in items:
        for s in scores:
            if s["score"] is not None:
                out[s["criterion"]].append(s["score"] / s["max"])
    return out


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 3) if values else None


def _group(
    kind: str, name: str, now: list[Item], before: list[Item], ids: list[str], n: int, k: int
) -> CoachingGroup:
    current, previous = shares(now), shares(before)
    ranked = sorted(
        (m, c) for c in ids if (m := _mean(current.get(c, []))) is not None and m < 1
    )  # fmt: skip
    weak = []
    for share, criterion in ranked[:n]:
        prior = _mean(previous.get(criterion, []))
        change = None if prior is None else round(share - prior, 3)
        weak.append(
            WeakCriterion(criterion, share, prior, change, len(current[criterion]),
                          _examples(now, criterion, k))
        )  # fmt: skip
    return CoachingGroup(
        kind=kind,
        name=name,
        conversations=len(now),
        mean_total=round(sum(i[2] for i in now) / len(now), 1),
        previous_total=round(sum(i[2] for i in before) / len(before), 1) if before else None,
        auto_failed=sum(i[3] for i in now),
        weakest=weak,
    )


def _examples(items: list[Item], criterion: str, k: int) -> list[dict[str, Any]]:
    """The `k` lowest-scoring conversations on `criterion`, with its reason and evidence."""
    found = []
    for external_id, created, total, _, scores in items:
        s = next((s for s in scores if s["criterion"] == criterion), None)
        if s and s["score"] is not None and s["score"] < s["max"]:
            found.append((s["score"] / s["max"], total, external_id, created, s))
    found.sort(key=lambda f: (f[0], f[1], f[2]))
    return [
        {
            "ticket": external_id,
            "created_at": created.isoformat(),
            "total": total,
            "score": s["score"],
            "max": s["max"],
            "reason": s["reason"],
            "evidence": s["evidence"][:2],
        }
        for _, total, external_id, created, s in found[:k]
    ]
