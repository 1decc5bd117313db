"""`casework insights …`: recurring issues (topics) found in the stored tickets."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from typing import Annotated

import typer
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

insights_app = typer.Typer(
    help="Recurring issues in the tickets: refresh and list topics.", no_args_is_help=True
)
app.add_typer(insights_app, name="insights")


def _period(text: str) -> timedelta:
    units = {"h": "hours", "d": "days", "w": "weeks"}
    number, unit = text[:-1], text[-1:].lower()
    if unit not in units or not number.isdigit() or int(number) < 1:
        err_console.print(f"[red]error:[/red] --since expects e.g. 7d, 12h or 4w, got {text!r}")
        raise typer.Exit(2)
    return timedelta(**{units[unit]: int(number)})


@insights_app.command("refresh")
def refresh(
    recluster: Annotated[
        bool, typer.Option(help="Re-cluster instead of only assigning new tickets.")
    ] = False,
    mode: Annotated[str, typer.Option(help="Embedder: static (fast) or minilm.")] = "static",
    workspace: WorkspaceOption = DEFAULT_WORKSPACE,
    as_json: JsonOption = False,
) -> None:
    """Assign new tickets to topics, clustering from scratch when there are none yet."""
    from casework.insights.topics import refresh_topics

    with open_workspace(workspace) as ws:
        report = refresh_topics(ws, mode, recluster=recluster)
    if as_json:
        print_json({"topics": asdict(report)})
        return
    console.print(
        f"topics ({report.mode}): {report.tickets_seen:,} tickets read, {report.assigned:,} "
        f"assigned, {report.topics} topics ({report.new_topics} new, {report.kept_ids} kept "
        f"their id) — {report.seconds:.1f}s",
        soft_wrap=True,
    )


@insights_app.command("topics")
def topics(
    since: Annotated[
        str, typer.Option(help="Period ending at the newest ticket, e.g. 7d, 4w.")
    ] = "7d",
    limit: Annotated[int, typer.Option(min=1, max=100, help="Topics to show.")] = 10,
    workspace: WorkspaceOption = DEFAULT_WORKSPACE,
    as_json: JsonOption = False,
) -> None:
    """Top topics in the period, with the change against the period before it."""
    from casework.insights.topics import top_topics

    length = _period(since)
    with open_workspace(workspace) as ws:
        from sqlalchemy import func, select

        from casework.store.tables import TicketRow

        with ws.session() as session:
            newest = session.scalar(select(func.max(TicketRow.created_at)))
        until = (newest or datetime.now(UTC)) + timedelta(microseconds=1)
        rows = top_topics(ws, until - length, until, limit)
    if as_json:
        print_json([asdict(r) for r in rows])
        return
    if not rows:
        console.print("No topics in this period — run `casework insights refresh` first.")
        return
    table = Table("id", "topic", "terms", "tickets", "change", "examples")
    for r in rows:
        table.add_row(
            str(r.id),
            r.label,
            ", ".join(r.terms),
            str(r.count),
            f"{r.change:+d}",
            ", ".join(map(str, r.example_ticket_ids)),
        )
    console.print(table)


def _register_trends() -> None:
    from casework.cli import insights_trends

    insights_trends.register(insights_app)


_register_trends()
