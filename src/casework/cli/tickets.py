"""Looking at stored tickets."""

from __future__ import annotations

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
)
from casework.config import DEFAULT_WORKSPACE
from casework.domain import TicketStatus
from casework.store import repository as repo
from casework.store.tables import DraftRow
from casework.store.trail import triage_summary

tickets_app = typer.Typer(help="Look at stored tickets.", no_args_is_help=True)
app.add_typer(tickets_app, name="tickets")


@tickets_app.command("list")
def tickets_list(
    workspace: WorkspaceOption = DEFAULT_WORKSPACE,
    status: Annotated[
        TicketStatus | None, typer.Option(help="Only tickets with this status.")
    ] = None,
    queue: Annotated[str | None, typer.Option(help="Queue key or name.")] = None,
    source: Annotated[str | None, typer.Option(help="e.g. zendesk, freshdesk, demo")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 20,
    after: Annotated[
        int | None, typer.Option(help="Cursor: show tickets with id below this.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """List tickets, newest first (use --after with the last id for the next page)."""
    with open_workspace(workspace) as ws, ws.session() as s:
        rows = repo.list_tickets(
            s,
            repo.TicketFilter(
                status=status, queue=queue, source=source, after_id=after, limit=limit
            ),
        )
        items: list[dict[str, Any]] = [
            {
                "id": t.id,
                "source": t.source,
                "external_id": t.external_id,
                "subject": t.subject,
                "status": t.status,
                "priority": t.priority,
                "queue": t.queue.key if t.queue else None,
                "channel": t.channel,
                "created_at": t.created_at.isoformat(),
            }
            for t in rows
        ]
    if as_json:
        print_json(
            {"tickets": items, "next_after": items[-1]["id"] if len(items) == limit else None}
        )
        return
    table = Table("id", "created", "status", "priority", "queue", "subject")
    for item in items:
        table.add_row(
            str(item["id"]),
            item["created_at"][:16].replace("T", " "),
            item["status"],
            item["priority"] or "",
            item["queue"] or "",
            (item["subject"] or "")[:60],
        )
    console.print(table)
    if len(items) == limit:
        console.print(f"More: casework tickets list --after {items[-1]['id']}")


@tickets_app.command("show")
def tickets_show(
    ticket_id: Annotated[int, typer.Argument(help="casework's ticket id (see `tickets list`).")],
    workspace: WorkspaceOption = DEFAULT_WORKSPACE,
    as_json: JsonOption = False,
) -> None:
    """Show one ticket with its conversation and status history."""
    with open_workspace(workspace) as ws, ws.session() as s:
        t = repo.get_ticket(s, ticket_id)
        if t is None:
            err_console.print(f"[red]error:[/red] no ticket with id {ticket_id}")
            raise typer.Exit(1)
        data: dict[str, Any] = {
            "id": t.id,
            "source": t.source,
            "external_id": t.external_id,
            "subject": t.subject,
            "status": t.status,
            "priority": t.priority,
            "channel": t.channel,
            "queue": t.queue.name if t.queue else None,
            "assignee": t.assignee.name if t.assignee else None,
            "requester": {"name": t.requester.name, "email": t.requester.email}
            if t.requester
            else None,
            "tags": t.tags,
            "created_at": t.created_at.isoformat(),
            "solved_at": t.solved_at.isoformat() if t.solved_at else None,
            "satisfaction": t.satisfaction,
            "messages": [
                {
                    "author_role": m.author_role,
                    "author_name": m.author_name,
                    "public": m.public,
                    "created_at": m.created_at.isoformat(),
                    "body": m.body,
                }
                for m in t.messages
            ],
            "triage": triage_summary(repo.latest_triage(s, t.id)),
            "draft": _draft_summary(repo.latest_draft(s, t.id)),
            "changes": [
                {
                    "field": c.field,
                    "from": c.old_value,
                    "to": c.new_value,
                    "at": c.changed_at.isoformat(),
                    "actor": c.actor,
                }
                for c in t.changes
            ],
        }
    if as_json:
        print_json(data)
        return
    console.print(
        f"[bold]#{data['id']} {data['subject']}[/bold]  ({data['source']} {data['external_id']})"
    )
    console.print(
        f"status {data['status']} · priority {data['priority'] or '-'} · "
        f"queue {data['queue'] or '-'} · assignee {data['assignee'] or '-'} · "
        f"channel {data['channel'] or '-'}"
    )
    for m in data["messages"]:
        note = " [dim](internal note)[/dim]" if not m["public"] else ""
        who = m["author_name"] or m["author_role"]
        console.print(
            f"\n[bold]{who}[/bold] [dim]{m['author_role']} · {m['created_at'][:16]}[/dim]{note}"
        )
        console.print(m["body"], markup=False)
    if data["triage"]:
        tr = data["triage"]
        console.print(
            f"\n[bold]Triage[/bold] ({tr['model_version']}): intent {tr['intent']} "
            f"({tr['intent_confidence']:.0%}) · urgency {tr['urgency']} · sentiment "
            f"{tr['sentiment']} ({tr['sentiment_score']:+.2f})"
            + (" · frustrated" if tr["frustration"] else "")
        )
        for field in tr["missing"]:
            console.print(f"  missing {field['field']}: {field['question']}", markup=False)
        for reason in tr["reasons"].get("intent", []):
            console.print(f"  · {reason}", markup=False)
    if data["draft"]:
        draft = data["draft"]
        console.print(
            f"\n[bold]Draft[/bold] ({draft['method']}, confidence {draft['confidence']:.2f}, "
            f"{draft['state']}):"
        )
        console.print(draft["text"], markup=False)
        for citation in draft["citations"]:
            console.print(
                f"  source: {citation['title']} ({citation['external_id']} v{citation['version']})",
                markup=False,
            )
        for reason in draft["low_confidence_reasons"] + draft["warnings"]:
            console.print(f"  ! {reason}", markup=False)
    if data["changes"]:
        console.print("\n[bold]History[/bold]")
        for c in data["changes"]:
            console.print(f"  {c['at'][:16]}  {c['field']}: {c['from'] or '-'} → {c['to']}")


def _draft_summary(row: DraftRow | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {
        "id": row.id,
        "method": row.method,
        "state": row.state,
        "text": row.text,
        "confidence": row.confidence,
        "citations": row.citations,
        "context_used": row.context_used,
        "low_confidence_reasons": row.low_confidence_reasons,
        "warnings": row.warnings,
        "machine_written": row.machine_written,
    }
