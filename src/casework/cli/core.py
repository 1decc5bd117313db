"""Setting up a workspace and filling it: init, import, demo."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

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
    progress_bar,
    safe_url,
)
from casework.config import DEFAULT_WORKSPACE
from casework.store import repository as repo


@app.command()
def init(workspace: WorkspaceOption = DEFAULT_WORKSPACE, as_json: JsonOption = False) -> None:
    """Create a workspace folder and bring its database schema up to date."""
    with open_workspace(workspace) as ws, ws.session() as s:
        counts = repo.counts(s)
    if as_json:
        print_json({"workspace": str(workspace), "database": safe_url(ws), **counts})
    else:
        console.print(f"Workspace ready at [bold]{workspace}[/bold] ({safe_url(ws)}).")


def queue_for_workers() -> Any:
    """With CASEWORK_BROKER_URL set: each import batch records its jobs in its own
    transaction (the workers' outbox). Unset: nothing, `casework process` runs inline."""
    from casework.jobs.settings import broker_configured, job_settings

    if not broker_configured():
        return None
    from casework.jobs.outbox import enqueue_stored

    size = job_settings().job_batch_size
    return lambda session, tickets: enqueue_stored(session, tickets, size)


def _queue_table_import(
    ws: Any, fmt: str, path: Path | None, written: int, as_json: bool
) -> int | None:
    """With workers: queue what a set-based table import stored (it has no per-batch hook).

    A Fivetran or PostgreSQL-schema import stores its tables with a few set-based
    statements, so its tickets cannot ride in per-batch transactions; the backfill
    queues every ticket without a full set of stage results right after, and running
    `casework jobs backfill` again catches anything a crash in between left out."""
    from casework.ingest.fivetran import FORMAT as FIVETRAN
    from casework.jobs.settings import broker_configured

    if not written or not broker_configured() or (path is not None and fmt != FIVETRAN):
        return None
    from casework.cli.jobs import enqueue_backfill

    return enqueue_backfill(ws, as_json).get("jobs", 0)


@app.command("import")
def import_(
    path: Annotated[
        Path | None, typer.Argument(help="File (or folder, for some formats) to import.")
    ] = None,
    fmt: Annotated[
        str,
        typer.Option(
            "--format", "-f", help="zendesk | freshdesk | csv | jsonl | fivetran-zendesk"
        ),
    ] = "csv",
    source: Annotated[
        str | None, typer.Option(help="Source name stored with each ticket (default: the format).")
    ] = None,
    mapping: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            help="Column mapping for csv, jsonl and freshdesk (translated headers), "
            "e.g. --map body=Message.",
        ),
    ] = None,
    database_url: Annotated[
        str | None,
        typer.Option(
            "--database-url",
            help="fivetran-zendesk only: read the tables from this PostgreSQL database "
            "instead of a folder of CSV files.",
        ),
    ] = None,
    schema: Annotated[
        str | None,
        typer.Option(help="fivetran-zendesk with --database-url: the schema holding the tables."),
    ] = None,
    workspace: WorkspaceOption = DEFAULT_WORKSPACE,
    as_json: JsonOption = False,
) -> None:
    """Import tickets from a helpdesk export. Re-importing the same file changes nothing.

    Bad rows are reported with file, line and field; good rows are kept and the
    command exits with status 1 when any row failed.
    """
    from casework.ingest import FORMATS, run_import
    from casework.ingest.fivetran import FORMAT as FIVETRAN
    from casework.ingest.fivetran import import_from_postgres

    if fmt not in FORMATS:
        err_console.print(
            f"[red]error:[/red] unknown --format {fmt!r}; choose one of {', '.join(FORMATS)}"
        )
        raise typer.Exit(2)
    if database_url is not None and (fmt != FIVETRAN or not schema or path is not None):
        err_console.print(
            f"[red]error:[/red] --database-url needs --format {FIVETRAN} and --schema, "
            "and no path"
        )
        raise typer.Exit(2)
    if database_url is None and path is None:
        err_console.print("[red]error:[/red] give a file or folder to import")
        raise typer.Exit(2)
    if path is not None and not path.exists():
        err_console.print(f"[red]error:[/red] {path}: no such file or folder")
        raise typer.Exit(2)
    column_map = _parse_mapping(mapping or [])
    total: float | None = None
    if path is not None and path.is_file():
        total = path.stat().st_size
    elif path is not None and fmt == FIVETRAN:
        total = sum(p.stat().st_size for p in path.iterdir() if p.is_file())
    name = path.name if path is not None else f"{schema} tables"
    with (
        open_workspace(workspace) as ws,
        progress_bar(f"Importing {name}", total, enabled=not as_json) as progress,
    ):
        task = progress.task_ids[0]
        try:
            if path is None:
                assert database_url is not None and schema is not None
                report = import_from_postgres(ws, database_url, schema, source or "zendesk")
            else:
                report = run_import(
                    ws,
                    path,
                    fmt=fmt,
                    source=source,
                    mapping=column_map,
                    progress=lambda done: progress.update(task, completed=done),
                    after_write=queue_for_workers(),
                )
        except (ValueError, OSError) as exc:
            err_console.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(2) from exc
        queued = _queue_table_import(ws, fmt, path, report.created + report.updated, as_json)
    summary = {
        "path": str(path) if path is not None else report.path,
        "format": fmt,
        "source": report.source,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "failed": report.failed,
        "skipped": report.skipped,
        "seconds": round(report.seconds, 2),
        "errors": [str(e) for e in report.errors],
    }
    if queued is not None:
        summary["queued_jobs"] = queued
    if as_json:
        print_json(summary)
    else:
        console.print(
            f"{report.created} created, {report.updated} updated, {report.unchanged} unchanged, "
            f"{report.skipped} skipped, "
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
    tickets: Annotated[
        int, typer.Option(min=200, help="How many tickets to generate (at least 200).")
    ] = 5000,
    no_serve: Annotated[
        bool, typer.Option("--no-serve", help="Generate and process, then exit.")
    ] = False,
    port: Annotated[
        int, typer.Option(min=1, max=65535, help="Port for the dashboard (loopback only).")
    ] = 8400,
    as_json: JsonOption = False,
) -> None:
    """Generate a realistic 12-week e-commerce helpdesk, train on its history, triage every ticket.

    Then serve the dashboard on 127.0.0.1 and print its address and a one-off admin
    key to sign in with (unless --no-serve).

    Everything lands in the workspace: tickets, orders, articles, a trained
    intent model and a triage result per ticket. The truth manifest written
    beside them is for evaluations (`casework eval triage`) only.
    """
    from casework.demo import generate_demo
    from casework.insights.metrics_store import refresh_ticket_metrics
    from casework.insights.topics import refresh_topics
    from casework.pipeline import process_all
    from casework.qa.demo_reviews import write_demo_reviews
    from casework.qa.scoring import score_pending
    from casework.routing.training import train_queue
    from casework.triage.priority import priority_history, train_priority
    from casework.triage.training import labelled_history, train_intent

    with open_workspace(workspace) as ws:
        with progress_bar("Generating demo helpdesk", tickets, enabled=not as_json) as progress:
            task = progress.task_ids[0]
            summary = generate_demo(
                ws,
                seed=seed,
                tickets=tickets,
                progress=lambda n: progress.update(task, completed=n),
            )
        with console.status("Training intent and priority models on the agents' labels…"):
            model = train_intent(ws, labelled_history(ws), source="demo history (contact_reason)")
            train_priority(ws, priority_history(ws))
            queue = train_queue(ws)
        with progress_bar("Triaging and routing", tickets, enabled=not as_json) as progress:
            task = progress.task_ids[0]
            report = process_all(
                ws,
                progress=lambda stage, done, total: progress.update(
                    task, description=f"{stage:>7}", completed=done, total=total
                ),
            )
        processed, routed = report.triage, report.routing
        with console.status("Finding recurring issues…"):
            topics = refresh_topics(ws)
        with console.status("Measuring every ticket with the helpdesk's metric definitions…"):
            ticket_metrics = refresh_ticket_metrics(ws)
        with console.status("Scoring every finished conversation against the QA rubric…"):
            qa = score_pending(ws)
        qa_reviews = write_demo_reviews(ws)
        with ws.session() as s:
            counts = repo.counts(s)
    result = {
        **summary.to_dict(),
        "intent_model": model.version,
        "intent_holdout_accuracy": model.meta["holdout_accuracy"],
        "triaged": processed.processed + processed.already_done,
        "queue_model": queue.version,
        "routed": routed.routed,
        "escalated": routed.escalated,
        "drafted": report.drafting.drafted,
        "topics": topics.topics,
        "ticket_metrics": ticket_metrics.tickets,
        "qa_scored": qa.scored,
        "qa_reviews": str(qa_reviews),
        "workspace": str(workspace),
        "database": safe_url(ws),
    }
    if as_json:
        print_json(result)
        return
    table = Table(title="Demo helpdesk", show_header=False)
    for key in ("tickets", "messages", "customers", "agents", "queues", "orders", "articles"):
        table.add_row(key, f"{counts[key]:,}")
    table.add_row("triaged", f"{result['triaged']:,}")
    table.add_row("routed", f"{routed.routed:,} ({routed.escalated:,} escalated)")
    table.add_row("drafted", f"{report.drafting.drafted:,} grounded replies for review")
    table.add_row("topics", f"{topics.topics:,} recurring issues")
    table.add_row("QA scored", f"{qa.scored:,} conversations")
    table.add_row("metrics", f"{ticket_metrics.tickets:,} tickets measured (Zendesk definitions)")
    console.print(table)
    console.print(
        f"Intent model {model.version}: hold-out accuracy {model.meta['holdout_accuracy']:.3f} "
        f"on {model.meta['n_train']:,} agent-labelled tickets."
    )
    console.print(
        f"Truth manifest for evaluations: {workspace / 'demo-truth.json'} "
        "(never read by casework's own decisions). Try: casework eval triage"
    )
    console.print(
        "Next: [bold]casework review list --escalated[/bold], "
        "[bold]casework tickets show ID[/bold], [bold]casework insights topics --since 12w[/bold] "
        "or [bold]casework report weekly[/bold]."
    )
    if not no_serve:
        _serve_dashboard(workspace, port)


def _serve_dashboard(workspace: Path, port: int) -> None:
    """Serve the dashboard on loopback with a fresh admin key, printed once to sign in with."""
    import uvicorn

    from casework.api.app import create_app
    from casework.api.keys import create_key

    with open_workspace(workspace) as ws:
        key, token = create_key(ws, "demo-dashboard", "admin", "system:demo")
        console.print(
            f"\n[bold]Dashboard:[/bold] http://127.0.0.1:{port}/dashboard/\n"
            f"Sign in with this admin API key (key {key.id}, shown once; "
            f"revoke with `casework keys revoke {key.id} --workspace {workspace}`):"
        )
        typer.echo(token)
        console.print("Stop with Ctrl+C.")
        uvicorn.run(create_app(ws), host="127.0.0.1", port=port, log_level="warning")
