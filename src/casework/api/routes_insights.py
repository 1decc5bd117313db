"""Insights: recurring topics, spikes, and the weekly report as Markdown."""

from __future__ import annotations

import re
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import PlainTextResponse

from casework.api.deps import Caller, require
from casework.api.errors import ApiError

router = APIRouter(tags=["insights"])
Reader = Annotated[Caller, Depends(require("insights:read"))]
WEEK = r"^\d{4}-[Ww]\d{1,2}$"
_UNITS = {"h": "hours", "d": "days", "w": "weeks"}


def parse_period(text: str, field: str = "since") -> timedelta:
    """`7d`, `12h`, `4w` → a timedelta; 422 naming the field otherwise."""
    match = re.fullmatch(r"(\d{1,4})([hdw])", text.strip().lower())
    if not match or int(match[1]) < 1:
        raise ApiError(422, f"expected a period such as 7d, 12h or 4w, got {text!r}", field)
    return timedelta(**{_UNITS[match[2]]: int(match[1])})


@router.get("/insights/topics")
def topics(
    caller: Reader,
    since: Annotated[str, Query(description="Period ending at the newest ticket: 7d, 4w…")] = "7d",
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> dict[str, Any]:
    """Top recurring topics in the period, with the change against the period before."""
    from sqlalchemy import func, select

    from casework.insights.topics import top_topics
    from casework.store.tables import TicketRow

    length = parse_period(since)
    with caller.ws.session() as session:
        newest = session.scalar(select(func.max(TicketRow.created_at)))
    until = (newest or datetime.now(UTC)) + timedelta(microseconds=1)
    rows = top_topics(caller.ws, until - length, until, limit)
    return {"since": (until - length).isoformat(), "topics": [asdict(r) for r in rows]}


def _week(week: str | None) -> None:
    from casework.insights.trends import parse_iso_week

    if week is not None:
        try:
            parse_iso_week(week.upper())
        except ValueError as exc:
            raise ApiError(422, str(exc), "week") from exc


@router.get("/insights/spikes")
def spikes(
    caller: Reader,
    week: Annotated[str | None, Query(pattern=WEEK, examples=["2026-W09"])] = None,
) -> dict[str, Any]:
    """Spikes and emerging series (of one ISO week if given), strongest first, with evidence."""
    from casework.insights.trends import find_alerts

    _week(week)
    with caller.ws.session() as session:
        alerts = find_alerts(session, week.upper() if week else None)
        return {"week": week, "alerts": [a.to_dict() for a in alerts]}


@router.get("/reports/weekly", response_class=PlainTextResponse)
def weekly_report(
    caller: Reader,
    week: Annotated[str | None, Query(pattern=WEEK, examples=["2026-W09"])] = None,
) -> PlainTextResponse:
    """The weekly report as Markdown (default: the newest ticket's week)."""
    from casework.insights.report import build_weekly_report, to_markdown

    _week(week)
    try:
        report = build_weekly_report(caller.ws, week.upper() if week else None)
    except ValueError as exc:
        raise ApiError(422, str(exc), "week") from exc
    return PlainTextResponse(to_markdown(report), media_type="text/markdown; charset=utf-8")


@router.get("/metrics")
def metrics(
    caller: Reader,
    week: Annotated[str | None, Query(pattern=WEEK, examples=["2026-W09"])] = None,
) -> dict[str, Any]:
    """Every metric for one ISO week (default: the newest), overall and per queue, intent,
    channel and agent: medians and 90th percentiles, calendar and business minutes."""
    from casework.insights.report import build_weekly_report

    _week(week)
    try:
        report = build_weekly_report(caller.ws, week.upper() if week else None)
    except ValueError as exc:
        raise ApiError(422, str(exc), "week") from exc
    return {"week": report.week, "metrics": report.metrics.to_dict()}
