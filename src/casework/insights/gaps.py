"""Knowledge gaps: what customers keep asking that no approved article answers.

A ticket is *weakly matched* when the best cosine similarity between its redacted
text and any approved article passage (``Retriever.search(..., "semantic")``'s
``semantic_score``) is below a threshold read from the data itself: the
``percentile``-th percentile of all scored tickets' best scores. A fixed cosine would
mean different things for different embedders and knowledge bases; a low percentile
says "the worst-served tenth of our tickets", whatever the scale.

Weak tickets are grouped by topic when topic assignments exist, else by intent, and
ranked by ``excess x agent replies per ticket x (1 + median handling days)``
(handling = first customer message to solved): a gap costs what agents spend on it.
``excess`` is the group's weak tickets minus the ``percentile`` share of its tickets
that would be weak if weakness were spread evenly: a big, well-covered intent always
has a tail of odd tickets, a gap is a group weak far more often than that.
Each gap gets a draft article written from the agents' public replies on its tickets
(redacted, greetings and quotes removed, the sentences closest to the group and
furthest from other groups' replies, near-duplicates dropped). Drafts are stored with
status ``draft`` for the knowledge team; nothing here ever approves an article, and a
gap article a person has already taken out of draft is left alone.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from casework.domain import Article, ArticleStatus
from casework.insights.trends import distinctive_terms, latest_triage
from casework.knowledge.retrieval import Retriever
from casework.store.repository import upsert_articles
from casework.store.tables import ArticleRow, MessageRow, TicketRow, TicketTopicRow, TriageResultRow
from casework.text.pii import redact

GAP_SOURCE = "casework-gaps"
GAP_OWNER = "knowledge team (review)"
CHUNK = 500


@dataclass(frozen=True)
class GapSettings:
    percentile: float = 25.0
    min_tickets: int = 5
    top: int = 10
    sentences: int = 6
    max_tickets_per_draft: int = 300


@dataclass
class Gap:
    """One group of weakly matched tickets, its cost, and its draft article."""

    group_kind: str  # "topic" or "intent"
    group_key: str
    tickets: int
    excess: float  # weak tickets beyond the even share
    share_of_group: float  # weak tickets / all scored tickets of the group
    best_score_mean: float
    agent_replies: float  # per ticket
    handling_hours: float | None  # median
    score: float
    terms: list[str] = field(default_factory=list)
    example_ticket_ids: list[int] = field(default_factory=list)
    article_external_id: str | None = None
    draft_title: str | None = None
    draft_body: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class _Scored:
    ticket_id: int
    group: tuple[str, str]
    text: str
    score: float


def _score_tickets(
    session: Session, retriever: Retriever, since: timedelta | None
) -> list[_Scored]:
    """Every triaged ticket in the window with its best semantic match, streamed."""
    latest = latest_triage()
    stmt = (
        select(
            TicketRow.id,
            TriageResultRow.intent,
            TriageResultRow.redacted_text,
            TicketTopicRow.topic_id,
        )
        .join(TriageResultRow, TriageResultRow.ticket_id == TicketRow.id)
        .join(latest, latest.c.id == TriageResultRow.id)
        .outerjoin(TicketTopicRow, TicketTopicRow.ticket_id == TicketRow.id)
        .order_by(TicketRow.id)
    )
    if since is not None:
        newest = session.scalar(select(func.max(TicketRow.created_at)))
        if newest is not None:
            stmt = stmt.where(TicketRow.created_at >= newest - since)
    out: list[_Scored] = []
    for ticket_id, intent, text, topic in session.execute(stmt.execution_options(yield_per=1000)):
        hits = retriever.search(text, 1, "semantic")
        best = hits[0].semantic_score if hits else 0.0
        group = ("topic", str(topic)) if topic is not None else ("intent", intent)
        out.append(_Scored(ticket_id, group, text, best))
    return out


def _effort(session: Session, ids: Sequence[int]) -> tuple[float, float | None]:
    """(agent public replies per ticket, median hours first customer message -> solved)."""
    replies: list[int] = []
    hours: list[float] = []
    agent = and_(MessageRow.author_role == "agent", MessageRow.public.is_(True))
    for start in range(0, len(ids), CHUNK):
        stmt = (
            select(
                TicketRow.solved_at,
                func.sum(case((agent, 1), else_=0)),
                func.min(case((MessageRow.author_role == "customer", MessageRow.created_at))),
            )
            .outerjoin(MessageRow, MessageRow.ticket_id == TicketRow.id)
            .where(TicketRow.id.in_(ids[start : start + CHUNK]))
            .group_by(TicketRow.id, TicketRow.solved_at)
        )
        for solved, n_agent, first in session.execute(stmt):
            replies.append(int(n_agent or 0))
            if solved is not None and first is not None:
                first = datetime.fromisoformat(first) if isinstance(first, str) else first
                first = first if first.tzinfo else first.replace(tzinfo=UTC)
                hours.append(max(0.0, (solved - first).total_seconds() / 3600))
    per_ticket = sum(replies) / len(replies) if replies else 0.0
    return per_ticket, (statistics.median(hours) if hours else None)


_SKIP_LINE = re.compile(
    r"^(>|on .{3,80} wrote:|(hi|hello|hey|dear|good (morning|afternoon|evening))\b|"
    r"(best|kind|warm)? ?(regards|wishes|best|thanks|thank you|cheers)\b)",
    re.I,
)


def agent_sentences(body: str) -> list[str]:
    """The substantive sentences of one agent reply: no greeting, sign-off or quote."""
    lines = [ln.strip() for ln in body.splitlines()]
    kept = [ln for ln in lines if ln and not _SKIP_LINE.match(ln) and len(ln.split()) >= 4]
    sentences = re.split(r"(?<=[.!?])\s+", " ".join(kept))
    return [s.strip() for s in sentences if 5 <= len(s.split()) <= 60]


def _replies(session: Session, ids: Sequence[int]) -> list[str]:
    """Redacted substantive sentences of agents' public replies on these tickets."""
    out: list[str] = []
    for start in range(0, len(ids), CHUNK):
        stmt = select(MessageRow.body).where(
            MessageRow.ticket_id.in_(ids[start : start + CHUNK]),
            MessageRow.author_role == "agent",
            MessageRow.public.is_(True),
        )
        for body in session.scalars(stmt):
            out += agent_sentences(redact(body))
    return out


