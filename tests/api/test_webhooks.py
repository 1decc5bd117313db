"""Webhooks in, through a real server on loopback: real HMAC signatures, stored before 202.

Each test runs its own app on a fresh workspace (SQLite, and PostgreSQL when
configured); processing is off unless the test is about processing, so what the
test sees in the store after the response is what was committed before it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from sqlalchemy import func, select

from casework import Workspace
from casework.api.app import create_app
from casework.store.repository import find_ticket
from casework.store.tables import (
    AuditEventRow,
    RoutingDecisionRow,
    TicketRow,
    TriageResultRow,
)

SECRET = "zendesk-test-secret"
TICKET: dict[str, Any] = {
    "ticket": {
        "id": 4711,
        "subject": "Where is my parcel?",
        "description": "I ordered a lamp two weeks ago and it has not arrived yet.",
        "status": "new",
        "priority": "normal",
        "requester_id": 99,
        "tags": ["shipping"],
        "created_at": "2026-11-20T09:00:00Z",
        "updated_at": "2026-11-20T09:00:00Z",
    }
}


@pytest.fixture(autouse=True)
def secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASEWORK_ZENDESK_WEBHOOK_SECRET", SECRET)
    monkeypatch.setenv("CASEWORK_FRESHDESK_WEBHOOK_SECRET", "fd-secret")
    monkeypatch.setenv("CASEWORK_GENERIC_WEBHOOK_SECRET", "gen-secret")


@contextmanager
def running(app: FastAPI) -> Iterator[httpx.Client]:
    """`app` under uvicorn on a free loopback port, with its startup hook; stopped after."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", ws="none", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "server did not start"
        time.sleep(0.02)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
            yield client
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def zendesk_headers(
    body: bytes, secret: str = SECRET, at: datetime | None = None
) -> dict[str, str]:
    timestamp = (at or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    digest = hmac.new(secret.encode(), timestamp.encode() + body, hashlib.sha256).digest()
    return {
        "Content-Type": "application/json",
        "X-Zendesk-Webhook-Signature": base64.b64encode(digest).decode(),
        "X-Zendesk-Webhook-Signature-Timestamp": timestamp,
    }


def audit_rows(ws: Workspace, action: str) -> list[AuditEventRow]:
    with ws.session() as session:
        return list(session.scalars(select(AuditEventRow).where(AuditEventRow.action == action)))


def count(ws: Workspace, table: Any) -> int:
    with ws.session() as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)


def test_signed_zendesk_delivery_is_stored_before_the_202(workspace: Workspace) -> None:
    body = json.dumps(TICKET).encode()
    with running(create_app(workspace, process_webhooks=False)) as client:
        response = client.post("/webhooks/zendesk", content=body, headers=zendesk_headers(body))
        assert response.status_code == 202, response.text
        answer = response.json()
        assert answer["duplicate"] is False and answer["created"] is True
        # Processing is off: whatever is in the store now was committed before the 202.
        with workspace.session() as session:
            row = find_ticket(session, "zendesk", "4711")
            assert row is not None and row.id == answer["ticket_id"]
            assert row.subject == "Where is my parcel?" and row.tags == ["shipping"]
        assert [r.object_id for r in audit_rows(workspace, "webhook.receive")] == [str(row.id)]


def test_duplicate_delivery_is_a_no_op(workspace: Workspace) -> None:
    body = json.dumps(TICKET).encode()
    with running(create_app(workspace, process_webhooks=False)) as client:
        first = client.post("/webhooks/zendesk", content=body, headers=zendesk_headers(body))
        assert first.status_code == 202 and first.json()["duplicate"] is False
        events, tickets = count(workspace, AuditEventRow), count(workspace, TicketRow)
        again = client.post("/webhooks/zendesk", content=body, headers=zendesk_headers(body))
        assert again.status_code == 202
        assert again.json()["duplicate"] is True
        assert again.json()["ticket_id"] == first.json()["ticket_id"]
        assert (count(workspace, AuditEventRow), count(workspace, TicketRow)) == (events, tickets)


@pytest.mark.parametrize(
    "case", ["tampered body", "wrong secret", "stale timestamp", "missing signature"]
)
def test_bad_zendesk_signature_is_refused_and_audited(workspace: Workspace, case: str) -> None:
    body = json.dumps(TICKET).encode()
    headers = zendesk_headers(body)
    if case == "tampered body":
        body = body.replace(b"parcel", b"refund")
    elif case == "wrong secret":
        headers = zendesk_headers(body, secret="not-the-secret")
    elif case == "stale timestamp":
        headers = zendesk_headers(body, at=datetime.now(UTC) - timedelta(minutes=6))
    else:
        del headers["X-Zendesk-Webhook-Signature"]
    with running(create_app(workspace, process_webhooks=False)) as client:
        response = client.post("/webhooks/zendesk", content=body, headers=headers)
    assert response.status_code == 401, response.text
    assert response.json()["field"] == "signature"
    assert count(workspace, TicketRow) == 0
    (event,) = audit_rows(workspace, "webhook.refused")
    assert event.actor == "webhook:zendesk" and event.details["bytes"] == len(body)
    stored = json.dumps([event.details, event.object_id])
    assert "parcel" not in stored and "lamp" not in stored  # no payload content in the log


