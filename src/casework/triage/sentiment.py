"""Lexicon sentiment for support messages, in every language that has a cue file.

Why a lexicon and not a trained model: it works on day one in six languages, needs no
labelled history, explains itself ("negated: 'not happy'") and is cheap enough to run
on every message.  It leans towards catching complaints: in support, a missed angry
customer costs more than a neutral message flagged for a second look.

Scoring follows VADER's shape: each sentiment word has a valence (mild 1, medium 2,
strong 3), flipped and damped by a negator up to three tokens before it, scaled by
intensifiers/diminishers, weighted after/before a contrast word ("but"), then the sum
is squashed into [-1, 1].  Support-specific additions: other cues (legal threat, fraud,
frustration, outage) count as negative evidence; beside any negative evidence, positive
words count a third ("thanks, but my bag is still missing"); a negation that negates
no sentiment word ("the refund has not arrived") is mild negative evidence, and so is
a "but" with nothing good after it.  These choices lift recall of negative messages.

Frustration lives here too: it is the escalation-oriented reading of the same cues
(repeat contact, "this isn't helping", SHOUTING, threats to leave, asking for a human).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from typing import Literal

from casework.triage.cues import MODIFIERS, CueHit, Scan, documents, expand, scan

Label = Literal["negative", "neutral", "positive"]

VALENCE = {"strong": 3.0, "medium": 2.0, "sarcasm": 2.0, "mild": 1.0, "complaint": 1.0}
CUE_VALENCE = {"frustration": -2.0, "legal": -2.0, "fraud": -1.5, "human_request": -1.0}
URGENCY_VALENCE = {"outage": -1.5, "access": -1.5, "billing": -1.5, "safety": -2.0, "broken": -1.5}
NEGATIVE_AT = -0.05  # compound score at or below which a message is negative
POSITIVE_AT = 0.3  # a lone "thanks" (0.24) stays neutral: politeness is not praise
MIXED_POSITIVE = 0.35  # beside a complaint, "thanks"/"great" count about a third
BARE_NEGATION = -0.75  # per negation that negates no sentiment word, at most two
BARE_CONTRAST = -0.5  # "I paid for X but…": a "but" with nothing good after it
ALPHA = 15.0  # VADER's squashing constant
INTENSIFY, DIMINISH = 1.3, 0.6
NEGATE_POSITIVE, NEGATE_NEGATIVE = -0.75, -0.4  # "not bad" is only faintly good
NEGATION_WINDOW = 3
SHOUTING_SHARE = 0.5  # more than this share of words (3+ letters) in capitals…
SHOUTING_MIN_CAPS = 2  # …and at least two of them: "ORD-1234 status?" is not shouting
_WORD = re.compile(r"[^\W\d_]{3,}")


@dataclass(frozen=True)
class SentimentResult:
    """Label, compound score in [-1, 1] and the strongest contributions as reasons."""

    label: Label
    score: float
    reasons: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Lexicon:
    """A language's modifiers (negators, intensifiers…) as token sequences."""

    language: str
    modifiers: Mapping[str, frozenset[tuple[str, ...]]]
    lengths: Mapping[str, tuple[int, ...]]  # longest first

    def before(self, name: str, keys: list[str], index: int) -> int:
        """Token length of a ``name`` modifier that ends just before ``keys[index]``."""
        seqs = self.modifiers.get(name, frozenset())
        for n in self.lengths.get(name, ()):
            if n <= index and tuple(keys[index - n : index]) in seqs:
                return n
        return 0

    @cached_property
    def _singles(self) -> dict[str, frozenset[str]]:
        return {
            name: frozenset(seq[0] for seq in seqs if len(seq) == 1)
            for name, seqs in self.modifiers.items()
        }

    def ends(self, name: str, keys: list[str]) -> list[int]:
        """`before(name, keys, i)` for every i in 0..len(keys), computed in one pass.

        Why: sentiment asks this of every token of a message; asking one index at a
        time built a tuple per token per length.
        """
        seqs = self.modifiers.get(name, frozenset())
        out = [0] * (len(keys) + 1)
        for n in reversed(self.lengths.get(name, ())):  # shortest first: longest wins
            if n == 1:
                singles = self._singles[name]
                for i, key in enumerate(keys, 1):
                    if key in singles:
                        out[i] = 1
                continue
            for i in range(n, len(keys) + 1):
                if tuple(keys[i - n : i]) in seqs:
                    out[i] = n
        return out


@cache
def lexicon(language: str) -> Lexicon:
    """Modifiers of one language from its cue file (empty for emoji and unknown codes)."""
    raw = documents().get(language, {}).get("modifiers") or {}
    seqs = {
        name: frozenset(tuple(seq) for phrase in raw.get(name) or () for seq in expand(str(phrase)))
        for name in MODIFIERS
    }
    lengths = {
        name: tuple(sorted({len(q) for q in seqs[name]}, reverse=True)) for name in MODIFIERS
    }
    return Lexicon(language, seqs, lengths)


