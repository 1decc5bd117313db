"""Quality: QA scores per agent and criterion, coaching examples, calibration agreement.

Calls `casework.qa.coaching.summarise`, `casework.qa.coach.coaching_report` and
`casework.qa.calibration.calibrate` (the functions behind `casework qa summary`,
`qa report` and `qa calibrate`). Calibration reads the human reviews file the
workspace holds (`qa-reviews.csv`, which `casework demo` writes). Quoted evidence is
customers' words, so roles without `tickets:raw` see it redacted.
"""

from __future__ import annotations

import copy
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy import select
from starlette.responses import Response

from casework.api.views import Shown
from casework.store.tables import TicketRow
from casework.web.deps import Viewer, need
from casework.web.memo import fingerprint, remember
from casework.web.pages import NavItem, register_nav, render

router = APIRouter()
NAV = register_nav(NavItem("/quality", "Quality", "insights:read", order=40))
Reader = Annotated[Viewer, Depends(need("insights:read"))]
REVIEWS_FILE = "qa-reviews.csv"


def _ticket_ids(who: Viewer, external_ids: set[str]) -> dict[str, int]:
    if not external_ids:
        return {}
    with who.ws.session() as s:
        rows = s.execute(
            select(TicketRow.external_id, TicketRow.id).where(
                TicketRow.external_id.in_(sorted(external_ids))
            )
        )
        return {ext: tid for ext, tid in rows}


@router.get("/quality")
def quality_page(request: Request, who: Reader) -> Response:
    from casework.qa.calibration import ReviewsError, calibrate
    from casework.qa.coach import coaching_report
    from casework.qa.coaching import summarise

    def analyse() -> tuple[str, list[Any], Any, Any, str | None]:
        version, agents = summarise(who.ws, None, 0)
        calibration: Any = None
        problem = None
        reviews = who.ws.path / REVIEWS_FILE
        if reviews.exists():
            try:
                calibration = calibrate(who.ws, reviews)
            except ReviewsError as exc:
                problem = "; ".join(str(p) for p in exc.problems[:3])
        return version, agents, coaching_report(who.ws), calibration, problem

    current = fingerprint(who.ws, (REVIEWS_FILE,))
    version, agents, kept, calibration, problem = remember(
        request.app.state, "quality", None, current, analyse
    )
    coaching = copy.deepcopy(kept)  # quotes are redacted per role below
    shown = Shown(who.may("tickets:raw"))
    examples: set[str] = set()
    for group in coaching.groups:
        for weak in group.weakest:
            for ex in weak.examples:
                examples.add(ex["ticket"])
                for ev in ex["evidence"]:
                    ev["quote"] = shown(ev.get("quote") or "")
    criteria = sorted({c for a in agents for c in a.criteria})
    return render(
        request,
        who,
        "quality.html",
        title="Quality",
        version=version,
        agents=agents,
        criteria=criteria,
        coaching=coaching,
        links=_ticket_ids(who, examples),
        calibration=calibration,
        calibration_problem=problem,
        reviews_file=REVIEWS_FILE,
    )
