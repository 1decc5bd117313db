"""Retrieval quality and speed: lexical, semantic and hybrid side by side.

Why a tuning split: the fusion weights are learnt from labelled queries, so the
figures reported for all three methods come from the other queries, which the
tuning never saw. The split is seeded, so a re-run reproduces every number.
"""

from __future__ import annotations

import csv
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from casework.knowledge.fusion import FusionWeights, tune_fusion
from casework.knowledge.retrieval import (
    DEFAULT_BACKEND,
    METHODS,
    Document,
    Retriever,
    SearchMethod,
)
from casework.text.embedders import get_embedder

MRR_DEPTH = 10
TUNE_FRACTION = 0.3


class RetrievalEvalError(ValueError):
    """A bad articles folder or queries file, naming the file and what was wrong."""


@dataclass(frozen=True)
class EvalQuery:
    text: str
    relevant: frozenset[str]
    """External ids of every article that answers the query."""


def retrieval_metrics(
    ranked: Sequence[Sequence[str]], relevant: Sequence[frozenset[str]]
) -> dict[str, float]:
    """recall@1 and recall@5: share of queries with a right article in the top 1 / 5;
    mrr: mean over queries of 1 / rank of the first right article (0 past rank 10)."""
    if not ranked:
        return {"recall_at_1": 0.0, "recall_at_5": 0.0, "mrr": 0.0}
    r1 = r5 = rr = 0.0
    for ids, gold in zip(ranked, relevant, strict=True):
        first = next((i for i, a in enumerate(ids[:MRR_DEPTH], 1) if a in gold), None)
        if first is not None:
            r1 += first <= 1
            r5 += first <= 5
            rr += 1.0 / first
    n = len(ranked)
    return {"recall_at_1": r1 / n, "recall_at_5": r5 / n, "mrr": rr / n}


def read_article_folder(folder: Path) -> list[Document]:
    """Markdown files with front matter ``id`` and ``title``; the rest is the body."""
    files = sorted(folder.rglob("*.md")) if folder.is_dir() else []
    if not files:
        raise RetrievalEvalError(f"{folder}: no Markdown (*.md) articles found")
    documents: list[Document] = []
    for number, path in enumerate(files, start=1):
        text = path.read_text(encoding="utf-8")
        front: dict[str, Any] = {}
        body = text
        if text.startswith("---"):
            parts = text.split("\n---", 1)
            if len(parts) != 2:
                raise RetrievalEvalError(f"{path}: front matter opened with --- is never closed")
            try:
                front = yaml.safe_load(parts[0][3:]) or {}
            except yaml.YAMLError as exc:
                raise RetrievalEvalError(f"{path}: front matter is not valid YAML: {exc}") from exc
            body = parts[1].split("\n", 1)[1] if "\n" in parts[1] else ""
        missing = [key for key in ("id", "title") if not str(front.get(key) or "").strip()]
        if missing:
            raise RetrievalEvalError(f"{path}: front matter needs {' and '.join(missing)}")
        documents.append(Document(number, str(front["id"]), 1, str(front["title"]), body.strip()))
    ids = [d.external_id for d in documents]
    if len(set(ids)) != len(ids):
        raise RetrievalEvalError(f"{folder}: two articles share an id")
    return documents


def read_queries(path: Path, known: set[str]) -> list[EvalQuery]:
    """A CSV with ``query`` and ``article_id`` columns; ids must name known articles."""
    with path.open(newline="", encoding="utf-8") as stream:
        reader = csv.DictReader(stream)
        if not {"query", "article_id"} <= set(reader.fieldnames or []):
            raise RetrievalEvalError(f"{path}: expected columns query,article_id")
        queries: list[EvalQuery] = []
        for line, row in enumerate(reader, start=2):
            article = (row["article_id"] or "").strip()
            if article not in known:
                raise RetrievalEvalError(f"{path}, line {line}: unknown article_id {article!r}")
            queries.append(EvalQuery((row["query"] or "").strip(), frozenset({article})))
    if not queries:
        raise RetrievalEvalError(f"{path}: no queries")
    return queries


def split_queries(
    queries: Sequence[EvalQuery], tune_fraction: float = TUNE_FRACTION, seed: int = 0
) -> tuple[list[EvalQuery], list[EvalQuery]]:
    """(tuning, test): a seeded shuffle, so the same queries land on the same side."""
    order = list(range(len(queries)))
    random.Random(seed).shuffle(order)
    cut = int(round(len(order) * tune_fraction))
    return [queries[i] for i in order[:cut]], [queries[i] for i in order[cut:]]