def _scored(hit: CueHit) -> bool:
    return (
        hit.kind in ("negative", "positive", "neutral")
        or hit.kind in CUE_VALENCE
        or (hit.kind == "urgency" and hit.tag in URGENCY_VALENCE)
    )


def _resolve(hits: list[CueHit]) -> list[CueHit]:
    """Longest non-overlapping hits: "not bad" beats "bad", "best regards" beats "best"."""
    polar = {"negative": 0, "positive": 0, "neutral": 0}
    ranked = sorted(
        (h for h in hits if _scored(h)),
        key=lambda h: (-(h.end - h.start), polar.get(h.kind, 1), h.start),
    )
    chosen: list[CueHit] = []
    for hit in ranked:
        if all(hit.end <= c.start or c.end <= hit.start for c in chosen):
            chosen.append(hit)
    return sorted(chosen, key=lambda h: h.start)


def _valence(hit: CueHit, found: Scan, shouting: bool, taken: set[int]) -> tuple[float, str, int]:
    """Signed contribution of one hit, an explanation, and the negator's token (or -1)."""
    if hit.kind == "neutral":
        return 0.0, "", -1
    if hit.kind == "urgency":
        return URGENCY_VALENCE[hit.tag], f"{hit.tag}: '{hit.phrase}'", -1
    if hit.kind in CUE_VALENCE:
        return CUE_VALENCE[hit.kind], f"{hit.kind.replace('_', ' ')}: '{hit.phrase}'", -1
    value = (1.0 if hit.kind == "positive" else -1.0) * VALENCE.get(hit.tag, 1.0)
    lex = lexicon(hit.language)
    index = found.token_index(hit.start)
    keys, notes, negator = found.keys, [], -1
    self_negated = lex.before("negators", keys, index + 1) == 1  # "pas de réponse"
    for _ in range(2):  # "really very bad": up to two stacked modifiers
        n = lex.before("intensifiers", keys, index)
        factor = INTENSIFY
        if not n:
            n, factor = lex.before("diminishers", keys, index), DIMINISH
        if not n:
            break
        value *= factor
        notes.append("intensified" if factor > 1 else "softened")
        index -= n
    for k in range(index, max(0, index - NEGATION_WINDOW), -1):
        if found.punct[k - 1] or lex.before("contrast", keys, k):
            break
        n = lex.before("negators", keys, k)
        if n and k - n not in taken:  # "no" of "no response" does not negate "yet"
            negator = k - n  # "n'" of "n'ai pas de réponse" is used up, not applied twice
            if not self_negated:
                value *= NEGATE_POSITIVE if value > 0 else NEGATE_NEGATIVE
                notes.append("negated")
            break
    if not shouting and len(hit.phrase) >= 3 and hit.phrase.isupper():
        value *= 1.25
        notes.append("in capitals")
    start = found.starts[min(index, negator) if negator >= 0 else index]
    label = "positive" if value > 0 else "negative"
    extra = f" ({', '.join(notes)})" if notes else ""
    return value, f"{label}: '{found.text[start : hit.end]}'{extra}", negator


def _languages(found: Scan) -> list[str]:
    """Languages whose modifiers apply: the requested one, else those with hits."""
    langs = [lang for lang in found.languages if lang != "common"]
    if len(langs) > 1:
        with_hits = [lang for lang in langs if any(h.language == lang for h in found.hits)]
        langs = with_hits or langs
    return langs


@lru_cache(maxsize=1024)  # asked for sentiment, then for frustration, of the same text
def _shouting(text: str) -> tuple[int, int]:
    """(words of 3+ letters in capitals, all words of 3+ letters); shouting if caps win."""
    words = _WORD.findall(text)
    return sum(w.isupper() for w in words), len(words)


def sentiment_of_scan(found: Scan) -> SentimentResult:
    """Sentiment from an existing scan, so triage tokenises a message only once."""
    caps, words = _shouting(found.text)
    shouting = caps >= SHOUTING_MIN_CAPS and caps / words > SHOUTING_SHARE
    lexicons = [lexicon(lang) for lang in _languages(found)]
    n = len(found.keys)
    contrasts = [lex.ends("contrast", found.keys) for lex in lexicons]
    contrast_at = max(
        (found.ends[i - 1] for i in range(1, n + 1) if any(c[i] for c in contrasts)),
        default=-1,
    )
    chosen = _resolve(found.hits)
    covered = {
        i
        for h in chosen
        for i in range(found.token_index(h.start), found.token_index(h.end - 1) + 1)
    }
    taken = set(covered)  # tokens of chosen hits cannot negate other hits
    parts: list[tuple[float, str]] = []
    for hit in chosen:
        value, why, negator = _valence(hit, found, shouting, taken)
        covered.add(negator)
        if contrast_at >= 0 and found.text[contrast_at:].strip():
            value *= 1.5 if hit.start >= contrast_at else 0.5
        if value:
            parts.append((value, why))
    negators = [lex.ends("negators", found.keys) for lex in lexicons]
    bare = [
        i
        for i in range(n - 1)
        if i not in covered
        and not found.punct[i + 1]
        and any(neg[i + 1] == 1 for neg in negators)
    ]
    parts += [
        (BARE_NEGATION, f"negation: '{found.text[found.starts[i] : found.ends[i]]}'")
        for i in bare[:2]
    ]
    if contrast_at >= 0 and not any(v > 0 for v, _ in parts):
        word = found.text[found.starts[found.token_index(contrast_at - 1)] : contrast_at]
        parts.append((BARE_CONTRAST, f"contrast: '{word}'"))
    if any(v < 0 for v, _ in parts):
        parts = [(v * MIXED_POSITIVE if v > 0 else v, why) for v, why in parts]
    total = sum(v for v, _ in parts)
    if total:
        total += math.copysign(0.29 * min(found.text.count("!"), 4), total)
    score = total / math.sqrt(total * total + ALPHA)
    label: Label = (
        "negative" if score <= NEGATIVE_AT else "positive" if score >= POSITIVE_AT else "neutral"
    )
    reasons = [why for _, why in sorted(parts, key=lambda p: -abs(p[0]))[:5]]
    return SentimentResult(label, round(score, 4), reasons or ["no sentiment words found"])


