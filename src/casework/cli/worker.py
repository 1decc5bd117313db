"""`casework worker`: start one worker process (needs CASEWORK_BROKER_URL)."""

from __future__ import annotations

import logging
from typing import Annotated

import typer

from casework.cli.common import WorkspaceOption, app, err_console, open_workspace
from casework.config import DEFAULT_WORKSPACE


@app.command("worker")
def worker_command(
    workspace: WorkspaceOption = DEFAULT_WORKSPACE,
    relay: Annotated[
        bool, typer.Option("--relay/--no-relay", help="Also publish the job outbox.")
    ] = True,
    threads: Annotated[int, typer.Option(min=1, max=64, help="Worker threads.")] = 1,
    metrics_port: Annotated[
        int | None, typer.Option(help="Serve this process's Prometheus metrics on this port.")
    ] = None,
) -> None:
    """Process queued jobs (tickets and batch jobs) until SIGTERM; run one per core.

    Loads the models once, holds at most CASEWORK_PREFETCH unacknowledged tasks,
    retries failures with backoff, then parks them as dead letters.
    """
    from casework.jobs.settings import job_settings

    settings = job_settings()
    if not settings.broker_url:
        err_console.print(
            "[red]error:[/red] CASEWORK_BROKER_URL is not set: without a broker everything "
            "runs in-process (`casework process`); set it to amqp://user:pass@host:5672/"
        )
        raise typer.Exit(2)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    try:
        from casework.jobs.broker import BrokerError
        from casework.jobs.worker import quiet_broker_client_logs, run_worker
    except ImportError as exc:
        err_console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    quiet_broker_client_logs()
    with open_workspace(workspace) as ws:
        try:
            run_worker(
                ws,
                settings,
                relay=relay,
                threads=threads,
                metrics_port=metrics_port,
                ready=lambda: err_console.print(
                    f"worker ready on queue {settings.queue!r} (prefetch {settings.prefetch})"
                ),
            )
        except BrokerError as exc:
            err_console.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(2) from exc