def representative(own: list[str], others: list[str], n: int) -> list[str]:
    """The n sentences closest to this group's replies and furthest from other groups'
    (generic courtesy lines score high on both and cancel out), near-duplicates dropped."""
    unique = list(dict.fromkeys(own))
    if not unique:
        return []
    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True)
    matrix = vectorizer.fit_transform(own + others)
    own_rows, other_rows = matrix[: len(own)], matrix[len(own) :]
    centroid = np.asarray(own_rows.mean(axis=0)).ravel()
    background = np.asarray(other_rows.mean(axis=0)).ravel() if others else 0 * centroid
    unique_rows = vectorizer.transform(unique)
    scores = unique_rows @ centroid - unique_rows @ background
    picked: list[int] = []
    for index in np.argsort(-scores, kind="stable").tolist():
        row = unique_rows[index]
        if all((row @ unique_rows[j].T).toarray()[0, 0] < 0.5 for j in picked):
            picked.append(index)
        if len(picked) == n:
            break
    return [unique[i] for i in picked]


def _draft(gap: Gap, threshold: float, sentences: list[str], now: datetime) -> Article:
    title = " · ".join(t.capitalize() for t in gap.terms[:3]) or gap.group_key
    body = "\n\n".join(
        [
            f"*Draft written by casework from {gap.tickets} tickets that no approved article "
            f"answered well (best match below {threshold:.2f}); a person must review it "
            "before it is approved.*",
            "## What agents told customers",
            "\n".join(f"- {s}" for s in sentences) or "- (no agent replies found)",
            f"Example tickets: {', '.join(map(str, gap.example_ticket_ids))}",
        ]
    )
    return Article(
        source=GAP_SOURCE,
        external_id=f"gap-{gap.group_kind}-{gap.group_key}",
        title=f"Draft: {title}",
        body=body,
        tags=["knowledge-gap", f"{gap.group_kind}:{gap.group_key}"],
        owner=GAP_OWNER,
        status=ArticleStatus.draft,
        created_at=now,
        updated_at=now,
    )


