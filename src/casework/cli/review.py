"""`casework review …`: the queue of proposed routes and escalations, and the verdicts on them."""

from __future__ import annotations

import getpass
from typing import Annotated, Any

import typer
from rich.table import Table
from sqlalchemy import select
from sqlalchemy.orm import Session

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

review_app = typer.Typer(
    help="Review proposed routes and escalations: list, accept, override, feedback.",
    no_args_is_help=True,
)
app.add_typer(review_app, name="review")

ActorOption = Annotated[
    str | None, typer.Option("--actor", help="Who is acting (default: your login name).")
]


def _actor(actor: str | None) -> str:
    try:
        return actor or getpass.getuser()
    except OSError:
        return "unknown"


def _audit_hook(key: bytes) -> Any:
    from casework.audit import AuditEvent, append

    def write(
        session: Session, actor: str, action: str, object_id: str, details: dict[str, object]
    ) -> None:
        append(
            session,
            key,
            AuditEvent(
                actor=f"user:{actor}"[:128],
                action=action,
                object_type="draft" if action.startswith("draft.") else "routing_decision",
                object_id=object_id,
                details=dict(details),
            ),
        )

    return write


@review_app.command("list")
def review_list(
    workspace: WorkspaceOption = DEFAULT_WORKSPACE,
    state: Annotated[str, typer.Option(help="proposed, accepted or overridden")] = "proposed",
    queue: Annotated[str | None, typer.Option(help="Only this queue.")] = None,
    escalated: Annotated[bool, typer.Option("--escalated", help="Only escalations.")] = False,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 20,
    as_json: JsonOption = False,
) -> None:
    """Decisions waiting for a person, escalations and urgent ones first."""
    from casework.store.tables import RoutingDecisionRow as D

    order = {"urgent": 0, "high": 1, "normal": 2, "low": 3}
    with open_workspace(workspace) as ws, ws.session() as s:
        query = select(D).where(D.state == state)
        if queue:
            query = query.where(D.queue == queue)
        if escalated:
            query = query.where(D.escalate.is_(True))
        rows = list(s.scalars(query.order_by(D.escalate.desc(), D.id).limit(limit * 5)))
        rows.sort(key=lambda r: (not r.escalate, order.get(r.priority or "normal", 2), r.id))
        items = [
            {
                "id": r.id,
                "ticket_id": r.ticket_id,
                "queue": r.queue,
                "priority": r.priority,
                "decided_by": r.decided_by,
                "confidence": round(r.confidence, 3),
                "escalate": r.escalate,
                "owner": r.escalation_owner,
                "automation_level": r.automation_level,
                "summary": r.summary,
                "reasons": r.reasons,
                "escalation_reasons": r.escalation_reasons,
            }
            for r in rows[:limit]
        ]
    if as_json:
        print_json({"decisions": items})
        return
    table = Table("id", "ticket", "queue", "priority", "decided by", "escalate", "summary")
    for item in items:
        table.add_row(
            str(item["id"]),
            str(item["ticket_id"]),
            str(item["queue"]),
            str(item["priority"] or ""),
            str(item["decided_by"]),
            "yes" if item["escalate"] else "",
            str(item["summary"] or "")[:60],
        )
    console.print(table)


def _run(action: Any, as_json: bool) -> None:
    from casework.routing.review import ReviewError

    try:
        result = action()
    except ReviewError as exc:
        err_console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from exc
    if as_json:
        print_json(result)
    else:
        console.print(", ".join(f"{k} {v}" for k, v in result.items()))


@review_app.command("accept")
def review_accept(
    decision_id: Annotated[int, typer.Argument(help="Routing decision id (see review list).")],
    actor: ActorOption = None,
    workspace: WorkspaceOption = DEFAULT_WORKSPACE,
    as_json: JsonOption = False,
) -> None:
    """Accept a proposed route as it stands."""
    from casework.audit import load_key
    from casework.routing.review import accept
    from casework.writeback import enqueue_decision

    with open_workspace(workspace) as ws:
        hook = _audit_hook(load_key(ws))

        def action() -> dict[str, Any]:
            with ws.session() as s:
                return vars(accept(s, decision_id, _actor(actor), hook, enqueue_decision))

        _run(action, as_json)


@review_app.command("override")
def review_override(
    decision_id: Annotated[int, typer.Argument(help="Routing decision id.")],
    queue: Annotated[str, typer.Option(help="The queue it should go to.")],
    actor: ActorOption = None,
    workspace: WorkspaceOption = DEFAULT_WORKSPACE,
    as_json: JsonOption = False,
) -> None:
    """Send the ticket to another queue; the correction trains the next queue model."""
    from casework.audit import load_key
    from casework.config.versions import active_config
    from casework.routing.review import override
    from casework.writeback import enqueue_decision

    with open_workspace(workspace) as ws:
        hook = _audit_hook(load_key(ws))
        keys = {q.key for q in active_config(ws)[1].queues}

        def action() -> dict[str, Any]:
            with ws.session() as s:
                return vars(
                    override(s, decision_id, _actor(actor), queue, keys, hook, enqueue_decision)
                )

        _run(action, as_json)


@review_app.command("feedback")
def review_feedback(
    decision_id: Annotated[int, typer.Argument(help="Routing decision id.")],
    rating: Annotated[str, typer.Option(help="useful, incomplete, wrong or unsafe")],
    comment: Annotated[str | None, typer.Option(help="Optional words for the team.")] = None,
    actor: ActorOption = None,
    workspace: WorkspaceOption = DEFAULT_WORKSPACE,
    as_json: JsonOption = False,
) -> None:
    """Say what a suggestion was worth."""
    from casework.audit import load_key
    from casework.routing.review import give_feedback

    with open_workspace(workspace) as ws:
        hook = _audit_hook(load_key(ws))

        def action() -> dict[str, Any]:
            with ws.session() as s:
                row = give_feedback(s, "routing", decision_id, rating, _actor(actor), comment, hook)
                return {"feedback_id": row.id, "decision_id": decision_id, "rating": rating}

        _run(action, as_json)


@review_app.command("draft")
def review_draft_command(
    draft_id: Annotated[int, typer.Argument(help="Draft id (see `tickets show`).")],
    action: Annotated[str, typer.Option(help="approve, edit or reject")],
    text_file: Annotated[
        typer.FileText | None, typer.Option("--text-file", help="The edited reply, for edit.")
    ] = None,
    actor: ActorOption = None,
    workspace: WorkspaceOption = DEFAULT_WORKSPACE,
    as_json: JsonOption = False,
) -> None:
    """Approve a draft as written, approve it with edits (edit distance kept), or reject it."""
    from casework.audit import load_key
    from casework.routing.review import review_draft
    from casework.writeback import enqueue_draft

    if action not in ("approve", "edit", "reject"):
        err_console.print(
            f"[red]error:[/red] --action must be approve, edit or reject, got {action!r}"
        )
        raise typer.Exit(2)
    edited = text_file.read() if text_file is not None else None
    with open_workspace(workspace) as ws:
        hook = _audit_hook(load_key(ws))

        def run() -> dict[str, Any]:
            with ws.session() as s:
                row = review_draft(
                    s,
                    draft_id,
                    _actor(actor),
                    action,  # type: ignore[arg-type]
                    edited,
                    hook,
                    enqueue_draft,
                )
                return {"draft_id": row.id, "state": row.state, "edit_distance": row.edit_distance}

        _run(run, as_json)
