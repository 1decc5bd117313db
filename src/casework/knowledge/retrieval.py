"""Hybrid retrieval: BM25 and embeddings over passages, fused, one hit per article.

Why both: BM25 catches the exact words a customer copies from an email
("Parcelo", "ORD-", "IBAN"); embeddings catch paraphrases ("still waiting for
my card" vs "Card arrival"). How much each counts is learnt (see ``fusion``).

``Retriever`` is the in-memory searcher; ``index_store`` persists it in a
workspace and keeps it up to date as articles change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from casework.knowledge.chunking import Passage, chunk_article
from casework.knowledge.fusion import FusionWeights, Scores, fuse
from casework.knowledge.lexical import LexicalIndex
from casework.text.embedders import Embedder, FloatMatrix

SearchMethod = Literal["lexical", "semantic", "hybrid"]
METHODS: tuple[SearchMethod, ...] = ("lexical", "semantic", "hybrid")
DEFAULT_BACKEND = "minilm"


@dataclass(frozen=True)
class Document:
    """An article as retrieval sees it: who it is, which version, and its text."""

    article_id: int
    external_id: str
    version: int
    title: str
    body: str


@dataclass(frozen=True)
class Hit:
    """The best passage of one article for a query, with what each ranker thought of it.

    ``score`` is the fused score scaled to [0, 1] (1 = first for both rankers under
    RRF); ``semantic_score`` is the passage's cosine similarity, the absolute measure
    to threshold on. Ranks are the article's 1-based place in each ranker's list
    (``None``: BM25 found none of the query's words in it).
    """

    article_id: int
    external_id: str
    version: int
    title: str
    passage: str
    score: float
    lexical_rank: int | None
    semantic_rank: int | None
    passage_index: int = 0
    semantic_score: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def embed_stably(embedder: Embedder, texts: Sequence[str]) -> FloatMatrix:
    """Embed one text at a time: the int8 model's output depends on its batch mates,
    and an incremental index must give the same vector as a full rebuild."""
    if not texts:
        return np.zeros((0, embedder.dim), dtype=np.float32)
    return np.vstack([embedder.embed([text]) for text in texts]).astype(np.float32)


def passages_of(documents: Sequence[Document]) -> list[Passage]:
    return [p for d in documents for p in chunk_article(d.article_id, d.version, d.title, d.body)]


class Retriever:
    """Search over a fixed set of passages (grouped by article, in article order)."""

    def __init__(
        self,
        documents: Sequence[Document],
        passages: Sequence[Passage],
        vectors: FloatMatrix,
        embedder: Embedder,
        fusion: FusionWeights | None = None,
        lexical: LexicalIndex | None = None,
    ) -> None:
        if len(passages) != vectors.shape[0]:
            raise ValueError(f"{len(passages)} passages but {vectors.shape[0]} vectors")
        self.documents = {d.article_id: d for d in documents}
        self.passages = list(passages)
        self.vectors = vectors
        self.embedder = embedder
        self.fusion = fusion or FusionWeights()
        self.lexical = lexical or LexicalIndex([p.text for p in self.passages])
        article_ids = [p.article_id for p in self.passages]
        if any(a > b for a, b in zip(article_ids, article_ids[1:], strict=False)):
            raise ValueError("passages must be grouped by article, in ascending article id")
        self._passage_article = np.asarray(article_ids, dtype=np.int64)
        ids, starts = np.unique(self._passage_article, return_index=True)
        self.article_ids: npt.NDArray[np.int64] = ids
        self.starts: npt.NDArray[np.intp] = starts.astype(np.intp)

    @classmethod
    def build(
        cls, documents: Sequence[Document], embedder: Embedder, fusion: FusionWeights | None = None
    ) -> Retriever:
        """Index documents in memory (evaluation, tests); a workspace uses ``index_store``."""
        ordered = sorted(documents, key=lambda d: d.article_id)
        passages = passages_of(ordered)
        vectors = embed_stably(embedder, [p.text for p in passages])
        return cls(ordered, passages, vectors, embedder, fusion)

    def lexical_scores(self, query: str) -> Scores:
        return self.lexical.scores(query)

    def semantic_scores(self, query: str) -> Scores:
        if not self.passages:
            return np.zeros(0, dtype=np.float32)
        vector = self.embedder.embed([query])[0]
        scores: Scores = self.vectors @ vector
        return scores

    def search(self, query: str, k: int = 5, method: SearchMethod = "hybrid") -> list[Hit]:
        """The ``k`` best articles for ``query``, best first, each with its best passage."""
        if not self.passages or k <= 0:
            return []
        lexical = self.lexical_scores(query) if method != "semantic" else None
        semantic = self.semantic_scores(query) if method != "lexical" else None
        lexical_found = lexical > 0 if lexical is not None else None
        if lexical is not None and semantic is not None:
            scores, valid = self._scaled(fuse(lexical, semantic, self.fusion)), None
        elif lexical is not None:
            scores, valid = lexical, lexical_found
        else:
            assert semantic is not None
            scores, valid = semantic, None
        lexical_order = self._article_order(lexical, lexical_found) if lexical is not None else {}
        semantic_order = self._article_order(semantic, None) if semantic is not None else {}
        out: list[Hit] = []
        for index in self._top_passages(scores, k, valid):
            passage = self.passages[index]
            doc = self.documents[passage.article_id]
            cosine = float(semantic[index]) if semantic is not None else 0.0
            out.append(
                Hit(
                    article_id=doc.article_id,
                    external_id=doc.external_id,
                    version=doc.version,
                    title=doc.title,
                    passage=passage.text,
                    score=round(float(scores[index]), 6),
                    lexical_rank=lexical_order.get(doc.article_id),
                    semantic_rank=semantic_order.get(doc.article_id),
                    passage_index=passage.index,
                    semantic_score=round(cosine, 6),
                )
            )
        return out

    def _scaled(self, fused: Scores) -> Scores:
        """RRF's raw scale (~1/60) means nothing to a reader; 1.0 = first for both rankers."""
        if self.fusion.method == "rrf":
            return (fused * (self.fusion.rrf_k + 1)).astype(np.float32)
        return fused

    def _top_passages(
        self, scores: Scores, k: int, valid: npt.NDArray[np.bool_] | None
    ) -> list[int]:
        """Indices of the best passage of each of the top-k articles (ties by position)."""
        order = np.argsort(-scores, kind="stable")
        seen: set[int] = set()
        picked: list[int] = []
        for index in order.tolist():
            if valid is not None and not valid[index]:
                break  # invalid passages (BM25 zero) sort last
            article = int(self._passage_article[index])
            if article not in seen:
                seen.add(article)
                picked.append(index)
                if len(picked) == k:
                    break
        return picked

    def _article_order(self, scores: Scores, valid: npt.NDArray[np.bool_] | None) -> dict[int, int]:
        """Article id -> 1-based rank under one ranker (only articles it found)."""
        picked = self._top_passages(scores, len(self.article_ids), valid)
        return {int(self._passage_article[i]): rank for rank, i in enumerate(picked, start=1)}
