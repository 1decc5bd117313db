"""The article importer contract, its registry, and the checks every format shares.

An article importer only turns files into validated `Article` records or
precise errors; it never touches the database, so a third-party format
(Confluence, Notion, Intercom…) gets versioning, staleness and the audit trail
by implementing `read` and calling `register_article_importer`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Protocol

from pydantic import ValidationError

from casework.domain import Article, ArticleStatus
from casework.ingest.base import RowError
from casework.ingest.values import parse_datetime

# Column sizes of `articles`: PostgreSQL refuses longer values, so say so per file.
LIMITS = {"external_id": 255, "title": 500, "owner": 255, "language": 16}


class KBInputError(ValueError):
    """Input that cannot be imported at all: a missing path, an unknown format, no articles."""


class UnusableFile(KBInputError):
    """A file nothing can be read from (not JSON, not an export); others may still be fine."""

    def __init__(self, error: RowError) -> None:
        super().__init__(str(error))
        self.error = error


@dataclass(frozen=True, slots=True)
class ArticleItem:
    """One article read from the input, or the reasons it could not be."""

    file: str
    line: int
    article: Article | None = None
    errors: tuple[RowError, ...] = ()


@dataclass(frozen=True)
class ArticleImportOptions:
    source: str
    status: ArticleStatus | None = None
    """Status of articles whose input does not state one (default: approved)."""

    @property
    def default_status(self) -> ArticleStatus:
        return self.status or ArticleStatus.approved


class ArticleImporter(Protocol):
    """A knowledge-base format; register an instance with `register_article_importer`."""

    @property
    def name(self) -> str:
        """The `--format` value."""
        ...

    @property
    def suffixes(self) -> tuple[str, ...]:
        """File endings read when the import path is a folder."""
        ...

    def read(
        self, path: Path, display: str, options: ArticleImportOptions
    ) -> Iterator[ArticleItem]:
        """Yield one item per article in the file, never raising for bad data.

        Raise `KBInputError` only when nothing in the file can be trusted.
        """
        ...


_importers: dict[str, ArticleImporter] = {}


def register_article_importer(
    importer: ArticleImporter, *, replace: bool = False
) -> ArticleImporter:
    """Make `importer` available as `casework kb import --format importer.name`."""
    taken = _importers.get(importer.name)
    if taken is not None and taken is not importer and not replace:
        raise ValueError(f"an article importer named {importer.name!r} is registered already")
    _importers[importer.name] = importer
    return importer


def article_formats() -> list[str]:
    import casework.knowledge.formats  # noqa: F401  (registers the built-ins)

    return sorted(_importers)


def get_article_importer(name: str) -> ArticleImporter:
    formats = article_formats()
    if name not in _importers:
        raise KBInputError(f"unknown --format {name!r}; choose one of {', '.join(formats)}")
    return _importers[name]


def input_files(path: Path, importer: ArticleImporter) -> list[tuple[Path, str]]:
    """(file, name shown in errors) for a file, or every matching file under a folder."""
    if path.is_file():
        return [(path, str(path))]
    if not path.is_dir():
        raise KBInputError(f"{path}: no such file or folder")
    found = sorted(
        p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in importer.suffixes
    )
    if not found:
        endings = " or ".join(importer.suffixes)
        raise KBInputError(f"{path}: no {endings} files for --format {importer.name}")
    return [(p, str(p.relative_to(path))) for p in found]


def read_text(path: Path, display: str) -> tuple[str | None, RowError | None]:
    """The file as UTF-8 (a byte-order mark dropped), or the line that is not UTF-8."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, RowError(display, line, "encoding", "not UTF-8 text; re-save it as UTF-8")


def file_time(path: Path) -> datetime:
    """A file's modification time, for articles whose input gives no date."""
    return datetime.fromtimestamp(path.stat().st_mtime, UTC)


@dataclass
class ArticleBuilder:
    """Checks one record's fields, collecting every problem before refusing it.

    `line_of(name)` gives the line where the input wrote a field, so an error
    in a front-matter key points at that key.
    """

    file: str
    line: int
    line_of: Callable[[str], int] | None = None
    names: dict[str, str] = field(default_factory=dict)  # Article field → input's name
    errors: list[RowError] = field(default_factory=list)

    def error(self, name: str, message: str) -> None:
        line = self.line_of(name) if self.line_of else self.line
        self.errors.append(RowError(self.file, line, name, message))

    def text(self, name: str, value: Any) -> str | None:
        if value is None:
            return None
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            self.error(name, f"expected text, got {type(value).__name__}")
            return None
        return value.strip() or None

    def language(self, name: str, value: Any, default: str = "en") -> str:
        """`en-US` → `en`: the primary subtag, as triage's language detection names it."""
        text = self.text(name, value)
        return text.replace("_", "-").split("-")[0].lower() if text else default

    def moment(self, name: str, value: Any) -> datetime | None:
        if value is None or value == "":
            return None
        if isinstance(value, date) and not isinstance(value, datetime):
            return datetime(value.year, value.month, value.day, tzinfo=UTC)
        try:
            return parse_datetime(value)
        except ValueError as exc:
            self.error(name, str(exc))
            return None

    def tags(self, name: str, value: Any) -> list[str]:
        if value is None:
            return []
        if isinstance(value, str):
            value = value.split(",")
        if not isinstance(value, list) or not all(isinstance(t, str | int) for t in value):
            self.error(name, "expected a list of tags or comma-separated text")
            return []
        return [str(t).strip() for t in value if str(t).strip()]

    def status(self, name: str, value: Any, default: ArticleStatus) -> ArticleStatus:
        if value is None or value == "":
            return default
        try:
            return ArticleStatus(str(value).strip().lower())
        except ValueError:
            known = ", ".join(s.value for s in ArticleStatus)
            self.error(name, f"unknown status {value!r}; expected one of {known}")
            return default

    def build(self, **values: Any) -> ArticleItem:
        """The article, or every error found; checks lengths and required fields too."""
        for key, limit in LIMITS.items():
            text = values.get(key)
            if isinstance(text, str) and len(text) > limit:
                self.error(
                    self.names.get(key, key), f"longer than {limit} characters ({len(text)})"
                )
        for key in ("external_id", "title", "body"):
            if not values.get(key):
                self.error(self.names.get(key, key), "missing or empty")
        if self.errors:
            return ArticleItem(self.file, self.line, errors=tuple(self.errors))
        try:
            article = Article(**values)
        except ValidationError as exc:
            for problem in exc.errors():
                key = str(problem["loc"][0]) if problem["loc"] else "article"
                self.error(self.names.get(key, key), problem["msg"])
            return ArticleItem(self.file, self.line, errors=tuple(self.errors))
        return ArticleItem(self.file, self.line, article)
