"""`evaluate_intents` on small data: unknown metrics and the reported trade-off curve."""

from __future__ import annotations

import numpy as np
import pytest

from casework.triage.datasets import LabelledTexts
from casework.triage.evaluate import evaluate_intents, tradeoff_curve


def test_tradeoff_curve_sweeps_the_threshold_over_unknown_scores() -> None:
    # four in-scope texts (three right), four unknown ones with rising scores
    in_scope = np.array([0.9, 0.8, 0.7, 0.6, 0.1, 0.2, 0.65, 0.95])
    correct = np.array([True, True, True, False, False, False, False, False])
    unknown = np.array([False] * 4 + [True] * 4)
    half, three_quarters, all_ = tradeoff_curve(in_scope, correct, unknown, (0.5, 0.75, 1.0))
    assert half == {"unknown_recall": 0.5, "in_scope_accuracy": 0.75}
    # rejecting 0.65 also rejects the wrong in-scope 0.6: accuracy is unchanged
    assert three_quarters == {"unknown_recall": 0.75, "in_scope_accuracy": 0.75}
    assert all_ == {"unknown_recall": 1.0, "in_scope_accuracy": 0.0}


def test_unknown_metrics_and_curve_when_the_test_set_has_unknowns(
    intent_examples: tuple[list[str], list[str]],
) -> None:
    texts, labels = intent_examples
    test_texts = [
        "where is my order 4242, still not delivered",
        "I want a refund for order 777",
        "I cannot log in to my account since 3 attempts",
        "can you send a copy of invoice 5151",
    ]
    test_labels = ["order_status", "refund_request", "account_access", "invoice_question"]
    off_topic = [
        "what will the weather be like in Lisbon on Saturday",
        "recommend a good pizza place near the station",
        "who won the football match last night",
    ]
    report = evaluate_intents(
        LabelledTexts(texts, labels),
        LabelledTexts(test_texts + off_topic, test_labels + ["oos"] * len(off_topic)),
        unknown_label="oos",
    )
    assert report["n_test"] == len(test_texts) + 3
    assert report["in_scope_accuracy"] >= 0.9
    assert report["unknown_recall"] == pytest.approx(1.0)
    recalls = [point["unknown_recall"] for point in report["unknown_tradeoff"]]
    assert recalls == sorted(recalls) and recalls[-1] >= 0.9
