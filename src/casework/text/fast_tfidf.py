"""A fitted `TfidfVectorizer`'s `transform`, done with numpy instead of a Python loop.

Why: scikit-learn builds every word and character n-gram of every text as a Python
string and looks each one up in a dict; for the three linear models a ticket passes
through (intent, priority, queue), that loop was the largest single cost of processing
a ticket. Here each n-gram becomes an integer — a base-B number over the indexes of
the vocabulary's own tokens (words) or characters (char_wb) — so finding which
n-grams are in the vocabulary is one `searchsorted` per n-gram length over a whole
batch. The result is the same matrix scikit-learn returns (same columns, same
sublinear tf, idf and l2 norm, in the same order of operations); an n-gram containing
a word or character absent from the vocabulary cannot be in the vocabulary, so giving
it no key loses nothing.

Only the configurations casework fits are compiled (lower-casing, default token
pattern or `char_wb`, no stop words, no custom pre-processor or tokenizer);
`transform_fast` falls back to scikit-learn for anything else.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

IntArray = npt.NDArray[np.int64]
_DEFAULT_TOKEN_PATTERN = r"(?u)\b\w\w+\b"
_SEPARATOR = "\x00"  # between padded words: no window may span it
# Kept beside the vectorizers, not on them, so a saved model never carries it; keyed
# by the vocabulary object too, in case a vectorizer is fitted again.
_COMPILED: weakref.WeakKeyDictionary[TfidfVectorizer, tuple[object, CompiledTfidf | None]] = (
    weakref.WeakKeyDictionary()
)


def transform_fast(vectorizer: TfidfVectorizer, texts: Sequence[str]) -> sparse.csr_matrix:
    """`vectorizer.transform(texts)`, compiled on first use for this process."""
    entry = _COMPILED.get(vectorizer)
    if entry is None or entry[0] is not vectorizer.vocabulary_:
        entry = (vectorizer.vocabulary_, CompiledTfidf.compile(vectorizer))
        _COMPILED[vectorizer] = entry
    compiled = entry[1]
    if compiled is None:
        return sparse.csr_matrix(vectorizer.transform(texts))
    return compiled.transform(texts)


class CompiledTfidf:
    """Integer n-gram keys for one fitted vectorizer's vocabulary."""

    def __init__(
        self,
        analyzer: str,
        ngram_range: tuple[int, int],
        symbols: dict[str, int],
        keys: dict[int, tuple[IntArray, IntArray]],
        base: int,
        idf: npt.NDArray[np.float64],
        sublinear: bool,
        n_features: int,
    ) -> None:
        self.analyzer = analyzer
        self.ngram_range = ngram_range
        self.symbols = symbols
        self.keys = keys  # n -> (sorted keys, column of each key)
        self.base = base
        self.idf = idf
        self.sublinear = sublinear
        self.n_features = n_features
        self._pattern = re.compile(_DEFAULT_TOKEN_PATTERN)
        if analyzer == "char_wb":
            self._lookup = _codepoint_table(symbols)

    @classmethod
    def compile(cls, v: TfidfVectorizer) -> CompiledTfidf | None:
        """The compiled form, or None when `v` is configured in a way not covered here."""
        plain = (
            v.lowercase
            and v.preprocessor is None
            and v.tokenizer is None
            and v.strip_accents is None
            and v.stop_words is None
            and v.input == "content"
            and not v.binary
            and v.norm == "l2"
            and v.use_idf
            and hasattr(v, "idf_")
        )
        if not plain or v.analyzer not in ("word", "char_wb"):
            return None
        if v.analyzer == "word" and v.token_pattern != _DEFAULT_TOKEN_PATTERN:
            return None
        min_n, max_n = v.ngram_range
        if v.analyzer == "char_wb" and min_n < 2:
            # with n >= 2 every padded word (>= 3 characters) yields plain windows;
            # n = 1 would need scikit-learn's short-word rule
            return None
        terms = v.vocabulary_
        parts: dict[str, list[str]] = {
            term: (term.split(" ") if v.analyzer == "word" else list(term)) for term in terms
        }
        symbols: dict[str, int] = {}
        for pieces in parts.values():
            for piece in pieces:
                symbols.setdefault(piece, len(symbols) + 1)  # 0 = unknown / separator
        if v.analyzer == "char_wb" and (_SEPARATOR in symbols or any(
            len(s) != 1 for s in symbols
        )):
            return None
        base = len(symbols) + 1
        if base ** max_n >= 2**62:
            return None
        by_n: dict[int, tuple[list[int], list[int]]] = {}
        for term, column in terms.items():
            key = 0
            for piece in parts[term]:
                key = key * base + symbols[piece]
            keys, columns = by_n.setdefault(len(parts[term]), ([], []))
            keys.append(key)
            columns.append(column)
        compiled_keys: dict[int, tuple[IntArray, IntArray]] = {}
        for n, (keys, columns) in by_n.items():
            order = np.argsort(np.asarray(keys, dtype=np.int64), kind="stable")
            compiled_keys[n] = (
                np.asarray(keys, dtype=np.int64)[order],
                np.asarray(columns, dtype=np.int64)[order],
            )
        return cls(
            v.analyzer, (min_n, max_n), symbols, compiled_keys, base,
            np.asarray(v.idf_, dtype=np.float64), bool(v.sublinear_tf), len(terms),
        )  # fmt: skip

    # -- transform ---------------------------------------------------------------------

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        codes, starts = (
            self._word_codes(texts) if self.analyzer == "word" else self._char_codes(texts)
        )
        rows: list[IntArray] = []
        cols: list[IntArray] = []
        min_n, max_n = self.ngram_range
        # a window is valid when it holds no 0 (unknown symbol, separator, text boundary)
        zeros = np.concatenate(([0], np.cumsum(codes == 0)))
        doc_of = np.repeat(np.arange(len(texts)), np.diff(starts))
        key = np.zeros(len(codes), dtype=np.int64)
        for n in range(1, max_n + 1):
            length = len(codes) - n + 1
            if length <= 0:
                break
            key = key[:length] * self.base + codes[n - 1 : n - 1 + length]
            if n < min_n or n not in self.keys:
                continue
            valid = np.flatnonzero(zeros[n : n + length] - zeros[:length] == 0)
            sorted_keys, columns = self.keys[n]
            found = np.searchsorted(sorted_keys, key[valid])
            found[found == len(sorted_keys)] = 0
            hit = sorted_keys[found] == key[valid]
            rows.append(doc_of[valid[hit]])
            cols.append(columns[found[hit]])
        return self._tfidf(len(texts), rows, cols)

    def _word_codes(self, texts: Sequence[str]) -> tuple[IntArray, IntArray]:
        """Token symbols of all texts, each text followed by a 0 (no n-gram spans texts)."""
        get = self.symbols.get
        flat: list[int] = []
        starts = [0]
        for text in texts:
            flat.extend([get(token, 0) for token in self._pattern.findall(text.lower())])
            flat.append(0)
            starts.append(len(flat))
        return np.asarray(flat, dtype=np.int64), np.asarray(starts, dtype=np.int64)

    def _char_codes(self, texts: Sequence[str]) -> tuple[IntArray, IntArray]:
        """Character symbols of every padded word (" word "), separated by 0s."""
        pieces = [
            _SEPARATOR + " " + (" " + _SEPARATOR + " ").join(text.lower().split()) + " "
            if text.split() else "" for text in texts
        ]  # fmt: skip
        joined = "".join(pieces) + _SEPARATOR
        points = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
        lookup = self._lookup
        codes = np.zeros(len(points), dtype=np.int64)
        inside = points < len(lookup)
        codes[inside] = lookup[points[inside]]
        lengths = np.fromiter((len(p) for p in pieces), dtype=np.int64, count=len(pieces))
        starts = np.concatenate(([0], np.cumsum(lengths)))
        starts[-1] += 1  # the trailing separator belongs to the last text
        return codes, starts

    def _tfidf(
        self, n_rows: int, rows: list[IntArray], cols: list[IntArray]
    ) -> sparse.csr_matrix:
        r = np.concatenate(rows) if rows else np.zeros(0, np.int64)
        c = np.concatenate(cols) if cols else np.zeros(0, np.int64)
        counts = sparse.csr_matrix(
            (np.ones(len(r), dtype=np.float64), (r, c)), shape=(n_rows, self.n_features)
        )
        counts.sum_duplicates()  # also sorts the indices, as scikit-learn's output is
        data = counts.data
        if self.sublinear:
            np.log(data, data)
            data += 1.0
        data *= self.idf[counts.indices]
        per_row = np.diff(counts.indptr)
        row_of = np.repeat(np.arange(n_rows), per_row)
        norms = np.sqrt(np.bincount(row_of, weights=data * data, minlength=n_rows))
        norms[norms == 0] = 1.0
        data /= norms[row_of]
        return counts


def _codepoint_table(symbols: dict[str, int]) -> IntArray:
    """Codepoint -> symbol index (0 for characters outside the vocabulary)."""
    top = max((ord(s) for s in symbols), default=0)
    table = np.zeros(top + 1, dtype=np.int64)
    for s, index in symbols.items():
        table[ord(s)] = index
    return table
