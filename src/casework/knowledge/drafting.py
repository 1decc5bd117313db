"""Grounded reply drafts: every sentence comes from a cited passage or the customer's context.

Without a language model the draft is extractive: the passage sentences that
best match the question, the context the intent may read phrased by small
templates, the team's approved opening and closing lines, and the configured
disclosure. With a model configured, the model writes from the same material
(redacted), and any sentence no cited passage or context supports marks the
draft low-confidence; if the model fails, the extractive draft is used and the
draft says so.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from casework.config.schema import WorkspaceConfig

_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
_WORD = re.compile(r"[a-z0-9]+")
_STOP_WORDS = (
    "a an and are as at be by can do for from has have how i if in is it its me my no not of "
    "on or our so that the their then there this to was we what when where which will with "
    "you your"
)
_STOP = frozenset(_STOP_WORDS.split())
SUPPORT_THRESHOLD = 0.5  # share of a sentence's content words found in one source
CONTEXT_TEMPLATES = {
    "status": "The current status of your order is: {value}.",
    "carrier": "The carrier is {value}.",
    "tracking_number": "The tracking number is {value}.",
    "shipped_at": "It was shipped on {value}.",
    "delivered_at": "It was delivered on {value}.",
}


class Passage(Protocol):
    """What drafting needs from a retrieval hit (read-only)."""

    @property
    def article_id(self) -> int: ...
    @property
    def external_id(self) -> str: ...
    @property
    def version(self) -> int: ...
    @property
    def title(self) -> str: ...
    @property
    def passage(self) -> str: ...
    @property
    def score(self) -> float: ...


@dataclass
class Citation:
    article_id: int
    external_id: str
    version: int
    title: str
    quote: str
    stale: bool = False


@dataclass
class Draft:
    text: str
    confidence: float
    citations: list[Citation]
    context_used: list[str]
    method: str
    """`extractive`, or `llm:<provider>/<model>`, or `extractive (llm failed: …)`."""
    low_confidence_reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    machine_written: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "confidence": round(self.confidence, 4),
            "citations": [vars(c) for c in self.citations],
            "context_used": self.context_used,
            "method": self.method,
            "low_confidence_reasons": self.low_confidence_reasons,
            "warnings": self.warnings,
            "machine_written": self.machine_written,
        }


def content_words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 1}


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if len(s.strip()) > 3]


def supported(sentence: str, sources: Sequence[str]) -> bool:
    """A sentence is supported when most of its content words appear in one source."""
    words = content_words(sentence)
    if not words:
        return True
    return any(len(words & content_words(src)) / len(words) >= SUPPORT_THRESHOLD for src in sources)


def _best_sentences(question: str, passage: str, limit: int = 3) -> list[str]:
    asked = content_words(question)
    scored = []
    for position, sentence in enumerate(sentences(passage)):
        overlap = len(asked & content_words(sentence))
        scored.append((overlap, -position, sentence))
    scored.sort(reverse=True)
    chosen = [s for overlap, _, s in scored[:limit] if overlap > 0] or [s for _, _, s in scored[:1]]
    order = {s: i for i, s in enumerate(sentences(passage))}
    return sorted(chosen, key=lambda s: order.get(s, 0))


def _context_sentences(context: Mapping[str, Any]) -> list[str]:
    out = []
    for key, value in context.items():
        if value in (None, ""):
            continue
        name = key.split(".", 1)[-1]
        if isinstance(value, str) and re.match(r"\d{4}-\d{2}-\d{2}T", value):
            value = value[:10]  # a date reads better than a timestamp in a reply
        template = CONTEXT_TEMPLATES.get(name, "Our records show {name}: {value}.")
        out.append(template.format(value=value, name=name.replace("_", " ")))
    return out


def _service_lines(config: WorkspaceConfig) -> tuple[str, str]:
    use = config.service_language.use
    opening = next((p for p in use if "thank" in p.lower()), "Hello,")
    closing = next((p for p in use if "person" in p.lower() or "reply" in p.lower()), "")
    return opening, closing


def _without_avoided(lines: list[str], config: WorkspaceConfig) -> tuple[list[str], list[str]]:
    avoid = [a.lower() for a in config.service_language.avoid]
    kept: list[str] = []
    dropped: list[str] = []
    for line in lines:
        (dropped if any(a in line.lower() for a in avoid) else kept).append(line)
    return kept, dropped


def extractive_draft(
    question: str,
    hits: Sequence[Passage],
    context: Mapping[str, Any],
    config: WorkspaceConfig,
    stale_articles: Collection[int] = (),
) -> Draft:
    """A reply built only from cited passages and allowed context.

    `stale_articles` are the ids `knowledge.articles.is_stale` flags: their
    answers carry a warning for the agent.
    """
    window = config.knowledge.review_window_days
    body: list[str] = _context_sentences(context)
    citations: list[Citation] = []
    reasons: list[str] = []
    warnings: list[str] = []
    top = hits[0] if hits else None
    if top is not None:
        passage = top.passage
        if passage.startswith(top.title):  # chunks carry their article title first
            passage = passage[len(top.title) :].lstrip(" :\n")
        quotes = _best_sentences(question, passage)
        body += quotes
        stale = top.article_id in stale_articles
        citations.append(
            Citation(
                top.article_id, top.external_id, top.version, top.title, " ".join(quotes), stale
            )
        )
        if stale:
            warnings.append(
                f"article {top.external_id} v{top.version} was not reviewed in the last {window} "
                "days: check it is still right before sending"
            )
    if not citations and not body:
        reasons.append("no approved article or context answers this question")
    body, dropped = _without_avoided(body, config)
    if dropped:
        warnings.append(f"{len(dropped)} sentence(s) removed for phrases the team avoids")
    opening, closing = _service_lines(config)
    text = "\n\n".join(
        p for p in (opening, " ".join(body), closing, config.knowledge.disclosure) if p
    )
    confidence = _confidence(top, bool(context))
    if top is not None and confidence < config.knowledge.min_answer_confidence:
        reasons.append(f"best article matches weakly (confidence {confidence:.2f})")
    return Draft(text, confidence, citations, list(context), "extractive", reasons, warnings)


def _confidence(top: Passage | None, has_context: bool) -> float:
    """The best passage's cosine similarity (an absolute measure, unlike fused rank
    scores) in [0, 1]; context the intent may read adds certainty."""
    similarity = getattr(top, "semantic_score", None) if top is not None else None
    raw = similarity if similarity is not None else (top.score if top is not None else 0.0)
    base = max(0.0, min(1.0, float(raw)))
    return min(1.0, base + (0.15 if has_context else 0.0))


def check_support(text: str, sources: Sequence[str]) -> list[str]:
    """Sentences of a model-written reply that no cited passage or context supports."""
    return [s for s in sentences(text) if not supported(s, sources)]
