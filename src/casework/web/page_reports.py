"""Metrics and reports: the week's metrics (medians, 90th percentiles, SLA breaches), the
weekly report as `casework report weekly --format html` renders it, and a pilot
comparison of two periods with bootstrap intervals (`casework report compare`).

The report is shown in a sandboxed `<iframe srcdoc>`: it is a complete page of its
own (inline SVG charts, its own styles), and the sandbox keeps it from running
anything. Knowledge gaps are left out of the in-page report (they take ~20 s per
5,000 tickets; the Knowledge page runs them on request).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from casework.web.deps import Viewer, need
from casework.web.memo import fingerprint, remember
from casework.web.pages import NavItem, register_nav, render

router = APIRouter()
NAV = register_nav(NavItem("/reports", "Metrics & reports", "insights:read", order=50))
Reader = Annotated[Viewer, Depends(need("insights:read"))]
WEEK = r"^\d{4}-[Ww]\d{1,2}$"
RANGE = r"^\d{4}-\d{2}-\d{2}\.\.\d{4}-\d{2}-\d{2}$"


def _default_ranges(end: datetime) -> tuple[str, str]:
    """Four weeks before against the last four weeks, ending at the newest ticket's week."""
    monday = (end - timedelta(days=end.weekday())).date()
    after = (monday - timedelta(weeks=4), monday)
    before = (monday - timedelta(weeks=8), monday - timedelta(weeks=4))
    return tuple(f"{a.isoformat()}..{b.isoformat()}" for a, b in (before, after))  # type: ignore[return-value]


@router.get("/reports")
def reports_page(
    request: Request,
    who: Reader,
    week: Annotated[str | None, Query(pattern=WEEK)] = None,
    before: Annotated[str | None, Query(pattern=RANGE)] = None,
    after: Annotated[str | None, Query(pattern=RANGE)] = None,
) -> Response:
    from casework.insights.compare import compare_periods, parse_range
    from casework.insights.report import (
        METRIC_HEADER,
        build_weekly_report,
        latest_week,
        metric_rows,
        parse_week,
        to_html,
        week_label,
    )
    from casework.insights.report_sections import default_providers

    error = None
    chosen = week.upper() if week else latest_week(who.ws)
    providers = {k: v for k, v in default_providers().items() if k != "gaps"}

    def build() -> tuple[Any, str]:
        report = build_weekly_report(who.ws, chosen, providers)
        return report, to_html(report)

    try:
        report, report_html = remember(
            request.app.state, "report", chosen, fingerprint(who.ws), build
        )
    except ValueError as exc:
        return render(request, who, "error.html", 422, title="Bad week", message=str(exc))
    default_before, default_after = _default_ranges(report.start)
    comparison = None
    if before and after:
        try:
            comparison = compare_periods(who.ws, parse_range(before), parse_range(after))
        except ValueError as exc:
            error = str(exc)
    newest = parse_week(latest_week(who.ws))
    weeks = [week_label(newest - timedelta(weeks=i)) for i in range(12)]
    return render(
        request,
        who,
        "reports.html",
        title="Metrics & reports",
        report=report,
        header=METRIC_HEADER,
        rows=metric_rows(report),
        report_html=report_html,
        weeks=weeks,
        before=before or default_before,
        after=after or default_after,
        comparison=comparison,
        compare_error=error,
        generated=datetime.now(UTC),
    )
