"""`casework bench …`: speed benchmarks, printed as a table or JSON."""

from __future__ import annotations

from collections.abc import Callable
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
)
from casework.config import DEFAULT_WORKSPACE

bench_app = typer.Typer(help="Measure speed (and memory) on this machine.", no_args_is_help=True)
app.add_typer(bench_app, name="bench")


@bench_app.command("triage")
def bench_triage_command(
    workspace: WorkspaceOption = DEFAULT_WORKSPACE,
    tickets: Annotated[int, typer.Option(min=10, help="How many stored tickets to triage.")] = 5000,
    as_json: JsonOption = False,
) -> None:
    """Full triage throughput on the workspace's tickets, with each part as a baseline."""
    from casework.bench.triage_speed import bench_triage, demo_requests
    from casework.triage.engine import Triager

    with open_workspace(workspace) as ws:
        requests = demo_requests(ws, tickets)
        if not requests:
            err_console.print("[red]error:[/red] no tickets in the workspace; run `casework demo`")
            raise typer.Exit(2)
        with console.status(f"Triaging {len(requests):,} tickets…"):
            result = bench_triage(Triager.for_workspace(ws.path), requests)
    if as_json:
        print_json(result)
        return
    table = Table("measure", "value", title="Triage speed (one process)")
    for key, value in result.items():
        if isinstance(value, dict):
            for part, rate in value.items():
                table.add_row(f"{part} per second", f"{rate:,.0f}")
        else:
            table.add_row(key, str(value))
    console.print(table)


def _load_table(title: str, rows: dict[str, dict[str, Any]]) -> Table:
    table = Table("endpoint", "requests", "req/s", "p50 ms", "p99 ms", "errors", title=title)
    for name, r in rows.items():
        table.add_row(
            name,
            str(r["requests"]),
            f"{r['requests_per_s']:,.1f}",
            str(r["p50_ms"]),
            str(r["p99_ms"]),
            str(r["errors"]),
        )
    return table


@bench_app.command("api")
def bench_api_command(
    workspace: WorkspaceOption = DEFAULT_WORKSPACE,
    duration: Annotated[
        float, typer.Option(min=1, max=300, help="Seconds of load per endpoint.")
    ] = 20.0,
    concurrency: Annotated[int, typer.Option(min=1, max=64, help="Client threads.")] = 8,
    workers: Annotated[int, typer.Option(min=1, max=16, help="uvicorn workers.")] = 2,
    as_json: JsonOption = False,
) -> None:
    """Requests/s and p50/p99 latency of POST /triage and GET /tickets?limit=50 against
    `casework serve` started on a free loopback port (a subprocess)."""
    from casework.bench.api_load import bench_api

    with console.status(f"Loading the API for {2 * duration:.0f} s…"):
        result = _run_bench(lambda: bench_api(workspace, duration, concurrency, workers))
    if as_json:
        print_json(result)
        return
    title = (
        f"API load ({result['backend']}, {workers} workers, {concurrency} client threads, "
        f"{result['cpus']} CPUs)"
    )
    console.print(_load_table(title, result["endpoints"]))


@bench_app.command("webhooks")
def bench_webhooks_command(
    workspace: WorkspaceOption = DEFAULT_WORKSPACE,
    duration: Annotated[float, typer.Option(min=2, max=300, help="Seconds of deliveries.")] = 20.0,
    concurrency: Annotated[int, typer.Option(min=1, max=64, help="Sender threads.")] = 8,
    workers: Annotated[int, typer.Option(min=1, max=16, help="uvicorn workers.")] = 2,
    settle: Annotated[
        float, typer.Option(min=0, max=600, help="Seconds to wait for processing after.")
    ] = 60.0,
    as_json: JsonOption = False,
) -> None:
    """Signed generic webhook deliveries while the server is SIGKILLed once mid-run and
    restarted: deliveries/s, and acknowledged vs stored (must be equal). Exit 1 if not."""
    from casework.bench.api_load import bench_webhooks

    with console.status(f"Sending webhooks for {duration:.0f} s, with one crash…"):
        result = _run_bench(
            lambda: bench_webhooks(workspace, duration, concurrency, workers, settle=settle)
        )
    if as_json:
        print_json(result)
    else:
        table = Table("measure", "value", title=f"Webhook ingest ({result['backend']})")
        for key, value in result.items():
            table.add_row(key, str(value))
        console.print(table)
    if not result["equal"]:
        raise typer.Exit(1)


@bench_app.command("dashboard")
def bench_dashboard_command(
    workspace: WorkspaceOption = DEFAULT_WORKSPACE,
    repeats: Annotated[int, typer.Option(min=1, max=200, help="Requests per page.")] = 15,
    as_json: JsonOption = False,
) -> None:
    """Server-side render time of the dashboard's pages (the review queue's first and last
    page, filtered, and every other page), in process; the queue size is printed."""
    from casework.bench.dashboard_render import bench_dashboard

    with open_workspace(workspace) as ws, console.status("Rendering dashboard pages…"):
        result = _run_bench(lambda: bench_dashboard(ws, repeats))
    if as_json:
        print_json(result)
        return
    table = Table(
        "page", "first ms", "median ms", "p90 ms", "max ms", "KB",
        title=f"Dashboard render ({result['backend']}, {result['waiting']:,} waiting for review, "
        f"{repeats} requests each)",
    )  # fmt: skip
    for row in result["pages"]:
        times = [str(row[k]) for k in ("first_ms", "median_ms", "p90_ms", "max_ms")]
        table.add_row(row["path"], *times, str(row["bytes"] // 1024))
    console.print(table)


def _run_bench(run: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    try:
        return run()
    except ModuleNotFoundError as exc:
        err_console.print(f"[red]error:[/red] the benchmark needs {exc.name}: pip install httpx")
        raise typer.Exit(2) from exc
    except RuntimeError as exc:
        err_console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
