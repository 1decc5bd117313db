"""Jobs: the workers' queue per state with rates, and the dead-letter list with retry.

The same calls as `casework jobs status` and `casework jobs retry`
(`casework.jobs.status`). Reading needs `jobs:read`; retrying a dead letter needs
`process:run`, as `POST /jobs/dead-letters/{id}/retry` does, and is audited as the
signed-in key.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from starlette.responses import Response

from casework.api.deps import MAX_ID
from casework.web.deps import PREFIX, Viewer, need, need_form
from casework.web.pages import NavItem, redirect, register_nav, render

router = APIRouter()
NAV = register_nav(NavItem("/jobs", "Jobs", "jobs:read", order=85))
Reader = Annotated[Viewer, Depends(need("jobs:read"))]
Runner = Annotated[Viewer, Depends(need_form("process:run"))]


@router.get("/jobs")
def jobs_page(request: Request, who: Reader) -> Response:
    from casework.jobs.outbox import STATES
    from casework.jobs.settings import broker_configured
    from casework.jobs.status import status

    data = status(who.ws, dead_limit=100)
    return render(
        request,
        who,
        "jobs.html",
        title="Jobs",
        data=data,
        states=STATES,
        workers=broker_configured(),
        can_retry=who.may("process:run"),
    )


@router.post("/jobs/dead-letters/{dead_letter_id}/retry")
def retry_page(dead_letter_id: Annotated[int, Path(ge=1, le=MAX_ID)], who: Runner) -> Response:
    from casework.jobs.status import retry

    try:
        [item] = retry(who.ws, [dead_letter_id])
    except ValueError as exc:
        return redirect(who, PREFIX + "/jobs", error=str(exc))
    who.caller.record("jobs.retry", "dead_letter", str(dead_letter_id), item)
    return redirect(
        who,
        PREFIX + "/jobs",
        flash=f"Dead letter {dead_letter_id} queued again as job {item['job_id']}.",
    )
