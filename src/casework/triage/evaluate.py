"""Evaluate the intent model on labelled CSV files (e.g. Banking77, HINT3).

Reports quality and cost together: accuracy, macro-F1, training time and
prediction throughput, plus in-scope accuracy and unknown precision/recall
when the test set has an unknown label.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
from sklearn.metrics import accuracy_score, f1_score

from casework.triage.datasets import LabelledTexts
from casework.triage.intent import UNKNOWN, IntentClassifier


def evaluate_intents(
    train: LabelledTexts,
    test: LabelledTexts,
    mode: str = "static",
    unknown_label: str | None = None,
) -> dict[str, Any]:
    test_labels = [UNKNOWN if unknown_label and y == unknown_label else y for y in test.labels]
    model = IntentClassifier(embedder=mode, unknown_label=unknown_label)
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
    }
    if is_unknown.any():
        result["in_scope_accuracy"] = round(
            float(np.mean(pred[~is_unknown] == truth[~is_unknown])), 4
        )
        result["unknown_recall"] = round(float(np.mean(said_unknown[is_unknown])), 4)
        result["unknown_precision"] = (
            round(float(np.mean(is_unknown[said_unknown])), 4) if said_unknown.any() else 0.0
        )
    return result
