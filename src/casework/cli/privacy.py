"""`casework privacy …`: data-subject requests, retention, the egress record and the register.

Thin: each command parses, calls one function of `casework.privacy`, and prints.
Output names places, ids and counts; it never prints the personal data itself
(except `export`, whose whole point is to hand it to the person, into a file).
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
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

privacy_app = typer.Typer(
    help="Personal data: find, export or erase one person's data; retention; egress record; "
    "the record of processing.",
    no_args_is_help=True,
)
app.add_typer(privacy_app, name="privacy")

EmailOption = Annotated[str | None, typer.Option("--email", help="The person's email address.")]
PhoneOption = Annotated[str | None, typer.Option("--phone", help="The person's phone number.")]
CustomerOption = Annotated[
    str | None, typer.Option("--customer", help="Customer id or the helpdesk's external id.")
]


def _query(email: str | None, phone: str | None, customer: str | None) -> Any:
    from casework.privacy.subject import SubjectError, SubjectQuery

    try:
        return SubjectQuery(email=email, phone=phone, customer=customer)
    except SubjectError as exc:
        err_console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc


def _places_table(places: list[dict[str, Any]]) -> Table:
    table = Table()
    for name in ("place", "kind", "items", "note"):
        table.add_column(name, overflow="fold")
    for p in places:
        table.add_row(p["name"], p["kind"], f"{p['count']:,}", p["note"])
    return table


@privacy_app.command("reindex")
def reindex(workspace: WorkspaceOption = DEFAULT_WORKSPACE, as_json: JsonOption = False) -> None:
    """Build the personal-data index (keyed hashes) for every stored ticket, customer and
    article: once for a store imported before the index existed; safe to repeat."""
    from casework.privacy.index import reindex as run

    with (
        open_workspace(workspace) as ws,
        progress_bar("Indexing personal data", None, enabled=not as_json) as bar,
    ):
        task = bar.task_ids[0]
        stats = run(ws, progress=lambda done, total: bar.update(task, completed=done, total=total))
    result = vars(stats)
    if as_json:
        print_json(result)
    else:
        console.print(", ".join(f"{k} {v:,}" for k, v in result.items()))


@privacy_app.command("find")
def find(
    email: EmailOption = None,
    phone: PhoneOption = None,
    customer: CustomerOption = None,
    workspace: WorkspaceOption = DEFAULT_WORKSPACE,
    as_json: JsonOption = False,
) -> None:
    """Every place a person's data lives (tickets, messages, customers, orders, drafts, QA
    evidence, indexes, embeddings, LLM logs, workspace files), by keyed-hash lookup."""
    from casework.privacy.requests import find as run
    from casework.privacy.subject import SubjectError

    query = _query(email, phone, customer)
    with open_workspace(workspace) as ws:
        try:
            found = run(ws, query)
        except SubjectError as exc:
            err_console.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(2) from exc
    result = found.as_dict()
    if as_json:
        print_json(result)
        return
    if not result["found"]:
        console.print("Nobody in this workspace matches.")
    console.print(_places_table(result["places"]))
    console.print(f"{len(result['places'])} places checked in {found.seconds:.3f} s.")


@privacy_app.command("export")
def export(
    email: EmailOption = None,
    phone: PhoneOption = None,
    customer: CustomerOption = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Archive path (default exports/privacy/<request>.json)."),
    ] = None,
    request_id: Annotated[str | None, typer.Option("--request-id")] = None,
    workspace: WorkspaceOption = DEFAULT_WORKSPACE,
    as_json: JsonOption = False,
) -> None:
    """Write everything stored about a person as one JSON archive (mode 0600)."""
    from casework.privacy.requests import export as run
    from casework.privacy.subject import SubjectError

    query = _query(email, phone, customer)
    with open_workspace(workspace) as ws:
        try:
            path, found = run(ws, query, out, request_id)
        except SubjectError as exc:
            err_console.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(2) from exc
    result = {
        "archive": str(path),
        "found": found.subject.found,
        "places": len(found.places),
        "items": found.total,
    }
    if as_json:
        print_json(result)
    else:
        console.print(f"Wrote {path} ({found.total:,} items from {len(found.places)} places).")


@privacy_app.command("erase")
def erase(
    email: EmailOption = None,
    phone: PhoneOption = None,
    customer: CustomerOption = None,
    requested_by: Annotated[
        str, typer.Option("--by", help="Who asked for and authorised the erasure.")
    ] = "cli",
    request_id: Annotated[str | None, typer.Option("--request-id")] = None,
    workspace: WorkspaceOption = DEFAULT_WORKSPACE,
    as_json: JsonOption = False,
) -> None:
    """Erase a person everywhere (pseudonymise their record, redact their texts, drop their
    index entries, scrub files and indexes) and record it in the audit log (ids only)."""
    from casework.privacy.erase import erase as run
    from casework.privacy.subject import SubjectError

    query = _query(email, phone, customer)
    with open_workspace(workspace) as ws:
        try:
            report = run(ws, query, requested_by=requested_by, request_id=request_id)
        except SubjectError as exc:
            err_console.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(1) from exc
    result = report.as_dict()
    if as_json:
        print_json(result)
        return
    console.print(f"Erased ({report.request_id}, audit event {report.audit_seq}):")
    for place, n in result["changed"].items():
        console.print(f"  {place}: {n:,}")
    for label in ("files_deleted", "files_scrubbed", "index_rebuilt"):
        if result[label]:
            console.print(f"  {label.replace('_', ' ')}: {', '.join(result[label])}")
    console.print(f"in {report.seconds:.3f} s. Check the chain: casework audit verify")


@privacy_app.command("purge")
def purge(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Count what would change; change nothing.")
    ] = False,
    workspace: WorkspaceOption = DEFAULT_WORKSPACE,
    as_json: JsonOption = False,
) -> None:
    """Apply `privacy.retention`: replace raw text past its retention by the redacted form,
    drop what must go; the rows metrics count stay, so every metric is unchanged."""
    from casework.config.versions import active_config
    from casework.privacy.retention import purge as run

    with open_workspace(workspace) as ws:
        _, config = active_config(ws)
        report = run(ws, config.privacy.retention, dry_run=dry_run)
    result = report.as_dict()
    if as_json:
        print_json(result)
        return
    table = Table(title="Retention" + (" (dry run: nothing changed)" if dry_run else ""))
    for name in ("data class", "keep (days)", "past retention", "action"):
        table.add_column(name)
    for c in result["classes"]:
        days = "forever" if c["days"] is None else str(c["days"])
        table.add_row(c["name"], days, f"{c['count']:,}", c["action"])
    console.print(table)


class RegisterFormat(StrEnum):
    md = "md"
    html = "html"
    json = "json"


@privacy_app.command("register")
def register(
    fmt: Annotated[RegisterFormat, typer.Option("--format", help="md, html or json.")] = (
        RegisterFormat.md
    ),
    out: Annotated[Path | None, typer.Option("--out", help="Write to FILE.")] = None,
    workspace: WorkspaceOption = DEFAULT_WORKSPACE,
) -> None:
    """The record of processing (GDPR Art. 30 shape) built from the config in force: each
    stage, context provider and external provider, fields read, purpose, retention, what
    leaves and in which form, and which roles see raw data."""
    import json

    from casework.config.versions import active_config
    from casework.privacy.register import build_register, to_html, to_markdown

    with open_workspace(workspace) as ws:
        version, config = active_config(ws)
    record = build_register(config, version)
    if fmt is RegisterFormat.json:
        text = json.dumps(record.as_dict(), indent=2) + "\n"
    else:
        text = to_html(record) if fmt is RegisterFormat.html else to_markdown(record)
    if out is None:
        typer.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        err_console.print(f"wrote {out}")


@privacy_app.command("blocks")
def blocks(workspace: WorkspaceOption = DEFAULT_WORKSPACE, as_json: JsonOption = False) -> None:
    """What the egress guard redacted or blocked, per channel, role and type (counts only)."""
    from casework.privacy.records import egress_summary

    with open_workspace(workspace) as ws:
        rows = egress_summary(ws)
    if as_json:
        print_json(rows)
        return
    if not rows:
        console.print("The egress guard has recorded nothing yet.")
        return
    table = Table()
    for name in ("channel", "role", "action", "payloads", "found"):
        table.add_column(name)
    for r in rows:
        found = ", ".join(f"{t} {n:,}" for t, n in sorted(r["found"].items()))
        table.add_row(r["channel"], r["role"] or "-", r["action"], f"{r['payloads']:,}", found)
    console.print(table)
