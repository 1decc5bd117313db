"""The review queue and its one-click verdicts: accept or override a route, approve, edit
or reject a draft, rate a suggestion.

Every verdict calls `casework.routing.review` with the API's audit hook
(`Caller.audit_hook`) and write-back hook, so a click here is recorded exactly as
`POST /routes/{id}/accept` or `POST /drafts/{id}/review` would record it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Form, Query, Request
from starlette.responses import Response

from casework.config.versions import active_config
from casework.routing import review
from casework.web.deps import PREFIX, Viewer, need, need_form, safe_next
from casework.web.pages import NavItem, redirect, register_nav, render
from casework.web.review_queue import QueueFilter, filter_choices, waiting_page
from casework.writeback import enqueue_decision, enqueue_draft

router = APIRouter()
NAV = register_nav(NavItem("/review", "Review queue", "tickets:read", order=10))
Reader = Annotated[Viewer, Depends(need("tickets:read"))]
Reviewer = Annotated[Viewer, Depends(need_form("review:write"))]
NextField = Annotated[str, Form()]
Text = Annotated[str | None, Query(max_length=128)]


@router.get("/review")
def review_queue(
    request: Request,
    who: Reader,
    queue: Text = None,
    intent: Text = None,
    sentiment: Text = None,
    kind: Annotated[str | None, Query(pattern="^(draft|escalation|route)?$")] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    from casework.api.views import Shown

    flt = QueueFilter(queue or None, intent or None, sentiment or None, kind or None, page)
    shown = Shown(who.may("tickets:raw"))
    with who.ws.session() as s:
        found = waiting_page(s, flt)
        choices = filter_choices(s)
        items = [
            {
                "item": item,
                "subject": shown(item.subject),
                "draft_text": shown(item.draft.text) if item.draft else None,
            }
            for item in found.items
        ]
    queues = [q.key for q in active_config(who.ws)[1].queues]
    return render(
        request,
        who,
        "review.html",
        title="Review queue",
        page=found,
        items=items,
        flt=flt,
        choices=choices,
        queues=queues,
        here=str(request.url.path) + (f"?{request.url.query}" if request.url.query else ""),
        may_review=who.may("review:write"),
        raw=shown.raw,
    )


def _done(who: Viewer, next_url: str, run: Callable[[], None], message: str) -> Response:
    """Run a verdict; back to where it was given, with what happened or why it could not."""
    back = safe_next(next_url, PREFIX + "/review")
    try:
        run()
    except review.ReviewError as exc:
        return redirect(who, back, error=str(exc))
    return redirect(who, back, flash=message)


@router.post("/routes/{decision_id}/accept")
def accept(decision_id: int, who: Reviewer, next: NextField = "") -> Response:
    caller = who.caller

    def run() -> None:
        with who.ws.session() as s:
            hook = caller.audit_hook("routing_decision")
            review.accept(s, decision_id, caller.actor, hook, enqueue_decision)

    return _done(who, next, run, f"Route {decision_id} accepted.")


@router.post("/routes/{decision_id}/override")
def override(
    decision_id: int,
    who: Reviewer,
    queue: Annotated[str, Form(max_length=128)] = "",
    next: NextField = "",
) -> Response:
    caller = who.caller
    known = {q.key for q in active_config(who.ws)[1].queues}

    def run() -> None:
        with who.ws.session() as s:
            hook = caller.audit_hook("routing_decision")
            review.override(s, decision_id, caller.actor, queue, known, hook, enqueue_decision)

    return _done(who, next, run, f"Route {decision_id} overridden to {queue}.")


@router.post("/routes/{decision_id}/feedback")
def feedback(
    decision_id: int,
    who: Reviewer,
    rating: Annotated[str, Form(max_length=16)] = "",
    comment: Annotated[str | None, Form(max_length=5000)] = None,
    next: NextField = "",
) -> Response:
    caller = who.caller

    def run() -> None:
        with who.ws.session() as s:
            hook = caller.audit_hook("routing_decision")
            review.give_feedback(
                s, "routing", decision_id, rating, caller.actor, comment or None, hook
            )

    return _done(who, next, run, f"Feedback '{rating}' recorded on route {decision_id}.")


@router.post("/drafts/{draft_id}/review")
def review_draft(
    draft_id: int,
    who: Reviewer,
    action: Annotated[Literal["approve", "edit", "reject"], Form()],
    text: Annotated[str | None, Form(max_length=50_000)] = None,
    next: NextField = "",
) -> Response:
    caller = who.caller

    def run() -> None:
        with who.ws.session() as s:
            review.review_draft(
                s,
                draft_id,
                caller.actor,
                action,
                text if action == "edit" else None,
                caller.audit_hook("draft"),
                enqueue_draft,
            )

    verb = {"approve": "approved", "edit": "approved with edits", "reject": "rejected"}[action]
    return _done(who, next, run, f"Draft {draft_id} {verb}.")
