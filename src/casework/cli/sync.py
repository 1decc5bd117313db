"""`casework sync zendesk`: pull a Zendesk account's changes into the workspace, resumably."""

from __future__ import annotations

import os
from dataclasses import asdict
from typing import Annotated

import typer

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

sync_app = typer.Typer(
    help="Live helpdesk syncs through the incremental exports; each run resumes where the "
    "last one stopped.",
    no_args_is_help=True,
)
app.add_typer(sync_app, name="sync")


@sync_app.command("zendesk")
def sync_zendesk(
    subdomain: Annotated[str, typer.Option(help="The account: <subdomain>.zendesk.com.")],
    email: Annotated[str, typer.Option(help="Email of the agent whose API token is used.")],
    token_env: Annotated[
        str,
        typer.Option(help="Name of the environment variable holding the API token."),
    ] = "ZENDESK_API_TOKEN",
    start_time: Annotated[
        str | None,
        typer.Option(
            help="First sync only: start here (Unix seconds or a date such as 2024-01-31); "
            "default: the beginning. Later runs resume from the stored positions."
        ),
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option(help="API base URL instead of https://<subdomain>.zendesk.com (a proxy)."),
    ] = None,
    workspace: WorkspaceOption = DEFAULT_WORKSPACE,
    as_json: JsonOption = False,
) -> None:
    """Sync tickets, users, comments and status history from Zendesk (idempotent, resumable).

    Exits 1 when some tickets could not be stored (listed), 2 on a usage or API error.
    """
    from casework.sync import SyncError, ZendeskClient, ZendeskSync
    from casework.sync.zendesk import SyncResult, parse_start_time

    token = os.environ.get(token_env, "")
    if not token:
        err_console.print(f"[red]error:[/red] the environment variable {token_env} is not set")
        raise typer.Exit(2)
    try:
        start = parse_start_time(start_time) if start_time else None
    except ValueError as exc:
        err_console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    client = ZendeskClient(subdomain, email, token, base_url=base_url)

    def progress(result: SyncResult) -> None:
        if not as_json:
            err_console.print(
                f"  page {result.ticket_pages}: {result.created} created, "
                f"{result.updated} updated, {result.unchanged} unchanged",
                highlight=False,
            )

    try:
        with open_workspace(workspace) as ws:
            result = ZendeskSync(ws, client, progress=progress).run(start)
    except SyncError as exc:
        err_console.print(f"[red]error:[/red] {exc} (run again to resume)")
        raise typer.Exit(2) from exc
    finally:
        client.close()
    if as_json:
        print_json(asdict(result))
    else:
        console.print(
            f"{result.created} created, {result.updated} updated, {result.unchanged} unchanged, "
            f"{result.failed} failed from {result.ticket_pages} ticket pages and "
            f"{result.events} events in {result.seconds:.1f}s"
            + (
                f" (waited {result.waited_seconds:.0f}s for rate limits)"
                if result.waited_seconds
                else ""
            )
        )
        for error in result.errors[:20]:
            err_console.print(f"  [red]✗[/red] {error}")
    if result.failed:
        raise typer.Exit(1)
