"""The weekly report: what a support lead reads on Monday, as Markdown or self-contained HTML.

Volumes and their change against the previous week, the operational metrics
(defined in `casework.insights.metrics`), per-queue volumes and the top
intents, with charts drawn as inline SVG so the HTML needs no plotting library
and no files beside it. Topics, spikes, knowledge gaps and the lead's
decisions come from other analyses: they plug into named slots
(`SECTION_SLOTS`) through `providers`, and a slot nobody filled says so
instead of showing made-up figures.
"""

from __future__ import annotations

import html
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from casework.insights.metrics import TICKET_METRICS, MetricsResult, compute_metrics
from casework.privacy.egress import guard_text
from casework.store.tables import TicketRow

if TYPE_CHECKING:
    from casework import Workspace

SECTION_SLOTS: dict[str, str] = {
    "topics": "Top recurring issues",
    "spikes": "Spikes and emerging topics",
    "gaps": "Knowledge gaps",
    "qa": "Quality assurance",
    "helpdesk_metrics": "Helpdesk metrics (Zendesk definitions)",
    "transparency": "Who wrote to customers",
    "decisions": "Decisions for this week",
}
REPORT_DIMS = ("queue", "intent", "channel", "day")
TOP_INTENTS = 10


@dataclass(frozen=True)
class ReportSection:
    """A section another analysis contributes: its own Markdown and HTML."""

    title: str
    markdown: str
    html: str


SectionProvider = Callable[["Workspace", datetime, datetime], ReportSection]


@dataclass(frozen=True)
class VolumeRow:
    key: str
    count: int
    previous: int

    @property
    def change(self) -> float | None:
        return (self.count - self.previous) / self.previous if self.previous else None


@dataclass
class Report:
    week: str
    start: datetime
    end: datetime
    metrics: MetricsResult
    previous: MetricsResult
    queues: list[VolumeRow]
    intents: list[VolumeRow]
    daily: list[tuple[str, int]]
    sections: dict[str, ReportSection | None] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def volume(self) -> VolumeRow:
        return VolumeRow("all", self.metrics.overall.created, self.previous.overall.created)

    @property
    def backlog(self) -> VolumeRow:
        return VolumeRow(
            "backlog", sum(self.metrics.backlog.values()), sum(self.previous.backlog.values())
        )


def parse_week(week: str) -> datetime:
    """`2026-W09` → Monday 00:00 UTC of that ISO week."""
    try:
        year, number = week.upper().split("-W")
        monday = date.fromisocalendar(int(year), int(number), 1)
    except ValueError:
        raise ValueError(f"bad week {week!r}; expected an ISO week such as 2026-W09") from None
    return datetime(monday.year, monday.month, monday.day, tzinfo=UTC)


def week_label(moment: datetime) -> str:
    year, number, _ = moment.isocalendar()
    return f"{year}-W{number:02d}"


def latest_week(ws: Workspace) -> str:
    """The ISO week of the newest ticket: the default report week."""
    with ws.session() as session:
        newest = session.scalar(select(func.max(TicketRow.created_at)))
    return week_label(newest or datetime.now(UTC))


def _volumes(now: MetricsResult, before: MetricsResult, dim: str) -> list[VolumeRow]:
    keys = set(now.groups.get(dim, {})) | set(before.groups.get(dim, {}))
    rows = [
        VolumeRow(
            key,
            now.groups.get(dim, {}).get(key, _EMPTY).created,
            before.groups.get(dim, {}).get(key, _EMPTY).created,
        )
        for key in keys
    ]
    return sorted(rows, key=lambda r: (-r.count, -r.previous, r.key))


class _Empty:
    created = 0


_EMPTY = _Empty()


def build_weekly_report(
    ws: Workspace, week: str | None = None, providers: Mapping[str, SectionProvider] | None = None
) -> Report:
    """Compute the report for ISO `week` (default: the newest ticket's week) and its previous."""
    started = time.perf_counter()
    week = week or latest_week(ws)
    start = parse_week(week)
    end = start + timedelta(days=7)
    current = compute_metrics(ws, start, end, dims=REPORT_DIMS)
    previous = compute_metrics(ws, start - timedelta(days=7), start, dims=("queue", "intent"))
    days = [(start + timedelta(days=i)).date().isoformat() for i in range(7)]
    by_day = current.groups.get("day", {})
    sections: dict[str, ReportSection | None] = {}
    for slot in SECTION_SLOTS:
        provider = (providers or {}).get(slot)
        sections[slot] = provider(ws, start, end) if provider else None
    return Report(
        week=week_label(start),
        start=start,
        end=end,
        metrics=current,
        previous=previous,
        queues=[r for r in _volumes(current, previous, "queue") if r.count or r.previous],
        intents=_volumes(current, previous, "intent")[:TOP_INTENTS],
        daily=[(d, by_day[d].created if d in by_day else 0) for d in days],
        sections=sections,
        seconds=time.perf_counter() - started,
    )


