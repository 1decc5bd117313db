"""Tickets: list with cursor pagination, show with the decision trail, triage a text, process."""

from __future__ import annotations

import threading
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from casework.api.deps import Caller, Cursor, RowId, require
from casework.api.errors import ApiError
from casework.api.views import Shown, ticket_detail, ticket_summary
from casework.config.versions import active_config
from casework.domain import TicketStatus
from casework.pipeline.route_stage import queue_model
from casework.privacy import egress
from casework.privacy.index import index_written
from casework.routing.router import Router
from casework.store import repository as repo
from casework.store.trail import ticket_trail
from casework.triage.engine import Triager
from casework.workspace import Workspace

router = APIRouter(tags=["tickets"])
MAX_PAGE = 200


class TicketPage(BaseModel):
    tickets: list[dict[str, Any]]
    next_after: int | None = Field(
        description="Pass as `after` for the next page; null on the last page."
    )


class TriageIn(BaseModel):
    text: str = Field(min_length=1, max_length=50_000, description="The customer's message.")
    customer_tier: str | None = Field(default=None, max_length=64, examples=["vip"])


@router.get("/tickets", response_model=TicketPage)
def list_tickets(
    caller: Annotated[Caller, Depends(require("tickets:read"))],
    status: TicketStatus | None = None,
    queue: Annotated[str | None, Query(max_length=128, description="Queue key or name.")] = None,
    source: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    after: Cursor = None,
) -> TicketPage:
    """Tickets newest first; subjects redacted unless the key's role has `tickets:raw`."""
    shown = Shown(caller.may("tickets:raw"))
    flt = repo.TicketFilter(
        status=status.value if status else None,
        queue=queue,
        source=source,
        after_id=after,
        limit=limit,
    )
    with caller.ws.session() as session:
        rows = repo.list_tickets(session, flt)
        items = [ticket_summary(t, shown) for t in rows]
        egress.flush(session)
    return TicketPage(tickets=items, next_after=items[-1]["id"] if len(items) == limit else None)


@router.get("/tickets/{ticket_id}")
def show_ticket(
    ticket_id: RowId, caller: Annotated[Caller, Depends(require("tickets:read"))]
) -> dict[str, Any]:
    """One ticket with its conversation, triage, routing decisions, drafts and audit events."""
    shown = Shown(caller.may("tickets:raw"))
    with caller.ws.session() as session:
        ticket = repo.get_ticket(session, ticket_id)
        if ticket is None:
            raise ApiError(404, f"no ticket with id {ticket_id}", "ticket_id")
        triage = repo.latest_triage(session, ticket_id)
        detail = ticket_detail(ticket, triage, ticket_trail(session, ticket_id), shown)
        egress.flush(session)
        return detail


_loading = threading.Lock()


def _triager(request: Request) -> Triager:
    """Loaded once per app: the model does not change under a running server."""
    state = request.app.state
    with _loading:  # concurrent first requests load it once, not once each
        if getattr(state, "triager", None) is None:
            state.triager = Triager.for_workspace(state.workspace.path)
    triager: Triager = state.triager
    return triager


def _router(request: Request, ws: Workspace) -> Router:
    """The router for the config and queue model in force, rebuilt only when either changes.

    Unpickling the queue model takes ~250 ms; done per request it held `POST /triage` to
    a few requests/s (found by `casework bench api`).
    """
    version, config = active_config(ws)
    latest = ws.path / "models" / "queue" / "latest"
    model_version = latest.read_text().strip() if latest.exists() else None
    state = request.app.state
    with _loading:
        cached: tuple[tuple[int, str | None], Router] | None = getattr(state, "router", None)
        if cached is None or cached[0] != (version, model_version):
            cached = ((version, model_version), Router(config, version, queue_model(ws.path)))
            state.router = cached
    return cached[1]


@router.post("/triage")
def triage_text(
    body: TriageIn,
    request: Request,
    caller: Annotated[Caller, Depends(require("triage:run"))],
) -> dict[str, Any]:
    """Triage, route and decide escalation for a text; stores nothing, returns no raw data."""
    from casework.pipeline.assess import assess_text

    routing = _router(request, caller.ws)
    return assess_text(_triager(request), routing, body.text, body.customer_tier)


@router.post("/process")
def process(caller: Annotated[Caller, Depends(require("process:run"))]) -> dict[str, Any]:
    """Triage, route and draft every pending ticket with the active models and config.

    With CASEWORK_BROKER_URL set, queues them for the workers and returns `queued`."""
    from casework.jobs.settings import broker_configured, job_settings
    from casework.pipeline import process_all

    if broker_configured():
        from casework.jobs.outbox import backfill

        queued = backfill(caller.ws, job_settings().job_batch_size)
        caller.record("api.process", "pipeline", "enqueue", queued)
        return {"queued": queued}

    report = process_all(caller.ws)
    result = {
        "triaged": report.triage.processed,
        "already_triaged": report.triage.already_done,
        "routed": report.routing.routed,
        "escalated": report.routing.escalated,
        "drafted": report.drafting.drafted,
        "config_version": report.routing.config_version,
        "model_version": report.triage.model_version,
    }
    caller.record("api.process", "pipeline", "process_all", result)
    return result


class TicketIn(BaseModel):
    subject: str = Field(default="", max_length=500)
    body: str = Field(min_length=1, max_length=100_000, description="The customer's message.")
    email: str | None = Field(default=None, max_length=320, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    channel: str | None = Field(default="api", max_length=64)
    external_id: str | None = Field(
        default=None, max_length=255, description="Your id; the same id again updates the ticket."
    )


@router.post("/tickets", status_code=201)
def create_ticket(
    body: TicketIn, caller: Annotated[Caller, Depends(require("tickets:write"))]
) -> dict[str, Any]:
    """Store a ticket (source `api`); `POST /process` triages, routes and drafts it."""
    import uuid
    from datetime import UTC, datetime

    from casework.audit import AuditEvent, append, load_key
    from casework.domain import AuthorRole, Customer, Message, Ticket

    now = datetime.now(UTC)
    external = body.external_id or f"api-{uuid.uuid4().hex[:12]}"
    ticket = Ticket(
        source="api",
        external_id=external,
        subject=body.subject,
        channel=body.channel,
        created_at=now,
        requester=Customer(external_id=body.email.lower(), email=body.email)
        if body.email
        else None,
        messages=[Message(author_role=AuthorRole.customer, body=body.body, created_at=now)],
    )
    with caller.ws.session() as s:
        stats = repo.upsert_tickets(s, [ticket])
        index_written(caller.ws, s, [ticket], now)  # personal-data index
        row = repo.find_ticket(s, "api", external)
        if row is None:  # pragma: no cover - just written
            raise ApiError(500, "the ticket was not stored")
        append(
            s,
            load_key(caller.ws),
            AuditEvent(
                actor=f"key:{caller.key.id}",
                action="api.ticket.create",
                object_type="ticket",
                object_id=str(row.id),
                details={"created": stats.created, "updated": stats.updated},
            ),
        )
        return {"id": row.id, "external_id": external, "created": bool(stats.created)}
