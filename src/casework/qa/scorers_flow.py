"""Scorers that read the conversation's course: answers, facts, timing, outcome, repeats.

Registered into `casework.qa.scorers.SCORERS` on import (that module imports
this one), kept apart only to keep each file short.
"""

from __future__ import annotations

import re

from casework.config.rubric import QACriterion
from casework.qa.conversation import Conversation, Msg, ScoringContext
from casework.qa.scorers import Evidence, Score, evidence, scorer
from casework.triage.missing import extract_fields

QUESTION = re.compile(r"[^.?!\n]*\?")
WORD = re.compile(r"[^\W\d_]{5,}")
STOP = frozenset(
    re.findall(
        r"\w+",
        "about there their would could should which where please thanks hello these those "
        "since still again other after before while being having order",
    )
)
RESOLVED = re.compile(
    r"\b(I've|I have|we've|we have|has been|have been|is on its way|you can|you'll|will be|"
    r"done|here is|here's|refund\w*|cancell?ed|updated|sent|issued|processed|tracking|"
    r"habe|haben|wurde|j'ai|nous avons|he |hemos|ho |abbiamo|heb|hebben)\b",
    re.IGNORECASE,
)
ASKING = re.compile(r"\?\s*$|\b(could you|can you|please (send|tell|confirm)|könnten sie)\b", re.I)


