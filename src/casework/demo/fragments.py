"""Text assembled from pieces that remember which parts are personal data.

A message is built as a list of `Piece`s: literal wording, and slot values
(an e-mail address, an IBAN, an order number) tagged with their kind. Typos
and shouting are applied to the wording only, so planted values stay exact and
their character offsets in the final text are known, not searched for.
"""

from __future__ import annotations

import random
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

PII_KINDS = frozenset({"email", "phone", "card_number", "iban", "address", "person", "ip_address"})
"""Personal data the manifest records spans for."""

ENTITY_KINDS = frozenset({"order_number", "tracking_number", "invoice_number", "amount"})
"""Business identifiers the manifest records too (for missing-information checks)."""


@dataclass(frozen=True)
class Piece:
    text: str
    kind: str | None = None  # a PII or entity kind, or None for wording


@dataclass(frozen=True)
class Span:
    kind: str
    start: int
    end: int
    value: str


Slots = Mapping[str, Piece]


def fill(template: str, slots: Slots) -> list[Piece]:
    """Split `template` on its `{slot}` fields and substitute tagged values."""
    pieces: list[Piece] = []
    for literal, field, _spec, _conv in string.Formatter().parse(template):
        if literal:
            pieces.append(Piece(literal))
        if field is not None:
            if field not in slots:
                raise KeyError(f"template slot {field!r} has no value: {template!r}")
            pieces.append(slots[field])
    return pieces


def render(pieces: Iterable[Piece]) -> tuple[str, list[Span]]:
    """Join pieces into the final text and the spans of every tagged value.

    The text is stripped of outer whitespace the way the domain records strip
    it, and spans are shifted to match, so `text[start:end] == value` holds
    for the stored message.
    """
    parts: list[str] = []
    spans: list[Span] = []
    offset = 0
    for piece in pieces:
        if piece.kind is not None:
            spans.append(Span(piece.kind, offset, offset + len(piece.text), piece.text))
        parts.append(piece.text)
        offset += len(piece.text)
    raw = "".join(parts)
    lead = len(raw) - len(raw.lstrip())
    text = raw.strip()
    shifted = [Span(s.kind, s.start - lead, s.end - lead, s.value) for s in spans]
    return text, [s for s in shifted if s.start >= 0 and s.end <= len(text)]


# -- wording transforms -------------------------------------------------------------

KEYBOARD_NEIGHBOURS = {
    "a": "qsz", "b": "vn", "c": "xv", "d": "sf", "e": "wr", "f": "dg", "g": "fh",
    "h": "gj", "i": "uo", "j": "hk", "k": "jl", "l": "k", "m": "n", "n": "bm",
    "o": "ip", "p": "o", "q": "w", "r": "et", "s": "ad", "t": "ry", "u": "yi",
    "v": "cb", "w": "qe", "x": "zc", "y": "tu", "z": "x",
}  # fmt: skip


def _typo(token: str, rng: random.Random) -> str:
    """One realistic slip: swapped, dropped, doubled or neighbouring letter."""
    i = rng.randrange(1, len(token) - 1)
    roll = rng.random()
    if roll < 0.3:
        return token[:i] + token[i + 1] + token[i] + token[i + 2 :]
    if roll < 0.55:
        return token[:i] + token[i + 1 :]
    if roll < 0.75:
        return token[:i] + token[i] + token[i:]
    neighbours = KEYBOARD_NEIGHBOURS.get(token[i].lower())
    if not neighbours:
        return token[:i] + token[i + 1 :]
    return token[:i] + rng.choice(neighbours) + token[i + 1 :]


def add_typos(pieces: list[Piece], rng: random.Random, rate: float) -> list[Piece]:
    """Misspell about `rate` of the longer words of the wording."""
    out: list[Piece] = []
    for piece in pieces:
        if piece.kind is not None or rate <= 0:
            out.append(piece)
            continue
        words = piece.text.split(" ")
        for n, token in enumerate(words):
            if len(token) >= 4 and token.isalpha() and rng.random() < rate:
                words[n] = _typo(token, rng)
        out.append(Piece(" ".join(words)))
    return out


def shout(pieces: list[Piece], rng: random.Random) -> list[Piece]:
    """Capitals and stacked punctuation, the way angry customers write."""
    out: list[Piece] = []
    for piece in pieces:
        if piece.kind is not None or rng.random() < 0.4:
            out.append(piece)
            continue
        text = piece.text.upper() if rng.random() < 0.6 else piece.text
        text = text.replace("?", "??").replace("!", "!!!") if rng.random() < 0.5 else text
        out.append(Piece(text))
    return out


def casual(pieces: list[Piece]) -> list[Piece]:
    """Chat style: lower case wording and no final full stop."""
    out = [p if p.kind is not None else Piece(p.text.lower()) for p in pieces]
    if out and out[-1].kind is None and out[-1].text.endswith("."):
        out[-1] = Piece(out[-1].text[:-1])
    return out
