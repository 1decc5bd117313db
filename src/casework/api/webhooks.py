"""Helpdesk webhooks in: verify the sender, store the ticket, acknowledge, then process.

Authentication is the helpdesk's signature, never an API key:

* Zendesk: `X-Zendesk-Webhook-Signature` = base64(HMAC-SHA256(secret, timestamp +
  raw body)) with `X-Zendesk-Webhook-Signature-Timestamp`; a timestamp more than
  five minutes from now is refused, so a captured delivery cannot be replayed.
* Freshdesk (whose automation webhooks cannot sign): the secret itself in the
  `X-Casework-Webhook-Secret` header, compared in constant time — use HTTPS.
* Generic: `X-Casework-Signature` = hex HMAC-SHA256(secret, raw body), with or
  without a `sha256=` prefix.

Secrets come from `CASEWORK_ZENDESK_WEBHOOK_SECRET`, `CASEWORK_FRESHDESK_WEBHOOK_SECRET`
and `CASEWORK_GENERIC_WEBHOOK_SECRET`, read per request. A refused delivery is 401
and an audit event naming the reason and size, never the content.

The payload goes through the importers' own mapping (`ZendeskImporter.row`,
`FreshdeskImporter.row`, `generic.ticket_row`), so a ticket arriving by webhook
is stored exactly as the same ticket arriving in an export. 202 is sent only
after the ticket is committed; an unchanged redelivery is 202 with
`duplicate: true` and writes nothing. Processing (`process_all`) runs after the
response in a background thread, and again at every start, so a crash between
acknowledgement and processing loses nothing. With `CASEWORK_BROKER_URL` set, the
ticket's job goes into the workers' outbox in the transaction that stores it
instead: a broker outage delays processing, never intake.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import os
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi import APIRouter, BackgroundTasks, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError
from starlette.concurrency import run_in_threadpool

from casework.api.errors import ApiError
from casework.audit import AuditEvent, append, load_key
from casework.domain import Ticket
from casework.ingest import freshdesk, generic
from casework.ingest.base import ImportOptions, InputFile, Row
from casework.ingest.records import Record
from casework.ingest.zendesk import ZendeskImporter
from casework.ingest.zendesk_directory import Directory
from casework.jobs.settings import broker_configured
from casework.privacy.index import index_written
from casework.store.repository import find_ticket, upsert_tickets
from casework.workspace import Workspace

log = logging.getLogger(__name__)
router = APIRouter(prefix="/webhooks", tags=["webhooks"])
MAX_SKEW = timedelta(minutes=5)
ZENDESK_SIGNATURE = "X-Zendesk-Webhook-Signature"
ZENDESK_TIMESTAMP = "X-Zendesk-Webhook-Signature-Timestamp"
FRESHDESK_SECRET = "X-Casework-Webhook-Secret"
GENERIC_SIGNATURE = "X-Casework-Signature"


def secret_for(source: str, env: Mapping[str, str] | None = None) -> str | None:
    value = (os.environ if env is None else env).get(f"CASEWORK_{source.upper()}_WEBHOOK_SECRET")
    return value or None


# -- signatures ------------------------------------------------------------------


def zendesk_signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def _parse_time(value: str) -> datetime | None:
    try:
        return datetime.fromtimestamp(float(value), UTC)
    except ValueError:
        pass
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def check_zendesk(
    secret: str, body: bytes, signature: str | None, timestamp: str | None, now: datetime
) -> str | None:
    """Why the delivery is refused, or None when it is Zendesk's."""
    if not signature or not timestamp:
        return f"missing {ZENDESK_SIGNATURE} or {ZENDESK_TIMESTAMP} header"
    when = _parse_time(timestamp)
    if when is None:
        return "unreadable signature timestamp"
    if abs(now - when) > MAX_SKEW:
        return "signature timestamp is more than 5 minutes from now"
    if not hmac.compare_digest(zendesk_signature(secret, timestamp, body), signature.strip()):
        return "signature does not match"
    return None


def check_shared(secret: str, given: str | None) -> str | None:
    if not given:
        return f"missing {FRESHDESK_SECRET} header"
    if not hmac.compare_digest(secret.encode(), given.strip().encode()):
        return "shared secret does not match"
    return None


def check_hex(secret: str, body: bytes, signature: str | None) -> str | None:
    if not signature:
        return f"missing {GENERIC_SIGNATURE} header"
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature.strip().removeprefix("sha256=").lower()):
        return "signature does not match"
    return None


# -- payload → ticket, through the importers' mapping ------------------------------------


class PayloadFile(InputFile):
    """A delivery seen as a one-record input file, for the importers' error messages."""

    def __init__(self, name: str) -> None:
        self.path = Path(name)
        self.name = name
        self.size = 0
        self.undecodable = []
        self._raw = None
        self._stream = None


