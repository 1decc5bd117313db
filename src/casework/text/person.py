"""People's names in support messages, found where messages put them.

No named-entity model ships with casework (a spaCy model is a download and hundreds of
MB), so names are found by their place: after a greeting at the start of a line ("Hi
Anna,"), alone on the line under a closing ("Kind regards,\\nAnna Schmidt"), or after an
introduction ("my name is Anna Schmidt"), in English, German, French, Spanish, Italian
and Dutch. A name found once is then found everywhere else in the same text, whole
words only: the signature's "Anna Schmidt" also redacts the quoted "Dear Anna,".
A name mentioned in running prose with no such cue ("I spoke to Anna yesterday") is
missed; the demo's truth measures how much that costs (`casework eval triage`).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from casework.text.pii_types import PiiSpan

CONTEXT_FILE = Path(__file__).with_name("person_context.yaml")
_EXTRA_NOT_NAMES: set[str] = set()

# One name word: capitalised, letters with inner apostrophes or hyphens (O'Brien,
# Jean-Luc, Müller); particles (van, de, von der) may sit between name words.
_WORD = (
    r"[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿß]*(?:[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿß]+)?"  # Anna, McCarthy, O
    r"(?:['’-][A-ZÀ-ÖØ-Þa-zà-öø-ÿ][a-zà-öø-ÿß]+)?"  # O'Brien, Jean-Luc
)
_PARTICLE = r"(?:van|von|de|der|den|del|della|di|da|du|la|le|ten|ter|dos|das|zu)"
_NAME = rf"{_WORD}(?:[ \t]+(?:{_PARTICLE}[ \t]+){{0,2}}{_WORD}){{0,2}}"


def _phrases(doc: dict[str, Any], key: str) -> list[str]:
    """Every language's phrases under `key` (a mapping of language to a list)."""
    return [str(p) for phrases in (doc.get(key) or {}).values() for p in phrases or []]


def _alternatives(phrases: Iterable[str]) -> str:
    """A regex alternation of the phrases, longest first, spaces matching any run."""
    ordered = sorted({p.strip().lower() for p in phrases if p.strip()}, key=len, reverse=True)
    return "|".join(r"[ \t]+".join(map(re.escape, p.split())) for p in ordered)


