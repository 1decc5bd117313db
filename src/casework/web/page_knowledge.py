"""Knowledge: articles with status and staleness, knowledge gaps ranked with their draft
articles, and approve-to-publish.

Gap analysis scores every ticket against the knowledge base (~20 s per 5,000 tickets
on two cores), too slow for a page view: a person starts it with a button, and the
ranked result is kept in the workspace (`dashboard/gaps.json`) until the next run.
Its draft articles are stored as articles with status `draft`, which the approve
button publishes (`casework.knowledge.publish.approve_article`).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from starlette.responses import Response

from casework.api.deps import MAX_ID
from casework.knowledge import articles as kb
from casework.web.deps import PREFIX, Viewer, need, need_form
from casework.web.pages import NavItem, redirect, register_nav, render
from casework.workspace import Workspace

router = APIRouter()
NAV = register_nav(NavItem("/knowledge", "Knowledge", "kb:read", order=30))
Reader = Annotated[Viewer, Depends(need("kb:read"))]
Writer = Annotated[Viewer, Depends(need_form("kb:write"))]
ArticleId = Annotated[int, Path(ge=1, le=MAX_ID)]


def gaps_file(ws: Workspace) -> Any:
    return ws.path / "dashboard" / "gaps.json"


def load_gaps(ws: Workspace) -> dict[str, Any] | None:
    path = gaps_file(ws)
    if not path.exists():
        return None
    found: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return found


@router.get("/knowledge")
def knowledge_page(request: Request, who: Reader) -> Response:
    window = kb.review_window_days(who.ws)
    now = datetime.now(UTC)
    with who.ws.session() as s:
        articles = [kb.describe(row, window, now) for row in kb.list_articles(s)]
        ids = {(a["source"], a["external_id"]): a for a in articles}
    gaps = load_gaps(who.ws)
    for gap in (gaps or {}).get("gaps", []):
        ref = ("casework-gaps", gap.get("article_external_id"))
        gap["article"] = ids.get(ref)
    counts = {s: sum(a["status"] == s for a in articles) for s in ("approved", "draft", "archived")}
    return render(
        request,
        who,
        "knowledge.html",
        title="Knowledge",
        articles=articles,
        counts=counts,
        stale=sum(a["stale"] for a in articles),
        window=window,
        gaps=gaps,
        may_write=who.may("kb:write"),
    )


@router.get("/knowledge/articles/{article_id}")
def article_page(request: Request, article_id: ArticleId, who: Reader) -> Response:
    window = kb.review_window_days(who.ws)
    with who.ws.session() as s:
        from casework.store.tables import ArticleRow

        row = s.get(ArticleRow, article_id)
        if row is None:
            return render(
                request, who, "error.html", 404, title="No such article",
                message=f"There is no article with id {article_id}.",
            )  # fmt: skip
        article = {**kb.describe(row, window, datetime.now(UTC)), "body": row.body}
        history = kb.describe_history(kb.article_history(s, article_id))
    return render(
        request,
        who,
        "article.html",
        title=article["title"],
        a=article,
        history=history,
        may_write=who.may("kb:write"),
    )


@router.post("/knowledge/articles/{article_id}/approve")
def approve(article_id: ArticleId, who: Writer) -> Response:
    from casework.knowledge.publish import PublishError, approve_article

    back = f"{PREFIX}/knowledge/articles/{article_id}"
    try:
        _, version = approve_article(who.ws, article_id, who.caller.actor)
    except PublishError as exc:
        return redirect(who, back, error=str(exc))
    return redirect(who, back, flash=f"Article {article_id} approved and published (v{version}).")


@router.post("/knowledge/gaps")
def run_gaps(who: Writer) -> Response:
    """Find gaps now and store their draft articles (never approved here)."""
    from casework.insights.gaps import find_gaps
    from casework.knowledge.index_store import workspace_retriever

    retriever = workspace_retriever(who.ws)
    with who.ws.session() as s:
        gaps, threshold = find_gaps(s, retriever, None, draft_articles=True)
    result = {
        "computed_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "threshold": threshold,
        "gaps": [g.to_dict() for g in gaps],
    }
    path = gaps_file(who.ws)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=1), encoding="utf-8")
    who.caller.record("dashboard.gaps", "knowledge", "gaps", {"gaps": len(gaps)})
    return redirect(who, PREFIX + "/knowledge#gaps", flash=f"{len(gaps)} knowledge gaps found.")
