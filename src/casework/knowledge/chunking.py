"""Article -> passages: the unit that retrieval scores and a draft cites.

Why passages and not whole articles: a long article dilutes both BM25 and an
embedding, and a citation should point at the few sentences that answer. Why
the title in every passage: a paragraph alone often never names its subject
("it takes 2-4 days"); the title supplies it to both indexes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CHUNKER_VERSION = "passages-v1"
MIN_WORDS = 80
MAX_WORDS = 150

_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class Passage:
    """One retrievable window of an article, addressable for citations."""

    article_id: int
    version: int
    index: int
    text: str


def _sections(body: str) -> list[tuple[str, list[str]]]:
    """Split Markdown into (heading, paragraphs); text before any heading has heading ""."""
    sections: list[tuple[str, list[str]]] = [("", [])]
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            sections[-1][1].append(" ".join(paragraph))
            paragraph.clear()

    for line in body.splitlines():
        heading = _HEADING.match(line)
        if heading:
            flush()
            sections.append((heading.group(1), []))
        elif line.strip():
            paragraph.append(line.strip())
        else:
            flush()
    flush()
    # A heading with no text of its own (e.g. over sub-sections) is no passage.
    return [(heading, paras) for heading, paras in sections if paras]


def _split_long(paragraph: str) -> list[str]:
    """Cut a paragraph longer than MAX_WORDS at sentence ends (or hard, if it has none)."""
    pieces: list[str] = []
    current: list[str] = []
    for sentence in _SENTENCE_END.split(paragraph):
        words = sentence.split()
        while len(words) > MAX_WORDS:  # one run-on "sentence": cut it hard
            if current:
                pieces.append(" ".join(current))
                current = []
            pieces.append(" ".join(words[:MAX_WORDS]))
            words = words[MAX_WORDS:]
        if current and len(current) + len(words) > MAX_WORDS:
            pieces.append(" ".join(current))
            current = []
        current.extend(words)
    if current:
        pieces.append(" ".join(current))
    return pieces


def _windows(paragraphs: list[str]) -> list[str]:
    """Pack paragraphs into windows of MIN_WORDS..MAX_WORDS where the text allows."""
    units = [piece for para in paragraphs for piece in _split_long(para)]
    windows: list[list[str]] = []
    for unit in units:
        size = len(unit.split())
        last = windows[-1] if windows else None
        last_size = sum(len(u.split()) for u in last) if last else 0
        if last is not None and (last_size < MIN_WORDS and last_size + size <= MAX_WORDS):
            last.append(unit)
        else:
            windows.append([unit])
    # A short tail reads better joined to the window before it, if that still fits.
    if len(windows) > 1:
        tail = sum(len(u.split()) for u in windows[-1])
        before = sum(len(u.split()) for u in windows[-2])
        if tail < MIN_WORDS and before + tail <= MAX_WORDS:
            windows[-2].extend(windows.pop())
    return ["\n".join(window) for window in windows]


def chunk_article(article_id: int, version: int, title: str, body: str) -> list[Passage]:
    """Passages of ~80-150 words within one section each, every one prefixed by the title.

    An article with no body text still yields one passage, so it stays findable.
    """
    texts: list[str] = []
    for heading, paragraphs in _sections(body):
        prefix = f"{title}\n{heading}" if heading else title
        texts.extend(f"{prefix}\n{window}" for window in _windows(paragraphs))
    if not texts:  # no body text at all: the title (and any headings) still findable
        words = " ".join(body.replace("#", " ").split()[:MAX_WORDS])
        texts = [f"{title}\n{words}".strip()]
    return [Passage(article_id, version, i, text) for i, text in enumerate(texts)]
