"""Escalation: when a person must own the case, who, and what they need to know.

The policy leans towards escalating: a missed legal threat costs far more than
one extra look by a lead. Every trigger that fired is listed (not just the
first), so the owner sees the whole picture, and the summary is written from
the redacted text only, so it can travel to any screen or log.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from casework.config.schema import WorkspaceConfig
from casework.routing.conditions import phrase_pattern
from casework.routing.facts import RoutingFacts
from casework.routing.rules import RuleOutcome
from casework.triage.intent import UNKNOWN

SUMMARY_QUOTE_CHARS = 200
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_SALUTATION = re.compile(r"^[^.!?]{0,40},$")  # "Hi,", "Dear Nordhaven team,"


@dataclass
class Escalation:
    """Whether a person must take the case, why, who, and a short summary for them."""

    escalate: bool
    reasons: list[str] = field(default_factory=list)
    owner: str = ""
    summary: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "escalate": self.escalate,
            "reasons": self.reasons,
            "owner": self.owner,
            "summary": self.summary,
        }


@lru_cache(maxsize=32)
def _topic_pattern(topics: tuple[str, ...]) -> re.Pattern[str] | None:
    cleaned = [t.strip() for t in topics if t.strip()]
    return phrase_pattern(cleaned) if cleaned else None


def sensitive_topics_in(config: WorkspaceConfig, facts: RoutingFacts) -> list[str]:
    """Sensitive topics the ticket touches: configured words, plus legal, fraud and
    cancellation under tension, which the multilingual cue lists find in any language."""
    found: list[str] = []
    pattern = _topic_pattern(tuple(config.sensitive_topics))
    if pattern is not None:
        words = dict.fromkeys(m.group(0).lower() for m in pattern.finditer(facts.text))
        found += [f"sensitive topic '{w}'" for w in words]
    if facts.legal_threat:
        found.append(f"legal threat ({_quotes(facts, 'legal')})")
    if facts.fraud:
        found.append(f"possible fraud ({_quotes(facts, 'fraud')})")
    tense = facts.frustration or facts.sentiment_score <= config.escalation.negative_sentiment_at
    if "cancellation" in facts.cues and tense:
        found.append(f"cancellation under tension ({_quotes(facts, 'cancellation')})")
    return found


def _quotes(facts: RoutingFacts, kind: str) -> str:
    return ", ".join(f"'{p}'" for p in facts.cues.get(kind, ())[:3])


def escalation_reasons(
    config: WorkspaceConfig, facts: RoutingFacts, rules: RuleOutcome | None = None
) -> list[str]:
    """Every trigger of the escalation policy that fires for this ticket, in words."""
    policy = config.escalation
    reasons: list[str] = []
    if facts.intent in policy.sensitive_intents:
        reasons.append(f"sensitive intent '{facts.intent}'")
    reasons += sensitive_topics_in(config, facts)
    if facts.requests_human and policy.escalate_on_human_request:
        reasons.append(f"customer asks for a human ({_quotes(facts, 'human_request')})")
    negative = facts.sentiment_score <= policy.negative_sentiment_at
    if policy.escalate_on_negative_sentiment and negative:
        reasons.append(
            f"negative sentiment {facts.sentiment_score:+.2f} "
            f"(escalates at {policy.negative_sentiment_at:+.2f} or below)"
        )
    if policy.escalate_on_frustration and facts.frustration:
        why = "; ".join(facts.frustration_reasons[:2])
        reasons.append("customer is frustrated" + (f" ({why})" if why else ""))
    if facts.intent == UNKNOWN:
        if policy.escalate_unknown_intent:
            reasons.append("intent unknown: the message matches no intent the model knows")
    elif facts.intent_confidence < policy.min_confidence:
        reasons.append(
            f"low intent confidence {facts.intent_confidence:.2f} "
            f"(below {policy.min_confidence:.2f})"
        )
    if rules is not None and rules.escalate:
        reasons.append("escalated by rule " + ", ".join(rules.escalated_by))
    return reasons


def decide_escalation(
    config: WorkspaceConfig,
    facts: RoutingFacts,
    *,
    queue: str | None = None,
    rules: RuleOutcome | None = None,
) -> Escalation:
    """Apply the policy; the owner is the queue's accountable person or the default owner."""
    reasons = escalation_reasons(config, facts, rules)
    policy = config.escalation
    owner = policy.owners.get(queue or "", policy.default_owner)
    return Escalation(bool(reasons), reasons, owner, summarise(facts))


def first_sentences(text: str, limit: int = SUMMARY_QUOTE_CHARS) -> str:
    """The first real sentence of the message body (greetings skipped), else the subject."""
    subject, _, body = text.strip().partition("\n")
    body = body or subject
    parts = [p.strip() for p in _SENTENCE_END.split(body) if p.strip()]
    sentences = [p for p in parts if not _SALUTATION.match(p)]
    quote = sentences[0] if sentences else subject.strip()
    return quote if len(quote) <= limit else quote[: limit - 1].rstrip() + "…"


def summarise(facts: RoutingFacts) -> str:
    """What the customer wants, key context, tone and missing info — redacted text only."""
    wants = facts.intent.replace("_", " ")
    if facts.intent == UNKNOWN:
        wants = "unclear (intent unknown)"
    lines = [f"Wants: {wants} — “{first_sentences(facts.text)}”"]
    context = []
    if facts.order_number:
        context.append(f"order {facts.order_number}")
    if facts.amount is not None:
        context.append(f"amount {facts.amount} {facts.currency or ''}".rstrip())
    if facts.customer_tier:
        context.append(f"{facts.customer_tier} customer")
    if facts.channel:
        context.append(f"via {facts.channel}")
    tried = [r for r in facts.frustration_reasons if "earlier contact" in r or "conversation" in r]
    context += tried
    if context:
        lines.append("Context: " + "; ".join(context))
    tone = f"Tone: {facts.sentiment} ({facts.sentiment_score:+.2f})"
    if facts.frustration:
        tone += ", frustrated"
    lines.append(tone)
    if facts.missing:
        lines.append("Missing: " + ", ".join(m.replace("_", " ") for m in facts.missing))
    return "\n".join(lines)
