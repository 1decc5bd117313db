"""The MCP server over streamable HTTP at `/mcp`, behind the REST API's keys.

The same read-only, redacted server as `casework mcp` (stdio); here each HTTP
request must carry an API key whose role may read something, checked before the
MCP transport sees the request. The transport is stateless with JSON responses,
so any of several uvicorn workers can answer any request of a session.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
from mcp.server.transport_security import TransportSecuritySettings
from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import Receive, Scope, Send

from casework.api.auth import allows
from casework.api.keys import ApiKey, authenticate
from casework.mcp import create_server
from casework.workspace import Workspace

PATH = "/mcp"
READ_PERMISSIONS = ("tickets:read", "insights:read", "kb:read")
"""A key whose role holds any of these may use the MCP tools (all of them are reads)."""


def may_use_mcp(role: str) -> bool:
    return any(allows(role, p) for p in READ_PERMISSIONS)


def _token(headers: Headers) -> str | None:
    auth = headers.get("authorization", "")
    scheme, _, credentials = auth.partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        return credentials.strip()
    return headers.get("x-api-key") or None


def _refuse(status: int, detail: str) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse({"detail": detail, "field": "Authorization"}, status, headers=headers)


class McpEndpoint:
    """ASGI app: authenticate the key (as every REST route does), then hand over to MCP."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        # API keys already bind a request to a caller, and a browser never sends them by
        # itself, so DNS-rebinding checks on Host would only break non-loopback serving.
        server = create_server(ws)
        server.streamable_http_app(  # builds the session manager; its Starlette app is unused
            stateless_http=True,
            json_response=True,
            transport_security=TransportSecuritySettings(enable_dns_rebinding_protection=False),
        )
        self.manager: StreamableHTTPSessionManager = server.session_manager

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """The transport's task group; must wrap the app's lifespan."""
        async with self.manager.run():
            yield

    def _key(self, token: str) -> ApiKey | None:
        with self.ws.session() as session:
            return authenticate(session, token)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        token = _token(Headers(scope=scope))
        if not token:
            response = _refuse(
                401, "an API key is required: send `Authorization: Bearer <key>` or `X-API-Key`"
            )
            return await response(scope, receive, send)
        key = await anyio.to_thread.run_sync(self._key, token)
        if key is None:
            return await _refuse(401, "unknown or revoked API key")(scope, receive, send)
        if not may_use_mcp(key.role):
            detail = f"role {key.role!r} may not read; MCP needs one of {list(READ_PERMISSIONS)}"
            return await _refuse(403, detail)(scope, receive, send)
        await self.manager.handle_request(scope, receive, send)
