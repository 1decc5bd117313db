"""Evaluate the intent model on labelled CSV files (e.g. Banking77, HINT3).

Reports quality and cost together: accuracy, macro-F1, training time and
prediction throughput, plus in-scope accuracy and unknown precision/recall
when the test set has an unknown label.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.metrics import accuracy_score, f1_score

from casework.triage.datasets import LabelledTexts
from casework.triage.intent import UNKNOWN, IntentClassifier


def evaluate_intents(
    train: LabelledTexts,
    test: LabelledTexts,
    mode: str = "static",
    unknown_label: str | None = None,
    max_in_scope_cost: float | None = None,
) -> dict[str, Any]:
    test_labels = [UNKNOWN if unknown_label and y == unknown_label else y for y in test.labels]
    model = IntentClassifier(embedder=mode, unknown_label=unknown_label)
    if max_in_scope_cost is not None:  # how much held-out accuracy the unknown gate may spend
        model.set_params(max_in_scope_cost=max_in_scope_cost)
    started = time.perf_counter()
    model.fit(train.texts, train.labels)
    train_seconds = time.perf_counter() - started
    model.predict(test.texts[:50])  # warm caches so throughput measures steady state
    started = time.perf_counter()
    predicted = list(model.predict(test.texts))
    predict_seconds = time.perf_counter() - started
    truth = np.asarray(test_labels, dtype=object)
    pred = np.asarray(predicted, dtype=object)
    is_unknown = truth == UNKNOWN
    said_unknown = pred == UNKNOWN
    if not is_unknown.any():
        # A closed test set: score the top label (the literature's metric) and
        # report abstentions separately, so neither number hides the other.
        top1 = model.classes_[model.predict_proba(test.texts).argmax(axis=1)]
        scored: list[Any] = list(top1)
    else:
        scored = predicted
    result: dict[str, Any] = {
        "mode": mode,
        "n_train": len(train.texts),
        "n_test": len(test.texts),
        "n_classes": len(model.classes_),
        "accuracy": round(float(accuracy_score(test_labels, scored)), 4),
        "macro_f1": round(float(f1_score(test_labels, scored, average="macro")), 4),
        "abstention_rate": round(float(np.mean(said_unknown)), 4),
        "accuracy_when_answered": round(
            float(np.mean(pred[~said_unknown] == truth[~said_unknown]))
            if (~said_unknown).any()
            else 0.0,
            4,
        ),
        "train_seconds": round(train_seconds, 2),
        "predict_per_second": round(len(test.texts) / predict_seconds, 1),
        "temperature": round(model.temperature_, 4),
        "unknown_threshold": round(model.unknown_threshold_, 4),
        "holdout_accuracy": round(model.holdout_accuracy_, 4),
        "max_in_scope_cost": model.max_in_scope_cost,
    }
    if is_unknown.any():
        result["in_scope_accuracy"] = round(
            float(np.mean(pred[~is_unknown] == truth[~is_unknown])), 4
        )
        result["unknown_recall"] = round(float(np.mean(said_unknown[is_unknown])), 4)
        result["unknown_precision"] = (
            round(float(np.mean(is_unknown[said_unknown])), 4) if said_unknown.any() else 0.0
        )
        top1 = model.classes_[model.predict_proba(test.texts).argmax(axis=1)]
        result["unknown_tradeoff"] = tradeoff_curve(
            model.in_scope_score(test.texts), top1 == truth, is_unknown
        )
    return result


def tradeoff_curve(
    in_scope: npt.NDArray[np.float64],
    top_correct: npt.NDArray[np.bool_],
    is_unknown: npt.NDArray[np.bool_],
    recalls: tuple[float, ...] = (0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9),
) -> list[dict[str, float]]:
    """In-scope accuracy at each unknown recall, sweeping the threshold on the test set.

    Reported only, to show what the in-scope score can trade: the model's own
    threshold is chosen on held-out training data and this curve never feeds back.
    """
    unknown_scores = np.sort(in_scope[is_unknown])
    points = []
    for recall in recalls:
        # the smallest threshold rejecting at least `recall` of the unknown texts
        k = int(np.ceil(recall * len(unknown_scores)))
        threshold = np.nextafter(unknown_scores[k - 1], np.inf) if k else -np.inf
        accepted = in_scope >= threshold
        points.append(
            {
                "unknown_recall": round(float(np.mean(~accepted[is_unknown])), 4),
                "in_scope_accuracy": round(
                    float(np.mean((top_correct & accepted)[~is_unknown])), 4
                ),
            }
        )
    return points
