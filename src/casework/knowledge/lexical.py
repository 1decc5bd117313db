"""BM25 over passages (bm25s), with a tokenizer both indexing and querying share.

Why bm25s: a maintained, numpy-only BM25 whose scoring of one query over a few
thousand passages takes well under a millisecond, so lexical search never
limits throughput. Why Snowball stemming: customers write "arrived" where the
article says "arrival"; without it BM25 misses most paraphrases.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

TOKENIZER_VERSION = "bm25-en-snowball-v1"
_TOKEN = re.compile(r"\w\w+", re.UNICODE)


def _require_bm25s() -> Any:
    try:
        import bm25s
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "knowledge search needs the 'bm25s' package: pip install bm25s PyStemmer"
        ) from exc
    return bm25s


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_EN

    return frozenset(STOPWORDS_EN)


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    try:
        import Stemmer
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("knowledge search needs 'PyStemmer': pip install PyStemmer") from exc
    return Stemmer.Stemmer("english")


def tokenize(text: str) -> list[str]:
    """Lower-cased word tokens of two or more characters, stop words out, stemmed."""
    stop = _stopwords()
    words = [w for w in _TOKEN.findall(text.lower()) if w not in stop]
    stems: list[str] = _stemmer().stemWords(words)
    return stems


class LexicalIndex:
    """BM25 scores of a query against every passage, in passage order."""

    def __init__(self, texts: Sequence[str]) -> None:
        bm25s = _require_bm25s()
        self.size = len(texts)
        self._model = bm25s.BM25()
        if texts:
            # bm25s drops an empty corpus row's slot otherwise; a placeholder keeps positions.
            corpus = [tokenize(t) or ["\x00"] for t in texts]
            self._model.index(corpus, show_progress=False)
        self._vocab: dict[str, int] = dict(self._model.vocab_dict or {}) if texts else {}

    def scores(self, query: str) -> npt.NDArray[np.float32]:
        """BM25 of every passage; all zeros when no query term is in the index."""
        terms = [t for t in tokenize(query) if t in self._vocab]
        if not terms or self.size == 0:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._model.get_scores(terms), dtype=np.float32)

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        if self.size:
            self._model.save(str(folder), show_progress=False)

    @classmethod
    def load(cls, folder: Path, size: int) -> LexicalIndex:
        """Load a saved index of ``size`` passages without re-tokenizing the corpus."""
        bm25s = _require_bm25s()
        index = cls.__new__(cls)
        index.size = size
        if size:
            index._model = bm25s.BM25.load(str(folder), show_progress=False)
            index._vocab = dict(index._model.vocab_dict or {})
        else:
            index._model = bm25s.BM25()
            index._vocab = {}
        return index
