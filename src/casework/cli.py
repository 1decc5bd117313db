"""The `casework` command: a thin shell over the library.

Each command parses its arguments, calls one function of the core and formats
the result — for people by default, as JSON with `--json`.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from casework import Workspace
from casework.config import DEFAULT_WORKSPACE
from casework.store import repository as repo
from casework.store.db import DatabaseError

app = typer.Typer(
    name="casework",
    help=(
        "casework: classify, route, draft and learn from your helpdesk's tickets — "
        "AI proposes, rules constrain, people decide.\n\n"
        "New here? Run `casework demo` to generate a realistic helpdesk in ./casework-data "
        "and see what casework does with it. Then `casework tickets list` to look around."
    ),
    no_args_is_help=True,
    add_completion=False,
)
tickets_app = typer.Typer(help="Look at stored tickets.", no_args_is_help=True)
app.add_typer(tickets_app, name="tickets")

console = Console()
err_console = Console(stderr=True)

WorkspaceOption = Annotated[
    Path,
    typer.Option(
        "--workspace",
        "-w",
        envvar="CASEWORK_WORKSPACE",
        help="Workspace folder (config, models, and the SQLite file unless "
        "CASEWORK_DATABASE_URL points at PostgreSQL).",
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, default=str) + "\n")


@contextmanager
def _open_workspace(path: Path) -> Iterator[Workspace]:
    """Open and migrate, turning database problems into one readable line."""
    try:
        ws = Workspace(path).init()
    except DatabaseError as exc:
        err_console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    try:
        yield ws
    finally:
        ws.close()


@contextmanager
def _progress(description: str, total: float | None, enabled: bool) -> Iterator[Progress]:
    progress = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=err_console,
        disable=not enabled,
        transient=False,
    )
    with progress:
        progress.add_task(description, total=total)
        yield progress


@app.command()
def init(workspace: WorkspaceOption = DEFAULT_WORKSPACE, as_json: JsonOption = False) -> None:
    """Create a workspace folder and bring its database schema up to date."""
    with _open_workspace(workspace) as ws, ws.session() as s:
        counts = repo.counts(s)
    if as_json:
        _print_json({"workspace": str(workspace), "database": _safe_url(ws), **counts})
    else:
        console.print(f"Workspace ready at [bold]{workspace}[/bold] ({_safe_url(ws)}).")


@app.command("import")
def import_(
    path: Annotated[Path, typer.Argument(help="File (or folder, for some formats) to import.")],
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="zendesk | freshdesk | csv | jsonl")
    ] = "csv",
    source: Annotated[
        str | None, typer.Option(help="Source name stored with each ticket (default: the format).")
    ] = None,
    mapping: Annotated[
        list[str] | None,
        typer.Option("--map", help="Column mapping for csv/jsonl, e.g. --map body=Message."),
    ] = None,
    workspace: WorkspaceOption = DEFAULT_WORKSPACE,
    as_json: JsonOption = False,
) -> None:
    """Import tickets from a helpdesk export. Re-importing the same file changes nothing.

    Bad rows are reported with file, line and field; good rows are kept and the
    command exits with status 1 when any row failed.
    """
    from casework.ingest import FORMATS, run_import

    if fmt not in FORMATS:
        err_console.print(
            f"[red]error:[/red] unknown --format {fmt!r}; choose one of {', '.join(FORMATS)}"
        )
        raise typer.Exit(2)
    if not path.exists():
        err_console.print(f"[red]error:[/red] {path}: no such file or folder")
        raise typer.Exit(2)
    column_map = _parse_mapping(mapping or [])
    total = path.stat().st_size if path.is_file() else None
    with (
        _open_workspace(workspace) as ws,
        _progress(f"Importing {path.name}", total, enabled=not as_json) as progress,
    ):
        task = progress.task_ids[0]
        report = run_import(
            ws,
            path,
            fmt=fmt,
            source=source,
            mapping=column_map,
            progress=lambda done: progress.update(task, completed=done),
        )
    summary = {
        "path": str(path),
        "format": fmt,
        "source": report.source,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "failed": report.failed,
        "seconds": round(report.seconds, 2),
        "errors": [str(e) for e in report.errors],
    }
    if as_json:
        _print_json(summary)
    else:
        console.print(
            f"{report.created} created, {report.updated} updated, {report.unchanged} unchanged, "
            f"[{'red' if report.failed else 'green'}]{report.failed} failed[/] "
            f"in {report.seconds:.1f}s."
        )
        for error in report.errors[:20]:
            err_console.print(f"  [red]✗[/red] {error}")
        if len(report.errors) > 20:
            err_console.print(f"  … and {len(report.errors) - 20} more (see --json)")
    if report.failed:
        raise typer.Exit(1)


def _parse_mapping(pairs: list[str]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for pair in pairs:
        field, sep, column = pair.partition("=")
        if not sep or not field or not column:
            err_console.print(f"[red]error:[/red] --map expects field=column, got {pair!r}")
            raise typer.Exit(2)
        mapping[field.strip()] = column.strip()
    return mapping


@app.command()
def demo(
    workspace: WorkspaceOption = DEFAULT_WORKSPACE,
    seed: Annotated[
        int, typer.Option(help="Random seed: the same seed gives the same helpdesk.")
    ] = 7,
    tickets: Annotated[int, typer.Option(help="How many tickets to generate.")] = 5000,
    no_serve: Annotated[
        bool, typer.Option("--no-serve", help="Generate and process, then exit.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Generate a realistic 12-week e-commerce helpdesk and load it into the workspace."""
    from casework.demo import generate_demo

    with (
        _open_workspace(workspace) as ws,
        _progress("Generating demo helpdesk", tickets, enabled=not as_json) as progress,
    ):
        task = progress.task_ids[0]
        summary = generate_demo(
            ws, seed=seed, tickets=tickets, progress=lambda n: progress.update(task, completed=n)
        )
        with ws.session() as s:
            counts = repo.counts(s)
    result = {**summary.to_dict(), "workspace": str(workspace), "database": _safe_url(ws)}
    if as_json:
        _print_json(result)
        return
    table = Table(title="Demo helpdesk", show_header=False)
    for key in ("tickets", "messages", "customers", "agents", "queues", "orders", "articles"):
        table.add_row(key, f"{counts[key]:,}")
    console.print(table)
    console.print(
        f"Truth manifest for evaluations: {workspace / 'demo-truth.json'} "
        "(never read by casework's own decisions)."
    )
    console.print(
        "Next: [bold]casework tickets list[/bold] or [bold]casework tickets show ID[/bold]."
    )
    if not no_serve:
        console.print(
            "[yellow]The dashboard is not built yet; nothing to serve. "
            "Use --no-serve to skip this message.[/yellow]"
        )


