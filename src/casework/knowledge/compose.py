"""Choose how a draft is written: by a configured language model, else extractively.

The model sees only redacted text, the numbered passages and the context fields
the intent may read. Its reply is kept only if it parses, and any sentence no
passage or context supports makes the draft low-confidence. Any failure —
timeout, refused key, no provider — yields the extractive draft, which says why.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from casework.config.schema import WorkspaceConfig
from casework.knowledge.drafting import (
    Citation,
    Draft,
    Passage,
    check_support,
    extractive_draft,
)
from casework.llm.base import LLMError, LLMProvider
from casework.llm.egress import guard_prompt
from casework.llm.prompts import load_prompt

_CITE = re.compile(r"\[(\d+)\]")
MAX_PASSAGES = 3


def _user_message(question: str, hits: Sequence[Passage], context: Mapping[str, Any]) -> str:
    passages = "\n\n".join(
        f"[{i}] {hit.title} (article {hit.external_id} v{hit.version})\n{hit.passage}"
        for i, hit in enumerate(hits[:MAX_PASSAGES], start=1)
    )
    facts = "\n".join(f"- {key}: {value}" for key, value in context.items()) or "- none"
    return f"Customer message:\n{question}\n\nPassages:\n{passages}\n\nOrder context:\n{facts}"


def draft_reply(
    question: str,
    hits: Sequence[Passage],
    context: Mapping[str, Any],
    config: WorkspaceConfig,
    provider: LLMProvider | None = None,
    stale_articles: Collection[int] = (),
) -> Draft:
    """The best grounded draft available: the model's when it works, else extractive."""
    fallback = extractive_draft(question, hits, context, config, stale_articles)
    if provider is None or provider.name == "none" or not hits:
        return fallback
    prompt = load_prompt("draft_reply")
    system = prompt.text.format(
        service_language_use="; ".join(config.service_language.use) or "-",
        service_language_avoid="; ".join(config.service_language.avoid) or "-",
    )
    message = guard_prompt(_user_message(question, hits, context))
    try:
        reply = provider.complete(
            guard_prompt(system), [{"role": "user", "content": message}], max_tokens=400
        )
    except LLMError as exc:
        fallback.method = f"extractive (language model unavailable: {type(exc).__name__})"
        fallback.warnings.append(f"the language model failed ({exc}); this draft is extractive")
        return fallback
    used = sorted({int(n) for n in _CITE.findall(reply.text) if 0 < int(n) <= len(hits)})
    citations = [
        Citation(
            h.article_id,
            h.external_id,
            h.version,
            h.title,
            h.passage[:300],
            h.article_id in stale_articles,
        )
        for h in (hits[n - 1] for n in used)
    ]
    sources = [h.passage for h in hits[:MAX_PASSAGES]] + [f"{k} {v}" for k, v in context.items()]
    body = _CITE.sub("", reply.text).strip()
    unsupported = check_support(body, sources)
    reasons = list(fallback.low_confidence_reasons)
    if unsupported:
        reasons.append(f"{len(unsupported)} sentence(s) not supported by a cited passage")
    if not citations:
        reasons.append("the model cited no passage")
    confidence = fallback.confidence if not reasons else min(fallback.confidence, 0.3)
    text = "\n\n".join(p for p in (body, config.knowledge.disclosure) if p)
    return Draft(
        text=text,
        confidence=confidence,
        citations=citations or fallback.citations,
        context_used=list(context),
        method=f"llm:{reply.provider}/{reply.model} ({prompt.version})",
        low_confidence_reasons=reasons,
        warnings=fallback.warnings + [f"unsupported: {s}" for s in unsupported[:3]],
    )
