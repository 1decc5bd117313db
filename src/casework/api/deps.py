"""What every route needs: the workspace, the calling key, its permission, its audit trail.

Routes declare `caller: Caller = Depends(require("review:write"))`; the key is
read from `Authorization: Bearer <key>` or `X-API-Key`, looked up by hash, and
checked against `auth.PERMISSIONS`. Nothing here decides anything about tickets.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Path, Query, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from casework.api.auth import allows
from casework.api.errors import ApiError
from casework.api.keys import ApiKey, authenticate
from casework.audit import AuditEvent, append, load_key
from casework.workspace import Workspace

MAX_ID = 2**31 - 1
"""Row ids are INTEGER columns (32-bit on PostgreSQL): a larger id is a 422, never a
database overflow surfacing as a 500 (found by the OpenAPI fuzz test)."""
RowId = Annotated[int, Path(ge=1, le=MAX_ID, description="A row id.")]
Cursor = Annotated[
    int | None,
    Query(ge=1, le=MAX_ID, description="Cursor: the `next_after` of the previous page."),
]

_bearer = HTTPBearer(auto_error=False, description="`Authorization: Bearer <key>`")
_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="`X-API-Key: <key>`")


@dataclass(frozen=True)
class Caller:
    """The authenticated key and the workspace it acts on."""

    ws: Workspace
    key: ApiKey

    @property
    def actor(self) -> str:
        return self.key.actor

    def may(self, permission: str) -> bool:
        return allows(self.key.role, permission)

    def audit_hook(self, object_type: str) -> Callable[..., None]:
        """The review functions' audit hook, writing events as this key."""
        key = load_key(self.ws)

        def write(
            session: Session, actor: str, action: str, object_id: str, details: dict[str, object]
        ) -> None:
            event = AuditEvent(actor, action, object_type, object_id, details=dict(details))
            append(session, key, event)

        return write

    def record(
        self, action: str, object_type: str, object_id: str, details: dict[str, Any] | None = None
    ) -> None:
        """Audit a write whose core function names its own actor: the key did it."""
        with self.ws.session() as session:
            event = AuditEvent(
                self.actor, action, object_type, object_id[:64], details=dict(details or {})
            )
            append(session, load_key(self.ws), event)


def workspace(request: Request) -> Workspace:
    ws: Workspace = request.app.state.workspace
    return ws


def caller(
    ws: Annotated[Workspace, Depends(workspace)],
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    header: Annotated[str | None, Depends(_header)],
) -> Caller:
    """401 without a key or with one that is unknown or revoked."""
    token = bearer.credentials if bearer is not None else header
    challenge = {"WWW-Authenticate": "Bearer"}
    if not token:
        raise ApiError(
            401,
            "an API key is required: send `Authorization: Bearer <key>` or `X-API-Key: <key>` "
            "(create one with `casework keys create --role ROLE --name NAME`)",
            "Authorization",
            headers=challenge,
        )
    with ws.session() as session:
        key = authenticate(session, token)
    if key is None:
        raise ApiError(401, "unknown or revoked API key", "Authorization", headers=challenge)
    return Caller(ws, key)


def require(permission: str) -> Callable[..., Caller]:
    """A dependency that lets the call through only with `permission`; 403 names it."""

    def check(who: Annotated[Caller, Depends(caller)]) -> Caller:
        if not who.may(permission):
            raise ApiError(
                403,
                f"role {who.key.role!r} lacks the {permission!r} permission (see docs/api.md)",
            )
        return who

    return check
