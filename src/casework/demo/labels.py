"""The true labels of a ticket, drawn before its text is written.

The text is then written to carry exactly these cues (an angry customer
writes angrily, a legal threat is spelled out), so the labels are the truth
about the text rather than a guess about it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from casework.demo.plan import Intent

LOW_STAKES = frozenset({"product_question", "shipping_cost", "discount_code", "gift_card"})
TIME_CRITICAL = frozenset({"cancel_order", "change_address"})


@dataclass(frozen=True)
class Labels:
    intent: str
    topic: str | None
    language: str
    mood: str  # frustrated | negative | neutral | positive
    requests_human: bool
    legal_threat: bool
    repeat_of: str | None  # external id of the earlier ticket this one follows up

    @property
    def sentiment(self) -> str:
        return "negative" if self.mood in ("frustrated", "negative") else self.mood

    @property
    def frustrated(self) -> bool:
        return self.mood == "frustrated"

    @property
    def priority(self) -> str:
        """The urgency a careful lead would give the ticket."""
        if self.legal_threat or self.topic == "suspicious_login":
            return "urgent"
        if (
            self.intent == "complaint"
            or self.topic == "charged_twice"
            or self.frustrated
            or self.intent in TIME_CRITICAL
        ):
            return "high"
        if self.intent in LOW_STAKES or self.topic == "invoice_copy":
            return "low"
        return "normal"

    def queue(self, intent: Intent) -> str:
        """The queue that should own the ticket: legal threats go to complaints."""
        return "complaints" if self.legal_threat else intent.queue


def sample_labels(
    rng: random.Random,
    intent: Intent,
    *,
    topic: str | None,
    language: str,
    channel: str,
    repeat_of: str | None,
    spike: bool,
) -> Labels:
    frustration = intent.frustration + (0.25 if repeat_of else 0.0)
    if spike and intent.key in ("order_status", "delivery_problem"):
        frustration += 0.15
    roll = rng.random()
    if roll < frustration:
        mood = "frustrated"
    elif roll < frustration + intent.negative * (1 - frustration):
        mood = "negative"
    elif rng.random() < 0.14:
        mood = "positive"
    else:
        mood = "neutral"
    if intent.key == "complaint" and mood in ("neutral", "positive"):
        mood = "negative"
    if mood == "positive" and topic in ("suspicious_login", "charged_twice"):
        mood = "neutral"  # nobody is cheerful about a hacked account
    human_rate = 0.03 + (0.18 if mood == "frustrated" else 0.0) + (0.04 if channel == "chat" else 0)
    legal_rate = 0.004 + (0.06 if mood == "frustrated" else 0.0)
    if intent.key in ("complaint", "refund_request", "payment_failed"):
        legal_rate += 0.03
    legal = rng.random() < legal_rate
    if legal and mood in ("neutral", "positive"):
        mood = "negative"
    return Labels(
        intent=intent.key,
        topic=topic,
        language=language,
        mood=mood,
        requests_human=rng.random() < human_rate,
        legal_threat=legal,
        repeat_of=repeat_of,
    )
