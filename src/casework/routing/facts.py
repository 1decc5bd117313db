"""What routing may know about one ticket, gathered once into a flat record.

Rules, the queue model and the escalation policy all read `RoutingFacts`, never
the raw ticket: everything here comes from the triage result (so from the
*redacted* text) plus intake metadata, which keeps routing free of personal
data and lets a dry run replay stored triage results without re-triaging.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, Protocol

from casework.triage.cues import find_cues
from casework.triage.missing import extract_fields

if TYPE_CHECKING:  # the engine pulls in the models; config validation needs only the facts
    from casework.triage.engine import TriageResult

CUE_KINDS = ("human_request", "legal", "fraud", "cancellation", "frustration")
"""Cue kinds routing cares about; the phrases found are kept for the reasons."""


@dataclass(frozen=True)
class RoutingFacts:
    """The fields a rule condition can read (see `CONDITION_FIELDS`), and a little more."""

    intent: str
    intent_confidence: float
    urgency: str
    sentiment: str
    sentiment_score: float
    frustration: bool
    language: str
    text: str
    """Redacted subject and opening message: the only text routing ever sees."""
    channel: str | None = None
    customer_tier: str | None = None
    customer_attributes: Mapping[str, Any] = field(default_factory=dict)
    tags: tuple[str, ...] = ()
    amount: Decimal | None = None
    currency: str | None = None
    order_number: str | None = None
    missing: tuple[str, ...] = ()
    requests_human: bool = False
    legal_threat: bool = False
    fraud: bool = False
    cues: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Cue kind → phrases found, so a reason can quote what the customer wrote."""
    frustration_reasons: tuple[str, ...] = ()
    triage_model_version: str = ""

    def value(self, name: str) -> Any:
        """The value of a condition field by its documented name (None when absent)."""
        if name.startswith("customer.attributes."):
            return self.customer_attributes.get(name.removeprefix("customer.attributes."))
        if name == "customer.tier":
            return self.customer_tier
        if name in _DIRECT:
            return getattr(self, name)
        raise KeyError(name)


_DIRECT = frozenset({
    "intent", "intent_confidence", "urgency", "sentiment", "sentiment_score", "frustration",
    "language", "channel", "tags", "text", "amount", "currency", "missing",
    "requests_human", "legal_threat", "fraud",
})  # fmt: skip


def split_amount(raw: str | None) -> tuple[Decimal | None, str | None]:
    """`"129.99 EUR"` (as `extract_fields` writes it) → `(Decimal("129.99"), "EUR")`."""
    if not raw:
        return None, None
    number, _, currency = raw.partition(" ")
    try:
        return Decimal(number), (currency or None)
    except InvalidOperation:
        return None, None


def _cue_phrases(text: str, language: str) -> dict[str, tuple[str, ...]]:
    lang = language if language and language != "und" else None
    found: dict[str, list[str]] = {}
    for hit in find_cues(text, lang, kinds=CUE_KINDS):
        phrases = found.setdefault(hit.kind, [])
        if hit.phrase not in phrases:
            phrases.append(hit.phrase)
    return {kind: tuple(phrases) for kind, phrases in found.items()}


def _build(
    core: dict[str, Any],
    *,
    channel: str | None,
    tags: Iterable[str],
    customer_tier: str | None,
    customer_attributes: Mapping[str, Any] | None,
) -> RoutingFacts:
    text: str = core["text"]
    fields = extract_fields(text)
    amount, currency = split_amount(fields.get("amount"))
    cues = _cue_phrases(text, core["language"])
    return RoutingFacts(
        **core,
        channel=channel,
        customer_tier=customer_tier,
        customer_attributes=dict(customer_attributes or {}),
        tags=tuple(dict.fromkeys(tags)),
        amount=amount,
        currency=currency,
        order_number=fields.get("order_number"),
        requests_human="human_request" in cues,
        legal_threat="legal" in cues,
        fraud="fraud" in cues,
        cues=cues,
    )


def facts_from(
    triage: TriageResult,
    *,
    channel: str | None = None,
    tags: Iterable[str] = (),
    customer_tier: str | None = None,
    customer_attributes: Mapping[str, Any] | None = None,
) -> RoutingFacts:
    """Facts from a fresh triage result plus what the ticket says about its intake."""
    core = {
        "intent": triage.intent.label,
        "intent_confidence": float(triage.intent.confidence),
        "urgency": triage.urgency.level,
        "sentiment": triage.sentiment.label,
        "sentiment_score": float(triage.sentiment.score),
        "frustration": bool(triage.frustration.flag),
        "language": triage.language.code,
        "text": triage.redacted_text,
        "missing": tuple(m.field for m in triage.missing),
        "frustration_reasons": tuple(triage.frustration.reasons),
        "triage_model_version": triage.model_version,
    }
    return _build(
        core,
        channel=channel,
        tags=tags,
        customer_tier=customer_tier,
        customer_attributes=customer_attributes,
    )


class StoredTriage(Protocol):
    """The columns of a stored triage result routing needs (`TriageResultRow` has them)."""

    @property
    def intent(self) -> str: ...
    @property
    def intent_confidence(self) -> float: ...
    @property
    def urgency(self) -> str: ...
    @property
    def sentiment(self) -> str: ...
    @property
    def sentiment_score(self) -> float: ...
    @property
    def frustration(self) -> bool: ...
    @property
    def language(self) -> str: ...
    @property
    def redacted_text(self) -> str: ...
    @property
    def missing(self) -> Sequence[Mapping[str, Any]]: ...
    @property
    def reasons(self) -> Mapping[str, Any]: ...
    @property
    def model_version(self) -> str: ...


def facts_from_stored(
    row: StoredTriage,
    *,
    channel: str | None = None,
    tags: Iterable[str] = (),
    customer_tier: str | None = None,
    customer_attributes: Mapping[str, Any] | None = None,
) -> RoutingFacts:
    """Facts from a stored triage result, so a dry run replays history without re-triaging."""
    core = {
        "intent": row.intent,
        "intent_confidence": float(row.intent_confidence),
        "urgency": row.urgency,
        "sentiment": row.sentiment,
        "sentiment_score": float(row.sentiment_score),
        "frustration": bool(row.frustration),
        "language": row.language,
        "text": row.redacted_text,
        "missing": tuple(str(m.get("field")) for m in row.missing or ()),
        "frustration_reasons": tuple((row.reasons or {}).get("frustration") or ()),
        "triage_model_version": row.model_version,
    }
    return _build(
        core,
        channel=channel,
        tags=tags,
        customer_tier=customer_tier,
        customer_attributes=customer_attributes,
    )
