"""`casework writeback …`: send reviewed decisions back to the helpdesk, and show what is owed."""

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

writeback_app = typer.Typer(
    help="Write-back to the helpdesk: tags, fields, group and an internal note per reviewed "
    "decision or approved draft, sent from an outbox that keeps failures until they go through.",
    no_args_is_help=True,
)
app.add_typer(writeback_app, name="writeback")


@writeback_app.command("run")
def writeback_run(
    retry_failed: Annotated[
        bool, typer.Option("--retry-failed", help="Retry failed items now, not at their time.")
    ] = False,
    limit: Annotated[int, typer.Option(help="Send at most this many items.")] = 500,
    workspace: WorkspaceOption = DEFAULT_WORKSPACE,
    as_json: JsonOption = False,
) -> None:
    """Send the due write-backs; failed ones keep their error and are retried later (exit 1)."""
    from casework.writeback import HelpdeskClient, run_due, zendesk_from_env

    clients: dict[str, HelpdeskClient] = {}
    zendesk = zendesk_from_env()
    if zendesk is not None:
        clients["zendesk"] = zendesk
    with open_workspace(workspace) as ws:
        report = run_due(ws, clients, retry_failed=retry_failed, limit=limit)
    if as_json:
        print_json(vars(report))
    else:
        console.print(
            f"sent {report.sent}, failed {report.failed}, "
            f"waiting for a configured client {report.skipped}"
        )
        for error in report.errors:
            err_console.print(
                f"[red]failed[/red] #{error['id']} ticket {error['ticket_id']}: {error['error']}"
            )
    if report.skipped and zendesk is None:
        err_console.print(
            "[yellow]note:[/yellow] set CASEWORK_ZENDESK_URL, CASEWORK_ZENDESK_EMAIL and "
            "CASEWORK_ZENDESK_API_TOKEN to send Zendesk write-backs"
        )
    if report.failed:
        raise typer.Exit(1)


@writeback_app.command("status")
def writeback_status(
    workspace: WorkspaceOption = DEFAULT_WORKSPACE,
    as_json: JsonOption = False,
) -> None:
    """Pending, failed and sent write-backs, and each failure with its error."""
    from casework.writeback import status

    with open_workspace(workspace) as ws:
        data = status(ws)
    if as_json:
        print_json(data)
        return
    counts = data["counts"]
    console.print(f"pending {counts['pending']}, failed {counts['failed']}, sent {counts['sent']}")
    if data["failed"]:
        table = Table("id", "ticket", "kind", "attempts", "next attempt", "last error")
        for item in data["failed"]:
            table.add_row(
                str(item["id"]),
                str(item["ticket_id"]),
                f"{item['kind']} {item['object_id']}",
                str(item["attempts"]),
                item["next_attempt_at"][:19],
                str(item["last_error"] or "")[:80],
            )
        console.print(table)
