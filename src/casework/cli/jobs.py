"""`casework jobs …`: the queue's state, dead letters, retries, the relay and backfills."""

from __future__ import annotations

import threading
import time
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
)
from casework.config import DEFAULT_WORKSPACE

jobs_app = typer.Typer(help="Workers' jobs: status, dead letters, retry, relay, backfill.",
                       no_args_is_help=True)  # fmt: skip
app.add_typer(jobs_app, name="jobs")


def print_status(data: dict[str, Any]) -> None:
    from casework.jobs.outbox import STATES

    table = Table(title=f"Jobs (rates over the last {data['window_seconds']}s)")
    table.add_column("kind")
    for state in STATES:
        table.add_column(state, justify="right")
    table.add_column("jobs/s", justify="right")
    for kind, entry in sorted(data["jobs"].items()):
        table.add_row(kind, *(f"{entry[s]:,}" for s in STATES), f"{entry['jobs_per_second']}")
    console.print(table)
    for stage, entry in data["stages"].items():
        console.print(f"stage {stage:>6}: {entry['done']:,} done, {entry['per_second']}/s")
    console.print(f"outbox backlog: {data['outbox_backlog']:,} job(s) not yet published")
    dead = data["dead_letters"]
    console.print(f"dead letters: {dead['count']:,}")
    for item in dead["items"]:
        tickets = ", ".join(map(str, item["ticket_ids"][:10]))
        err_console.print(
            f"  [red]#{item['id']}[/red] job {item['job_id']} ({item['kind']}, "
            f"{item['attempts']} attempts) tickets [{tickets}]: {item['error']}"
        )
    if dead["count"]:
        console.print("retry with: casework jobs retry ID… (or --all)")


@jobs_app.command("status")
def jobs_status(
    workspace: WorkspaceOption = DEFAULT_WORKSPACE,
    dead_limit: Annotated[int, typer.Option(min=0, help="Dead letters to list.")] = 20,
    as_json: JsonOption = False,
) -> None:
    """Queued, running, done, failed and dead jobs per kind, with rates and dead letters."""
    from casework.jobs.status import status

    with open_workspace(workspace) as ws:
        data = status(ws, dead_limit)
    if as_json:
        print_json(data)
    else:
        print_status(data)


@jobs_app.command("retry")
def jobs_retry(
    ids: Annotated[list[int] | None, typer.Argument(help="Dead-letter ids.")] = None,
    every: Annotated[bool, typer.Option("--all", help="Retry every dead letter.")] = False,
    workspace: WorkspaceOption = DEFAULT_WORKSPACE,
    as_json: JsonOption = False,
) -> None:
    """Queue dead letters again as new jobs (through the outbox)."""
    from casework.jobs.status import retry

    with open_workspace(workspace) as ws:
        try:
            retried = retry(ws, ids or [], every)
        except ValueError as exc:
            err_console.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(2) from exc
    if as_json:
        print_json({"retried": retried})
        return
    for item in retried:
        console.print(
            f"dead letter #{item['dead_letter']} → job {item['job_id']} ({item['tickets']} tickets)"
        )
    if not retried:
        console.print("no dead letters to retry")


