"""One ticket and its decision trail: conversation, triage, routes, drafts, audit events.

The data is `casework.api.views.ticket_detail` — the same dictionary `GET /tickets/{id}`
returns, masked the same way for roles without `tickets:raw` — so the page and the API
can never disagree about what a role may see.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from starlette.responses import Response

from casework.api.deps import MAX_ID
from casework.api.views import Shown, ticket_detail
from casework.config.versions import active_config
from casework.store import repository as repo
from casework.store.trail import ticket_trail
from casework.web.deps import Viewer, need
from casework.web.pages import render

router = APIRouter()
Reader = Annotated[Viewer, Depends(need("tickets:read"))]


@router.get("/tickets/{ticket_id}")
def ticket_page(
    request: Request, ticket_id: Annotated[int, Path(ge=1, le=MAX_ID)], who: Reader
) -> Response:
    shown = Shown(who.may("tickets:raw"))
    with who.ws.session() as s:
        ticket = repo.get_ticket(s, ticket_id)
        if ticket is None:
            return render(
                request, who, "error.html", 404, title="No such ticket",
                message=f"There is no ticket with id {ticket_id}.",
            )  # fmt: skip
        detail = ticket_detail(
            ticket, repo.latest_triage(s, ticket_id), ticket_trail(s, ticket_id), shown
        )
    for decision in detail["routing_decisions"]:
        decision["summary"] = shown(decision["summary"])  # already redacted text; belt and braces
    queues = [q.key for q in active_config(who.ws)[1].queues]
    return render(
        request,
        who,
        "ticket.html",
        title=f"Ticket {ticket_id}",
        t=detail,
        queues=queues,
        may_review=who.may("review:write"),
        here=str(request.url.path),
    )
