"""MCP over streamable HTTP at `/mcp` under the API: the SDK's own client against uvicorn.

The app runs with its lifespan (which starts the MCP transport) on a loopback port;
the client authenticates with an API key exactly as an assistant would.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import anyio
import httpx
import pytest
import uvicorn
from mcp.client import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client
from sqlalchemy import select

from casework import Workspace
from casework.api.app import create_app
from casework.api.keys import create_key
from casework.api.mcp_http import may_use_mcp
from casework.demo import generate_demo
from casework.store.tables import TicketRow

PLANTED = "Card 4111 1111 1111 1111 charged twice! Write to jane.roe@example.com please."
TOOLS = {
    "top_issues",
    "trends",
    "search_tickets",
    "get_ticket",
    "triage_text",
    "kb_search",
    "knowledge_gaps",
    "metrics",
    "draft_reply",
    "qa_summary",
}


@pytest.fixture
def base_url(workspace: Workspace) -> Iterator[str]:
    generate_demo(workspace, seed=3, tickets=20)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    app = create_app(workspace, process_webhooks=False)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", ws="none", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "server did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def _data(result: Any) -> Any:
    text = "".join(c.text for c in result.content if getattr(c, "text", None))
    return {"error": text} if result.is_error else json.loads(text)


def test_sdk_client_lists_and_calls_tools_with_a_key(workspace: Workspace, base_url: str) -> None:
    _, token = create_key(workspace, "assistant-http", "assistant", "user:test")
    with workspace.session() as session:
        ticket = session.scalars(select(TicketRow).order_by(TicketRow.id)).first()
        assert ticket is not None
        ticket_id, status = ticket.id, ticket.status

    async def run() -> dict[str, Any]:
        http = create_mcp_http_client(headers={"Authorization": f"Bearer {token}"})
        async with http, Client(streamable_http_client(f"{base_url}/mcp", http_client=http)) as c:
            tools = {t.name: t for t in (await c.list_tools()).tools}
            triage = _data(await c.call_tool("triage_text", {"text": PLANTED}))
            shown = _data(await c.call_tool("get_ticket", {"ticket_id": ticket_id}))
            missing = _data(await c.call_tool("get_ticket", {"ticket_id": 10**9}))
        return {"tools": tools, "triage": triage, "ticket": shown, "missing": missing}

    out = anyio.run(run)
    assert set(out["tools"]) == TOOLS
    assert all(t.annotations and t.annotations.read_only_hint for t in out["tools"].values())
    triage = out["triage"]
    assert triage["intent"]["label"]
    raw = json.dumps(triage)
    assert "jane.roe@example.com" not in raw and "4111 1111" not in raw
    assert "<EMAIL_1>" in triage["redacted_text"]
    assert out["ticket"]["id"] == ticket_id and out["ticket"]["status"] == status
    assert "error" in out["missing"]


def test_mcp_refuses_requests_without_a_valid_key(base_url: str) -> None:
    init = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {
            "protocolVersion": "2025-06-18",
            "capabilities": {},
            "clientInfo": {"name": "t", "version": "0"},
        },
    }
    headers = {"Accept": "application/json, text/event-stream"}
    with httpx.Client(base_url=base_url, timeout=30) as client:
        none = client.post("/mcp", json=init, headers=headers)
        assert none.status_code == 401
        assert none.json()["field"] == "Authorization"
        assert none.headers["WWW-Authenticate"] == "Bearer"
        bad = client.post("/mcp", json=init, headers={**headers, "X-API-Key": "cw_nope"})
        assert bad.status_code == 401 and "unknown" in bad.json()["detail"]


def test_only_roles_that_read_may_use_mcp() -> None:
    assert may_use_mcp("assistant") and may_use_mcp("analyst") and may_use_mcp("agent")
    assert not may_use_mcp("no-such-role")