# -- formatting ------------------------------------------------------------------------


def fmt_minutes(minutes: float | None) -> str:
    if minutes is None:
        return "–"
    if minutes < 90:
        return f"{minutes:.0f} min"
    if minutes < 48 * 60:
        return f"{minutes / 60:.1f} h"
    return f"{minutes / 1440:.1f} d"


def fmt_change(row: VolumeRow) -> str:
    change = row.change
    if change is None:
        return "new" if row.count else "–"
    return f"{change:+.0%}"


def fmt_rate(numerator: int, denominator: int) -> str:
    if not denominator:
        return "–"
    return f"{numerator / denominator:.0%} ({numerator}/{denominator})"


def metric_rows(report: Report) -> list[list[str]]:
    """One row per metric: name, median and p90 (calendar, business), n, last week's median."""
    now, before = report.metrics.overall, report.previous.overall
    rows = []
    for metric in TICKET_METRICS:
        if metric.kind == "duration":
            cal = now.summaries.get(f"{metric.name}.calendar")
            bus = now.summaries.get(f"{metric.name}.business")
            prev = before.summaries.get(f"{metric.name}.calendar")
            rows.append(
                [
                    metric.name,
                    fmt_minutes(cal.median if cal else None),
                    fmt_minutes(cal.p90 if cal else None),
                    fmt_minutes(bus.median if bus else None),
                    fmt_minutes(bus.p90 if bus else None),
                    str(cal.n if cal else 0),
                    fmt_minutes(prev.median if prev else None),
                ]
            )
        elif metric.kind == "count":
            s, p = now.summaries.get(metric.name), before.summaries.get(metric.name)

            def num(v: float | None) -> str:
                return "–" if v is None else f"{v:g}"

            median, p90 = (s.median, s.p90) if s else (None, None)
            rows.append(
                [metric.name, num(median), num(p90), "", "", str(s.n if s else 0)]
                + [num(p.median if p else None)]
            )
        else:
            r, q = now.rates.get(metric.name), before.rates.get(metric.name)
            rows.append(
                [
                    metric.name,
                    fmt_rate(r.numerator, r.denominator) if r else "–",
                    "",
                    "",
                    "",
                    str(r.denominator if r else 0),
                    fmt_rate(q.numerator, q.denominator) if q else "–",
                ]
            )
    rows.append(
        ["backlog", str(report.backlog.count), "", "", "", "", str(report.backlog.previous)]
    )
    age, prev_age = report.metrics.queue_age.get("all"), report.previous.queue_age.get("all")

    def hours(v: float | None) -> str:
        return fmt_minutes(None if v is None else v * 60)

    rows.append(
        ["queue_age", hours(age.median if age else None), hours(age.p90 if age else None)]
        + ["", "", str(age.n if age else 0), hours(prev_age.median if prev_age else None)]
    )
    return rows


METRIC_HEADER = [
    "metric",
    "median / value",
    "p90",
    "median (business)",
    "p90 (business)",
    "n",
    "last week",
]


def _md_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def _volume_rows(rows: list[VolumeRow]) -> list[list[str]]:
    return [[r.key, str(r.count), str(r.previous), fmt_change(r)] for r in rows]


def _intro(report: Report) -> list[str]:
    v, overall = report.volume, report.metrics.overall
    return [
        f"Week {report.week}: {report.start:%Y-%m-%d} to "
        f"{report.end - timedelta(days=1):%Y-%m-%d} (UTC).",
        f"{v.count} tickets created ({fmt_change(v)} vs {v.previous} the week before), "
        f"{overall.solved} solved, {report.backlog.count} unsolved at the end of the week.",
    ]


def to_markdown(report: Report) -> str:
    """The report as Markdown; charts are left to the HTML form."""
    out = [f"# Weekly support report — {report.week}", "", *_intro(report), ""]
    out += ["## Metrics", "", _md_table(METRIC_HEADER, metric_rows(report)), ""]
    out += ["Definitions: docs/metrics.md.", ""]
    out += ["## Volume by queue", ""]
    out += [_md_table(["queue", "tickets", "last week", "change"], _volume_rows(report.queues))]
    out += ["", "## Top intents", ""]
    out += [_md_table(["intent", "tickets", "last week", "change"], _volume_rows(report.intents))]
    out += ["", "## Tickets per day", ""]
    out += [_md_table(["day", "tickets"], [[d, str(n)] for d, n in report.daily]), ""]
    for slot, title in SECTION_SLOTS.items():
        section = report.sections.get(slot)
        out += [f"<!-- slot:{slot} -->", f"## {section.title if section else title}", ""]
        out += [section.markdown if section else f"_Not in this report: no {slot} analysis is "
                "connected yet._", ""]  # fmt: skip
    out += [f"_Computed in {report.seconds:.2f} s._", ""]
    return guard_text("\n".join(out), "reports")  # the egress guard: no personal data out


