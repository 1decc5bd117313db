"""Triage of one ticket: every signal later stages read, with its reasons.

Order matters: personal data is redacted first and every other step reads the
redacted text, so no model, cue list or stored result ever sees a raw e-mail
address or card number. The intent model is batched; the rest is per text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from casework.text.language import LanguageGuess, detect_language
from casework.text.pii import PiiSpan, Redactor
from casework.triage.cues import scan
from casework.triage.intent import UNKNOWN, IntentClassifier, IntentPrediction
from casework.triage.missing import MissingField, missing_information
from casework.triage.model_store import ModelNotFound, StoredModel, load_bundled, load_model
from casework.triage.priority import combine
from casework.triage.sentiment import (
    FrustrationResult,
    SentimentResult,
    frustration_of_scan,
    sentiment_of_scan,
)
from casework.triage.urgency import UrgencyResult, urgency


@dataclass
class TriageRequest:
    """What triage knows at intake: the text and a little about the customer."""

    text: str
    customer_tier: str | None = None
    prior_contacts: int = 0
    message_count: int = 1
    known_fields: Mapping[str, object] = field(default_factory=dict)


@dataclass
class TriageResult:
    language: LanguageGuess
    intent: IntentPrediction
    urgency: UrgencyResult
    sentiment: SentimentResult
    frustration: FrustrationResult
    missing: list[MissingField]
    pii: list[PiiSpan]
    redacted_text: str
    model_version: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, without raw personal data (spans carry type and offsets only)."""
        return {
            "language": self.language.code,
            "language_confidence": round(self.language.confidence, 4),
            "intent": self.intent.to_dict(),
            "urgency": self.urgency.level,
            "urgency_score": self.urgency.score,
            "urgency_reasons": self.urgency.reasons,
            "sentiment": {
                "label": self.sentiment.label,
                "score": self.sentiment.score,
                "reasons": self.sentiment.reasons,
            },
            "frustration": self.frustration.flag,
            "frustration_score": self.frustration.score,
            "frustration_reasons": self.frustration.reasons,
            "missing": [{"field": m.field, "question": m.question} for m in self.missing],
            "pii": [{"type": s.type, "start": s.start, "end": s.end} for s in self.pii],
            "redacted_text": self.redacted_text,
            "model_version": self.model_version,
        }


class Triager:
    """Runs every triage step with one loaded intent model."""

    def __init__(
        self,
        intent_model: StoredModel,
        required_fields: Mapping[str, Sequence[str]] | None = None,
        priority_model: StoredModel | None = None,
    ) -> None:
        self.intent_model = intent_model
        self.priority_model = priority_model
        self.required_fields = required_fields
        self.languages: set[str] = set(intent_model.meta.get("languages") or [])

    @classmethod
    def for_workspace(cls, workspace_path: Path | None) -> Triager:
        """The workspace's active model, or the bundled default when it has none."""
        if workspace_path is not None:
            models = workspace_path / "models"
            try:
                priority: StoredModel | None = load_model(models, "priority")
            except ModelNotFound:
                priority = None
            try:
                return cls(load_model(models, "intent"), priority_model=priority)
            except ModelNotFound:
                pass
        return cls(load_bundled("intent"))

    @property
    def version(self) -> str:
        """Every model that shaped a result, so a new one re-triages what it changes."""
        if self.priority_model is None:
            return self.intent_model.version
        return f"{self.intent_model.version}+{self.priority_model.version}"

    @property
    def classifier(self) -> IntentClassifier:
        model: IntentClassifier = self.intent_model.model
        return model

    def triage(self, request: TriageRequest | str) -> TriageResult:
        return self.triage_many([request])[0]

    def triage_many(self, requests: Sequence[TriageRequest | str]) -> list[TriageResult]:
        items = [r if isinstance(r, TriageRequest) else TriageRequest(r) for r in requests]
        redacted: list[tuple[str, list[PiiSpan]]] = [Redactor().redact(r.text) for r in items]
        texts = [text for text, _ in redacted]
        predictions = self.classifier.explain(texts)
        priorities = self._priorities(texts)
        results = []
        for row, (item, (text, spans), prediction) in enumerate(
            zip(items, redacted, predictions, strict=True)
        ):
            language = detect_language(text)
            prediction = self._language_guard(prediction, language)
            lang = language.code if language.code != "und" else None
            found = scan(text, lang)
            tone = sentiment_of_scan(found)
            results.append(
                TriageResult(
                    language=language,
                    intent=prediction,
                    urgency=self._urgency(text, lang, item, priorities[row], tone),
                    sentiment=tone,
                    frustration=frustration_of_scan(
                        found, item.prior_contacts, item.message_count, tone
                    ),
                    missing=missing_information(
                        text,
                        prediction.label,
                        self.required_fields,
                        language=lang,
                        known=item.known_fields,
                    ),
                    pii=spans,
                    redacted_text=text,
                    model_version=self.version,
                )
            )
        return results

    def _priorities(self, texts: list[str]) -> list[dict[str, float] | None]:
        if self.priority_model is None or not texts:
            return [None] * len(texts)
        model: IntentClassifier = self.priority_model.model
        probs = model.predict_proba(texts)
        return [dict(zip(map(str, model.classes_), map(float, row), strict=True)) for row in probs]

    def _urgency(
        self,
        text: str,
        lang: str | None,
        item: TriageRequest,
        learnt: dict[str, float] | None,
        tone: SentimentResult,
    ) -> UrgencyResult:
        cue = urgency(text, lang, item.customer_tier, prior_contacts=item.prior_contacts, tone=tone)
        if learnt is None or self.priority_model is None:
            return cue
        return combine(cue, learnt, self.priority_model.version)

    def _language_guard(
        self, prediction: IntentPrediction, language: LanguageGuess
    ) -> IntentPrediction:
        """A language the model never saw gets `unknown`, not a confident guess."""
        if not self.languages or language.code in ("und", *self.languages):
            return prediction
        prediction.reasons.append(
            f"written in '{language.code}', which the intent model was not trained on "
            f"(trained on {', '.join(sorted(self.languages))})"
        )
        prediction.label = UNKNOWN
        return prediction
