"""The audit log from the command line: prove it intact, read what happened."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

import typer
from rich.table import Table
from sqlalchemy import select

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
from casework.store.tables import AuditEventRow as Row

audit_app = typer.Typer(
    help="The tamper-evident audit log: verify its hash chain, list its events.",
    no_args_is_help=True,
)
app.add_typer(audit_app, name="audit")


@audit_app.command("verify")
def verify(workspace: WorkspaceOption = DEFAULT_WORKSPACE, as_json: JsonOption = False) -> None:
    """Check the hash chain: exit 0 if intact, 1 naming the first bad event and why, 2 if no key."""
    from casework.audit import AuditKeyError
    from casework.audit import verify as verify_chain

    with open_workspace(workspace) as ws:
        try:
            report = verify_chain(ws)
        except AuditKeyError as exc:
            err_console.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(2) from exc
    if as_json:
        print_json(asdict(report))
    elif report.ok:
        console.print(f"Audit log intact: {report.checked:,} events.")
        console.print(f"Head hash {report.head_hash}: keep it elsewhere to detect a cut-off tail.")
    else:
        err_console.print(f"[red]Audit log broken[/red] at {report.reason}", highlight=False)
        err_console.print(f"{report.checked:,} events before it verified.")
    if not report.ok:
        raise typer.Exit(1)


def _event(row: Row) -> dict[str, Any]:
    return {
        "seq": row.seq,
        "occurred_at": row.occurred_at.isoformat(),
        "actor": row.actor,
        "action": row.action,
        "object_type": row.object_type,
        "object_id": row.object_id,
        "versions": row.versions,
        "fields_read": row.fields_read,
        "details": row.details,
        "dedup_key": row.dedup_key,
        "hash": row.hash,
    }


@audit_app.command("log")
def log(
    workspace: WorkspaceOption = DEFAULT_WORKSPACE,
    object_type: Annotated[
        str | None, typer.Option("--object-type", help="e.g. ticket, config, draft.")
    ] = None,
    object_id: Annotated[str | None, typer.Option("--object-id", help="e.g. a ticket id.")] = None,
    action: Annotated[
        str | None, typer.Option(help="e.g. triage, route, escalate, review.accept.")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=100_000)] = 50,
    as_json: JsonOption = False,
) -> None:
    """List audit events, newest first: who or what acted, on what, with which versions."""
    query = select(Row).order_by(Row.seq.desc()).limit(limit)
    for column, value in ((Row.object_type, object_type), (Row.object_id, object_id),
                          (Row.action, action)):  # fmt: skip
        if value is not None:
            query = query.where(column == value)
    with open_workspace(workspace) as ws, ws.session() as s:
        events = [_event(row) for row in s.scalars(query)]
    if as_json:
        print_json(events)
        return
    if not events:
        console.print("No audit events match.")
        return
    table = Table()
    for name in ("seq", "when (UTC)", "actor", "action", "object", "versions"):
        table.add_column(name, overflow="fold")  # an audit listing hides nothing behind "…"
    for e in events:
        table.add_row(
            str(e["seq"]),
            e["occurred_at"][:19].replace("T", " "),
            e["actor"],
            e["action"],
            f"{e['object_type']}/{e['object_id']}",
            " ".join(f"{k}={v}" for k, v in e["versions"].items()),
        )
    console.print(table)
