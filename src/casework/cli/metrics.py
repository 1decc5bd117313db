"""`casework metrics …`: Zendesk-named per-ticket metrics, stored and summarised.

Thin shell over `casework.insights.ticket_metrics` (the definitions) and
`casework.insights.metrics_store` (the stored table and its SQL aggregates);
`casework bench metrics` times both.
"""

from __future__ import annotations

import csv
import json
import resource
import sys
import time
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Annotated, Any, Literal

import typer
from rich.table import Table

from casework.cli.bench import bench_app
from casework.cli.common import (
    JsonOption,
    WorkspaceOption,
    app,
    console,
    err_console,
    open_workspace,
    print_json,
    progress_bar,
)
from casework.config import DEFAULT_WORKSPACE

metrics_app = typer.Typer(
    help="Per-ticket metrics with Zendesk's names (reply, resolution, wait times).",
    no_args_is_help=True,
)
app.add_typer(metrics_app, name="metrics")


def _cpu_s() -> float:
    """This process's CPU seconds (user + system), the database server's not included."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextmanager
def _output(out: Path | None) -> Any:
    if out is None:
        yield sys.stdout
        return
    try:
        handle = out.open("w", encoding="utf-8", newline="")
    except OSError as exc:
        err_console.print(f"[red]error:[/red] cannot write {out}: {exc.strerror}")
        raise typer.Exit(2) from exc
    with handle:
        yield handle


def export_ticket_metrics(
    ws: Any, handle: IO[str] | _Sink, fmt: Literal["json", "csv"], show_progress: bool
) -> int:
    """Stream every ticket's metrics to `handle`, one batch in memory at a time."""
    from casework.insights.ticket_metrics import (
        CSV_COLUMNS,
        api_dict,
        count_tickets,
        flat_rows,
        iter_batch_metrics,
    )

    total = count_tickets(ws)
    written = 0
    writer = csv.writer(handle) if fmt == "csv" else None
    if writer is not None:
        writer.writerow(CSV_COLUMNS)
    else:
        handle.write("[")
    with progress_bar("Ticket metrics", total, show_progress) as bar:
        for result, _ in iter_batch_metrics(ws):
            rows = flat_rows(result)
            if writer is not None:
                writer.writerows(rows)
            else:
                handle.write(
                    ("\n" if written == 0 else ",\n")
                    + ",\n".join(json.dumps(api_dict(row)) for row in rows)
                )
            written += len(rows)
            bar.advance(bar.task_ids[0], len(rows))
    if writer is None:
        handle.write("\n]\n" if written else "]\n")
    return written


