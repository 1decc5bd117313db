"""Class-wise nearest neighbours in embedding space for the intent model.

Why: the linear model draws one hyperplane per intent, which misses intents whose
examples form several small clusters of phrasings. The (mean) cosine of a text to the
`k` closest training examples of each intent is a local, non-linear second opinion;
added to the linear scores it lifted Banking77 accuracy by about half a point in
cross-validation on the training file (k = 1 with at most 65 rows per intent kept
that gain at a fraction of the cost of k = 3 over every row). The same similarities
also tell how far a text is from everything seen in training, which the out-of-scope
scorer reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


@dataclass
class ClassNeighbours:
    """Training embeddings grouped by class, in the order of the model's `classes_`.

    `bounds[i]:bounds[i+1]` are the rows of class `i`; every class has at least one row.
    """

    vectors: npt.NDArray[np.float32]
    bounds: npt.NDArray[np.int64]
    k: int
    # the training text of each row, when kept: explanations quote the nearest ones
    texts: list[str] | None = None

    @classmethod
    def build(
        cls,
        emb: FloatArray,
        labels: npt.NDArray[Any],
        classes: npt.NDArray[Any],
        k: int,
        max_rows: int,
        random_state: int = 0,
        texts: Sequence[str] | None = None,
    ) -> ClassNeighbours:
        """Group `emb` by class; cap the total at `max_rows` with the same share per class."""
        labels = np.asarray(labels)
        per_class = max(k, int(np.ceil(max_rows / max(1, len(classes)))))
        rng = np.random.default_rng(random_state)
        blocks, bounds, kept = [], [0], []
        for name in classes:
            rows = np.flatnonzero(labels == name)
            if len(rows) > per_class:
                rows = np.sort(rng.choice(rows, per_class, replace=False))
            blocks.append(emb[rows].astype(np.float32))
            bounds.append(bounds[-1] + len(rows))
            kept.extend(rows.tolist())
        return cls(
            np.vstack(blocks),
            np.asarray(bounds, dtype=np.int64),
            k,
            None if texts is None else [texts[i] for i in kept],
        )

    def scores(self, emb: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Per class, the mean cosine to its `k` nearest rows; and the nearest cosine overall."""
        sims = emb.astype(np.float32) @ self.vectors.T
        if not sims.shape[1]:
            return np.zeros((len(emb), len(self.bounds) - 1)), np.zeros(len(emb))
        if self.k == 1:
            # one vectorised call instead of a partition per class: the cheap default
            best: FloatArray = np.maximum.reduceat(sims, self.bounds[:-1], axis=1).astype(
                np.float64
            )
            return best, best.max(axis=1)
        out = np.empty((len(emb), len(self.bounds) - 1), dtype=np.float64)
        for i, (lo, hi) in enumerate(zip(self.bounds[:-1], self.bounds[1:], strict=True)):
            block = sims[:, lo:hi]
            k = min(self.k, hi - lo)
            top = np.partition(block, hi - lo - k, axis=1)[:, -k:] if k < hi - lo else block
            out[:, i] = top.mean(axis=1)
        nearest: FloatArray = sims.max(axis=1).astype(np.float64)
        return out, nearest

    def examples(
        self, vectors: FloatArray, predicted: npt.NDArray[np.int64], n: int = 2
    ) -> list[list[tuple[str, float]]]:
        """Per row, the `n` stored training texts of its predicted class nearest to it."""
        texts = getattr(self, "texts", None)  # None in a model pickled before texts were kept
        if not texts:
            return [[] for _ in range(len(vectors))]
        out: list[list[tuple[str, float]]] = []
        for vector, c in zip(vectors.astype(np.float32), predicted, strict=True):
            lo, hi = int(self.bounds[c]), int(self.bounds[c + 1])
            sims = self.vectors[lo:hi] @ vector
            top = np.argsort(-sims)[:n]
            out.append([(texts[lo + int(i)], round(float(sims[i]), 4)) for i in top])
        return out

    def own_class(self, vectors: FloatArray, predicted: npt.NDArray[np.int64]) -> FloatArray:
        """Cosine of each row to the nearest stored row of its own `predicted` class.

        Only that class's rows are compared, so the cost does not grow with the number
        of classes: the rows are sorted by class and each class's block meets its
        stored rows in one product. A class with no stored rows scores 0.

        The products are small (tens of texts by about a hundred rows), and `einsum`
        computes them in one thread: through BLAS (`@`) each wakes its thread pool,
        which on a busy 2-core machine made this step take 0.4 s per 3,080 texts
        instead of a few hundredths (measured inside `IntentClassifier.predict`).
        """
        order = np.argsort(predicted, kind="stable")
        queries = vectors[order].astype(np.float32)
        starts = np.searchsorted(predicted[order], np.arange(len(self.bounds)))
        sorted_out = np.zeros(len(vectors), dtype=np.float64)
        for c in range(len(self.bounds) - 1):
            a, b = starts[c], starts[c + 1]
            lo, hi = self.bounds[c], self.bounds[c + 1]
            if b > a and hi > lo:
                sims = np.einsum("nd,rd->nr", queries[a:b], self.vectors[lo:hi])
                sorted_out[a:b] = sims.max(axis=1)
        out = np.empty_like(sorted_out)
        out[order] = sorted_out
        return out
