"""`casework insights spikes` and `casework insights gaps`: thin shells over
:mod:`casework.insights.trends` and :mod:`casework.insights.gaps`, attached to the
`insights` group by :func:`register`."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

import typer
from rich.markup import escape

from casework.cli.common import (
    JsonOption,
    WorkspaceOption,
    console,
    err_console,
    open_workspace,
    print_json,
)
from casework.config import DEFAULT_WORKSPACE


def _period(text: str) -> timedelta:
    units = {"h": "hours", "d": "days", "w": "weeks"}
    number, unit = text[:-1], text[-1:].lower()
    if unit not in units or not number.isdigit():
        err_console.print(f"[red]error:[/red] --since expects e.g. 12w, 30d or 48h, got {text!r}")
        raise typer.Exit(2)
    return timedelta(**{units[unit]: int(number)})


def spikes_command(
    week: Annotated[
        str | None, typer.Option("--week", help="Only alerts in this ISO week, e.g. 2026-W09.")
    ] = None,
    workspace: WorkspaceOption = DEFAULT_WORKSPACE,
    as_json: JsonOption = False,
) -> None:
    """Spikes (daily vs the same weekday, weekly vs previous weeks; Poisson test) and
    emerging series per intent, queue and topic, with examples and trigger terms."""
    from casework.insights.trends import find_alerts, parse_iso_week

    if week is not None:
        try:
            parse_iso_week(week)
        except ValueError as exc:
            err_console.print(f"[red]error:[/red] --week: {exc}")
            raise typer.Exit(2) from exc
    with open_workspace(workspace) as ws, ws.session() as session:
        alerts = find_alerts(session, week)
    if as_json:
        print_json({"week": week, "alerts": [a.to_dict() for a in alerts]})
        return
    if not alerts:
        console.print("No spikes: every series is within its usual range.")
        return
    for a in alerts:
        console.print(
            f"[bold]{a.alert}[/bold] {escape(a.series_kind)}={escape(a.series_key)} "
            f"{a.period}: {a.count} vs baseline {a.baseline} (x{a.ratio}, p={a.p_value:.1e})"
        )
        console.print(
            f"   terms: {', '.join(a.trigger_terms) or '-'} · tickets: "
            f"{', '.join(map(str, a.example_ticket_ids))}",
            markup=False,
            highlight=False,
        )


def gaps_command(
    since: Annotated[
        str | None,
        typer.Option("--since", help="Only tickets this far back from the newest, e.g. 12w."),
    ] = None,
    draft_articles: Annotated[
        bool,
        typer.Option("--draft-articles", help="Store a draft article per gap for review."),
    ] = False,
    mode: Annotated[
        str | None,
        typer.Option(
            "--mode",
            help="Embedding backend: minilm or static (fast); default: the config's "
            "embeddings.retrieval, else minilm.",
        ),
    ] = None,
    workspace: WorkspaceOption = DEFAULT_WORKSPACE,
    as_json: JsonOption = False,
) -> None:
    """Groups of tickets no approved article answers well, costliest first."""
    from casework.insights.gaps import find_gaps
    from casework.knowledge.index_store import workspace_retriever

    period = _period(since) if since else None
    with open_workspace(workspace) as ws:
        try:
            retriever = workspace_retriever(ws, mode)
        except KeyError as exc:
            err_console.print(f"[red]error:[/red] {exc.args[0]}")
            raise typer.Exit(2) from exc
        with ws.session() as session:
            gaps, threshold = find_gaps(session, retriever, period, draft_articles)
    if as_json:
        print_json({"threshold": threshold, "gaps": [g.to_dict() for g in gaps]})
        return
    if not gaps:
        console.print("No knowledge gaps: weak matches are spread evenly across groups.")
        return
    console.print(f"weak match: best semantic score <= {threshold:.3f}")
    for rank, g in enumerate(gaps, start=1):
        console.print(
            f"[bold]{rank}. {escape(g.group_kind)}={escape(g.group_key)}[/bold] "
            f"{g.tickets} tickets ({g.share_of_group:.0%} of the group), "
            f"{g.agent_replies} agent replies/ticket, median {g.handling_hours} h · "
            f"terms: {escape(', '.join(g.terms))}"
            + (f" · draft {escape(g.article_external_id)}" if g.article_external_id else "")
        )


def register(insights_app: typer.Typer) -> None:
    """Attach `spikes` and `gaps` to the `insights` command group."""
    insights_app.command("spikes")(spikes_command)
    insights_app.command("gaps")(gaps_command)