class PersonRecognizer:
    """Names after greetings, under closings and after introductions (type PERSON)."""

    type = "PERSON"
    priority = 70  # after every other type: an address or e-mail is never read as a name

    def __init__(self, context: dict[str, Any] | None = None) -> None:
        doc = context if context is not None else _load_context()
        greeting_words = _phrases(doc, "greetings")
        closing_words = _phrases(doc, "closings")
        title_words = [str(t) for t in doc.get("titles") or []]
        greetings, closings = _alternatives(greeting_words), _alternatives(closing_words)
        intros = _alternatives(_phrases(doc, "introductions"))
        spoken = _alternatives(_phrases(doc, "spoken_introductions"))
        title = rf"(?:(?i:{_alternatives(title_words)})\.?[ \t]+){{0,2}}"
        # a greeting, closing or title is never a name ("Best Regards", "Bonne Journée")
        self.not_names = {w for p in doc.get("not_names") or [] for w in _words(str(p))}
        self.not_names.update(
            w for p in greeting_words + closing_words + title_words if " " not in p
            for w in _words(p)
        )
        self.not_phrases = {" ".join(p.lower().split()) for p in greeting_words + closing_words}
        # names that are also common words ("Will", "May", "Grace"): redacted where found,
        # never looked for elsewhere in the text ("Will the refund arrive?")
        self.ambiguous = {w.lower() for w in doc.get("ambiguous_names") or []}
        line_start, after_sentence = r"^[ \t>]*", r"(?<=[.!?])[ \t]+"
        # the closing's line end, then up to two blank lines or a "-- " separator
        # (one optional punctuation mark between two runs of blanks would split a long run
        # of spaces every possible way: "Thanks" + 20,000 spaces took seconds)
        next_line = r"[ \t]*(?:[,.!][ \t]*)?\n(?:[ \t>]*(?:--[ \t]*)?\n){0,2}[ \t>]*"
        self._greeting = re.compile(
            rf"(?m){line_start}(?i:{greetings})[ \t,]+{title}(?P<name>{_NAME})[ \t]*(?=[,!:;.]|$)"
        )
        self._signature = re.compile(  # "Kind regards,\nAnna" or "… Cheers, Anna" at line end
            rf"(?m)(?:{line_start}|{after_sentence})(?i:{closings})"
            rf"(?:{next_line}|[ \t]*,[ \t]*){title}(?P<name>{_NAME})[ \t]*$"
        )
        # each pattern runs only when a cue word is in the text (a lower-case substring
        # check): the intro patterns tried at every position cost most of the time
        self._intro_keys = _keys(_phrases(doc, "introductions"))
        self._intro = re.compile(rf"(?<!\w)(?i:{intros})[ \t]+{title}(?P<name>{_NAME})(?![\w@])")
        self._spoken_keys = _keys(greeting_words)
        self._spoken = re.compile(  # "Hello, Jörg Neumann here", "Hola, soy Lucía Navarro"
            rf"(?<!\w)(?i:{greetings})(?:[ \t]*[,!])?[ \t]+(?:"
            rf"(?P<name>{_NAME})[ \t]+(?i:here|hier|ici|aquí|qui)\b"
            rf"|(?i:{spoken})[ \t]+(?P<spoken>{_NAME})(?![\w@]))"
        )

    def find(self, text: str) -> Iterator[PiiSpan]:
        original = text
        # "\r\n" line ends: a CR (same length, so offsets hold) must not stop "$" matching
        text = text.replace("\r", " ")
        lower = text.lower()
        patterns = [self._signature, self._greeting]
        if any(k in lower for k in self._intro_keys):
            patterns.append(self._intro)
        if any(k in lower for k in self._spoken_keys):
            patterns.append(self._spoken)
        names: dict[str, None] = {}
        found_at: set[int] = set()  # where a cue showed a name ("Hi Will,")
        for pattern in patterns:
            for match in pattern.finditer(text):
                group = "name" if match["name"] else "spoken"
                name = match[group]
                if name and self._is_name(name):
                    names[name] = None
                    found_at.add(match.start(group))
        if not names:
            return
        # every whole-word occurrence of a found name, and of its first word
        # ("Anna" from "Anna Schmidt"), longest first so the full name wins
        variants = set(names)
        variants.update(n.split()[0] for n in names if len(n.split()[0]) >= 3)
        taken: list[tuple[int, int]] = []
        for variant in sorted(variants, key=len, reverse=True):
            ambiguous = variant.lower() in self.ambiguous
            for start in _whole_word_starts(text, variant):
                end = start + len(variant)
                if ambiguous and start not in found_at:
                    continue  # "Hi Will," is a name; "Will the refund…" is not
                if not _overlaps(taken, start, end):
                    bisect.insort(taken, (start, end))
        for start, end in taken:
            value = original[start:end]
            yield PiiSpan(self.type, start, end, value, " ".join(value.split()))

    def _is_name(self, name: str) -> bool:
        """Not a greeting's "Team" or "Support-Team", nor a lone initial; particles pass."""
        if " ".join(name.lower().split()) in self.not_phrases:
            return False
        words = [w for w in _words(name) if not re.fullmatch(_PARTICLE, w)]
        if len(name) < 2 or all(len(w.strip("'’")) < 2 for w in words):
            return False
        return not any(w in self.not_names or w in _EXTRA_NOT_NAMES for w in words)


def _keys(phrases: Iterable[str]) -> tuple[str, ...]:
    """Each phrase in lower case with single spaces: a cheap test that a pattern can match."""
    return tuple(sorted({" ".join(p.lower().split()) for p in phrases if p.strip()}))


def _words(text: str) -> list[str]:
    """Lower-case words, hyphenated ones split: "Support-Team" is "support" and "team"."""
    return [w for w in re.split(r"[\s-]+", text.lower()) if w]


def _overlaps(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) meets a span of the sorted, disjoint `taken` (binary search)."""
    i = bisect.bisect_right(taken, (start, float("inf")))
    return (i > 0 and taken[i - 1][1] > start) or (i < len(taken) and taken[i][0] < end)


def _whole_word_starts(text: str, word: str) -> Iterator[int]:
    """Where `word` occurs in `text` not inside a longer word, name, e-mail or domain
    ("Anna" is not found inside "Anna-Maria")."""
    start = text.find(word)
    while start >= 0:
        before = text[start - 1] if start else " "
        after = text[start + len(word)] if start + len(word) < len(text) else " "
        if not (before.isalnum() or before in "_@.-") and not (after.isalnum() or after in "_@-"):
            yield start
        start = text.find(word, start + 1)


@lru_cache(maxsize=1)
def _load_context() -> dict[str, Any]:
    doc = yaml.safe_load(CONTEXT_FILE.read_text(encoding="utf-8")) or {}
    if not isinstance(doc, dict):
        raise ValueError(f"{CONTEXT_FILE}: expected a mapping at the top level")
    return doc


def add_not_names(words: Iterable[str]) -> None:
    """Capitalised words after a greeting that are not people: a company or product name."""
    _EXTRA_NOT_NAMES.update(w for word in words for w in _words(word))
