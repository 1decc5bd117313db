"""`casework keys …` and `casework serve`: API keys with roles, and the REST API."""

from __future__ import annotations

import getpass
import os
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

keys_app = typer.Typer(
    help="API keys for the REST API: create (shown once), list, revoke.", no_args_is_help=True
)
app.add_typer(keys_app, name="keys")


def _actor() -> str:
    try:
        return f"user:{getpass.getuser()}"
    except OSError:
        return "user:unknown"


@keys_app.command("create")
def keys_create(
    role: Annotated[str, typer.Option(help="admin, lead, agent, analyst or assistant")],
    name: Annotated[str, typer.Option(help="Who or what uses the key, e.g. 'zendesk-bot'.")],
    workspace: WorkspaceOption = DEFAULT_WORKSPACE,
    as_json: JsonOption = False,
) -> None:
    """Create a key and print it ONCE: only its hash is stored."""
    from casework.api.keys import ApiKeyError, create_key

    with open_workspace(workspace) as ws:
        try:
            key, token = create_key(ws, name, role, _actor())
        except ApiKeyError as exc:
            err_console.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(2) from exc
    if as_json:
        print_json({**key.to_dict(), "key": token})
        return
    console.print(
        f"Created key {key.id} ({key.name}, role {key.role}). Copy it now; it is not shown again:"
    )
    typer.echo(token)


@keys_app.command("list")
def keys_list(
    workspace: WorkspaceOption = DEFAULT_WORKSPACE,
    as_json: JsonOption = False,
) -> None:
    """Keys with their role, prefix and state; never the secret."""
    from casework.api.keys import list_keys

    with open_workspace(workspace) as ws:
        keys = list_keys(ws)
    if as_json:
        print_json({"keys": [k.to_dict() for k in keys]})
        return
    table = Table("id", "name", "role", "prefix", "created", "revoked")
    for k in keys:
        revoked = k.revoked_at.isoformat()[:16] if k.revoked_at else ""
        table.add_row(
            str(k.id), k.name, k.role, k.prefix + "…", k.created_at.isoformat()[:16], revoked
        )
    console.print(table)


@keys_app.command("revoke")
def keys_revoke(
    key_id: Annotated[int, typer.Argument(help="Key id (see `casework keys list`).")],
    workspace: WorkspaceOption = DEFAULT_WORKSPACE,
    as_json: JsonOption = False,
) -> None:
    """Revoke a key at once; requests with it get 401 from then on."""
    from casework.api.keys import ApiKeyError, revoke_key

    with open_workspace(workspace) as ws:
        try:
            key = revoke_key(ws, key_id, _actor())
        except ApiKeyError as exc:
            err_console.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(1) from exc
    if as_json:
        print_json(key.to_dict())
    else:
        console.print(f"Key {key.id} ({key.name}) revoked.")


@app.command()
def serve(
    host: Annotated[
        str,
        typer.Option(envvar="CASEWORK_API_HOST", help="Interface to bind; loopback unless set."),
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option(envvar="CASEWORK_API_PORT", min=1, max=65535, help="TCP port.")
    ] = 8400,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="Worker processes (each a full app).")
    ] = 1,
    workspace: WorkspaceOption = DEFAULT_WORKSPACE,
) -> None:
    """Serve the dashboard (/dashboard/), the REST API (docs at /docs) and MCP (/mcp);
    every request needs an API key (the dashboard signs in with one)."""
    try:
        import uvicorn

        from casework.api.app import create_app
    except ModuleNotFoundError as exc:
        err_console.print(
            f"[red]error:[/red] the API needs {exc.name}: pip install 'casework[api]'"
        )
        raise typer.Exit(2) from exc
    with open_workspace(workspace) as ws:
        if host not in ("127.0.0.1", "localhost", "::1"):
            err_console.print(f"[yellow]warning:[/yellow] serving on {host}, beyond this machine")
        console.print(
            f"casework on http://{host}:{port}  (dashboard /dashboard/, API docs /docs, MCP /mcp)"
        )
        if workers == 1:
            uvicorn.run(create_app(ws), host=host, port=port, log_level="info")
            return
        # Workers import the app themselves: hand them the workspace through the environment.
        os.environ["CASEWORK_WORKSPACE"] = str(ws.path)
        os.environ["CASEWORK_DATABASE_URL"] = ws.database_url
    uvicorn.run(
        "casework.api.app:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
    )
