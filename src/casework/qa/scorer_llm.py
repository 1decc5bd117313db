"""The `llm` scorer: a criterion a team wrote in words, judged by the configured model.

The criterion's description is the instruction. Only redacted text leaves the
process (the conversation goes through `guard_prompt`, and the provider guards
again). The model's quote is located back in the stored conversation, so the
evidence points at a real message and span like every other scorer's. Any
`LLMError` or unusable answer leaves the criterion unscored with the reason:
a made-up score would be worse than none.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any

from casework.config.rubric import QACriterion
from casework.config.schema import LLMSettings
from casework.llm.base import LLMError, LLMProvider
from casework.llm.egress import guard_prompt
from casework.llm.factory import provider_from
from casework.llm.prompts import load_prompt
from casework.qa.conversation import Conversation, ScoringContext
from casework.qa.scorers import Evidence, Score, evidence, scorer
from casework.text.pii import Redactor, detect_pii

PROMPT = "qa_criterion.v1"
MAX_TOKENS = 300
PLACEHOLDER = re.compile(r"<[A-Z_]+_\d+>")
OBJECT = re.compile(r"\{.*\}", re.DOTALL)


@lru_cache(maxsize=4)
def _provider(settings_json: str) -> LLMProvider:
    return provider_from(LLMSettings.model_validate_json(settings_json))


def transcript(conv: Conversation) -> str:
    """Every message headed by its index and role, redacted: what the model reads."""
    blocks = []
    for m in conv.messages:
        role = m.role if m.public else f"{m.role} (internal note)"
        blocks.append(f"[{m.index}] {role}:\n{guard_prompt(m.body.strip())}")
    return "\n\n".join(blocks)


@scorer("llm")
def llm_criterion(conv: Conversation, crit: QACriterion, ctx: ScoringContext) -> Score:
    """Ask the configured model for {score, evidence_quote, reason} on this criterion."""
    system = load_prompt(PROMPT).text.format(
        criterion=crit.id, description=crit.description.strip(), scale=crit.scale
    )
    try:
        provider = _provider(ctx.config.llm.model_dump_json())
        reply = provider.complete(
            system, [{"role": "user", "content": transcript(conv)}], max_tokens=MAX_TOKENS
        )
        answer = parse_answer(reply.text, crit.scale)
    except LLMError as exc:
        return Score(crit.id, None, crit.scale, f"not scored: {exc}")
    quote = str(answer.get("evidence_quote") or "").strip()
    found = locate(conv, quote) if quote else None
    reason = str(answer.get("reason") or "").strip() or "no reason given"
    if quote and found is None:
        reason += " (the quoted text was not found in the conversation)"
    return Score(
        crit.id, int(answer["score"]), crit.scale, f"{reason} [{PROMPT}, {reply.model}]",
        [found] if found else [],
    )  # fmt: skip


def parse_answer(text: str, scale: int) -> dict[str, Any]:
    """The JSON object in the reply, its score a whole number on the scale, else `LLMError`."""
    match = OBJECT.search(text)
    try:
        data = json.loads(match.group(0)) if match else None
    except json.JSONDecodeError:
        data = None
    if not isinstance(data, dict):
        raise LLMError("the model's answer is not a JSON object")
    score = data.get("score")
    if isinstance(score, float) and score.is_integer():
        score = int(score)
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= scale:
        raise LLMError(f"the model's score {score!r} is not a whole number in 0..{scale}")
    data["score"] = score
    return data


def locate(conv: Conversation, quote: str) -> Evidence | None:
    """Message and span of `quote` in the original text.

    The model quoted the redacted text it saw, so the quote is searched there
    (whitespace and case aside, any placeholder for any placeholder) and the
    span mapped back through the redaction to the stored message.
    """
    pieces = PLACEHOLDER.split(quote.strip().strip('"'))
    words = [r"\s+".join(re.escape(w) for w in p.split()) for p in pieces]
    pattern = (r"\s*" + PLACEHOLDER.pattern + r"\s*").join(words)
    if not any(words):
        return None
    needle = re.compile(pattern, re.IGNORECASE)
    for m in sorted(conv.messages, key=lambda m: (m.role != "agent", m.index)):
        redacted, marks = _redacted(m.body)
        hit = needle.search(redacted)
        if hit:
            return evidence(
                m, _original(marks, hit.start(), True), _original(marks, hit.end(), False)
            )
    return None


Segment = tuple[int, int, int, int, bool]
"""(redacted start, redacted end, original start, original end, is a placeholder)."""


def _redacted(body: str) -> tuple[str, list[Segment]]:
    """The text as `guard_prompt` sends it, and how its offsets map to the original."""
    redactor = Redactor()
    out: list[Segment] = []
    parts: list[str] = []
    red = orig = 0
    for span in detect_pii(body):
        plain = body[orig : span.start]
        holder = redactor.placeholder(span)
        out.append((red, red + len(plain), orig, span.start, False))
        out.append((red + len(plain), red + len(plain) + len(holder), span.start, span.end, True))
        parts += [plain, holder]
        red, orig = red + len(plain) + len(holder), span.end
    out.append((red, red + len(body) - orig, orig, len(body), False))
    parts.append(body[orig:])
    return "".join(parts), out


def _original(segments: list[Segment], at: int, start: bool) -> int:
    for r0, r1, o0, o1, placeholder in segments:
        if r0 <= at < r1 or (at == r1 and not start):
            if placeholder:
                return o0 if start else o1
            return o0 + (at - r0)
    return segments[-1][3]