FRESHDESK_KEYS = {
    "ticket_id": "Ticket ID", "ticket_subject": "Subject", "ticket_description": "Description",
    "ticket_status": "Status", "ticket_priority": "Priority", "ticket_source": "Source",
    "ticket_type": "Type", "ticket_group_name": "Group", "ticket_agent_name": "Agent",
    "ticket_created_at": "Created time", "ticket_updated_at": "Last update time",
    "ticket_contact_id": "Contact ID", "ticket_contact_name": "Full name",
    "ticket_contact_email": "Email", "ticket_contact_phone": "Phone", "ticket_tags": "Tags",
    "ticket_company_name": "Company Name",
}  # fmt: skip


def _text(value: object) -> object:
    """Freshdesk's rows are CSV text: numbers become text, lists comma-separated text."""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return value if value is None or isinstance(value, str) else str(value)


def zendesk_row(payload: dict[str, Any]) -> Row:
    """`{"ticket": {...}}`, an event's `{"detail": {...}}`, or a bare ticket object."""
    raw = payload.get("ticket") or payload.get("detail") or payload
    options = ImportOptions(source=ZendeskImporter.default_source)
    return ZendeskImporter().row(PayloadFile("zendesk webhook"), 1, raw, options, Directory())


def freshdesk_row(payload: dict[str, Any]) -> Row:
    """`{"freshdesk_webhook": {"ticket_id": …}}` placeholders, or the export's column names."""
    inner = payload.get("freshdesk_webhook", payload)
    raw = inner if isinstance(inner, dict) else {}
    values = {FRESHDESK_KEYS.get(str(k), str(k)): _text(v) for k, v in raw.items()}
    columns = {c: c for c in freshdesk.COLUMNS if c in values}
    record = Record(values, columns, frozenset(columns.values()))
    options = ImportOptions(source=freshdesk.FreshdeskImporter.default_source)
    return freshdesk.FreshdeskImporter().row(PayloadFile("freshdesk webhook"), 1, record, options)


def generic_row(payload: dict[str, Any], source: str) -> Row:
    """The generic JSON lines fields (see `casework.ingest.generic`), one ticket per delivery."""
    columns = {f: f for f in (*generic.FIELDS, "messages")}
    record = Record(payload, columns, frozenset(columns))
    return generic.ticket_row(PayloadFile("generic webhook"), 1, record, ImportOptions(source))


# -- storing, then processing ------------------------------------------------------------


def _audit(ws: Workspace, event: AuditEvent) -> None:
    with ws.session() as session:
        append(session, load_key(ws), event)


def refuse(ws: Workspace, source: str, reason: str, size: int) -> ApiError:
    """Audit the refusal (reason and size only: the content is unauthenticated) → 401."""
    details = {"reason": reason, "bytes": size}
    _audit(
        ws, AuditEvent(f"webhook:{source}", "webhook.refused", "webhook", source, details=details)
    )
    return ApiError(401, f"webhook refused: {reason}", "signature")


def store(ws: Workspace, source: str, ticket: Ticket) -> dict[str, Any]:
    """Commit the ticket (and its audit event) before anything is acknowledged."""
    for attempt in range(2):
        try:
            with ws.session() as session:
                since = datetime.now(UTC)
                stats = upsert_tickets(session, [ticket])
                index_written(ws, session, [ticket], since)  # personal-data index
                row = find_ticket(session, ticket.source, ticket.external_id)
                assert row is not None
                duplicate = stats.unchanged == 1
                if not duplicate:
                    if broker_configured():  # the job commits with the ticket (outbox)
                        from casework.jobs.outbox import enqueue_tickets

                        enqueue_tickets(session, [row.id], 1)
                    details = {"created": bool(stats.created), "external_id": ticket.external_id}
                    event = AuditEvent(
                        f"webhook:{source}",
                        "webhook.receive",
                        "ticket",
                        str(row.id),
                        details=details,
                    )
                    append(session, load_key(ws), event)
                return {
                    "ticket_id": row.id,
                    "source": ticket.source,
                    "external_id": ticket.external_id,
                    "duplicate": duplicate,
                    "created": bool(stats.created),
                }
        except IntegrityError:
            if attempt:  # a concurrent delivery of the same new ticket won the insert
                raise
    raise AssertionError("unreachable")