@tickets_app.command("list")
def tickets_list(
    workspace: WorkspaceOption = DEFAULT_WORKSPACE,
    status: Annotated[
        str | None, typer.Option(help="new, open, pending, hold, solved, closed")
    ] = None,
    queue: Annotated[str | None, typer.Option(help="Queue key or name.")] = None,
    source: Annotated[str | None, typer.Option(help="e.g. zendesk, freshdesk, demo")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 20,
    after: Annotated[
        int | None, typer.Option(help="Cursor: show tickets with id below this.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """List tickets, newest first (use --after with the last id for the next page)."""
    with _open_workspace(workspace) as ws, ws.session() as s:
        rows = repo.list_tickets(
            s,
            repo.TicketFilter(
                status=status, queue=queue, source=source, after_id=after, limit=limit
            ),
        )
        items: list[dict[str, Any]] = [
            {
                "id": t.id,
                "source": t.source,
                "external_id": t.external_id,
                "subject": t.subject,
                "status": t.status,
                "priority": t.priority,
                "queue": t.queue.key if t.queue else None,
                "channel": t.channel,
                "created_at": t.created_at.isoformat(),
            }
            for t in rows
        ]
    if as_json:
        _print_json(
            {"tickets": items, "next_after": items[-1]["id"] if len(items) == limit else None}
        )
        return
    table = Table("id", "created", "status", "priority", "queue", "subject")
    for item in items:
        table.add_row(
            str(item["id"]),
            item["created_at"][:16].replace("T", " "),
            item["status"],
            item["priority"] or "",
            item["queue"] or "",
            (item["subject"] or "")[:60],
        )
    console.print(table)
    if len(items) == limit:
        console.print(f"More: casework tickets list --after {items[-1]['id']}")


@tickets_app.command("show")
def tickets_show(
    ticket_id: Annotated[int, typer.Argument(help="casework's ticket id (see `tickets list`).")],
    workspace: WorkspaceOption = DEFAULT_WORKSPACE,
    as_json: JsonOption = False,
) -> None:
    """Show one ticket with its conversation and status history."""
    with _open_workspace(workspace) as ws, ws.session() as s:
        t = repo.get_ticket(s, ticket_id)
        if t is None:
            err_console.print(f"[red]error:[/red] no ticket with id {ticket_id}")
            raise typer.Exit(1)
        data: dict[str, Any] = {
            "id": t.id,
            "source": t.source,
            "external_id": t.external_id,
            "subject": t.subject,
            "status": t.status,
            "priority": t.priority,
            "channel": t.channel,
            "queue": t.queue.name if t.queue else None,
            "assignee": t.assignee.name if t.assignee else None,
            "requester": {"name": t.requester.name, "email": t.requester.email}
            if t.requester
            else None,
            "tags": t.tags,
            "created_at": t.created_at.isoformat(),
            "solved_at": t.solved_at.isoformat() if t.solved_at else None,
            "satisfaction": t.satisfaction,
            "messages": [
                {
                    "author_role": m.author_role,
                    "author_name": m.author_name,
                    "public": m.public,
                    "created_at": m.created_at.isoformat(),
                    "body": m.body,
                }
                for m in t.messages
            ],
            "changes": [
                {
                    "field": c.field,
                    "from": c.old_value,
                    "to": c.new_value,
                    "at": c.changed_at.isoformat(),
                    "actor": c.actor,
                }
                for c in t.changes
            ],
        }
    if as_json:
        _print_json(data)
        return
    console.print(
        f"[bold]#{data['id']} {data['subject']}[/bold]  ({data['source']} {data['external_id']})"
    )
    console.print(
        f"status {data['status']} · priority {data['priority'] or '-'} · "
        f"queue {data['queue'] or '-'} · assignee {data['assignee'] or '-'} · "
        f"channel {data['channel'] or '-'}"
    )
    for m in data["messages"]:
        note = " [dim](internal note)[/dim]" if not m["public"] else ""
        who = m["author_name"] or m["author_role"]
        console.print(
            f"\n[bold]{who}[/bold] [dim]{m['author_role']} · {m['created_at'][:16]}[/dim]{note}"
        )
        console.print(m["body"], markup=False)
    if data["changes"]:
        console.print("\n[bold]History[/bold]")
        for c in data["changes"]:
            console.print(f"  {c['at'][:16]}  {c['field']}: {c['from'] or '-'} → {c['to']}")


def _safe_url(ws: Workspace) -> str:
    from sqlalchemy.engine import make_url

    return make_url(ws.database_url).render_as_string(hide_password=True)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
