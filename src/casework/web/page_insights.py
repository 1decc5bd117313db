"""Insights: this week's top issues against last week, spike and emerging-topic alerts with
example tickets, and weekly volume per topic, intent and queue.

Everything comes from `casework.insights.topics.top_topics` and
`casework.insights.trends` (`find_alerts`, `daily_counts`), the functions behind
`GET /insights/topics`, `GET /insights/spikes` and `casework insights …`; the result is
kept until the data changes (`casework.web.memo`).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from markupsafe import Markup
from starlette.responses import Response

from casework.insights.report_sections import topic_labels
from casework.insights.topics import top_topics
from casework.insights.trends import Alert, daily_counts, find_alerts, iso_week, weekly_counts
from casework.web.charts import line_chart
from casework.web.deps import Viewer, need
from casework.web.memo import fingerprint, remember
from casework.web.pages import NavItem, register_nav, render
from casework.workspace import Workspace

router = APIRouter()
NAV = register_nav(NavItem("/insights", "Insights", "insights:read", order=20))
Reader = Annotated[Viewer, Depends(need("insights:read"))]
SERIES_PER_CHART = 6
ALERTS_SHOWN = 12


def series_name(kind: str, key: str, labels: dict[str, str]) -> str:
    return labels.get(key, f"topic {key}") if kind == "topic" else key


def volume_charts(
    counts: dict[tuple[str, str], dict[date, int]], alerts: list[Alert], labels: dict[str, str]
) -> list[Markup]:
    """One line chart per series kind: its busiest series, week by week, alert weeks shaded."""
    weekly = {series: weekly_counts(days) for series, days in counts.items()}
    mondays = sorted({m for weeks in weekly.values() for m in weeks})
    if not mondays:
        return []
    span = [
        mondays[0] + timedelta(weeks=i) for i in range((mondays[-1] - mondays[0]).days // 7 + 1)
    ]
    labels_w = [iso_week(m) for m in span]
    charts = []
    for kind, title in (("topic", "Topics"), ("intent", "Intents"), ("queue", "Queues")):
        mine = {key: w for (k, key), w in weekly.items() if k == kind}
        busiest = sorted(mine, key=lambda key: -sum(mine[key].values()))[:SERIES_PER_CHART]
        series = [
            (series_name(kind, key, labels), [mine[key].get(m, 0) for m in span]) for key in busiest
        ]
        marked = sorted({iso_week(a.start - timedelta(days=a.start.weekday()))
                         for a in alerts if a.series_kind == kind})  # fmt: skip
        if series:
            svg = line_chart(f"{title}: tickets per week", labels_w, series, marked)
            charts.append(Markup(svg))  # built with html.escape on every label
    return charts


def _analyse(ws: Workspace) -> tuple[dict[str, str], list[Any], list[Alert], list[Markup]]:
    labels = topic_labels(ws)
    topics = top_topics(ws, limit=10)
    with ws.session() as s:
        alerts = find_alerts(s, None)
        counts = daily_counts(s)
    return labels, topics, alerts, volume_charts(counts, alerts, labels)


@router.get("/insights")
def insights_page(request: Request, who: Reader) -> Response:
    labels, topics, alerts, charts = remember(
        request.app.state, "insights", None, fingerprint(who.ws), lambda: _analyse(who.ws)
    )
    shown_alerts = [
        {"a": a, "name": series_name(a.series_kind, a.series_key, labels)}
        for a in alerts[:ALERTS_SHOWN]
    ]
    return render(
        request,
        who,
        "insights.html",
        title="Insights",
        topics=topics,
        alerts=shown_alerts,
        alert_total=len(alerts),
        charts=charts,
    )
