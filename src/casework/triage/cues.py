"""Multilingual cue phrases (human request, legal threat, fraud, urgency, sentiment…).

Phrases live in data files (``cues/<lang>.yaml``) so support teams can extend them without
code.  They compile once into a token trie: each token is walked once for all kinds and
languages, overlapping hits of different kinds survive ("cancel my account" is both a
cancellation and a threat to leave), and word boundaries are structural: "sue" never
matches inside "issue".  Data syntax: ``[a|b|]`` alternatives (empty = optional), ``word*``
prefix, leading ``=`` for false friends that count only when the language is known
(German "Mal" is not Spanish "mal").  Matching folds case and accents ("Kündigung" =
"kundigung"), ignores apostrophes and hyphens, collapses elongations ("pleeease") and
tolerates one typo in long single words.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import yaml

CUE_DIR = Path(__file__).with_name("cues")
COMMON = "common"  # emoji and emoticons: language-independent, always checked
KINDS = (
    "human_request",
    "frustration",
    "legal",
    "fraud",
    "cancellation",
    "urgency",
    "question",
    "negative",
    "positive",
    "neutral",
)
MODIFIERS = ("negators", "intensifiers", "diminishers", "contrast")  # see sentiment.py
FUZZY_MIN = 8  # shorter words collide with real ones ("writing" vs "waiting")
FUZZY_KINDS = frozenset(KINDS) - {"positive", "neutral", "question"}  # "contenu" ≠ "content"

_TEXT_TOKEN = re.compile(r"\w+(?:'\w+)*|[^\w\s'\-]")
_CUE_TOKEN = re.compile(r"\w+(?:'\w+)*\*?|[^\w\s'\-*]")
_GROUP = re.compile(r"\[([^\]]*)\]")
_ELONGATED = re.compile(r"([^\W\d_])\1{2,}")
_CONTRACTION_TAILS = frozenset({"t", "s", "re", "ve", "ll", "d", "m"})
_APOSTROPHES = {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"}


@dataclass(frozen=True, slots=True)
class CueHit:
    """One cue found in a text; ``start``/``end`` index the original text."""

    kind: str
    phrase: str
    start: int
    end: int
    language: str
    tag: str = ""
    cue: str = ""
    fuzzy: bool = False


@dataclass(frozen=True, slots=True)
class _Entry:
    kind: str
    tag: str
    language: str
    cue: str


class _Node:
    __slots__ = ("next", "wild", "lens", "out")

    def __init__(self) -> None:
        self.next: dict[str, _Node] = {}
        self.wild: dict[str, _Node] = {}
        self.lens: tuple[int, ...] = ()
        self.out: list[_Entry] = []


@lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str:
    if ch in _APOSTROPHES:
        return "'"
    decomposed = unicodedata.normalize("NFKD", ch)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def fold(text: str) -> tuple[str, list[int] | None]:
    """Lower-case, accent-free text plus a map from its indexes to the original's.

    The map is ``None`` when indexes are unchanged (ASCII, or only 1:1 folds), the
    common case, so the fast path allocates nothing extra.
    """
    if text.isascii():
        return text.lower(), None
    parts = [_fold_char(c) for c in text]
    norm = "".join(parts)
    if len(norm) == len(text) and all(len(p) == 1 for p in parts):
        return norm, None
    return norm, [i for i, p in enumerate(parts) for _ in p]


def _split(pattern: re.Pattern[str], norm: str) -> Iterator[tuple[str, int, int]]:
    """Tokens with folded offsets; ``can't`` → ``cant`` but ``l'avocat`` → ``l``, ``avocat``."""
    if "'" not in norm:  # no apostrophe anywhere: every match is a token as it stands
        yield from ((m.group(), m.start(), m.end()) for m in pattern.finditer(norm))
        return
    for m in pattern.finditer(norm):
        tok, start = m.group(), m.start()
        if "'" not in tok:
            yield tok, start, m.end()
            continue
        parts = tok.split("'")
        if len(parts) == 2 and parts[1].rstrip("*") in _CONTRACTION_TAILS:
            yield parts[0] + parts[1], start, m.end()
            continue
        for part in parts:
            if part:
                yield part, start, start + len(part)
            start += len(part) + 1


@dataclass(frozen=True, slots=True)
class Scan:
    """A tokenised text and its cue hits, shared by the sentiment and frustration logic."""

    text: str
    keys: list[str]
    starts: list[int]
    ends: list[int]
    punct: list[bool]
    hits: list[CueHit]
    languages: tuple[str, ...] = ()  # the languages that were checked, preferred first

    def token_index(self, offset: int) -> int:
        """Index of the token starting at or before ``offset`` in the original text."""
        return max(0, bisect_right(self.starts, offset) - 1)


def expand(phrase: str) -> list[list[str]]:
    """All token sequences a phrase with ``[a|b|]`` groups stands for."""
    seqs: list[list[str]] = [[]]
    for i, part in enumerate(_GROUP.split(phrase)):
        options = part.split("|") if i % 2 else [part]
        alternatives = [[t for t, _, _ in _split(_CUE_TOKEN, fold(o)[0])] for o in options]
        seqs = [seq + alt for seq in seqs for alt in alternatives]
    return [seq for seq in seqs if seq]


def _entries(doc: Mapping[str, Any], language: str) -> Iterator[tuple[str, str, str]]:
    for kind, value in (doc.get("cues") or {}).items():
        if kind not in KINDS:
            raise ValueError(f"cues/{language}: unknown cue kind {kind!r}")
        groups = value.items() if isinstance(value, Mapping) else [(kind, value)]
        for tag, phrases in groups:
            for phrase in phrases or ():
                yield kind, str(tag), str(phrase)


@cache
def documents() -> dict[str, dict[str, Any]]:
    """The parsed cue files by language code, read once."""
    docs: dict[str, dict[str, Any]] = {}
    for path in sorted(CUE_DIR.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        language = str(doc.get("language", path.stem))
        unknown = set(doc.get("modifiers") or {}) - set(MODIFIERS)
        if unknown:
            raise ValueError(f"cues/{path.name}: unknown modifiers {sorted(unknown)}")
        docs[language] = doc
    return docs


def languages() -> tuple[str, ...]:
    """Languages with a cue file (not counting the language-independent one)."""
    return tuple(lang for lang in documents() if lang != COMMON)


def _selection(language: str | None) -> tuple[str, ...]:
    """The requested language (plus emoji), or every language when unknown."""
    code = (language or "").strip().lower().replace("_", "-").split("-")[0]
    if code in languages():
        return (code, COMMON)
    return (*languages(), COMMON)


@cache
def _matcher(selection: tuple[str, ...]) -> tuple[_Node, dict[str, list[tuple[_Entry, str]]]]:
    """The trie and the typo index for a language selection, built once."""
    root = _Node()
    fuzzy: dict[str, list[tuple[_Entry, str]]] = {}
    docs = documents()
    for language in selection:
        for kind, tag, phrase in _entries(docs.get(language, {}), language):
            strict = phrase.startswith("=")
            if strict and len(selection) > 2:  # false friend, language not known
                continue
            entry = _Entry(kind, tag, language, phrase.lstrip("="))
            for seq in expand(entry.cue):
                node = root
                for key in seq:
                    table = node.wild if len(key) > 1 and key.endswith("*") else node.next
                    key = key.rstrip("*") or key
                    node = table.setdefault(key, _Node())
                node.out.append(entry)
                word = seq[0]
                if (
                    len(seq) == 1
                    and len(word) >= FUZZY_MIN
                    and word.isalpha()
                    and not strict
                    and kind in FUZZY_KINDS
                ):
                    for variant in {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}:
                        fuzzy.setdefault(variant, []).append((entry, word))
    stack = [root]
    while stack:
        node = stack.pop()
        node.lens = tuple(sorted({len(k) for k in node.wild}))
        stack += [*node.next.values(), *node.wild.values()]
    return root, fuzzy


def _one_edit(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by one insertion, deletion, substitution or swap."""
    if len(a) < len(b):
        a, b = b, a
    if len(a) - len(b) > 1 or a == b:
        return False
    if len(a) > len(b):
        return any(a[:i] + a[i + 1 :] == b for i in range(len(a)))
    d = [i for i in range(len(a)) if a[i] != b[i]]
    return len(d) == 1 or (
        len(d) == 2 and d[1] == d[0] + 1 and a[d[0]] == b[d[1]] and a[d[1]] == b[d[0]]
    )


