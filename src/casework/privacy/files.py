"""Files in the workspace that quote a person: exports, reports, index documents, logs.

The database is searched by index; files are few and small next to it, so they are
read. Binary artefacts (model weights, vectors, the SQLite file itself) are skipped:
they hold no customer text (ticket text is never embedded into a stored vector), and the
SQLite file is covered by the table search.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from casework.privacy.hashing import normalise

TEXT_SUFFIXES = {
    ".json",
    ".jsonl",
    ".csv",
    ".tsv",
    ".txt",
    ".md",
    ".html",
    ".htm",
    ".log",
    ".yaml",
    ".yml",
    ".xml",
    "",
}
SKIP_DIRS = {"secrets", "__pycache__"}
MAX_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class FileHit:
    path: Path
    matches: int


def needle_patterns(
    emails: Iterable[str], phones: Iterable[str], names: Iterable[str]
) -> list[tuple[re.Pattern[str], str]]:
    """Case-insensitive patterns for the raw values and the placeholder each becomes."""
    out: list[tuple[re.Pattern[str], str]] = []
    for email in sorted(set(emails), key=len, reverse=True):
        out.append((re.compile(re.escape(email), re.IGNORECASE), "<EMAIL>"))
    for phone in sorted(set(phones), key=len, reverse=True):
        national = normalise("PHONE", phone)
        # The number as written, and its national number with any prefix and separators.
        out.append((re.compile(re.escape(phone)), "<PHONE>"))
        if len(national) >= 6:
            prefix = r"(?:\+\d{1,3}[ .-]?|00\d{1,3}[ .-]?|0)?"
            out.append((re.compile(prefix + r"[ .()/-]{0,2}".join(national)), "<PHONE>"))
    for name in sorted(set(names), key=len, reverse=True):
        out.append((re.compile(rf"\b{re.escape(name)}\b", re.IGNORECASE), "<NAME>"))
    return out


def name_part_patterns(names: Iterable[str]) -> list[tuple[re.Pattern[str], str]]:
    """Each part of a full name ("Thanks, Ana"): used only inside the person's own texts."""
    parts = {p for name in names for p in re.split(r"[\s,]+", name) if len(p) >= 2}
    return [
        (re.compile(rf"\b{re.escape(p)}\b", re.IGNORECASE), "<NAME>")
        for p in sorted(parts, key=len, reverse=True)
    ]


def scrub(text: str, patterns: list[tuple[re.Pattern[str], str]]) -> str:
    for pattern, placeholder in patterns:
        text = pattern.sub(placeholder, text)
    return text


def text_files(root: Path, exclude: Iterable[Path] = ()) -> Iterator[Path]:
    skip = {p.resolve() for p in exclude}
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS]
        for name in files:
            path = Path(folder) / name
            if path.suffix.lower() not in TEXT_SUFFIXES or path.resolve() in skip:
                continue
            try:
                if path.stat().st_size <= MAX_BYTES:
                    yield path
            except OSError:
                continue


def find_in_files(
    root: Path, patterns: list[tuple[re.Pattern[str], str]], exclude: Iterable[Path] = ()
) -> list[FileHit]:
    hits: list[FileHit] = []
    if not patterns or not root.exists():
        return hits
    for path in text_files(root, exclude):
        try:
            text = path.read_text("utf-8", errors="replace")
        except OSError:
            continue
        n = sum(len(p.findall(text)) for p, _ in patterns)
        if n:
            hits.append(FileHit(path, n))
    return hits


def scrub_file(path: Path, patterns: list[tuple[re.Pattern[str], str]]) -> None:
    """Rewrite in place (through a temporary file, so a crash leaves the old or the new)."""
    text = path.read_text("utf-8", errors="replace")
    tmp = path.with_name(f".{path.name}.erasing")
    tmp.write_text(scrub(text, patterns), "utf-8")
    os.replace(tmp, path)
