"""The built-in article formats: Markdown with front matter, HTML pages, Zendesk Guide JSON.

Each is registered exactly as a third party's format would be. A Markdown or
HTML file is one article, so a bad file costs one article; a Zendesk export
holds many, and a bad record costs only itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from casework.domain import ArticleStatus
from casework.ingest.base import RowError
from casework.ingest.jsondoc import read_document
from casework.knowledge.html_text import html_to_text, read_html
from casework.knowledge.importers import (
    ArticleBuilder,
    ArticleImportOptions,
    ArticleItem,
    UnusableFile,
    file_time,
    read_text,
    register_article_importer,
)

_HEADING = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.MULTILINE)
# Front-matter key → what it sets; the first alias present wins.
_ALIASES = {
    "id": ("id",),
    "title": ("title",),
    "tags": ("tags", "labels"),
    "owner": ("owner", "author"),
    "status": ("status",),
    "language": ("language", "lang"),
    "created": ("created", "created_at"),
    "updated": ("updated", "updated_at", "date"),
    "reviewed": ("reviewed", "reviewed_at", "last_reviewed"),
}


def _failed(display: str, error: RowError) -> ArticleItem:
    return ArticleItem(display, error.line, errors=(error,))


def _split_front_matter(text: str) -> tuple[str | None, str, int]:
    """(front matter or None, body, line the body starts on); ValueError if never closed."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return None, text, 1
    for number, line in enumerate(lines[1:], 1):
        if line.strip() in ("---", "..."):
            return "".join(lines[1:number]), "".join(lines[number + 1 :]), number + 2
    raise ValueError("the opening --- of the front matter has no closing ---")


class _FrontMatter:
    """Front-matter values by meaning (`updated` for `updated_at` too), with their file lines."""

    def __init__(self, data: dict[Any, Any], lines: dict[str, int]) -> None:
        written = {str(key).strip().lower(): (str(key), value) for key, value in data.items()}
        self.lines = lines
        self.fields = {
            key: next((written[a] for a in aliases if a in written), (aliases[0], None))
            for key, aliases in _ALIASES.items()
        }

    def name(self, key: str) -> str:
        return self.fields[key][0]

    def value(self, key: str) -> Any:
        return self.fields[key][1]

    def line_of(self, name: str) -> int:
        return self.lines.get(name, 1)


class MarkdownImporter:
    """`*.md` files with YAML front matter; the id defaults to the file name."""

    name = "markdown"
    suffixes = (".md", ".markdown")

    def read(
        self, path: Path, display: str, options: ArticleImportOptions
    ) -> Iterator[ArticleItem]:
        from casework.config.yamlsource import YamlSyntaxError, read_yaml

        text, problem = read_text(path, display)
        if problem is not None or text is None:
            yield _failed(display, problem or RowError(display, 1, "encoding", "unreadable"))
            return
        try:
            front, body, _ = _split_front_matter(text)
            source = read_yaml(front or "")
        except ValueError as exc:
            yield _failed(display, RowError(display, 1, "front matter", str(exc)))
            return
        except YamlSyntaxError as exc:
            yield _failed(display, RowError(display, exc.line + 1, "front matter", exc.message))
            return
        data = {} if source.data is None else source.data
        if not isinstance(data, dict):
            message = "expected key: value lines between the --- lines"
            yield _failed(display, RowError(display, 2, "front matter", message))
            return
        # +1: the opening --- is line 1 of the file, line 0 of nothing in the YAML.
        meta = _FrontMatter(data, {str(loc[0]): n + 1 for loc, n in source.lines.items() if loc})
        builder = ArticleBuilder(display, 1, meta.line_of)
        builder.names = {"external_id": meta.name("id")} | {
            key: meta.name(key) for key in ("title", "tags", "owner", "status", "language")
        }
        for loc, line, first in source.duplicates:
            message = f"written twice (first on line {first + 1})"
            builder.errors.append(RowError(display, line + 1, str(loc[0]), message))
        heading = _HEADING.search(body)
        updated = builder.moment(meta.name("updated"), meta.value("updated")) or file_time(path)
        yield builder.build(
            source=options.source,
            external_id=builder.text(meta.name("id"), meta.value("id")) or path.stem,
            title=builder.text(meta.name("title"), meta.value("title"))
            or (heading[1] if heading else ""),
            body=body.strip(),
            tags=builder.tags(meta.name("tags"), meta.value("tags")),
            owner=builder.text(meta.name("owner"), meta.value("owner")),
            status=builder.status(
                meta.name("status"), meta.value("status"), options.default_status
            ),
            language=builder.language(meta.name("language"), meta.value("language")),
            created_at=builder.moment(meta.name("created"), meta.value("created")) or updated,
            updated_at=updated,
            reviewed_at=builder.moment(meta.name("reviewed"), meta.value("reviewed")),
        )


