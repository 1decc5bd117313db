"""Urgency (ticket priority) from content cues and the customer's tier.

Rules first, because priority must be right from the first ticket and explainable to
the agent: an outage, a lock-out, a double charge, a safety risk or a hard deadline is
urgent; a legal threat or suspected fraud is at least high; a frustrated customer is at
least high; a plain how-do-I question with nothing else is low.  A VIP (or any tier in
``tier_bumps``) moves up one level.

A model learnt from the workspace's history can be combined later without replacing
this: ``UrgencyResult.features`` carries the cue-based score and the per-signal counts,
ready to be used as features, and ``level_for`` maps any score in [0, 1] onto the same
four levels the helpdesk uses.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from casework.triage.cues import scan
from casework.triage.sentiment import SentimentResult, frustration_of_scan, sentiment_of_scan

Level = Literal["low", "normal", "high", "urgent"]
LEVELS: tuple[Level, ...] = ("low", "normal", "high", "urgent")

URGENT_TAGS = {
    "outage": "service outage",
    "access": "cannot log in / locked out",
    "billing": "charged twice / wrong charge",
    "safety": "safety risk",
    "emergency": "emergency",
    "deadline": "hard deadline",
}
HIGH_TAGS = {"time": "time pressure", "broken": "something is broken"}
HIGH_KINDS = {"legal": "legal threat", "fraud": "suspected fraud"}
DEFAULT_TIER_BUMPS: Mapping[str, int] = {"vip": 1}
# Score bands: each level owns a quarter of [0, 1]; the cue score sits in the middle of
# its band plus a little per extra signal, so a learnt model's score can be averaged in.
_BAND = 0.25


@dataclass(frozen=True)
class UrgencyResult:
    """Priority level, a score in [0, 1] consistent with it, reasons and model features."""

    level: Level
    score: float
    reasons: list[str] = field(default_factory=list)
    features: dict[str, float] = field(default_factory=dict)


def level_for(score: float) -> Level:
    """The level whose band contains ``score`` (low < .25 ≤ normal < .5 ≤ high < .75)."""
    return LEVELS[min(3, max(0, int(score / _BAND)))]


def _score(level: int, extra_signals: int) -> float:
    return round(level * _BAND + _BAND / 2 + min(extra_signals, 4) * 0.02, 4)


def urgency(
    text: str,
    language: str | None = None,
    customer_tier: str | None = None,
    *,
    prior_contacts: int = 0,
    tier_bumps: Mapping[str, int] | None = None,
    tone: SentimentResult | None = None,
) -> UrgencyResult:
    """Priority from what the message says and who sent it, with reasons.

    `tone`: the sentiment of this same text and language when the caller has it
    already (triage does), so it is not worked out twice.
    """
    found = scan(text, language)
    reasons: list[str] = []
    features: dict[str, float] = {}
    level, signals = 1, 0  # "normal" until a cue says otherwise
    for hit in found.hits:
        tag = hit.tag if hit.kind == "urgency" else hit.kind
        if hit.kind == "urgency" and tag in URGENT_TAGS:
            label, hit_level = URGENT_TAGS[tag], 3
        elif hit.kind == "urgency" and tag in HIGH_TAGS:
            label, hit_level = HIGH_TAGS[tag], 2
        elif hit.kind in HIGH_KINDS:
            label, hit_level = HIGH_KINDS[hit.kind], 2
        else:
            continue
        features[f"cue_{tag}"] = features.get(f"cue_{tag}", 0.0) + 1.0
        if features[f"cue_{tag}"] == 1.0:
            reasons.append(f"{label}: '{hit.phrase}'")
            signals += 1
        level = max(level, hit_level)
    high_signals = sum(1 for key in features if key[4:] in HIGH_TAGS or key[4:] in HIGH_KINDS)
    if level == 2 and high_signals >= 2 and "cue_time" in features:
        level = 3  # "fraud on my card, please act today": two high signals, one is time
        reasons.append("time pressure on top of another high-priority signal")
    tone = tone if tone is not None else sentiment_of_scan(found)
    mood = frustration_of_scan(found, prior_contacts=prior_contacts, tone=tone)
    features["frustration"] = mood.score
    if mood.flag and level < 2:
        level = 2
        reasons.append("frustrated customer: " + "; ".join(mood.reasons[:2]))
    question = any(h.kind == "question" for h in found.hits) or text.rstrip().endswith("?")
    features["question"] = float(question)
    if level == 1 and question and not signals and tone.label != "negative":
        level = 0
        reasons.append("plain question, no sign of a problem")
    features["cue_level"] = float(level)
    features["cue_score"] = _score(level, signals - 1)
    bumps = DEFAULT_TIER_BUMPS if tier_bumps is None else tier_bumps
    bump = bumps.get((customer_tier or "").strip().lower(), 0)
    features["tier_bump"] = float(bump)
    if bump and level < 3:
        new = min(3, max(0, level + bump))
        reasons.append(f"customer tier '{customer_tier}': {LEVELS[level]} → {LEVELS[new]}")
        level = new
    if not reasons:
        reasons.append("no urgency cues found")
    return UrgencyResult(LEVELS[level], _score(level, signals - 1), reasons, features)
