"""Recurring issues: tickets grouped by what they say, named by what sets them apart.

Topics are built only from the *redacted* text of each ticket's newest triage, so no
personal data can reach a label, a term or a report. Clustering is HDBSCAN (noise stays
unassigned rather than being forced into a topic) on PCA-reduced unit vectors; names come
from class-based TF-IDF. Ids are stable: a re-clustering reuses the id of the old topic
whose centroid matches best, and new tickets join existing topics by nearest centroid
without re-clustering anything.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import numpy as np
import numpy.typing as npt
from scipy.optimize import linear_sum_assignment
from sklearn.cluster import HDBSCAN
from sklearn.decomposition import PCA
from sklearn.feature_extraction.text import CountVectorizer
from sqlalchemy import ColumnElement, delete, func, select

from casework.store.tables import TicketRow, TicketTopicRow, TopicRow, TriageResultRow
from casework.text.embedders import Embedder, get_embedder
from casework.workspace import Workspace

__all__ = ["RefreshReport", "Topic", "TopicModel", "TopicSummary", "discover_topics"]
__all__ += ["refresh_topics", "top_topics"]

Matrix = npt.NDArray[np.float32]
PCA_DIMS = 64  # measured on banking77: better AMI than full dims, and ~8x faster
MATCH_SIMILARITY = 0.8  # a new cluster inherits an old id only when this close
# Cosine a ticket needs to join a topic outside clustering: about a typical member's
# closeness to its centroid on the demo (static vectors are less spread than minilm's).
ASSIGN_SIMILARITY = {"static": 0.85, "minilm": 0.7}
# Words of 3+ letters: drops "ve"/"ll" and the digits of order numbers and placeholders.
_TOKEN = r"(?u)\b[^\W\d_]{3,}\b"


@dataclass(frozen=True)
class Topic:
    label: str
    terms: list[str]
    centroid: Matrix
    size: int
    representatives: list[int]  # indices into the clustered texts, closest first


@dataclass(frozen=True)
class TopicModel:
    topics: list[Topic]
    labels: npt.NDArray[np.int64]  # topic index per text, -1 for noise
    model_version: str


@dataclass
class RefreshReport:
    mode: str  # "recluster" or "incremental"
    tickets_seen: int = 0
    clustered: int = 0
    assigned: int = 0
    topics: int = 0
    new_topics: int = 0
    kept_ids: int = 0
    model_version: str = ""
    seconds: float = 0.0


@dataclass(frozen=True)
class TopicSummary:
    id: int
    label: str
    terms: list[str]
    count: int
    previous: int
    change: int
    example_ticket_ids: list[int] = field(default_factory=list)


def model_version(embedder: Embedder) -> str:
    """What the stored centroids depend on; a change forces a full re-clustering."""
    return f"hdbscan-pca{PCA_DIMS}+{embedder.name}-{embedder.version}"


def _normalise(x: Matrix) -> Matrix:
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return (x / np.where(norms == 0, 1, norms)).astype(np.float32)


def _ctfidf_terms(
    texts: Sequence[str], labels: npt.NDArray[np.int64], k: int, top: int = 5
) -> list[list[str]]:
    """Class-based TF-IDF: terms frequent in one cluster and rare across the others."""
    vectorizer = CountVectorizer(stop_words="english", token_pattern=_TOKEN, lowercase=True)
    try:
        counts = vectorizer.fit_transform(texts)
    except ValueError:  # only stop words / placeholders
        return [[] for _ in range(k)]
    vocab = vectorizer.get_feature_names_out()
    # one row per cluster, plus noise as its own class so its words are not "distinctive"
    classes = np.vstack(
        [np.asarray(counts[labels == c].sum(axis=0)).ravel() for c in [*range(k), -1]]
    )
    tf = classes / np.maximum(classes.sum(axis=1, keepdims=True), 1)
    idf = np.log(1 + classes.sum(axis=1).mean() / np.maximum(classes.sum(axis=0), 1))
    scores = tf * idf
    return [
        [str(vocab[j]) for j in np.argsort(-scores[c])[:top] if scores[c, j] > 0] for c in range(k)
    ]


def discover_topics(
    texts: Sequence[str],
    embedder: Embedder,
    vectors: Matrix | None = None,
    min_cluster_size: int | None = None,
) -> TopicModel:
    """Cluster texts into topics; `vectors` (unit rows) skips embedding when already done."""
    x = embedder.embed(list(texts)) if vectors is None else vectors
    n = len(texts)
    version = model_version(embedder)
    if n < 3:
        return TopicModel([], np.full(n, -1, dtype=np.int64), version)
    size = min_cluster_size or max(8, n // 200)
    dims = min(PCA_DIMS, n - 1, x.shape[1])
    reduced = _normalise(PCA(dims, random_state=0).fit_transform(x).astype(np.float32))
    labels = HDBSCAN(min_cluster_size=min(size, n), min_samples=3, copy=True).fit_predict(reduced)
    labels = labels.astype(np.int64)
    k = int(labels.max()) + 1
    terms = _ctfidf_terms(texts, labels, k)
    topics = []
    for c in range(k):
        members = np.flatnonzero(labels == c)
        centroid = _normalise(x[members].mean(axis=0, keepdims=True))[0]
        closest = members[np.argsort(-(x[members] @ centroid), kind="stable")[:3]]
        label = " / ".join(terms[c][:3]) or f"topic {c + 1}"
        topics.append(Topic(label, terms[c], centroid, len(members), [int(i) for i in closest]))
    return TopicModel(topics, labels, version)


def _in(ids: list[int]) -> ColumnElement[bool]:
    return TicketTopicRow.ticket_id.in_(ids)


def _newest_texts(ws: Workspace, unassigned: bool, batch: int) -> Iterator[list[tuple[int, str]]]:
    """(ticket id, redacted text of its newest triage), in id order, one batch at a time."""
    after = 0
    while True:
        newest = (  # per batch, so the database groups only this id range
            select(func.max(TriageResultRow.id))
            .where(TriageResultRow.ticket_id > after)
            .group_by(TriageResultRow.ticket_id)
            .order_by(TriageResultRow.ticket_id)
            .limit(batch)
        )
        stmt = select(TriageResultRow.ticket_id, TriageResultRow.redacted_text).where(
            TriageResultRow.id.in_(newest.scalar_subquery())
        )
        with ws.session() as session:
            rows = [
                (int(t), str(x))
                for t, x in session.execute(stmt.order_by(TriageResultRow.ticket_id))
            ]
            ids = [t for t, _ in rows] if unassigned else []
            done = set(session.scalars(select(TicketTopicRow.ticket_id).where(_in(ids))))
        if not rows:
            return
        yield [r for r in rows if r[0] not in done]
        after = rows[-1][0]


@dataclass(frozen=True)
class _Run:
    """What the steps of one refresh share."""

    ws: Workspace
    emb: Embedder
    threshold: float
    batch: int
    now: datetime

    def row(self, ticket_id: int, topic_id: int, similarity: float) -> TicketTopicRow:
        fields = {"ticket_id": ticket_id, "topic_id": topic_id, "similarity": float(similarity)}
        return TicketTopicRow(**fields, assigned_at=self.now)

    def assign(self, ids: list[int], centroids: Matrix) -> tuple[int, int]:
        """Nearest topic for each unassigned ticket close enough to one: (seen, assigned)."""
        seen = assigned = 0
        for rows in _newest_texts(self.ws, True, self.batch):
            seen += len(rows)
            if not rows or not ids:
                continue
            sims = self.emb.embed([text for _, text in rows]) @ centroids.T
            best = [(i, int(b)) for i, b in enumerate(sims.argmax(axis=1))]
            new = [
                self.row(rows[i][0], ids[b], sims[i, b])
                for i, b in best
                if sims[i, b] >= self.threshold
            ]
            with self.ws.session() as session:
                session.add_all(new)
            assigned += len(new)
        return seen, assigned


def refresh_topics(
    ws: Workspace,
    embedder: Embedder | str = "static",
    recluster: bool = False,
    sample_size: int = 20_000,
    batch_size: int = 2_000,
    threshold: float | None = None,
) -> RefreshReport:
    """Bring topics up to date: assign new tickets, or re-cluster when asked or needed.

    Re-clustering (no topics yet, another embedder/parameters, or `recluster`) clusters at
    most `sample_size` tickets and assigns the rest by nearest centroid, so memory stays
    flat. Tickets below `threshold` of every centroid stay unassigned and are retried on
    the next refresh, so a second refresh over the same data changes nothing.
    """
    started = time.perf_counter()
    emb = get_embedder(embedder) if isinstance(embedder, str) else embedder
    version = model_version(emb)
    threshold = threshold or ASSIGN_SIMILARITY.get(emb.name, 0.8)
    run = _Run(ws, emb, threshold, batch_size, datetime.now(UTC))
    with ws.session() as session:
        existing = list(session.scalars(select(TopicRow).order_by(TopicRow.id)))
    stale = not existing or any(t.model_version != version for t in existing)
    report = RefreshReport("recluster" if recluster or stale else "incremental")
    report.model_version = version
    if report.mode == "incremental":
        centroids = np.asarray([t.centroid for t in existing], dtype=np.float32)
        report.tickets_seen, report.assigned = run.assign([t.id for t in existing], centroids)
        report.topics = len(existing)
    else:
        _recluster(run, existing, sample_size, report)
    report.seconds = round(time.perf_counter() - started, 2)
    return report


def _recluster(run: _Run, existing: list[TopicRow], size: int, report: RefreshReport) -> None:
    """Cluster a seeded sample, match clusters to old ids, then rewrite every assignment."""
    with run.ws.session() as session:
        total = session.scalar(select(func.count(func.distinct(TriageResultRow.ticket_id)))) or 0
    keep = None if total <= size else set(random.Random(0).sample(range(total), size))
    ticket_ids: list[int] = []
    texts: list[str] = []
    chunks = [np.zeros((0, run.emb.dim), dtype=np.float32)]
    for start, rows in enumerate(_newest_texts(run.ws, False, run.batch)):
        first = start * run.batch  # every batch but the last is full
        picked = [r for i, r in enumerate(rows, first) if keep is None or i in keep]
        ticket_ids += [t for t, _ in picked]
        texts += [text for _, text in picked]
        chunks.append(run.emb.embed([text for _, text in picked]))
    vectors = np.vstack(chunks)
    model = discover_topics(texts, run.emb, vectors)
    ids = _match_ids(existing, model, report)
    with run.ws.session() as session:
        session.execute(delete(TicketTopicRow))
        old = {t.id: t for t in session.scalars(select(TopicRow))}
        for topic_id, topic in zip(ids, model.topics, strict=True):
            row = old.pop(topic_id, None) or TopicRow(id=topic_id, created_at=run.now)
            row.label, row.terms, row.size = topic.label, topic.terms, topic.size
            row.centroid = [round(float(v), 6) for v in topic.centroid]
            row.representative_ticket_ids = [ticket_ids[i] for i in topic.representatives]
            row.model_version, row.updated_at = model.model_version, run.now
            session.add(row)
        for gone in old.values():
            session.delete(gone)
        session.flush()
        session.add_all(
            run.row(ticket_ids[i], ids[c], vectors[i] @ model.topics[c].centroid)
            for i, c in enumerate(model.labels)
            if c >= 0
        )
    report.tickets_seen, report.clustered, report.topics = total, len(texts), len(model.topics)
    report.assigned = int((model.labels >= 0).sum())
    if model.topics:  # noise and tickets outside the sample: the rule new tickets follow
        centroids = np.vstack([t.centroid for t in model.topics])
        report.assigned += run.assign(ids, centroids)[1]


def _match_ids(existing: list[TopicRow], model: TopicModel, report: RefreshReport) -> list[int]:
    """Old id for each new cluster whose centroid matches one (Hungarian, cosine ≥ 0.8)."""
    ids = [-1] * len(model.topics)
    same = [t for t in existing if t.model_version == model.model_version]  # same vector space
    if same and model.topics:
        new = np.vstack([t.centroid for t in model.topics])
        sims = new @ np.asarray([t.centroid for t in same], dtype=np.float32).T
        for r, c in zip(*linear_sum_assignment(-sims), strict=True):
            if sims[r, c] >= MATCH_SIMILARITY:
                ids[r] = same[c].id
    report.kept_ids = sum(1 for i in ids if i >= 0)
    next_id = max([t.id for t in existing], default=0) + 1
    for i, topic_id in enumerate(ids):
        if topic_id < 0:
            ids[i], next_id = next_id, next_id + 1
            report.new_topics += 1
    return ids


def top_topics(
    ws: Workspace, since: datetime | None = None, until: datetime | None = None, limit: int = 10
) -> list[TopicSummary]:
    """Topics by tickets created in [since, until), with the change vs the period before.

    `until` defaults to just after the newest ticket, so imported history reads the same
    as live data; `since` defaults to seven days before `until`.
    """
    with ws.session() as session:
        if until is None:
            newest = session.scalar(select(func.max(TicketRow.created_at)))
            until = (newest or datetime.now(UTC)) + timedelta(microseconds=1)
        since = since or until - timedelta(days=7)
        stmt = (
            select(TicketTopicRow.topic_id, func.count())
            .join(TicketRow, TicketRow.id == TicketTopicRow.ticket_id)
            .group_by(TicketTopicRow.topic_id)
        )
        period = TicketRow.created_at >= since, TicketRow.created_at < until
        previous = TicketRow.created_at >= since - (until - since), TicketRow.created_at < since
        counts = {int(t): int(n) for t, n in session.execute(stmt.where(*period))}
        before = {int(t): int(n) for t, n in session.execute(stmt.where(*previous))}
        topics = {t.id: t for t in session.scalars(select(TopicRow))}
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]
    return [
        TopicSummary(
            row.id,
            row.label,
            list(row.terms),
            n,
            before.get(t, 0),
            n - before.get(t, 0),
            list(row.representative_ticket_ids),
        )
        for t, n in ranked
        if (row := topics.get(t)) is not None
    ]