@contextmanager
def _one_process_run(ws: Workspace) -> Iterator[None]:
    """Serialise pipeline runs across the server's worker processes (`serve --workers N`):
    two concurrent runs would route the same tickets and one would fail on the unique
    keys (seen in `casework bench webhooks`). A waiting run starts once the other ends,
    so it still picks up the ticket that woke it."""
    try:
        import fcntl
    except ImportError:  # not POSIX: one worker per workspace there
        yield
        return
    ws.path.mkdir(parents=True, exist_ok=True)
    with (ws.path / ".process.lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class Processor:
    """Runs `process_all` in one background thread whenever asked; never two at once.

    Asking while it runs makes it run once more afterwards, so a ticket stored
    mid-run is not left for the next delivery.
    """

    def __init__(self, ws: Workspace, triager: Callable[[], Any], enabled: bool = True) -> None:
        self.ws, self.enabled = ws, enabled
        self._triager = triager
        self._lock = threading.Lock()
        self._again = False
        self._thread: threading.Thread | None = None
        self.runs = 0

    def kick(self) -> None:
        if not self.enabled or broker_configured():  # workers process from the outbox
            return
        with self._lock:
            self._again = True
            if self._thread is not None:
                return
            self._thread = threading.Thread(target=self._loop, name="casework-process", daemon=True)
            self._thread.start()

    def _loop(self) -> None:
        from casework.pipeline import process_all

        while True:
            with self._lock:
                if not self._again:
                    self._thread = None
                    return
                self._again = False
            try:
                with _one_process_run(self.ws):
                    process_all(self.ws, self._triager())
            except Exception:  # logged and retried on the next delivery or start
                log.exception("processing webhook tickets failed")
            self.runs += 1

    def wait(self, timeout: float = 30.0) -> bool:
        """For tests and shutdown: True once no run is going on or due."""
        with self._lock:
            thread = self._thread
        if thread is not None:
            thread.join(timeout)
        return self._thread is None


async def _deliver(
    request: Request,
    background: BackgroundTasks,
    source: str,
    check: Callable[[str, bytes], str | None],
    to_row: Callable[[dict[str, Any]], Row],
) -> JSONResponse:
    ws: Workspace = request.app.state.workspace
    body = await request.body()
    secret = secret_for(source)
    reason = (
        check(secret, body)
        if secret
        else f"no secret configured (set CASEWORK_{source.upper()}_WEBHOOK_SECRET)"
    )
    if reason is not None:
        raise await run_in_threadpool(refuse, ws, source, reason, len(body))
    try:
        payload = json.loads(body)
    except ValueError as exc:
        raise ApiError(400, f"body is not JSON: {exc}", "body") from exc
    if not isinstance(payload, dict):
        raise ApiError(422, "expected a JSON object", "body")
    row = to_row(payload)
    if row.errors:
        errors = [{"field": e.field, "message": e.message} for e in row.errors]
        raise ApiError(
            422,
            f"{errors[0]['field']}: {errors[0]['message']}",
            errors[0]["field"],
            extra={"errors": errors},
        )
    if row.ticket is None:
        return JSONResponse({"stored": False, "skipped": row.skipped}, status_code=202)
    result = await run_in_threadpool(store, ws, source, row.ticket)
    if not result["duplicate"]:
        background.add_task(request.app.state.processor.kick)
    return JSONResponse({"stored": True, **result}, status_code=202)


@router.post("/zendesk", status_code=202)
async def zendesk_webhook(request: Request, background: BackgroundTasks) -> JSONResponse:
    """A Zendesk ticket (`{"ticket": {...}}` or an event's `detail`), signed by Zendesk."""
    headers = request.headers

    def check(secret: str, body: bytes) -> str | None:
        return check_zendesk(
            secret,
            body,
            headers.get(ZENDESK_SIGNATURE),
            headers.get(ZENDESK_TIMESTAMP),
            datetime.now(UTC),
        )

    return await _deliver(request, background, "zendesk", check, zendesk_row)


@router.post("/freshdesk", status_code=202)
async def freshdesk_webhook(request: Request, background: BackgroundTasks) -> JSONResponse:
    """A Freshdesk ticket (`freshdesk_webhook` placeholders), with the shared secret header."""
    given = request.headers.get(FRESHDESK_SECRET)
    return await _deliver(
        request,
        background,
        "freshdesk",
        lambda secret, _body: check_shared(secret, given),
        freshdesk_row,
    )


@router.post("/generic", status_code=202)
async def generic_webhook(
    request: Request, background: BackgroundTasks, source: str = "webhook"
) -> JSONResponse:
    """One ticket in the generic fields, signed (hex HMAC-SHA256); `?source=` names its origin."""
    signature = request.headers.get(GENERIC_SIGNATURE)
    return await _deliver(
        request,
        background,
        "generic",
        lambda secret, body: check_hex(secret, body, signature),
        lambda payload: generic_row(payload, source[:64]),
    )