@jobs_app.command("relay")
def jobs_relay(
    workspace: WorkspaceOption = DEFAULT_WORKSPACE,
    follow: Annotated[
        bool, typer.Option("--follow", help="Keep publishing until interrupted.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Publish the job outbox to the broker (workers do this too); once, or with --follow."""
    from casework.jobs.settings import job_settings

    settings = job_settings()
    if not settings.broker_url:
        err_console.print("[red]error:[/red] CASEWORK_BROKER_URL is not set")
        raise typer.Exit(2)
    from casework.jobs.broker import Publisher
    from casework.jobs.outbox import relay_once
    from casework.jobs.worker import quiet_broker_client_logs, relay_loop

    quiet_broker_client_logs()
    with open_workspace(workspace) as ws:
        if follow:
            stop = threading.Event()
            try:
                relay_loop(ws, settings, stop)
            except KeyboardInterrupt:
                stop.set()
            return
        publisher = Publisher(settings)
        total = 0
        try:
            while sent := relay_once(ws, publisher, batch_size=settings.job_batch_size):
                total += sent
        except Exception as exc:
            err_console.print(f"[red]error:[/red] broker unreachable: {exc}; {total} published")
            raise typer.Exit(1) from exc
        finally:
            publisher.close()
    if as_json:
        print_json({"published": total})
    else:
        console.print(f"published {total:,} job(s)")


def enqueue_backfill(ws: Any, as_json: bool, batch_size: int | None = None) -> dict[str, int]:
    """Queue every unprocessed ticket in batches, with progress; used by `process` too."""
    from casework.jobs.outbox import backfill
    from casework.jobs.settings import job_settings

    size = batch_size or job_settings().job_batch_size
    with progress_bar("Queueing", None, not as_json) as bar:
        task = bar.task_ids[0]
        return backfill(
            ws, size, progress=lambda done, total: bar.update(task, completed=done, total=total)
        )


@jobs_app.command("backfill")
def jobs_backfill(
    workspace: WorkspaceOption = DEFAULT_WORKSPACE,
    batch_size: Annotated[int | None, typer.Option(min=1, max=5000)] = None,
    wait: Annotated[
        bool, typer.Option("--wait", help="Show progress until every queued job is finished.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Queue every ticket not processed yet, in batches of ticket ids, for the workers."""
    with open_workspace(workspace) as ws:
        result: dict[str, Any] = dict(enqueue_backfill(ws, as_json, batch_size))
        if wait:
            result.update(wait_for_jobs(ws, as_json))
    if as_json:
        print_json(result)
    else:
        console.print(
            f"queued {result['tickets']:,} tickets in {result['jobs']:,} jobs "
            f"({result['already_queued']:,} already queued)"
        )


def wait_for_jobs(ws: Any, as_json: bool, poll: float = 1.0) -> dict[str, Any]:
    """Block until no process job is pending, queued, running or failed; progress in tickets."""
    from sqlalchemy import func, select

    from casework.jobs.outbox import ACTIVE, PROCESS
    from casework.store.tables import JobRow, StageResultRow

    started = time.perf_counter()
    with ws.session() as s:
        base = int(s.scalar(select(func.count()).select_from(StageResultRow)) or 0)
    with progress_bar("Processing (stage results)", None, not as_json) as bar:
        task = bar.task_ids[0]
        while True:
            with ws.session() as s:
                active = s.execute(
                    select(JobRow.state, func.count())
                    .where(JobRow.kind == PROCESS, JobRow.state.in_(ACTIVE))
                    .group_by(JobRow.state)
                ).all()
                done = int(s.scalar(select(func.count()).select_from(StageResultRow)) or 0)
            bar.update(task, completed=done - base)
            if not active:
                break
            time.sleep(poll)
    seconds = time.perf_counter() - started
    return {"stage_results_added": done - base, "seconds": round(seconds, 1)}


@jobs_app.command("enqueue")
def jobs_enqueue(
    kind: Annotated[
        str,
        typer.Argument(help="train, insights, qa, report, metrics, purge or writeback."),
    ],
    week: Annotated[str | None, typer.Option(help="For report: the ISO week.")] = None,
    workspace: WorkspaceOption = DEFAULT_WORKSPACE,
    as_json: JsonOption = False,
) -> None:
    """Queue a batch job (training, insights refresh, QA scoring, weekly report, ticket
    metrics refresh, retention purge) for a worker; a timer can run it nightly."""
    from casework.jobs.outbox import BATCH_KINDS, WRITEBACK, enqueue

    if kind not in (*BATCH_KINDS, WRITEBACK):
        err_console.print(
            f"[red]error:[/red] unknown job kind {kind!r}; expected one of "
            f"{', '.join((*BATCH_KINDS, WRITEBACK))}"
        )
        raise typer.Exit(2)
    params = {"week": week} if week else {}
    with open_workspace(workspace) as ws, ws.session() as s:
        job_id = enqueue(s, kind, (), params).id
    if as_json:
        print_json({"job_id": job_id, "kind": kind})
    else:
        console.print(f"queued job {job_id} ({kind})")