def _walk(
    root: _Node, keys: list[str], punct: list[bool], spans: list[tuple[int, int]]
) -> list[tuple[_Entry, int, int, bool]]:
    """Every (entry, first token, end token) the trie matches, overlaps included."""
    n, found = len(keys), list[tuple[_Entry, int, int, bool]]()
    first = _first_steps(root)
    for i in range(n):
        if root.out:
            found.extend((entry, i, i, False) for entry in root.out)
        key = keys[i]
        children = first.get(key)
        if children is None:
            children = _children(root, key)
            if len(first) < _FIRST_STEPS_MAX:
                first[key] = children
        if not children:
            continue  # most tokens start no cue: one dict lookup, no trie walk
        stack = [(child, i + 1) for child in children]
        while stack:
            node, j = stack.pop()
            if node.out:
                found.extend((entry, i, j, False) for entry in node.out)
            if j == n or ((punct[j] or punct[j - 1]) and spans[j - 1][1] != spans[j][0]):
                continue  # emoticon parts must touch: ":(" yes, ": (" no
            key = keys[j]
            child = node.next.get(key)
            if child is not None:
                stack.append((child, j + 1))
            for length in node.lens:
                if length > len(key):
                    break
                child = node.wild.get(key[:length])
                if child is not None:
                    stack.append((child, j + 1))
    return found