# -- HTML and charts -------------------------------------------------------------------

COLORS = ("#2f6db5", "#b8c7dc")


def svg_bar_chart(
    title: str, labels: list[str], series: list[tuple[str, list[int]]], width: int = 640
) -> str:
    """Grouped vertical bars as a self-contained SVG string (no plotting library)."""
    height, left, bottom, top = 260, 40, 70, 30
    plot_w, plot_h = width - left - 10, height - top - bottom
    peak = max([v for _, values in series for v in values] + [1])
    slot = plot_w / max(len(labels), 1)
    bar = slot * 0.8 / max(len(series), 1)
    esc = html.escape
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'role="img" aria-label="{esc(title)}" font-family="sans-serif" font-size="11">',
        f"<title>{esc(title)}</title>",
        f'<text x="{left}" y="16" font-size="13" font-weight="bold">{esc(title)}</text>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 10}" y2="{top + plot_h}" '
        'stroke="#999"/>',
        f'<text x="{left - 4}" y="{top + 4}" text-anchor="end">{peak}</text>',
        f'<text x="{left - 4}" y="{top + plot_h}" text-anchor="end">0</text>',
    ]
    for i, label in enumerate(labels):
        x0 = left + i * slot + slot * 0.1
        for j, (name, values) in enumerate(series):
            h = values[i] / peak * plot_h
            x, y = x0 + j * bar, top + plot_h - h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar - 1:.1f}" height="{h:.1f}" '
                f'fill="{COLORS[j % len(COLORS)]}"><title>{esc(label)} · {esc(name)}: '
                f"{values[i]}</title></rect>"
            )
        cx = x0 + slot * 0.4
        parts.append(
            f'<text x="{cx:.1f}" y="{top + plot_h + 12}" text-anchor="end" '
            f'transform="rotate(-35 {cx:.1f} {top + plot_h + 12})">{esc(label[:22])}</text>'
        )
    for j, (name, _) in enumerate(series):
        x = width - 10 - (len(series) - j) * 110
        parts.append(f'<rect x="{x}" y="6" width="10" height="10" fill="{COLORS[j]}"/>')
        parts.append(f'<text x="{x + 14}" y="15">{esc(name)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _html_table(header: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


STYLE = (
    "body{font-family:sans-serif;max-width:960px;margin:2em auto;color:#222}"
    "table{border-collapse:collapse;margin:.5em 0 1.5em}"
    "th,td{border:1px solid #ccc;padding:3px 8px;text-align:right}"
    "th:first-child,td:first-child{text-align:left}.slot{color:#777;font-style:italic}"
)


def to_html(report: Report) -> str:
    """The report as one self-contained HTML page with inline SVG charts."""
    esc = html.escape
    queues = report.queues
    queue_chart = svg_bar_chart(
        "Tickets per queue",
        [r.key for r in queues],
        [(report.week, [r.count for r in queues]), ("previous week", [r.previous for r in queues])],
    )
    days = [d for d, _ in report.daily]
    daily_chart = svg_bar_chart(
        "Tickets per day", days, [(report.week, [n for _, n in report.daily])]
    )
    out = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>Weekly support report {esc(report.week)}</title>",
        f"<style>{STYLE}</style></head><body>",
        f"<h1>Weekly support report — {esc(report.week)}</h1>",
        *(f"<p>{esc(line)}</p>" for line in _intro(report)),
        "<h2>Metrics</h2>",
        _html_table(METRIC_HEADER, metric_rows(report)),
        "<p>Definitions: docs/metrics.md.</p>",
        "<h2>Volume by queue</h2>",
        queue_chart,
        _html_table(["queue", "tickets", "last week", "change"], _volume_rows(report.queues)),
        "<h2>Top intents</h2>",
        _html_table(["intent", "tickets", "last week", "change"], _volume_rows(report.intents)),
        "<h2>Tickets per day</h2>",
        daily_chart,
    ]
    for slot, title in SECTION_SLOTS.items():
        section = report.sections.get(slot)
        out.append(f"<!-- slot:{slot} --><section id='{slot}'>")
        out.append(f"<h2>{esc(section.title if section else title)}</h2>")
        out.append(
            section.html
            if section
            else f"<p class='slot'>Not in this report: no {slot} analysis is connected yet.</p>"
        )
        out.append("</section>")
    out.append(f"<p class='slot'>Computed in {report.seconds:.2f} s.</p></body></html>")
    return guard_text("\n".join(out), "reports")  # the egress guard: no personal data out