def tune_on(retriever: Retriever, queries: Sequence[EvalQuery], label: str) -> FusionWeights:
    """Learn fusion weights for this retriever from labelled queries."""
    lexical = np.vstack([retriever.lexical_scores(q.text) for q in queries])
    semantic = np.vstack([retriever.semantic_scores(q.text) for q in queries])
    external = [retriever.documents[int(a)].external_id for a in retriever.article_ids]
    relevant = np.array([[e in q.relevant for e in external] for q in queries], dtype=bool)
    return tune_fusion(lexical, semantic, relevant, retriever.starts, label)


def _run(
    retriever: Retriever, queries: Sequence[EvalQuery], method: SearchMethod
) -> dict[str, float]:
    start = time.perf_counter()
    ranked = [[h.external_id for h in retriever.search(q.text, MRR_DEPTH, method)] for q in queries]
    seconds = time.perf_counter() - start
    metrics = {
        k: round(v, 4) for k, v in retrieval_metrics(ranked, [q.relevant for q in queries]).items()
    }
    metrics["queries_per_second"] = round(len(queries) / seconds, 1) if seconds else 0.0
    return metrics


def score_methods(
    retriever: Retriever, queries: Sequence[EvalQuery], baseline: bool = True
) -> dict[str, Any]:
    """Run every query through ``search`` once per method, one query at a time (as a
    live search would), and report quality and queries per second. ``baseline`` adds
    untuned plain RRF, the fusion that tuning has to beat."""
    retriever.search("warm-up", 1)  # first-call costs (ONNX session, caches) are not search
    out: dict[str, Any] = {method: _run(retriever, queries, method) for method in METHODS}
    if baseline:
        tuned, retriever.fusion = retriever.fusion, FusionWeights()
        try:
            out["plain_rrf"] = _run(retriever, queries, "hybrid")
        finally:
            retriever.fusion = tuned
    return out


def evaluate_retriever(
    retriever: Retriever,
    queries: Sequence[EvalQuery],
    label: str = "queries",
    seed: int = 0,
    tune_fraction: float = TUNE_FRACTION,
) -> dict[str, Any]:
    """Tune fusion on one part of the queries, then score all three methods on the rest.

    Leaves the tuned weights on ``retriever.fusion`` for the caller to keep or drop.
    """
    tuning, test = split_queries(queries, tune_fraction, seed)
    retriever.fusion = tune_on(retriever, tuning, f"{label} (seed {seed})")
    embedder = retriever.embedder
    report: dict[str, Any] = {
        "embedder": f"{embedder.name}@{embedder.version}",
        "articles": len(retriever.documents),
        "passages": len(retriever.passages),
        "queries": len(queries),
        "tuning_queries": len(tuning),
        "test_queries": len(test),
        "fusion": retriever.fusion.to_dict(),
    }
    report.update(score_methods(retriever, test))
    report["hybrid_beats_both_at_5"] = report["hybrid"]["recall_at_5"] > max(
        report["lexical"]["recall_at_5"], report["semantic"]["recall_at_5"]
    )
    return report


def evaluate(
    documents: Sequence[Document],
    queries: Sequence[EvalQuery],
    mode: str = DEFAULT_BACKEND,
    label: str = "queries",
    seed: int = 0,
) -> dict[str, Any]:
    """Index ``documents`` in memory with the ``mode`` embedder, then evaluate."""
    start = time.perf_counter()
    retriever = Retriever.build(documents, get_embedder(mode))
    index_seconds = time.perf_counter() - start
    report = {"mode": mode, "index_seconds": round(index_seconds, 2)}
    report.update(evaluate_retriever(retriever, queries, label, seed))
    return report


def evaluate_folder(
    articles: Path, queries_csv: Path, mode: str = DEFAULT_BACKEND, seed: int = 0
) -> dict[str, Any]:
    """``casework eval retrieval --articles DIR --queries CSV``."""
    documents = read_article_folder(articles)
    queries = read_queries(queries_csv, {d.external_id for d in documents})
    return evaluate(documents, queries, mode, f"queries from {queries_csv.name}", seed)
