"""`casework bench …`: speed benchmarks, printed as a table or JSON."""

from __future__ import annotations

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