@scorer("answered")
def answered(conv: Conversation, crit: QACriterion, _ctx: ScoringContext) -> Score:
    """Full marks when a resolving reply came and it touches every question the customer asked.

    A question is "touched" when one of its content words (5+ letters) appears in a
    reply: crude, but it catches the second question nobody answered.
    """
    replies = conv.public_agent()
    opening = next(iter(conv.customer()), None)
    if opening is None:
        return Score(crit.id, None, crit.scale, "no customer message")
    if not replies:
        return Score(crit.id, 0, crit.scale, "no public reply", [evidence(opening, 0, 0)])
    said = " ".join(r.body.lower() for r in replies)
    unanswered: list[Evidence] = []
    questions = list(QUESTION.finditer(opening.body))
    for q in questions:
        words = {w.lower() for w in WORD.findall(q.group())} - STOP
        if words and not any(w in said for w in words):
            unanswered.append(evidence(opening, q.start(), q.end()))
    resolving = next((r for r in reversed(replies) if _resolves(r)), None)
    proof = [evidence(resolving, 0, min(len(resolving.body), 160))] if resolving else []
    if resolving and not unanswered:
        parts = f"{len(questions)} question(s)" if questions else "the request"
        return Score(crit.id, crit.scale, crit.scale, f"resolving reply covers {parts}", proof)
    reason = (
        f"{len(unanswered)} of {len(questions)} question(s) not addressed"
        if unanswered
        else "no resolving reply (only questions or holding messages)"
    )
    return Score(crit.id, crit.scale // 2, crit.scale, reason, unanswered + proof)


def _resolves(reply: Msg) -> bool:
    text = reply.body.strip()
    return bool(RESOLVED.search(text)) and not ASKING.search(
        text.split("\n\n")[-2 if "\n\n" in text else -1]
    )


CLAIM = re.compile(
    r"(\d+(?:[.,]\d+)?)(?:\s*(?:-|–|to|bis|à|a)\s*(\d+(?:[.,]\d+)?))?\s*"
    r"(working days|business days|days|hours|weeks|months|EUR|€|%|Werktage\w*|Tage\w*|"
    r"jours ouvrés|jours|días hábiles|días|giorni lavorativi|giorni|werkdagen|dagen)",
    re.IGNORECASE,
)


SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")
UNIT_WORDS = frozenset({"working", "business", "hours", "weeks", "months"})
Fact = tuple[re.Match[str], str, tuple[float, float], frozenset[str]]


def facts(text: str) -> list[Fact]:
    """Number-with-unit claims with the content words of their sentence:
    ("30 days", "days", (30, 30), {"return", "within", ...})."""
    out: list[Fact] = []
    for sentence in SENTENCE.finditer(text):
        words = frozenset(w.lower() for w in WORD.findall(sentence.group())) - STOP - UNIT_WORDS
        for m in CLAIM.finditer(text, sentence.start(), sentence.end()):
            low = float(m.group(1).replace(",", "."))
            high = float(m.group(2).replace(",", ".")) if m.group(2) else low
            out.append((m, m.group(3).lower().replace("€", "eur"), (low, high), words))
    return out


@scorer("kb_correct")
def kb_correct(conv: Conversation, crit: QACriterion, ctx: ScoringContext) -> Score:
    """A number the agent states that the matching article states differently.

    "The same fact" is approximated: same unit, and the two sentences share at
    least two content words. Limits: only numbers with a unit are compared; the
    article is the approved one the reply is closest to (BM25); wording the
    article does not share, or a fact stated without a number, is not judged.
    """
    checked = 0
    for reply in conv.public_agent():
        article = ctx.article_for(conv, reply.body)
        if article is None:
            continue
        known = facts(article.body)
        for m, unit, (low, high), words in facts(reply.body):
            same = [f for f in known if f[1] == unit and len(words & f[3]) >= 2]
            if not same:
                continue
            checked += 1
            if not any(a <= high and low <= b for _, _, (a, b), _ in same):
                stated = "; ".join(repr(f[0].group(0)) for f in same)
                reason = (
                    f"reply says {m.group(0)!r}; article {article.external_id} "
                    f"({article.title}) says {stated}"
                )
                return Score(crit.id, 0, crit.scale, reason, [evidence(reply, m.start(), m.end())])
    if not checked:
        return Score(crit.id, None, crit.scale, "no claim an approved article states")
    return Score(crit.id, crit.scale, crit.scale, f"{checked} claim(s) agree with the article")


@scorer("sla")
def sla(conv: Conversation, crit: QACriterion, ctx: ScoringContext) -> Score:
    """First public reply within the priority's target: full; within twice: half; else 0."""
    replies = conv.public_agent()
    target = ctx.config.sla.get(conv.priority or "normal")  # type: ignore[call-overload]
    if not replies or target is None:
        return Score(crit.id, None, crit.scale, "no reply yet or no SLA for this priority")
    minutes = ctx.clock(conv.queue).minutes(conv.created_at, replies[0].created_at)
    limit = target.first_reply_minutes
    ratio = minutes / limit
    score = crit.scale if ratio <= 1 else crit.scale // 2 if ratio <= 2 else 0
    priority = conv.priority or "normal"
    reason = f"first reply after {minutes:.0f} business min; target {limit} ({priority})"
    return Score(crit.id, score, crit.scale, reason, [evidence(replies[0], 0, 0)])


THANKS = re.compile(
    r"\b(thanks?|thank you|that worked|works now|perfect|great|danke|merci|gracias|grazie|"
    r"bedankt)\b",
    re.IGNORECASE,
)


@scorer("resolution_confirmed")
def resolution_confirmed(conv: Conversation, crit: QACriterion, _ctx: ScoringContext) -> Score:
    """Solved and not reopened, or confirmed by the customer: full; reopened then solved: half."""
    if conv.status not in ("solved", "closed"):
        return Score(crit.id, None, crit.scale, f"still {conv.status}")
    statuses = [s for _, s in sorted(conv.status_changes)]
    reopened = any(
        a in ("solved", "closed") and b not in ("solved", "closed")
        for a, b in zip(statuses, statuses[1:], strict=False)
    )
    last_agent = max((m.index for m in conv.public_agent()), default=-1)
    thanks = [
        evidence(m, t.start(), t.end())
        for m in conv.customer()
        if m.index > last_agent and (t := THANKS.search(m.body))
    ]
    if thanks:
        return Score(crit.id, crit.scale, crit.scale, "customer confirmed", thanks[:1])
    if reopened:
        return Score(crit.id, crit.scale // 2, crit.scale, "solved after the customer reopened it")
    return Score(crit.id, crit.scale, crit.scale, "solved and not reopened")


ASKS = {
    "order_number": re.compile(
        r"order number|order no\b|Bestellnummer|numéro de commande|número de pedido|"
        r"numero d['’]ordine|bestelnummer",
        re.IGNORECASE,
    ),
    "email": re.compile(
        r"e-?mail address|E-Mail-Adresse|adresse e-mail|correo electrónico|indirizzo e-mail|"
        r"e-mailadres",
        re.IGNORECASE,
    ),
}


@scorer("back_and_forth")
def back_and_forth(conv: Conversation, crit: QACriterion, _ctx: ScoringContext) -> Score:
    """The agent asks for an order number or email the customer's earlier messages contain."""
    given: dict[str, Evidence] = {}
    for msg in conv.messages:
        if msg.role == "customer":
            for name, value in extract_fields(msg.body).items():
                at = msg.body.find(value)
                if name in ASKS and name not in given and at >= 0:
                    given[name] = evidence(msg, at, at + len(value))
        elif msg.role == "agent" and msg.public:
            for name, found in given.items():
                ask = next(
                    (m for m in ASKS[name].finditer(msg.body) if _in_question(msg.body, m)), None
                )
                if ask:
                    reason = f"asked for the {name.replace('_', ' ')} the customer already gave"
                    return Score(
                        crit.id,
                        0,
                        crit.scale,
                        reason,
                        [found, evidence(msg, ask.start(), ask.end())],
                    )
    return Score(crit.id, crit.scale, crit.scale, "no request for information already given")


def _in_question(text: str, match: re.Match[str]) -> bool:
    end = min(
        (i for i in (text.find(c, match.end()) for c in "?.!\n") if i >= 0), default=len(text)
    )
    return end < len(text) and text[end] == "?"
