"""`create_app(workspace)`: the REST API over one workspace.

Routers are plain modules; this factory only wires them, the error handlers
and the body limit together, so tests and `casework serve` build the same app.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from starlette.routing import Route

import casework
from casework.api import (
    routes_admin,
    routes_insights,
    routes_jobs,
    routes_knowledge,
    routes_review,
    routes_tickets,
    webhooks,
)
from casework.api.auth import PERMISSION_HELP, PERMISSIONS
from casework.api.errors import DEFAULT_MAX_BODY, BodyLimit, install_error_handlers
from casework.api.mcp_http import PATH as MCP_PATH
from casework.api.mcp_http import McpEndpoint
from casework.privacy.egress import install_log_guard
from casework.workspace import Workspace

DESCRIPTION = """\
casework's REST API: tickets with their decision trail, triage, review, knowledge,
insights, config change control and audit.

MCP (streamable HTTP, read-only tools for AI assistants) is served at `/mcp`
with the same keys: see docs/mcp.md.

Authenticate every request with an API key (`casework keys create --role ROLE --name NAME`)
as `Authorization: Bearer <key>` or `X-API-Key: <key>`. Errors are JSON
`{"detail": "...", "field": "..."}`. Roles and permissions: docs/api.md.
"""


def create_app(
    workspace: Workspace, max_body_size: int = DEFAULT_MAX_BODY, process_webhooks: bool = True
) -> FastAPI:
    """An app serving `workspace`, which must already be initialised (migrated).

    `process_webhooks`: run the pipeline after each webhook delivery and at start
    (for whatever an earlier run stored but did not process); off, deliveries are
    only stored — as if the process died right after acknowledging them.
    """

    mcp = McpEndpoint(workspace)
    install_log_guard()  # no log line of this process carries personal data

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.processor.kick()  # tickets stored before a crash or stop
        async with mcp.running():
            yield

    app = FastAPI(
        title="casework",
        version=casework.__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.workspace = workspace
    app.state.triager = None

    def triager() -> Any:
        from casework.triage.engine import Triager

        if app.state.triager is None:
            app.state.triager = Triager.for_workspace(workspace.path)
        return app.state.triager

    app.state.processor = webhooks.Processor(workspace, triager, enabled=process_webhooks)
    install_error_handlers(app)
    app.add_middleware(BodyLimit, max_bytes=max_body_size)
    for module in (
        routes_tickets,
        routes_review,
        routes_knowledge,
        routes_insights,
        routes_admin,
        routes_jobs,
        webhooks,
    ):
        app.include_router(module.router)
    # MCP for AI assistants (streamable HTTP, read-only tools); not part of the OpenAPI schema.
    # An ASGI app as a Route endpoint is called with (scope, receive, send) as is.
    mcp_route = Route(MCP_PATH, mcp, methods=["GET", "POST", "DELETE"], include_in_schema=False)
    app.router.routes.append(mcp_route)
    # The dashboard (server-rendered pages under /dashboard/, sign-in with an API key).
    from casework.web.app import install_dashboard

    install_dashboard(app)

    @app.get("/roles", tags=["auth"])
    def roles() -> dict[str, Any]:
        """Every role and its permissions (no key needed: it is documentation)."""
        return {
            "permissions": PERMISSION_HELP,
            "roles": {role: sorted(perms) for role, perms in PERMISSIONS.items()},
        }

    return app


def app_from_env() -> FastAPI:
    """The app over `CASEWORK_WORKSPACE` / `CASEWORK_DATABASE_URL`: the factory each uvicorn
    worker imports when `casework serve --workers N` runs several processes."""
    return create_app(Workspace())
