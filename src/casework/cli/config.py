"""`casework config …`: check, apply, inspect and publish the workspace config.

Exit codes follow the rest of the CLI: 0 done, 1 the config was refused (each
problem printed as `file:line: field: message`), 2 the command could not run
(unreadable file, unknown version, database unavailable).
"""

from __future__ import annotations

import getpass
from datetime import timedelta
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.markup import escape
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
from casework.config.loader import ConfigError, load_config_text, read_config_text

config_app = typer.Typer(
    help="The workspace config (casework.yaml): validate, apply, show, history, schema.",
    no_args_is_help=True,
)
app.add_typer(config_app, name="config")

FileArgument = Annotated[
    Path,
    typer.Argument(exists=True, dir_okay=False, readable=True, help="A casework.yaml file."),
]


def _read(path: Path) -> str:
    try:
        return read_config_text(path)
    except OSError as exc:
        err_console.print(
            f"[red]error:[/red] cannot read {escape(str(path))}: {exc.strerror or exc}"
        )
        raise typer.Exit(2) from exc


def _refuse(exc: ConfigError, path: Path, as_json: bool, extra: dict[str, object]) -> NoReturn:
    """Print every problem and exit 1: for people on stderr, for scripts as JSON."""
    if as_json:
        print_json({**extra, "file": str(path), "valid": False,
                    "errors": [p.to_dict() for p in exc.problems]})  # fmt: skip
    else:
        count = len(exc.problems)
        err_console.print(
            f"[red]{escape(str(path))} is invalid[/red] ({count} problem{'s' * (count != 1)}):"
        )
        for problem in exc.problems:
            err_console.print(f"  {problem}", markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(1)


@config_app.command("validate")
def validate(path: FileArgument, as_json: JsonOption = False) -> None:
    """Check a config file without applying it; exit 1 listing every problem by line."""
    text = _read(path)
    try:
        config = load_config_text(text, str(path))
    except ConfigError as exc:
        _refuse(exc, path, as_json, {})
    summary = {"queues": len(config.queues), "rules": len(config.rules)}
    if as_json:
        print_json({"file": str(path), "valid": True, "errors": [], **summary})
    else:
        console.print(
            f"[green]{escape(str(path))} is valid[/green]: "
            f"{summary['queues']} queues, {summary['rules']} rules.",
            soft_wrap=True,
        )


@config_app.command("apply")
def apply(
    path: FileArgument,
    author: Annotated[
        str | None, typer.Option(help="Who accepts this change (default: your login name).")
    ] = None,
    workspace: WorkspaceOption = DEFAULT_WORKSPACE,
    as_json: JsonOption = False,
) -> None:
    """Validate FILE and make it the workspace's new config version (refused if invalid)."""
    from casework.config.versions import ConcurrentApply, active_version, apply_config

    text = _read(path)
    with open_workspace(workspace) as ws:
        before = active_version(ws).version
        try:
            applied = apply_config(ws, text, author or _login(), str(path))
        except ConfigError as exc:
            _refuse(exc, path, as_json, {"applied": False, "active_version": before})
        except ConcurrentApply as exc:
            err_console.print(f"[red]error:[/red] {escape(str(exc))}")
            raise typer.Exit(2) from exc
    changed = applied.version != before
    if as_json:
        print_json({"applied": changed, "file": str(path), **applied.to_dict()})
    elif not changed:
        console.print(f"No change: {path} is already version {applied.version}.", soft_wrap=True)
    else:
        added, removed = applied.diff_stat()
        console.print(
            f"Applied {path} as config version [bold]{applied.version}[/bold] by {applied.author} "
            f"(+{added} −{removed} lines). `casework config show --version {applied.version} "
            "--diff` shows the change."
        )


@config_app.command("dry-run")
def dry_run_command(
    path: FileArgument,
    since: Annotated[
        str | None, typer.Option(help="Only tickets created within this period, e.g. 30d, 12h, 6w.")
    ] = None,
    examples: Annotated[int, typer.Option(min=0, max=100, help="Changed tickets to show.")] = 5,
    workspace: WorkspaceOption = DEFAULT_WORKSPACE,
    as_json: JsonOption = False,
) -> None:
    """Replay stored tickets through FILE's rules: what would route, escalate or automate
    differently. Changes nothing."""
    from casework.pipeline.dry_run import dry_run

    text = _read(path)
    try:
        proposed = load_config_text(text, str(path))
    except ConfigError as exc:
        _refuse(exc, path, as_json, {"dry_run": False})
    period = _period(since) if since else None
    with open_workspace(workspace) as ws:
        report = dry_run(ws, proposed, period, examples)
    if as_json:
        print_json({"file": str(path), **report})
        return
    console.print(
        f"{report['would_change']:,} of {report['tickets']:,} tickets would change under {path} "
        f"(vs version {report['current_version']}): queue {report['queue_changed']:,}, "
        f"escalation {report['escalation_changed']:,}, automation "
        f"{report['automation_changed']:,}, priority {report['priority_changed']:,} "
        f"— {report['seconds']:.1f}s, nothing written.",
        soft_wrap=True,
    )
    for example in report["examples"]:
        before, after = example["before"], example["after"]
        console.print(
            f"  ticket {example['ticket_id']}: "
            + ", ".join(
                f"{k} {before[k2]} → {after[k2]}" for k, k2 in _FIELDS if k in example["changed"]
            ),
            markup=False,
        )


_FIELDS = (("queue", "queue"), ("escalation", "escalate"), ("automation_level", "automation_level"),
           ("priority", "priority"))  # fmt: skip


def _period(text: str) -> timedelta:
    units = {"h": "hours", "d": "days", "w": "weeks"}
    number, unit = text[:-1], text[-1:].lower()
    if unit not in units or not number.isdigit():
        err_console.print(f"[red]error:[/red] --since expects e.g. 30d, 12h or 6w, got {text!r}")
        raise typer.Exit(2)
    return timedelta(**{units[unit]: int(number)})


@config_app.command("show")
def show(
    version: Annotated[
        int | None,
        typer.Option("--version", min=0, help="A stored version (0: the bundled default)."),
    ] = None,
    diff: Annotated[
        bool, typer.Option("--diff", help="Print the change against the previous version.")
    ] = False,
    workspace: WorkspaceOption = DEFAULT_WORKSPACE,
    as_json: JsonOption = False,
) -> None:
    """Print the config in force (or --version N) exactly as written; header on stderr."""
    from casework.config.versions import (
        VersionNotFound,
        active_version,
        mirror_differs,
        show_version,
    )

    with open_workspace(workspace) as ws:
        try:
            shown = active_version(ws) if version is None else show_version(ws, version)
            edited = version is None and mirror_differs(ws)
        except (VersionNotFound, ConfigError) as exc:
            err_console.print(f"[red]error:[/red] {escape(str(exc))}")
            raise typer.Exit(2) from exc
    if as_json:
        data = shown.to_dict(content=True)
        try:
            data["config"] = shown.config.model_dump(mode="json")
        except ConfigError as exc:
            data["errors"] = [p.to_dict() for p in exc.problems]
        print_json(data)
        return
    when = f" at {shown.created_at:%Y-%m-%d %H:%M} UTC" if shown.created_at else ""
    origin = {"store": f"by {shown.author}{when}", "file": "workspace file, not yet applied"}
    err_console.print(f"# config version {shown.version} ({origin.get(shown.source, 'default')})")
    if edited:
        err_console.print(
            "[yellow]note:[/yellow] casework.yaml was edited after this version; it is not in "
            "force until `casework config apply`."
        )
    text = shown.diff if diff else shown.content
    typer.echo(text if text.endswith("\n") or not text else text + "\n", nl=False)


@config_app.command("history")
def history(
    limit: Annotated[int, typer.Option(min=1, help="Show at most this many versions.")] = 50,
    workspace: WorkspaceOption = DEFAULT_WORKSPACE,
    as_json: JsonOption = False,
) -> None:
    """Every applied config version, newest first: who, when, and how much changed."""
    from casework.config.versions import list_versions

    with open_workspace(workspace) as ws:
        versions = list_versions(ws, limit)
    if as_json:
        print_json({"versions": [v.to_dict() for v in versions]})
        return
    if not versions:
        console.print(
            "No config applied yet: the workspace's casework.yaml, or else the bundled default, "
            "is in force as version 0. Apply one with `casework config apply FILE`."
        )
        return
    table = Table("version", "applied (UTC)", "author", "sha256", "changes")
    for v in versions:
        added, removed = v.diff_stat()
        stamp = f"{v.created_at:%Y-%m-%d %H:%M}" if v.created_at else "-"
        table.add_row(str(v.version), stamp, v.author, v.sha256[:12], f"+{added} −{removed}")
    console.print(table)


@config_app.command("schema")
def schema() -> None:
    """Print the JSON schema of casework.yaml, for editors and CI checks."""
    from casework.config.schema import WorkspaceConfig

    data = WorkspaceConfig.model_json_schema()
    data = {"$schema": "https://json-schema.org/draft/2020-12/schema", **data}
    print_json(data)


def _login() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
