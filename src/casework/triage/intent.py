"""Intent classifier with honest confidence and an explicit `unknown`.

A scikit-learn estimator: `__init__` stores parameters, `fit` learns and returns
`self`, learnt state ends in `_`. Features are word and character n-grams plus a
sentence embedding (the configured `Embedder`); the classifier is linear.

Confidence is made honest in two steps, both on a stratified hold-out carved
from the training data (never the test set):

1. **Temperature scaling**: the linear scores are turned into probabilities
   with one temperature fitted to minimise the hold-out log-loss, so 0.8 means
   right about 80% of the time.
2. **Unknown threshold**: a fraction of the classes is hidden from an auxiliary
   model; the hold-out examples of those classes play "out of scope". The
   threshold on the top probability is the one that best balances in-scope
   accuracy and unknown recall. If the training data has real unknown examples
   (`unknown_label`), they are used instead.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse
from scipy.optimize import minimize_scalar
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.svm import LinearSVC

from casework.text.embedders import get_embedder

UNKNOWN = "unknown"
FloatArray = npt.NDArray[np.float64]


@dataclass
class IntentPrediction:
    label: str
    confidence: float
    alternatives: list[tuple[str, float]]
    reasons: list[str] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "confidence": round(self.confidence, 4),
            "alternatives": [
                {"label": lab, "confidence": round(p, 4)} for lab, p in self.alternatives
            ],
            "reasons": self.reasons,
            "terms": self.terms,
        }


def _decision(model: LinearSVC, features: sparse.csr_matrix) -> FloatArray:
    """Scores with one column per class, also for two classes (sklearn returns one)."""
    scores: FloatArray = model.decision_function(features)
    return np.column_stack([-scores, scores]) if scores.ndim == 1 else scores


def _softmax(scores: FloatArray, temperature: float) -> FloatArray:
    z = scores / temperature
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    probs: FloatArray = e / e.sum(axis=1, keepdims=True)
    return probs


def fit_temperature(scores: FloatArray, true_index: npt.NDArray[np.int64]) -> float:
    """The temperature that minimises negative log-likelihood on held-out scores."""

    def nll(log_t: float) -> float:
        probs = _softmax(scores, float(np.exp(log_t)))
        return float(-np.mean(np.log(probs[np.arange(len(true_index)), true_index] + 1e-12)))

    # Bounded: a perfectly separated hold-out would otherwise push the
    # temperature towards zero and every probability to exactly 1.
    result = minimize_scalar(nll, bounds=(np.log(0.05), np.log(20.0)), method="bounded")
    return float(np.exp(result.x))


def choose_threshold(
    top_prob: FloatArray, correct: npt.NDArray[np.bool_], is_unknown: npt.NDArray[np.bool_]
) -> float:
    """Threshold maximising held-out accuracy with `unknown` counted as an answer.

    A rejected in-scope example is an error and so is an accepted unknown one,
    each weighted by how common it is in the hold-out — the threshold buys
    unknown recall only where it costs fewer in-scope answers than it saves.
    """
    if not is_unknown.any() or is_unknown.all():
        return 0.0
    candidates = np.unique(np.concatenate([[0.0], top_prob]))
    best, best_score = 0.0, -1.0
    in_scope = ~is_unknown
    for t in candidates:
        accepted = top_prob >= t
        score = float(
            np.sum(correct[in_scope] & accepted[in_scope]) + np.sum(~accepted[is_unknown])
        )
        if score > best_score:
            best, best_score = float(t), score
    return best


class IntentClassifier(ClassifierMixin, BaseEstimator):
    """Linear intent model over n-grams and sentence embeddings."""

    def __init__(
        self,
        embedder: str = "static",
        embedding_weight: float = 2.5,
        C: float = 0.5,
        char_ngrams: bool = True,
        holdout: float = 0.15,
        hidden_class_share: float = 0.15,
        unknown_label: str | None = None,
        max_neighbours: int = 5000,
        random_state: int = 0,
    ) -> None:
        self.embedder = embedder
        self.embedding_weight = embedding_weight
        self.C = C
        self.char_ngrams = char_ngrams
        self.holdout = holdout
        self.hidden_class_share = hidden_class_share
        self.unknown_label = unknown_label
        self.max_neighbours = max_neighbours
        self.random_state = random_state

    # -- features -----------------------------------------------------------------

    def _make_vectorizers(self) -> list[TfidfVectorizer]:
        vectorizers = [
            TfidfVectorizer(ngram_range=(1, 3), sublinear_tf=True, min_df=1, max_features=None)
        ]
        if self.char_ngrams:
            vectorizers.append(
                TfidfVectorizer(
                    analyzer="char_wb",
                    ngram_range=(2, 5),
                    sublinear_tf=True,
                    min_df=2,
                    max_features=80_000,
                )
            )
        return vectorizers

    def _embed(self, texts: Sequence[str]) -> FloatArray:
        """Embeddings, memoised during `fit`, which embeds the same texts several times."""
        cache: dict[str, FloatArray] | None = getattr(self, "_fit_cache", None)
        embedder = get_embedder(self.embedder)
        if cache is None:
            return embedder.embed(list(texts)).astype(np.float64)
        missing = list(dict.fromkeys(t for t in texts if t not in cache))
        if missing:
            cache.update(zip(missing, embedder.embed(missing).astype(np.float64), strict=True))
        return np.vstack([cache[t] for t in texts]) if texts else np.zeros((0, embedder.dim))

    def _features(
        self,
        vectorizers: list[TfidfVectorizer],
        texts: Sequence[str],
        emb: FloatArray | None = None,
    ) -> sparse.csr_matrix:
        blocks: list[Any] = [v.transform(texts) for v in vectorizers]
        if self.embedding_weight > 0:
            emb = self._embed(texts) if emb is None else emb
            blocks.append(sparse.csr_matrix(emb * self.embedding_weight))
        return sparse.hstack(blocks, format="csr")

    def _fit_linear(
        self, texts: Sequence[str], labels: Sequence[str]
    ) -> tuple[list[TfidfVectorizer], LinearSVC]:
        vectorizers = self._make_vectorizers()
        for v in vectorizers:
            v.fit(texts)
        model = LinearSVC(C=self.C, random_state=self.random_state)
        model.fit(self._features(vectorizers, texts), labels)
        return vectorizers, model

    # -- estimator API ---------------------------------------------------------------

    def fit(self, X: Sequence[str], y: Sequence[str]) -> IntentClassifier:
        started = time.perf_counter()
        texts = [str(t) for t in X]
        labels = np.asarray([str(label) for label in y])
        if len(texts) != len(labels):
            raise ValueError(f"X has {len(texts)} texts but y has {len(labels)} labels")
        if len(set(labels.tolist())) < 2:
            raise ValueError("an intent model needs at least two distinct labels")
        unknown_mask = (
            labels == self.unknown_label if self.unknown_label else np.zeros(len(labels), bool)
        )
        in_texts = [t for t, u in zip(texts, unknown_mask, strict=True) if not u]
        in_labels = labels[~unknown_mask]
        self._fit_cache: dict[str, FloatArray] | None = {}
        try:
            fit_x, hold_x, fit_y, hold_y = train_test_split(
                in_texts,
                in_labels,
                test_size=self.holdout,
                stratify=_stratify(in_labels),
                random_state=self.random_state,
            )
            # 1. temperature, on a hold-out the model never saw
            vecs, model = self._fit_linear(fit_x, fit_y)
            hold_scores = _decision(model, self._features(vecs, hold_x))
            class_index = {c: i for i, c in enumerate(model.classes_)}
            true_idx = np.array([class_index[c] for c in hold_y], dtype=np.int64)
            self.temperature_ = fit_temperature(hold_scores, true_idx)
            hold_top = model.classes_[hold_scores.argmax(axis=1)]
            self.holdout_accuracy_ = float(np.mean(hold_top == np.asarray(hold_y)))
            # 2. out-of-scope scorer and its threshold
            unknown_texts = [t for t, u in zip(texts, unknown_mask, strict=True) if u]
            self._fit_out_of_scope(fit_x, fit_y, hold_x, hold_y, unknown_texts, (vecs, model))
            # 3. the final model, on every in-scope example
            self.vectorizers_, self.model_ = self._fit_linear(in_texts, in_labels)
            self.train_embeddings_ = self._neighbour_sample(self._embed(in_texts))
        finally:
            self._fit_cache = None
        self.classes_ = self.model_.classes_
        self.n_train_ = len(in_texts)
        self.train_seconds_ = time.perf_counter() - started
        return self

    def _fit_out_of_scope(
        self,
        fit_x: list[str],
        fit_y: npt.NDArray[Any],
        hold_x: list[str],
        hold_y: npt.NDArray[Any],
        unknown_texts: list[str],
        holdout_model: tuple[list[TfidfVectorizer], LinearSVC],
    ) -> None:
        """Learn how "out of scope" looks from held-out data, then pick the threshold.

        With ≥ 10 real unknown examples they are the negatives; otherwise some
        classes are hidden from an auxiliary model and their hold-out examples
        stand in for the unknown.
        """
        fit_y, hold_y = np.asarray(fit_y), np.asarray(hold_y)
        if len(unknown_texts) >= 10:
            vecs, model = holdout_model
            eval_x = list(hold_x) + unknown_texts
            eval_y = np.concatenate([hold_y, np.full(len(unknown_texts), UNKNOWN)])
            known_x = fit_x
        else:
            classes = np.unique(fit_y)
            n_hidden = max(1, int(round(len(classes) * self.hidden_class_share)))
            if len(classes) - n_hidden < 2:
                self.oos_model_, self.unknown_threshold_ = None, 0.0
                return
            rng = np.random.default_rng(self.random_state)
            hidden = set(rng.choice(classes, size=n_hidden, replace=False).tolist())
            keep = np.array([c not in hidden for c in fit_y])
            known_x = [t for t, k in zip(fit_x, keep, strict=True) if k]
            vecs, model = self._fit_linear(known_x, fit_y[keep])
            eval_x = list(hold_x)
            eval_y = np.array([UNKNOWN if c in hidden else c for c in hold_y], dtype=object)
        is_unknown = eval_y == UNKNOWN
        emb = self._embed(eval_x)
        scores = _decision(model, self._features(vecs, eval_x, emb))
        signals = self._oos_signals(scores, emb, self._neighbour_sample(self._embed(known_x)))
        oos = LogisticRegression(class_weight="balanced", max_iter=1000)
        oos.fit(signals, is_unknown)
        in_scope_score = oos.predict_proba(signals)[:, 0]
        correct = model.classes_[scores.argmax(axis=1)] == eval_y
        self.oos_model_ = oos
        self.unknown_threshold_ = choose_threshold(in_scope_score, correct, is_unknown)

    def _oos_signals(
        self, scores: FloatArray, emb: FloatArray, known: npt.NDArray[np.float32]
    ) -> FloatArray:
        """What separates a stranger from a known intent: confidence, margin, distance."""
        probs = _softmax(scores, self.temperature_)
        top2 = np.sort(probs, axis=1)[:, -2:]
        nearest = (
            (emb.astype(np.float32) @ known.T).max(axis=1) if len(known) else np.zeros(len(emb))
        )
        return np.column_stack([top2[:, 1], top2[:, 1] - top2[:, 0], scores.max(axis=1), nearest])

    def _neighbour_sample(self, emb: FloatArray) -> npt.NDArray[np.float32]:
        """Training vectors kept for the nearest-neighbour signal, capped for speed."""
        if len(emb) > self.max_neighbours:
            rng = np.random.default_rng(self.random_state)
            emb = emb[np.sort(rng.choice(len(emb), self.max_neighbours, replace=False))]
        return emb.astype(np.float32)

    def _scores(self, texts: Sequence[str]) -> tuple[FloatArray, FloatArray, sparse.csr_matrix]:
        emb = self._embed(texts)
        features = self._features(self.vectorizers_, texts, emb)
        return _decision(self.model_, features), emb, features

    def predict_proba(self, X: Sequence[str]) -> FloatArray:
        scores, _, _ = self._scores(list(X))
        return _softmax(scores, self.temperature_)

    def in_scope_score(self, X: Sequence[str]) -> FloatArray:
        """How much each text looks like a known intent (1) versus out of scope (0)."""
        scores, emb, _ = self._scores(list(X))
        return self._in_scope(scores, emb)

    def _in_scope(self, scores: FloatArray, emb: FloatArray) -> FloatArray:
        if self.oos_model_ is None:
            return np.ones(len(scores))
        signals = self._oos_signals(scores, emb, self.train_embeddings_)
        result: FloatArray = self.oos_model_.predict_proba(signals)[:, 0]
        return result

    def predict(self, X: Sequence[str]) -> npt.NDArray[Any]:
        """Labels, with `unknown` where the text does not look like any known intent."""
        texts = list(X)
        scores, emb, _ = self._scores(texts)
        labels = self.classes_[scores.argmax(axis=1)].astype(object)
        rejected = self._in_scope(scores, emb) < self.unknown_threshold_
        labels[rejected | np.array([not t.strip() for t in texts], dtype=bool)] = UNKNOWN
        return labels

    def explain(self, texts: Sequence[str], top: int = 3, terms: int = 5) -> list[IntentPrediction]:
        """Predictions with alternatives and the n-grams that pushed each one."""
        texts = list(texts)
        scores, emb, features = self._scores(texts)
        probs = _softmax(scores, self.temperature_)
        in_scope = self._in_scope(scores, emb)
        names = self._feature_names()
        out = []
        for row, text in enumerate(texts):
            order = np.argsort(-probs[row])[:top]
            best = int(order[0])
            confidence = float(probs[row, best])
            label = str(self.classes_[best])
            reasons = [f"top probability {confidence:.2f} for '{label}'"]
            if not text.strip():
                label, reasons = UNKNOWN, ["empty text"]
            elif in_scope[row] < self.unknown_threshold_:
                reasons.append(
                    f"looks out of scope: in-scope score {in_scope[row]:.2f} is below the "
                    f"threshold {self.unknown_threshold_:.2f} chosen on held-out data"
                )
                label = UNKNOWN
            # contributions of this row's n-grams to the chosen class, read
            # straight from the CSR arrays (slicing rows is far slower)
            lo, hi = features.indptr[row], features.indptr[row + 1]
            cols = features.indices[lo:hi]
            keep = cols < len(names)
            cols = cols[keep]
            contrib = features.data[lo:hi][keep] * self.model_.coef_[best, cols]
            order_ = np.argsort(-contrib)[:terms]
            pushed = [names[cols[i]].strip() for i in order_ if contrib[i] > 0]
            out.append(
                IntentPrediction(
                    label=label,
                    confidence=confidence,
                    alternatives=[(str(self.classes_[i]), float(probs[row, i])) for i in order],
                    reasons=reasons,
                    terms=pushed,
                )
            )
        return out

    def _feature_names(self) -> list[str]:
        if getattr(self, "_names", None) is None:
            names: list[str] = []
            for v in self.vectorizers_:
                names.extend(v.get_feature_names_out().tolist())
            self._names = names
        return self._names


def _stratify(labels: npt.NDArray[Any]) -> npt.NDArray[Any] | None:
    """Stratify when every class has at least two examples; otherwise split plainly."""
    _, counts = np.unique(labels, return_counts=True)
    return labels if counts.min() >= 2 else None