class HtmlImporter:
    """Saved help pages: title from `<title>` or the first `<h1>`, details from `<meta>`."""

    name = "html"
    suffixes = (".html", ".htm")

    def read(
        self, path: Path, display: str, options: ArticleImportOptions
    ) -> Iterator[ArticleItem]:
        text, problem = read_text(path, display)
        if problem is not None or text is None:
            yield _failed(display, problem or RowError(display, 1, "encoding", "unreadable"))
            return
        page = read_html(text)
        meta = page.meta
        builder = ArticleBuilder(display, 1, names={"title": "<title>", "body": "<body>"})
        updated = builder.moment("meta updated", meta.get("updated")) or file_time(path)
        yield builder.build(
            source=options.source,
            external_id=meta.get("id") or path.stem,
            title=page.title or page.first_heading,
            body=page.text,
            tags=builder.tags("meta keywords", meta.get("keywords") or meta.get("tags")),
            owner=meta.get("owner") or meta.get("author") or None,
            status=builder.status("meta status", meta.get("status"), options.default_status),
            language=builder.language("<html lang>", page.language),
            created_at=builder.moment("meta created", meta.get("created")) or updated,
            updated_at=updated,
            reviewed_at=builder.moment("meta reviewed", meta.get("reviewed")),
        )


class ZendeskGuideImporter:
    """A Help Center articles export: `{"articles": [...]}` as the API lists them.

    Zendesk keeps no review date, so the last edit of the text (`edited_at`)
    counts as the last review: someone read the article closely then.
    """

    name = "zendesk-guide"
    suffixes = (".json",)

    def read(
        self, path: Path, display: str, options: ArticleImportOptions
    ) -> Iterator[ArticleItem]:
        text, problem = read_text(path, display)
        if problem is not None or text is None:
            raise UnusableFile(problem or RowError(display, 1, "encoding", "unreadable"))
        doc = read_document(text, frozenset({"articles", "article"}))
        if doc.error is not None:
            message = f"not valid JSON: {doc.error.msg} (column {doc.error.colno})"
            raise UnusableFile(RowError(display, doc.error.lineno, "json", message))
        if not doc.records and "articles" not in doc.sections:
            found = ", ".join(sorted(doc.sections)) or "nothing"
            message = f'expected {{"articles": [...]}} from the Help Center API, found {found}'
            raise UnusableFile(RowError(display, 1, "articles", message))
        for line, record in doc.records:
            yield self.article(display, line, record, options)

    def article(
        self, display: str, line: int, record: Any, options: ArticleImportOptions
    ) -> ArticleItem:
        if not isinstance(record, dict):
            return _failed(display, RowError(display, line, "article", "expected an object"))
        names = {"external_id": "id", "tags": "label_names", "owner": "author_id"}
        builder = ArticleBuilder(display, line, names=names | {"language": "locale"})
        draft = record.get("draft")
        if draft not in (None, True, False):
            builder.error("draft", f"expected true or false, got {draft!r}")
        status = ArticleStatus.draft if draft is True else options.default_status
        body = record.get("body")
        if body is not None and not isinstance(body, str):
            builder.error("body", f"expected HTML text, got {type(body).__name__}")
            body = None
        raw_id = record.get("id")
        if isinstance(raw_id, bool) or not isinstance(raw_id, int | str | None):
            builder.error("id", f"expected a number, got {raw_id!r}")
            raw_id = None
        locale, source_locale = record.get("locale"), record.get("source_locale")
        translated = isinstance(locale, str) and source_locale not in (None, locale)
        external_id = f"{raw_id}@{locale}" if raw_id is not None and translated else raw_id
        updated = builder.moment("updated_at", record.get("updated_at"))
        if updated is None and record.get("updated_at") in (None, ""):
            builder.error("updated_at", "missing")
        return builder.build(
            source=options.source,
            external_id=builder.text("id", external_id),
            title=builder.text("title", record.get("title")),
            body=html_to_text(body) if body else "",
            tags=builder.tags("label_names", record.get("label_names")),
            owner=builder.text("author_id", record.get("author_id")),
            status=status,
            language=builder.language("locale", locale),
            created_at=builder.moment("created_at", record.get("created_at")) or updated,
            updated_at=updated,
            reviewed_at=builder.moment("edited_at", record.get("edited_at")) or updated,
        )


register_article_importer(MarkdownImporter())
register_article_importer(HtmlImporter())
register_article_importer(ZendeskGuideImporter())
