"""`casework report …`: the operational reports a support lead reads."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from casework.cli.common import WorkspaceOption, app, err_console, open_workspace
from casework.config import DEFAULT_WORKSPACE

report_app = typer.Typer(
    help="Operational reports: the weekly report and before/after comparisons.",
    no_args_is_help=True,
)
app.add_typer(report_app, name="report")


class ReportFormat(StrEnum):
    md = "md"
    html = "html"


class CompareFormat(StrEnum):
    md = "md"
    json = "json"


@report_app.command("weekly")
def report_weekly(
    week: Annotated[
        str | None,
        typer.Option("--week", help="ISO week such as 2026-W09 (default: the newest ticket's)."),
    ] = None,
    fmt: Annotated[
        ReportFormat, typer.Option("--format", help="md (Markdown) or html (charts inline).")
    ] = ReportFormat.md,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write to FILE instead of standard output.")
    ] = None,
    sections: Annotated[
        bool,
        typer.Option(
            "--sections/--no-sections",
            help="Include top issues, spikes, gaps and QA (gaps: ~20 s per 5,000 tickets).",
        ),
    ] = True,
    workspace: WorkspaceOption = DEFAULT_WORKSPACE,
) -> None:
    """Volumes and their change, metrics (median, p90), queues, top intents, top issues,
    spikes and knowledge gaps for one week."""
    from casework.insights.report import build_weekly_report, to_html, to_markdown
    from casework.insights.report_sections import default_providers

    with open_workspace(workspace) as ws:
        try:
            report = build_weekly_report(ws, week, default_providers() if sections else None)
        except ValueError as exc:
            err_console.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(2) from exc
    from casework.privacy.egress import EgressBlocked

    try:
        text = to_html(report) if fmt is ReportFormat.html else to_markdown(report)
    except EgressBlocked as exc:  # privacy.egress.reports: block
        err_console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from exc
    if out is None:
        typer.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        err_console.print(f"wrote {out} ({report.week}, {report.seconds:.2f} s)")


@report_app.command("compare")
def report_compare(
    before: Annotated[
        str, typer.Option("--before", help="Baseline START..END (ISO dates, UTC, END exclusive).")
    ],
    after: Annotated[str, typer.Option("--after", help="Pilot period START..END, same form.")],
    fmt: Annotated[
        CompareFormat, typer.Option("--format", help="md (a table) or json.")
    ] = CompareFormat.md,
    workspace: WorkspaceOption = DEFAULT_WORKSPACE,
) -> None:
    """Every metric in both periods, the change and its 95% bootstrap interval, flagged
    "real change" when the interval excludes 0 and "within noise" otherwise."""
    from casework.cli.common import print_json
    from casework.insights.compare import compare_periods, parse_range, to_markdown

    try:
        spans = parse_range(before), parse_range(after)
    except ValueError as exc:
        err_console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    with open_workspace(workspace) as ws:
        result = compare_periods(ws, *spans)
    if fmt is CompareFormat.json:
        print_json(result.to_dict())
    else:
        typer.echo(to_markdown(result), nl=False)
