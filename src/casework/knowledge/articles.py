"""The knowledge base as the rest of casework sees it: import, history, approval, staleness.

An answer is only as good as its source, so three rules live here and nowhere
else: only approved articles are used for answers (`approved_articles`), every
content an article ever had stays readable by its version (`article_history`),
and an approved article nobody reviewed within the window is stale (`is_stale`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.domain import Article, ArticleStatus
from casework.ingest.base import RowError
from casework.knowledge.importers import (
    ArticleImportOptions,
    KBInputError,
    UnusableFile,
    get_article_importer,
    input_files,
)
from casework.store import repository
from casework.store.tables import ArticleRow, ArticleVersionRow
from casework.workspace import Workspace

__all__ = [
    "KBImportReport",
    "KBInputError",
    "approved_articles",
    "article_history",
    "describe",
    "find_article",
    "import_articles",
    "is_stale",
    "list_articles",
    "review_window_days",
]


@dataclass
class KBImportReport:
    """What one `kb import` did; `errors` name file, line and field."""

    format: str
    source: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    errors: list[RowError] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "source": self.source,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "failed": self.failed,
            "errors": [str(e) for e in self.errors],
        }


def import_articles(
    ws: Workspace,
    path: Path,
    fmt: str,
    *,
    status: ArticleStatus | None = None,
    source: str | None = None,
    actor: str = "system:kb-import",
) -> KBImportReport:
    """Read every article under `path`, store the good ones, report the bad ones.

    Re-importing unchanged articles writes nothing (but the audit event); a
    changed one becomes its next version. Raises `KBInputError` when nothing
    could be read at all (no such path, unknown format, every file unusable).
    """
    importer = get_article_importer(fmt)
    options = ArticleImportOptions(source=source or importer.name, status=status)
    report = KBImportReport(format=importer.name, source=options.source)
    files = input_files(path, importer)
    unusable: list[RowError] = []
    good: dict[str, tuple[Article, str]] = {}  # external id → (article, where it was read)
    for file, display in files:
        try:
            items = list(importer.read(file, display, options))
        except UnusableFile as exc:
            unusable.append(exc.error)
            continue
        for item in items:
            if item.article is None:
                report.failed += 1
                report.errors.extend(item.errors)
                continue
            where = f"{item.file}:{item.line}"
            seen = good.get(item.article.external_id)
            if seen is not None:
                message = f"id {item.article.external_id!r} is also used by {seen[1]}"
                report.errors.append(RowError(item.file, item.line, "id", message))
                report.failed += 1
                continue
            good[item.article.external_id] = (item.article, where)
    if unusable and len(unusable) == len(files):
        raise KBInputError("; ".join(str(e) for e in unusable))
    report.errors[:0] = unusable
    report.failed += len(unusable)
    with ws.session() as session:
        stats = repository.upsert_articles(session, [article for article, _ in good.values()])
        report.created, report.updated, report.unchanged = (
            stats.created,
            stats.updated,
            stats.unchanged,
        )
        _audit_import(ws, session, report, actor)
    return report


def _audit_import(ws: Workspace, session: Session, report: KBImportReport, actor: str) -> None:
    """Counts only: article text and file names stay out of the audit log."""
    from casework.audit import AuditEvent, append, load_key

    counts = report.as_dict()
    del counts["errors"]
    append(
        session,
        load_key(ws),
        AuditEvent(
            actor=actor[:128],
            action="kb.import",
            object_type="knowledge_base",
            object_id=report.source[:64],
            details=counts,
        ),
    )


# -- reads ------------------------------------------------------------------------------


class Reviewable(Protocol):
    @property
    def status(self) -> str: ...

    @property
    def reviewed_at(self) -> datetime | None: ...


def is_stale(article: Reviewable, window_days: int, now: datetime) -> bool:
    """An approved article not reviewed within `window_days` of `now` (or never reviewed).

    Drafts and archived articles are never used for answers, so never stale.
    """
    if article.status != ArticleStatus.approved:
        return False
    return article.reviewed_at is None or article.reviewed_at < now - timedelta(days=window_days)


def review_window_days(ws: Workspace) -> int:
    """`knowledge.review_window_days` of the config in force."""
    from casework.config.versions import active_config

    return active_config(ws)[1].knowledge.review_window_days


def approved_articles(session: Session) -> list[ArticleRow]:
    """The only articles an answer, a draft or a search for customers may use."""
    query = select(ArticleRow).where(ArticleRow.status == ArticleStatus.approved.value)
    return list(session.scalars(query.order_by(ArticleRow.id)))


def list_articles(session: Session, status: ArticleStatus | None = None) -> list[ArticleRow]:
    query = select(ArticleRow).order_by(ArticleRow.source, ArticleRow.external_id)
    if status is not None:
        query = query.where(ArticleRow.status == status.value)
    return list(session.scalars(query))


def find_article(session: Session, ref: str) -> ArticleRow | None:
    """By casework id, by `source:external_id`, or by an external id used by one source only."""
    if ref.isdigit() and (row := session.get(ArticleRow, int(ref))) is not None:
        return row
    source, sep, external_id = ref.partition(":")
    if sep:
        row = session.scalar(
            select(ArticleRow).where(
                ArticleRow.source == source, ArticleRow.external_id == external_id
            )
        )
        if row is not None:
            return row
    rows = session.scalars(select(ArticleRow).where(ArticleRow.external_id == ref)).all()
    return rows[0] if len(rows) == 1 else None


def article_history(session: Session, article_id: int) -> list[ArticleVersionRow]:
    """Every stored version of an article, oldest first."""
    query = select(ArticleVersionRow).where(ArticleVersionRow.article_id == article_id)
    return list(session.scalars(query.order_by(ArticleVersionRow.version)))


def describe(row: ArticleRow, window_days: int, now: datetime) -> dict[str, Any]:
    """An article's listing fields, as the CLI and API print them."""
    return {
        "id": row.id,
        "source": row.source,
        "external_id": row.external_id,
        "title": row.title,
        "status": row.status,
        "version": row.version,
        "owner": row.owner,
        "language": row.language,
        "tags": list(row.tags),
        "updated_at": row.updated_at.isoformat(),
        "reviewed_at": row.reviewed_at.isoformat() if row.reviewed_at else None,
        "stale": is_stale(row, window_days, now),
    }


def describe_history(versions: Sequence[ArticleVersionRow]) -> list[dict[str, Any]]:
    return [
        {
            "version": v.version,
            "title": v.title,
            "status": v.status,
            "content_hash": v.content_hash,
            "stored_at": v.created_at.isoformat(),
            "body": v.body,
        }
        for v in versions
    ]
