"""Approve a draft article so it is published: searched, cited and answered from.

Gap analysis (`casework.insights.gaps`) only ever writes drafts; a person approves
one here. Approval goes through `upsert_articles`, so the status change is a new
version with a history row (citations name (article, version), and "approved" is
content), and it is written to the audit log in the same transaction. The search
index picks the article up on its next use (`knowledge.index_store` indexes
approved articles by id and version).
"""

from __future__ import annotations

from datetime import UTC, datetime

from casework.audit import AuditEvent, append, load_key
from casework.domain import Article, ArticleStatus
from casework.store.repository import upsert_articles
from casework.store.tables import ArticleRow
from casework.workspace import Workspace


class PublishError(ValueError):
    """The article does not exist or is not a draft."""


def approve_article(ws: Workspace, article_id: int, actor: str) -> tuple[int, int]:
    """Publish draft `article_id`; returns (article id, new version)."""
    now = datetime.now(UTC)
    with ws.session() as session:
        row = session.get(ArticleRow, article_id)
        if row is None:
            raise PublishError(f"no article with id {article_id}")
        if row.status != ArticleStatus.draft.value:
            raise PublishError(f"article {article_id} is {row.status}, not a draft")
        article = Article(
            source=row.source,
            external_id=row.external_id,
            title=row.title,
            body=row.body,
            tags=list(row.tags),
            owner=row.owner,
            status=ArticleStatus.approved,
            language=row.language,
            created_at=row.created_at,
            updated_at=now,
            reviewed_at=now,
        )
        upsert_articles(session, [article])
        session.refresh(row)
        append(
            session,
            load_key(ws),
            AuditEvent(
                actor=actor[:128],
                action="kb.article.approve",
                object_type="article",
                object_id=str(row.id),
                details={"version": row.version, "external_id": row.external_id[:64]},
            ),
        )
        return row.id, row.version
