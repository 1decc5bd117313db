"""What every command shares: the app, options, output and workspace opening."""

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

from casework import Workspace
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


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, default=str) + "\n")


@contextmanager
def open_workspace(path: Path) -> Iterator[Workspace]:
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
def progress_bar(description: str, total: float | None, enabled: bool) -> Iterator[Progress]:
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


def safe_url(ws: Workspace) -> str:
    from sqlalchemy.engine import make_url

    return make_url(ws.database_url).render_as_string(hide_password=True)