@metrics_app.command("tickets")
def metrics_tickets_command(
    workspace: WorkspaceOption = DEFAULT_WORKSPACE,
    fmt: Annotated[
        str, typer.Option("--format", help="json (an array of objects) or csv (flat columns).")
    ] = "json",
    out: Annotated[
        Path | None, typer.Option("--out", help="File to write (default stdout).")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Every ticket's metrics keyed by source and ticket id, computed now from the store."""
    if fmt not in ("json", "csv"):
        err_console.print(f"[red]error:[/red] --format {fmt!r}: expected json or csv")
        raise typer.Exit(2)
    started = time.perf_counter()
    with open_workspace(workspace) as ws, _output(out) as handle:
        written = export_ticket_metrics(
            ws, handle, "csv" if fmt == "csv" else "json", show_progress=sys.stderr.isatty()
        )
    summary = {
        "tickets": written,
        "format": fmt,
        "out": str(out) if out else None,
        "seconds": round(time.perf_counter() - started, 2),
    }
    if out is None:
        return
    if as_json:
        print_json(summary)
    else:
        console.print(f"Wrote metrics of {written:,} tickets to {out} ({summary['seconds']} s).")


@metrics_app.command("refresh")
def metrics_refresh_command(
    workspace: WorkspaceOption = DEFAULT_WORKSPACE,
    as_json: JsonOption = False,
) -> None:
    """Recompute and store every ticket's metrics (table `ticket_metrics`) for the aggregates."""
    from casework.insights.metrics_store import refresh_ticket_metrics
    from casework.insights.ticket_metrics import count_tickets

    with open_workspace(workspace) as ws:
        total = count_tickets(ws)
        with progress_bar("Refreshing ticket metrics", total, not as_json) as bar:
            stats = refresh_ticket_metrics(ws, progress=lambda n: bar.advance(bar.task_ids[0], n))
    result = {
        "tickets": stats.tickets,
        "version": stats.version,
        "seconds": round(stats.seconds, 2),
        "tickets_per_s": round(stats.tickets / stats.seconds, 1) if stats.seconds else None,
    }
    if as_json:
        print_json(result)
        return
    console.print(
        f"Stored metrics of {stats.tickets:,} tickets in {result['seconds']} s "
        f"(schedules version {stats.version})."
    )


def _parse_day(value: str | None, option: str) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    except ValueError as exc:
        err_console.print(f"[red]error:[/red] {option} {value!r}: expected a date like 2026-03-02")
        raise typer.Exit(2) from exc


@metrics_app.command("summary")
def metrics_summary_command(
    workspace: WorkspaceOption = DEFAULT_WORKSPACE,
    by: Annotated[str, typer.Option("--by", help="all, queue, agent or week.")] = "all",
    cohort: Annotated[
        str, typer.Option("--cohort", help="Tickets `solved` (default) or `created` in the period.")
    ] = "solved",
    since: Annotated[str | None, typer.Option("--since", help="First day, UTC.")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Day after the last, UTC.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Median and 90th percentile of the stored metrics per group, computed in SQL."""
    from casework.insights.metrics_store import GROUPINGS, stored_count, summarise

    if by not in GROUPINGS:
        err_console.print(f"[red]error:[/red] --by {by!r}: expected one of {', '.join(GROUPINGS)}")
        raise typer.Exit(2)
    if cohort not in ("solved", "created"):
        err_console.print(f"[red]error:[/red] --cohort {cohort!r}: expected solved or created")
        raise typer.Exit(2)
    start, end = _parse_day(since, "--since"), _parse_day(until, "--until")
    with open_workspace(workspace) as ws, ws.session() as session:
        if not stored_count(session):
            err_console.print(
                "[red]error:[/red] no stored ticket metrics; run `casework metrics refresh`"
            )
            raise typer.Exit(2)
        rows = summarise(session, by, cohort, start, end)  # type: ignore[arg-type]
    if as_json:
        print_json([r.to_dict() for r in rows])
        return
    table = Table(by, "metric", "clock", "n", "median", "p90", title="Ticket metrics (minutes)")
    for r in rows:
        table.add_row(
            r.group,
            r.metric,
            r.clock,
            f"{r.n:,}",
            "–" if r.median is None else f"{r.median:,.1f}",
            "–" if r.p90 is None else f"{r.p90:,.1f}",
        )
    console.print(table)


class _Sink:
    """A file that counts what is written to it and keeps nothing."""

    def __init__(self) -> None:
        self.chars = 0

    def write(self, text: str) -> int:
        self.chars += len(text)
        return len(text)


@bench_app.command("metrics")
def bench_metrics_command(
    workspace: WorkspaceOption = DEFAULT_WORKSPACE,
    as_json: JsonOption = False,
) -> None:
    """Time `metrics refresh` and `metrics tickets` on the workspace: tickets/s, peak RSS.

    Wall-clock seconds and this process's CPU seconds (the database server works
    beside it: on a busy machine the two differ widely).
    """
    from casework.insights.metrics_store import refresh_ticket_metrics, summarise
    from casework.insights.ticket_metrics import count_tickets

    with open_workspace(workspace) as ws:
        tickets = count_tickets(ws)
        if not tickets:
            err_console.print("[red]error:[/red] no tickets in the workspace; run `casework demo`")
            raise typer.Exit(2)
        result: dict[str, Any] = {"tickets": tickets, "database": ws.engine.dialect.name}
        started, cpu = time.perf_counter(), _cpu_s()
        sink = _Sink()
        export_ticket_metrics(ws, sink, "csv", show_progress=False)
        took = time.perf_counter() - started
        result["tickets_export_s"] = round(took, 2)
        result["tickets_export_cpu_s"] = round(_cpu_s() - cpu, 2)
        result["tickets_export_per_s"] = round(tickets / took, 1)
        result["peak_rss_mb_after_export"] = round(_peak_rss_mb(), 1)
        cpu = _cpu_s()
        stats = refresh_ticket_metrics(ws)
        result["refresh_s"] = round(stats.seconds, 2)
        result["refresh_cpu_s"] = round(_cpu_s() - cpu, 2)
        result["refresh_per_s"] = round(tickets / stats.seconds, 1)
        result["peak_rss_mb_after_refresh"] = round(_peak_rss_mb(), 1)
        started = time.perf_counter()
        with ws.session() as session:
            for by in ("all", "queue", "week"):
                summarise(session, by)
        result["sql_summaries_s"] = round(time.perf_counter() - started, 2)
    if as_json:
        print_json(result)
        return
    table = Table("measure", "value", title="Ticket metrics speed (one process)")
    for key, value in result.items():
        table.add_row(key, f"{value:,}" if isinstance(value, int | float) else str(value))
    console.print(table)
