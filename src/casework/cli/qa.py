"""`casework qa …`: score conversations against the rubric, coach, calibrate."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from casework.cli.common import (
    JsonOption,
    WorkspaceOption,
    app,
    console,
    err_console,
    open_workspace,
    print_json,
)
from casework.config import DEFAULT_WORKSPACE

qa_app = typer.Typer(
    help="Quality assurance: score every conversation against the rubric, coach, calibrate.",
    no_args_is_help=True,
)
app.add_typer(qa_app, name="qa")


@qa_app.command("score")
def score(workspace: WorkspaceOption = DEFAULT_WORKSPACE, as_json: JsonOption = False) -> None:
    """Score every finished conversation, and casework's newest draft per ticket, not yet
    scored with the rubric in force."""
    from casework.qa.drafts import score_drafts
    from casework.qa.scoring import score_pending

    with open_workspace(workspace) as ws:
        run = score_pending(ws)
        drafts = score_drafts(ws)
    data = {
        **asdict(run),
        "per_second": round(run.per_second, 1),
        "drafts": {**asdict(drafts), "per_second": round(drafts.per_second, 1)},
    }
    if as_json:
        print_json(data)
        return
    console.print(
        f"rubric {run.rubric_version}: {run.scored:,} conversations scored "
        f"({run.already:,} already were), mean {run.mean_total}, {run.auto_failed:,} auto-failed "
        f"— {run.seconds:.1f}s, {run.per_second:,.0f}/s"
    )
    console.print(
        f"casework's drafts: {drafts.scored:,} scored ({drafts.already:,} already were), "
        f"mean {drafts.mean_total}, {drafts.auto_failed:,} auto-failed"
    )


@qa_app.command("report")
def report(
    agent: Annotated[str | None, typer.Option(help="Only this agent (by name).")] = None,
    team: Annotated[str | None, typer.Option(help="Only this team (queue key or name).")] = None,
    since: Annotated[
        str | None, typer.Option(help="Period back from the newest ticket, e.g. 4w (default).")
    ] = None,
    week: Annotated[str | None, typer.Option(help="An ISO week instead, e.g. 2026-W09.")] = None,
    workspace: WorkspaceOption = DEFAULT_WORKSPACE,
    as_json: JsonOption = False,
) -> None:
    """Coaching: per agent and team, weakest criteria, trend vs the previous period, examples."""
    from casework.cli.insights_trends import _period
    from casework.qa.coach import coaching_report

    span = _period(since) if since else None
    with open_workspace(workspace) as ws:
        try:
            found = coaching_report(ws, since=span, week=week, agent=agent, team=team)
        except ValueError as exc:
            err_console.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(2) from exc
    if as_json:
        print_json(found.to_dict())
        return
    if not found.groups:
        err_console.print("no stored QA scores in that period; run `casework qa score`")
        raise typer.Exit(1)
    days = (found.start - found.previous_start).days
    console.print(
        f"QA coaching {found.start:%Y-%m-%d} – {found.end:%Y-%m-%d} "
        f"(rubric {found.rubric_version}; trend vs the {days} days before)"
    )
    for g in found.groups:
        before = "–" if g.previous_total is None else f"{g.mean_total - g.previous_total:+.1f}"
        console.print(
            f"[bold]{g.kind} {escape(g.name)}[/bold]: {g.conversations} conversations, "
            f"mean {g.mean_total:.1f} ({before}), {g.auto_failed} auto-failed"
        )
        for w in g.weakest:
            trend = "" if w.change is None else f" ({w.change * 100:+.0f} pts)"
            console.print(f"  {w.criterion}: {w.share * 100:.0f}% of maximum{trend}")
            for ex in w.examples:
                quote = "; ".join(repr(e["quote"][:80]) for e in ex["evidence"] if e["quote"])
                console.print(
                    f"    {ex['ticket']}: {ex['reason']} {quote}",
                    soft_wrap=True, markup=False, highlight=False,
                )  # fmt: skip


@qa_app.command("summary")
def summary(
    agent: Annotated[str | None, typer.Option(help="Only this agent (by name).")] = None,
    examples: Annotated[int, typer.Option(min=0, max=20, help="Worst conversations shown.")] = 3,
    workspace: WorkspaceOption = DEFAULT_WORKSPACE,
    as_json: JsonOption = False,
) -> None:
    """Mean total and per-criterion scores per agent, weakest criteria, worst examples."""
    from casework.qa.coaching import summarise, to_dict

    with open_workspace(workspace) as ws:
        version, agents = summarise(ws, agent, examples)
    if as_json:
        print_json({"rubric_version": version, "agents": [to_dict(a) for a in agents]})
        return
    if not agents:
        err_console.print("no stored QA scores for the rubric in force; run `casework qa score`")
        raise typer.Exit(1)
    table = Table(title=f"QA per agent (rubric {version}); --json for every criterion")
    for column in ("agent", "n", "mean", "auto-fails", "weakest criteria (% of maximum)"):
        table.add_column(column, justify="left" if column[0] in "aw" else "right")
    for a in agents:
        weak = ", ".join(f"{c} {(a.criteria[c] or 0) * 100:.0f}%" for c in a.weakest)
        table.add_row(
            a.agent, str(a.conversations), f"{a.mean_total:.1f}", str(a.auto_failed), weak
        )
    console.print(table)
    for a in agents:
        if not a.examples:
            continue
        console.print(f"[bold]{a.agent}[/bold] — weakest: {', '.join(a.weakest) or 'none'}")
        for ex in a.examples:
            why = "; ".join(f"{f['criterion']}: {f['reason']}" for f in ex["failing"][:3])
            console.print(f"  {ex['ticket']} ({ex['total']:.0f}) {why}", soft_wrap=True)


@qa_app.command("calibrate")
def calibrate(
    reviews: Annotated[
        Path, typer.Argument(help="CSV: ticket_external_id,criterion,score,reviewer")
    ],
    workspace: WorkspaceOption = DEFAULT_WORKSPACE,
    as_json: JsonOption = False,
) -> None:
    """Agreement of the automatic scores with human reviews, per criterion (exit 1 on a bad CSV)."""
    from casework.qa.calibration import ReviewsError
    from casework.qa.calibration import calibrate as run_calibration

    with open_workspace(workspace) as ws:
        try:
            report = run_calibration(ws, reviews)
        except ReviewsError as exc:
            for problem in exc.problems:
                err_console.print(str(problem), soft_wrap=True, markup=False)
            raise typer.Exit(1) from exc
    if as_json:
        print_json(report.to_dict())
        return
    table = Table(
        title=f"Agreement with {report.reviews:,} human reviews (rubric {report.rubric_version})"
    )
    for column in ("criterion", "n", "kappa", "weights", "exact", "adjacent"):
        table.add_column(column, justify="left" if column in ("criterion", "weights") else "right")
    for a in report.criteria:

        def fmt(v: float | None) -> str:
            return "–" if v is None else f"{v:.3f}"

        table.add_row(a.criterion, str(a.n), fmt(a.kappa), a.weights, fmt(a.exact), fmt(a.adjacent))
    console.print(table)
    console.print(
        f"{report.unmatched:,} reviews had no automatic score to compare "
        "(not scored, or not applicable)."
    )
