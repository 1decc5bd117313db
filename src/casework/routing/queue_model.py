"""The queue model: where tickets like this one finally ended up.

It is the intent classifier trained on a different label — the queue each past
ticket was finally resolved in, after any transfers — so it inherits the same
features and the same temperature-calibrated probabilities: a recommendation at
0.8 is right about 80% of the time, which is what lets the router fall back to
the default queue below a configured confidence instead of guessing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np
import sklearn

from casework.triage.intent import IntentClassifier

KIND = "queue"
"""The model-store kind: `models/queue/<version>.joblib` in the workspace."""
MIN_EXAMPLES = 20


class QueueRecommendation(NamedTuple):
    queue: str
    confidence: float
    alternatives: list[tuple[str, float]]
    """The top queues with their probabilities, best first (the chosen one included)."""


def train_queue_model(
    texts: Sequence[str],
    queues: Sequence[str],
    *,
    embedder: str = "static",
    holdout: float = 0.15,
    random_state: int = 0,
) -> IntentClassifier:
    """Fit on redacted ticket texts and their final queues."""
    if len(texts) < MIN_EXAMPLES:
        raise ValueError(
            f"only {len(texts)} tickets with a final queue; at least {MIN_EXAMPLES} are needed"
        )
    model = IntentClassifier(embedder=embedder, holdout=holdout, random_state=random_state)
    return model.fit(list(texts), list(queues))


def queue_model_meta(
    model: IntentClassifier, queues: Sequence[str], **extra: Any
) -> dict[str, Any]:
    """The sidecar metadata saved beside the model (how and on what it was trained)."""
    return {
        "sklearn_version": sklearn.__version__,
        "embedder": model.embedder,
        "n_train": model.n_train_,
        "classes": [str(c) for c in model.classes_],
        "label_counts": dict(Counter(queues).most_common()),
        "holdout_accuracy": round(model.holdout_accuracy_, 4),
        "temperature": round(model.temperature_, 4),
        "train_seconds": round(model.train_seconds_, 2),
        **extra,
    }


def recommend_many(
    model: IntentClassifier, texts: Sequence[str], top: int = 3
) -> list[QueueRecommendation]:
    """Recommendations for many texts in one pass (the embedder batches)."""
    if not texts:
        return []
    probs = model.predict_proba(list(texts))
    classes = [str(c) for c in model.classes_]
    out = []
    for row in probs:
        order = np.argsort(-row)[:top]
        alternatives = [(classes[i], float(row[i])) for i in order]
        out.append(QueueRecommendation(alternatives[0][0], alternatives[0][1], alternatives))
    return out


def recommend(model: IntentClassifier, text: str) -> QueueRecommendation:
    """The queue tickets like `text` ended in, its probability and the runners-up."""
    return recommend_many(model, [text])[0]