_FIRST_STEPS_MAX = 200_000  # distinct tokens remembered per trie (bounded memory)
_FIRST_STEPS: dict[int, dict[str, tuple[_Node, ...]]] = {}  # by id: tries live as long


def _first_steps(root: _Node) -> dict[str, tuple[_Node, ...]]:
    """Per trie, the children a token leads to from the root, remembered by token.

    Why: `_walk` starts at every token, and the root's step (an exact child plus
    one slice per wildcard length) was most of a scan; tokens repeat across texts.
    """
    return _FIRST_STEPS.setdefault(id(root), {})


def _children(node: _Node, key: str) -> tuple[_Node, ...]:
    """The nodes `key` leads to from `node`, in the order `_walk` pushes them."""
    out = []
    child = node.next.get(key)
    if child is not None:
        out.append(child)
    for length in node.lens:
        if length > len(key):
            break
        child = node.wild.get(key[:length])
        if child is not None:
            out.append(child)
    return tuple(out)


def _typos(
    keys: list[str],
    found: list[tuple[_Entry, int, int, bool]],
    root: _Node,
    index: Mapping[str, list[tuple[_Entry, str]]],
) -> None:
    """Add one-typo matches of long single-word cues for tokens nothing else matched."""
    covered = {t for _, i, j, _ in found for t in range(i, j)}
    known = _FIRST_TYPOS.setdefault(id(index), {})
    for t, key in enumerate(keys):
        if t in covered or len(key) < FUZZY_MIN or not key.isalpha() or key in root.next:
            continue
        entries = known.get(key)
        if entries is None:
            entries = _typo_entries(key, index)
            if len(known) < _FIRST_STEPS_MAX:
                known[key] = entries
        found.extend((entry, t, t + 1, True) for entry in entries)


_FIRST_TYPOS: dict[int, dict[str, tuple[_Entry, ...]]] = {}  # by id of the typo index


def _typo_entries(key: str, index: Mapping[str, list[tuple[_Entry, str]]]) -> tuple[_Entry, ...]:
    """The cues `key` is one typo away from (a pure function of the token: remembered)."""
    seen: dict[_Entry, None] = {}
    for variant in {key} | {key[:p] + key[p + 1 :] for p in range(len(key))}:
        for entry, word in index.get(variant, ()):
            if entry not in seen and word[0] == key[0] and _one_edit(key, word):
                seen[entry] = None
    return tuple(seen)


SCAN_CACHE_SIZE = 4096
"""Recent scans kept: triage scans a text for sentiment and again for urgency, and
routing scans the same redacted text for its cue kinds; a worker batch (500
tickets) then scans each text once instead of three times."""


def scan(text: str, language: str | None = None, *, fuzzy: bool = True) -> Scan:
    """Tokenise ``text`` and find every cue of the selected language(s).

    Results are cached by (text, language, fuzzy): a scan is a pure function of
    those and of the cue files, which load once per process. Callers must treat
    the returned `Scan` (and its lists) as read-only.
    """
    return _cached_scan(text, language, fuzzy)


@lru_cache(maxsize=SCAN_CACHE_SIZE)
def _cached_scan(text: str, language: str | None, fuzzy: bool) -> Scan:
    selection = _selection(language)
    root, typo_index = _matcher(selection)
    norm, offsets = fold(text)
    tokens = list(_split(_TEXT_TOKEN, norm))
    keys = [tok for tok, _, _ in tokens]
    if _ELONGATED.search(norm):
        keys = [_ELONGATED.sub(r"\1", k) for k in keys]
    punct = [not (k[0].isalnum() or k[0] == "_") for k in keys]
    found = _walk(root, keys, punct, [(s, e) for _, s, e in tokens])
    if fuzzy and typo_index:
        _typos(keys, found, root, typo_index)
    starts = [offsets[s] if offsets else s for _, s, _ in tokens]
    ends = [offsets[e - 1] + 1 if offsets else e for _, _, e in tokens]
    rank = {lang: r for r, lang in enumerate(selection)}
    hits = sorted(
        (
            CueHit(
                e.kind,
                text[starts[i] : ends[j - 1]],
                starts[i],
                ends[j - 1],
                e.language,
                e.tag,
                e.cue,
                typo,
            )
            for e, i, j, typo in found
        ),
        key=lambda h: (h.start, -h.end, rank.get(h.language, 99), h.fuzzy),
    )
    kept: list[CueHit] = []
    for hit in hits:  # drop hits inside a longer (or equal, earlier-ranked) hit of the kind
        if not any(k.kind == hit.kind and k.start <= hit.start and hit.end <= k.end for k in kept):
            kept.append(hit)
    return Scan(text, keys, starts, ends, punct, kept, selection)


def find_cues(
    text: str,
    language: str | None = None,
    kinds: Collection[str] | None = None,
    *,
    fuzzy: bool = True,
) -> list[CueHit]:
    """Cue hits in text order; all languages are checked when ``language`` is unknown."""
    hits = scan(text, language, fuzzy=fuzzy).hits
    return [h for h in hits if kinds is None or h.kind in kinds]