def test_freshdesk_shared_secret(workspace: Workspace) -> None:
    payload = {
        "freshdesk_webhook": {
            "ticket_id": 812,
            "ticket_subject": "Refund please",
            "ticket_description": "The blender broke on day two.",
            "ticket_status": "Open",
            "ticket_priority": "High",
            "ticket_source": "Email",
            "ticket_contact_email": "ana@example.com",
            "ticket_created_at": "2026-11-21T10:00:00Z",
        }
    }
    body = json.dumps(payload).encode()
    with running(create_app(workspace, process_webhooks=False)) as client:
        wrong = client.post(
            "/webhooks/freshdesk", content=body, headers={"X-Casework-Webhook-Secret": "nope"}
        )
        assert wrong.status_code == 401
        good = client.post(
            "/webhooks/freshdesk", content=body, headers={"X-Casework-Webhook-Secret": "fd-secret"}
        )
        assert good.status_code == 202, good.text
    with workspace.session() as session:
        row = find_ticket(session, "freshdesk", "812")
        assert row is not None and row.priority == "high" and row.channel == "email"
    assert len(audit_rows(workspace, "webhook.refused")) == 1


def test_generic_hex_hmac(workspace: Workspace) -> None:
    payload = {"external_id": "g-1", "created_at": "2026-11-22T08:00:00Z", "body": "Hello?"}
    body = json.dumps(payload).encode()
    signature = hmac.new(b"gen-secret", body, hashlib.sha256).hexdigest()
    with running(create_app(workspace, process_webhooks=False)) as client:
        tampered = client.post(
            "/webhooks/generic?source=shop",
            content=body + b" ",
            headers={"X-Casework-Signature": signature},
        )
        assert tampered.status_code == 401
        good = client.post(
            "/webhooks/generic?source=shop",
            content=body,
            headers={"X-Casework-Signature": f"sha256={signature}"},
        )
        assert good.status_code == 202, good.text
    with workspace.session() as session:
        assert find_ticket(session, "shop", "g-1") is not None


def test_invalid_ticket_is_422_and_stores_nothing(workspace: Workspace) -> None:
    body = json.dumps({"ticket": {"id": 5, "subject": "no creation time"}}).encode()
    with running(create_app(workspace, process_webhooks=False)) as client:
        response = client.post("/webhooks/zendesk", content=body, headers=zendesk_headers(body))
    assert response.status_code == 422
    assert response.json()["field"] == "created_at"
    assert count(workspace, TicketRow) == 0


def processed(ws: Workspace, ticket_id: int) -> bool:
    with ws.session() as session:
        triaged = session.scalar(
            select(TriageResultRow.id).where(TriageResultRow.ticket_id == ticket_id)
        )
        routed = session.scalar(
            select(RoutingDecisionRow.id).where(RoutingDecisionRow.ticket_id == ticket_id)
        )
    return triaged is not None and routed is not None


def test_crash_after_ack_then_restart_processes_the_ticket(workspace: Workspace) -> None:
    body = json.dumps(TICKET).encode()
    # First life: acknowledges and stores, then "dies" before processing anything.
    with running(create_app(workspace, process_webhooks=False)) as client:
        response = client.post("/webhooks/zendesk", content=body, headers=zendesk_headers(body))
        assert response.status_code == 202
    ticket_id = response.json()["ticket_id"]
    assert not processed(workspace, ticket_id)
    # Second life: the startup hook processes what the first one left.
    app = create_app(workspace)
    with running(app):
        assert app.state.processor.wait(timeout=60)
    assert processed(workspace, ticket_id)


def test_delivery_is_processed_after_the_ack(workspace: Workspace) -> None:
    app = create_app(workspace)
    with running(app) as client:
        assert app.state.processor.wait(timeout=60)  # the startup run, on an empty store
        body = json.dumps(TICKET).encode()
        response = client.post("/webhooks/zendesk", content=body, headers=zendesk_headers(body))
        assert response.status_code == 202
        deadline = time.monotonic() + 60
        while not processed(workspace, response.json()["ticket_id"]):
            assert time.monotonic() < deadline, "the delivered ticket was never processed"
            time.sleep(0.05)