def sentiment(text: str, language: str | None = None) -> SentimentResult:
    """Negative / neutral / positive with a score in [-1, 1] and human-readable reasons."""
    return sentiment_of_scan(scan(text, language))


# --- frustration -------------------------------------------------------------------

FRUSTRATION_AT = 0.5
SIGNAL_WEIGHT = {
    "repeated": 0.5,
    "not_helping": 0.5,
    "churn": 0.5,
    "anger": 0.5,
    "legal": 0.5,
    "human_request": 0.3,
    "shouting": 0.4,
    "exclamations": 0.2,
    "negative_tone": 0.25,
    "cancellation": 0.15,
}
SIGNAL_TEXT = {
    "repeated": "repeated contact",
    "not_helping": "says this isn't helping",
    "churn": "threatens to leave",
    "anger": "angry wording",
    "legal": "legal threat",
    "human_request": "asks for a human",
    "cancellation": "wants to cancel while upset",
}


@dataclass(frozen=True)
class FrustrationResult:
    """Whether to treat the customer as frustrated, how strongly, and why."""

    flag: bool
    score: float
    reasons: list[str] = field(default_factory=list)
    signals: dict[str, float] = field(default_factory=dict)


def frustration_of_scan(
    found: Scan,
    prior_contacts: int = 0,
    message_count: int = 0,
    tone: SentimentResult | None = None,
) -> FrustrationResult:
    """Frustration from an existing scan; signals combine as a noisy-OR.

    Noisy-OR (1 - Π(1 - w)) keeps the score in [0, 1], lets one strong signal (a legal
    threat, "third time") flag on its own, and lets weak ones (a polite request for a
    human plus "!!") add up without ever counting a repeated phrase twice.
    """
    signals: dict[str, float] = {}
    reasons: list[str] = []

    def add(name: str, reason: str, weight: float | None = None) -> None:
        if name not in signals:
            signals[name] = SIGNAL_WEIGHT[name] if weight is None else weight
            reasons.append(reason)

    for hit in found.hits:
        name = hit.tag if hit.kind == "frustration" else hit.kind
        if name in SIGNAL_TEXT and name != "cancellation":
            add(name, f"{SIGNAL_TEXT[name]}: '{hit.phrase}'")
    if prior_contacts >= 1:
        add(
            "prior_contacts",
            f"{prior_contacts} earlier contact(s) about this",
            0.5 if prior_contacts >= 2 else 0.25,
        )
    if message_count >= 4:
        add(
            "long_thread",
            f"long conversation ({message_count} messages)",
            0.35 if message_count >= 6 else 0.2,
        )
    caps, words = _shouting(found.text)
    if caps >= SHOUTING_MIN_CAPS and caps / words > SHOUTING_SHARE:
        add("shouting", f"SHOUTING: {caps} of {words} words in capitals")
    bangs = found.text.count("!")
    if bangs >= 3 or "!!" in found.text or "?!" in found.text or "!?" in found.text:
        add("exclamations", f"many exclamation marks ({bangs})")
    tone = tone or sentiment_of_scan(found)
    if tone.score <= -0.6:
        add("negative_tone", f"strongly negative tone ({tone.score:+.2f})")
    cancel = next((h for h in found.hits if h.kind == "cancellation"), None)
    if cancel is not None and signals:
        add("cancellation", f"{SIGNAL_TEXT['cancellation']}: '{cancel.phrase}'")
    score = 1.0 - math.prod(1.0 - w for w in signals.values())
    return FrustrationResult(score >= FRUSTRATION_AT, round(score, 4), reasons, signals)


def frustration(
    text: str, language: str | None = None, prior_contacts: int = 0, message_count: int = 0
) -> FrustrationResult:
    """Flag a frustrated customer from the text and the conversation's history."""
    return frustration_of_scan(scan(text, language), prior_contacts, message_count)