def find_gaps(
    session: Session,
    retriever: Retriever,
    since: timedelta | None = None,
    draft_articles: bool = False,
    settings: GapSettings | None = None,
) -> tuple[list[Gap], float]:
    """The top gaps (most costly first) and the weak-match threshold used; with
    ``draft_articles`` each gap's draft is stored (status draft, never approved)."""
    s = settings or GapSettings()
    scored = _score_tickets(session, retriever, since)
    if not scored:
        return [], 0.0
    threshold = float(np.percentile([t.score for t in scored], s.percentile))
    weak = [t for t in scored if t.score <= threshold]
    totals: dict[tuple[str, str], int] = {}
    groups: dict[tuple[str, str], list[_Scored]] = {}
    for t in scored:
        totals[t.group] = totals.get(t.group, 0) + 1
    for t in weak:
        groups.setdefault(t.group, []).append(t)
    gaps: list[Gap] = []
    for (kind, key), members in groups.items():
        excess = len(members) - s.percentile / 100 * totals[(kind, key)]
        if len(members) < s.min_tickets or excess <= 0:
            continue
        replies, hours = _effort(session, [m.ticket_id for m in members])
        score = excess * replies * (1 + (hours or 0.0) / 24)
        n, mean = len(members), sum(m.score for m in members) / len(members)
        row = (n, round(excess, 1), round(n / totals[(kind, key)], 3), round(mean, 3))
        cost = (round(replies, 2), None if hours is None else round(hours, 1), round(score, 1))
        examples = [m.ticket_id for m in members[:5]]
        gaps.append(Gap(kind, key, *row, *cost, example_ticket_ids=examples))
    gaps.sort(key=lambda g: -g.score)
    gaps = gaps[: s.top]
    for gap in gaps:
        members = groups[(gap.group_kind, gap.group_key)]
        others = [t for t in scored if t.group != (gap.group_kind, gap.group_key)]
        rest = (t.text for t in others[:: max(1, len(others) // 5000)])  # a bounded sample
        gap.terms = distinctive_terms((m.text for m in members), rest, n=5, bigrams=True)
    if draft_articles:
        _store_drafts(session, gaps, groups, threshold, s)
    return gaps, threshold


def _store_drafts(
    session: Session,
    gaps: list[Gap],
    groups: dict[tuple[str, str], list[_Scored]],
    threshold: float,
    s: GapSettings,
) -> None:
    """Write each gap's draft unless a person already took that article out of draft."""
    now = datetime.now(UTC)
    keys = [(g.group_kind, g.group_key) for g in gaps]
    ids = {k: [m.ticket_id for m in groups[k]][: s.max_tickets_per_draft] for k in keys}
    sentences = {k: _replies(session, ids[k]) for k in keys}
    drafts: list[Article] = []
    for gap in gaps:
        key = (gap.group_kind, gap.group_key)
        others = [x for k, v in sentences.items() if k != key for x in v]
        article = _draft(gap, threshold, representative(sentences[key], others, s.sentences), now)
        status = session.scalar(
            select(ArticleRow.status).where(
                ArticleRow.source == GAP_SOURCE, ArticleRow.external_id == article.external_id
            )
        )
        if status not in (None, ArticleStatus.draft.value):
            continue
        gap.article_external_id, gap.draft_title = article.external_id, article.title
        gap.draft_body = article.body
        drafts.append(article)
    upsert_articles(session, drafts)
