"""Deterministic scorers, one per kind of criterion, looked up by name.

Each scorer reads a `Conversation` and returns a `Score` with the evidence that
justified it (message index and character span), so a lead can check any score
by reading the quoted text. `None` as a score means the criterion does not
apply (no upset customer, nothing to compare against) and is left out of the
total. Patterns cover the six languages the demo and triage handle; they are
deliberately simple, and calibration against human reviews says where to trust
them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from casework.config.rubric import QACriterion
from casework.qa.conversation import Conversation, Msg, ScoringContext
from casework.text.pii import detect_pii
from casework.triage.cues import find_cues
from casework.triage.sentiment import sentiment


@dataclass(frozen=True)
class Evidence:
    message_index: int
    start: int
    end: int
    quote: str


@dataclass
class Score:
    criterion: str
    score: int | None
    max: int
    reason: str
    evidence: list[Evidence] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


Scorer = Callable[[Conversation, QACriterion, ScoringContext], Score]
SCORERS: dict[str, Scorer] = {}


def scorer(name: str) -> Callable[[Scorer], Scorer]:
    def register(fn: Scorer) -> Scorer:
        SCORERS[name] = fn
        return fn

    return register


def evidence(msg: Msg, start: int, end: int) -> Evidence:
    return Evidence(msg.index, start, end, msg.body[start:end])


def first_match(pattern: re.Pattern[str], msgs: list[Msg]) -> Evidence | None:
    for msg in msgs:
        found = pattern.search(msg.body)
        if found:
            return evidence(msg, found.start(), found.end())
    return None


GREETING = re.compile(
    r"^\W*(hi|hello|hey|dear|good (morning|afternoon|evening)|thanks? (you )?for|hallo|"
    r"guten (tag|morgen)|liebe[r]?|sehr geehrte|bonjour|bonsoir|hola|buen[oa]s|estimad[oa]|"
    r"ciao|buongiorno|gentile|beste|goede(morgen|middag)|hoi)\b",
    re.IGNORECASE,
)
CLOSING = re.compile(
    r"\b(regards|best( wishes)?|cheers|sincerely|thank you|thanks|have a (great|nice|good|lovely)|"
    r"let me know|anything else|take care|gr(ü|ue)(ß|ss)e|viele gr|cordialement|bien à vous|"
    r"bonne journée|saludos|atentamente|un saludo|cordiali saluti|distinti saluti|"
    r"met vriendelijke groet|groet(en)?)\b",
    re.IGNORECASE,
)
CLOSING_LINES = 4
"""A closing is looked for in the last few non-empty lines (signature lines follow it)."""
EMPATHY = re.compile(
    r"\b(sorry|apologi[sz]e|apologies|I understand|understandably|frustrating|must have been|"
    r"es tut (mir|uns) leid|entschuldig\w*|bedauer\w*|désolée?s?|excuse[sz]|lo siento|"
    r"lamentamos|disculp\w+|mi dispiace|ci scusiamo|scus\w+|excuses|vervelend)\b",
    re.IGNORECASE,
)


@scorer("greeting_closing")
def greeting_closing(conv: Conversation, crit: QACriterion, _ctx: ScoringContext) -> Score:
    """A greeting opens the first reply and a closing ends the last one: one point each."""
    replies = conv.public_agent()
    if not replies:
        return Score(crit.id, None, crit.scale, "no public agent reply")
    found: list[Evidence] = []
    greeting = GREETING.search(replies[0].body)
    if greeting:
        found.append(evidence(replies[0], greeting.start(), greeting.end()))
    last = replies[-1].body.rstrip()
    tail_at = _tail_start(last, CLOSING_LINES)
    closing = CLOSING.search(last, tail_at)
    if closing:
        found.append(evidence(replies[-1], closing.start(), closing.end()))
    points = (1 if greeting else 0) + (1 if closing else 0)
    missing = [w for w, ok in (("greeting", greeting), ("closing", closing)) if not ok]
    reason = "greeting and closing" if not missing else f"no {' or '.join(missing)}"
    return Score(crit.id, round(points * crit.scale / 2), crit.scale, reason, found)


def _tail_start(text: str, lines: int) -> int:
    at = len(text)
    for _ in range(lines):
        at = text.rfind("\n", 0, at)
        if at < 0:
            return 0
        while at > 0 and text[at - 1] == "\n":
            at -= 1
    return at


def customer_upset(conv: Conversation, negative_at: float) -> Evidence | None:
    """Why the customer counts as upset: frustration, or sentiment at or below the team's
    escalation threshold (triage's, else the opening's own score). Mild negativity
    ("the link doesn't work") does not call for an apology."""
    opening = next(iter(conv.customer()), None)
    if opening is None:
        return None
    cues = find_cues(opening.body, conv.language, ("frustration", "negative"))
    cue = evidence(opening, cues[0].start, cues[0].end) if cues else None
    whole = evidence(opening, 0, min(len(opening.body), 120))
    score = conv.sentiment_score
    if score is None:
        score = sentiment(opening.body, conv.language).score
    frustrated = conv.frustration
    if frustrated is None:
        frustrated = bool(find_cues(opening.body, conv.language, ("frustration",)))
    return (cue or whole) if frustrated or score <= negative_at else None


@scorer("empathy")
def empathy(conv: Conversation, crit: QACriterion, ctx: ScoringContext) -> Score:
    """Acknowledging an upset customer in the first reply scores full, later half."""
    upset = customer_upset(conv, ctx.config.escalation.negative_sentiment_at)
    if upset is None:
        return Score(crit.id, None, crit.scale, "customer not upset: empathy not required")
    replies = conv.public_agent()
    for n, reply in enumerate(replies):
        found = EMPATHY.search(reply.body)
        if found:
            score = crit.scale if n == 0 else crit.scale // 2
            where = "first reply" if n == 0 else "a later reply"
            return Score(
                crit.id, score, crit.scale, f"upset customer acknowledged in {where}",
                [upset, evidence(reply, found.start(), found.end())],
            )  # fmt: skip
    return Score(crit.id, 0, crit.scale, "upset customer, no acknowledgement", [upset])


@scorer("service_language")
def service_language(conv: Conversation, crit: QACriterion, ctx: ScoringContext) -> Score:
    """Forbidden phrases score 0 (auto-fail in the default rubric); approved ones earn full."""
    replies = conv.public_agent()
    if not replies:
        return Score(crit.id, None, crit.scale, "no public agent reply")
    words = ctx.config.service_language
    forbidden = [_phrase(p) for p in words.avoid]
    hits = [e for p in forbidden for r in replies if (e := _find(p, r))]
    if hits:
        quotes = ", ".join(repr(h.quote) for h in hits)
        return Score(crit.id, 0, crit.scale, f"forbidden phrase used: {quotes}", hits)
    approved = [e for p in words.use for r in replies if (e := _find(_phrase(p), r))]
    if approved:
        return Score(crit.id, crit.scale, crit.scale, "approved phrasing used", approved[:3])
    return Score(crit.id, crit.scale // 2, crit.scale, "no forbidden phrase, no approved one")


def _phrase(text: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in text.strip().rstrip(".!").split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


def _find(pattern: re.Pattern[str], msg: Msg) -> Evidence | None:
    found = pattern.search(msg.body)
    return evidence(msg, found.start(), found.end()) if found else None


EXPOSED = ("card", "credit_card", "iban")


@scorer("pii_exposure")
def pii_exposure(conv: Conversation, crit: QACriterion, _ctx: ScoringContext) -> Score:
    """A full card number or IBAN in a public reply is exposure; masked ones are not found."""
    found = [
        evidence(m, s.start, s.end)
        for m in conv.public_agent()
        for s in detect_pii(m.body)
        if s.type.lower() in EXPOSED
    ]
    if found:
        return Score(crit.id, 0, crit.scale, "full card number or IBAN in a public reply", found)
    return Score(crit.id, crit.scale, crit.scale, "no card number or IBAN in replies")


from casework.qa import scorer_llm as _llm  # noqa: E402,F401  (the optional `llm` scorer)
from casework.qa import scorers_flow as _flow  # noqa: E402,F401  (registers the rest)
