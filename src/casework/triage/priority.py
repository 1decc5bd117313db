"""Priority learnt from the priorities agents set, combined with the urgency cues.

The cues know what is urgent anywhere (an outage, a safety issue, a double
charge); the team's own history knows what *this* team treats as urgent. The
model is the same calibrated text classifier as the intent model, trained on
the redacted text and the stored priority. Combination is conservative: the
model can raise the cue level when it is confident, and lower it by at most
one step, never below what a safety/outage cue demands.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import Any

import sklearn

from casework.triage.datasets import LabelledTexts
from casework.triage.intent import IntentClassifier
from casework.triage.model_store import StoredModel, save_model
from casework.triage.training import redacted_opening, tickets_with_messages
from casework.triage.urgency import LEVELS, UrgencyResult
from casework.workspace import Workspace

MIN_CONFIDENCE = 0.6  # the model overrides the cues only when at least this sure


def priority_history(ws: Workspace) -> LabelledTexts:
    """Redacted opening texts of tickets with the priority agents set."""
    pairs = [
        (redacted_opening(t), str(t.priority))
        for t in tickets_with_messages(ws)
        if t.priority in LEVELS
    ]
    return LabelledTexts([text for text, _ in pairs], [label for _, label in pairs])


def train_priority(ws: Workspace, data: LabelledTexts, mode: str = "static") -> StoredModel:
    if len(set(data.labels)) < 2 or len(data.texts) < 50:
        raise ValueError(
            f"{len(data.texts)} tickets with a priority ({len(set(data.labels))} levels); "
            "at least 50 tickets and two levels are needed"
        )
    model = IntentClassifier(embedder=mode, hidden_class_share=0.0).fit(data.texts, data.labels)
    meta: dict[str, Any] = {
        "trained_on": "workspace history (ticket priority)",
        "sklearn_version": sklearn.__version__,
        "embedder": mode,
        "n_train": model.n_train_,
        "classes": [str(c) for c in model.classes_],
        "label_counts": dict(Counter(data.labels).most_common()),
        "holdout_accuracy": round(model.holdout_accuracy_, 4),
    }
    return save_model(ws.path / "models", "priority", model, meta)


def combine(cue: UrgencyResult, probabilities: dict[str, float], version: str) -> UrgencyResult:
    """The cue result adjusted by the learnt model, with the reason in words."""
    learnt, confidence = max(probabilities.items(), key=lambda kv: kv[1])
    if confidence < MIN_CONFIDENCE or learnt == cue.level:
        return cue
    cue_index, learnt_index = LEVELS.index(cue.level), LEVELS.index(learnt)
    floor = 3 if cue.features.get("cue_level", 0) >= 3 else max(0, cue_index - 1)
    new_index = max(learnt_index, floor)
    if new_index == cue_index:
        return cue
    reason = (
        f"the team's history ({version}) says {learnt} ({confidence:.0%}): "
        f"{cue.level} → {LEVELS[new_index]}"
    )
    return replace(
        cue, level=LEVELS[new_index], score=new_index * 0.25 + 0.125, reasons=[*cue.reasons, reason]
    )
