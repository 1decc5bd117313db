"""Knowledge-base search and self-service answers."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from casework.api.deps import Caller, require

router = APIRouter(tags=["knowledge"])


class AnswerIn(BaseModel):
    question: str = Field(min_length=1, max_length=10_000)
    email: str | None = Field(
        default=None,
        max_length=320,
        pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
        description="Where a person replies if the question is handed over.",
    )


@router.get("/kb/search")
def kb_search(
    caller: Annotated[Caller, Depends(require("kb:read"))],
    q: Annotated[str, Query(min_length=1, max_length=2_000, description="The question.")],
    k: Annotated[int, Query(ge=1, le=20)] = 5,
) -> dict[str, Any]:
    """The `k` best approved articles for `q`, each with its best passage and ranks."""
    from casework.knowledge.index_store import workspace_retriever

    hits = workspace_retriever(caller.ws, fallback="static").search(q, k)
    return {"query": q, "hits": [vars(hit) for hit in hits]}


@router.post("/answer")
def answer(
    body: AnswerIn, caller: Annotated[Caller, Depends(require("answer:write"))]
) -> dict[str, Any]:
    """An answer with citations when automation allows it, else a hand-off ticket."""
    from casework.knowledge.self_service import SelfService

    result = SelfService.for_workspace(caller.ws).answer(body.question, body.email)
    ref = result.ticket_reference or "-"
    caller.record("api.answer", "question", ref, {"kind": result.kind, "intent": result.intent})
    return result.to_dict()


@router.get("/kb/articles")
def list_articles(
    caller: Annotated[Caller, Depends(require("kb:read"))],
    status: Annotated[str | None, Query(pattern="^(draft|approved|archived)$")] = None,
) -> dict[str, Any]:
    """Articles with status, version, owner, last review and whether they are stale."""
    from datetime import UTC, datetime

    from casework.domain import ArticleStatus
    from casework.knowledge import articles as kb

    window = kb.review_window_days(caller.ws)
    now = datetime.now(UTC)
    with caller.ws.session() as s:
        rows = kb.list_articles(s, ArticleStatus(status) if status else None)
        return {
            "articles": [
                {
                    "id": a.id,
                    "external_id": a.external_id,
                    "title": a.title,
                    "status": a.status,
                    "version": a.version,
                    "owner": a.owner,
                    "reviewed_at": a.reviewed_at.isoformat() if a.reviewed_at else None,
                    "stale": kb.is_stale(a, window, now),
                }
                for a in rows
            ]
        }
