"""What every dashboard page needs: the workspace, the signed-in key, its role, the CSRF check.

Pages declare `viewer: Viewer = Depends(need("tickets:read"))`. Roles and permissions
are the API's (`casework.api.auth`): the dashboard is another shell over the same
keys, so a key that may not approve drafts through the API may not through a page
either, and actions are audited as `key:<id>` exactly as the API audits them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Form, Request
from starlette.responses import Response

from casework.api.deps import Caller
from casework.api.keys import ApiKey
from casework.store.tables import ApiKeyRow
from casework.web import session as cookies
from casework.workspace import Workspace

PREFIX = "/dashboard"


class SignInRequired(Exception):
    """No valid session: the handler sends the browser to the sign-in page."""

    def __init__(self, next_url: str) -> None:
        self.next_url = next_url


class Forbidden(Exception):
    """Signed in, but the role lacks `permission`: a 403 page that names it."""

    def __init__(self, role: str, permission: str) -> None:
        self.role, self.permission = role, permission


class CsrfRejected(Exception):
    """A form without the session's CSRF token: 403, nothing changes."""


@dataclass
class Viewer:
    """The browser's session and, once signed in, the API key it acts as."""

    ws: Workspace
    secret: bytes
    session: cookies.Session
    key: ApiKey | None
    dirty: bool = False
    https: bool = False

    @property
    def role(self) -> str | None:
        return self.key.role if self.key else None

    def may(self, permission: str) -> bool:
        return self.key is not None and self.caller.may(permission)

    @property
    def caller(self) -> Caller:
        """The API's caller object, so core calls get the same audit hooks as the API."""
        if self.key is None:
            raise SignInRequired(PREFIX + "/")
        return Caller(self.ws, self.key)

    def sign_in(self, key: ApiKey) -> None:
        self.session, self.key, self.dirty = self.session.signed_in(key.id), key, True

    def sign_out(self) -> None:
        self.session, self.key, self.dirty = cookies.Session.anonymous(), None, True

    def commit(self, response: Response) -> Response:
        """Write the cookie when the session is new or changed."""
        if self.dirty:
            response.set_cookie(
                cookies.COOKIE,
                cookies.dump(self.secret, self.session),
                max_age=cookies.MAX_AGE,
                httponly=True,
                samesite="lax",
                secure=self.https,  # behind HTTPS, never sent in clear
                path="/",
            )
        return response


def _secret(request: Request, ws: Workspace) -> bytes:
    state = request.app.state
    secret: bytes | None = getattr(state, "web_secret", None)
    if secret is None:
        secret = cookies.load_secret(ws.path)
        state.web_secret = secret
    return secret


def _live_key(ws: Workspace, key_id: int) -> ApiKey | None:
    with ws.session() as s:
        row = s.get(ApiKeyRow, key_id)
        if row is None or row.revoked_at is not None:
            return None
        return ApiKey(row.id, row.name, row.role, row.prefix, row.created_at, row.revoked_at)


def viewer(request: Request) -> Viewer:
    """The session from the cookie (a fresh anonymous one if it is missing or invalid)."""
    ws: Workspace = request.app.state.workspace
    secret = _secret(request, ws)
    https = request.url.scheme == "https"
    found = cookies.load(secret, request.cookies.get(cookies.COOKIE))
    if found is None:
        return Viewer(ws, secret, cookies.Session.anonymous(), None, dirty=True, https=https)
    key = _live_key(ws, found.key_id) if found.key_id is not None else None
    if found.key_id is not None and key is None:  # revoked or deleted: signed out
        return Viewer(ws, secret, cookies.Session.anonymous(), None, dirty=True, https=https)
    return Viewer(ws, secret, found, key, https=https)


AnyViewer = Annotated[Viewer, Depends(viewer)]


def need(permission: str | None = None) -> Callable[..., Viewer]:
    """A dependency: signed in (else to the sign-in page) and holding `permission`."""

    def check(request: Request, who: AnyViewer) -> Viewer:
        if who.key is None:
            raise SignInRequired(str(request.url.path) + _query(request))
        if permission is not None and not who.may(permission):
            raise Forbidden(who.key.role, permission)
        return who

    return check


def _query(request: Request) -> str:
    return f"?{request.url.query}" if request.url.query else ""


def need_form(permission: str | None = None) -> Callable[..., Viewer]:
    """Like `need`, for POSTed forms: the form's `csrf_token` must match the session's."""
    base = need(permission)

    def check(request: Request, who: AnyViewer, csrf_token: Annotated[str, Form()] = "") -> Viewer:
        if not who.session.valid_csrf(csrf_token):
            raise CsrfRejected()
        return base(request, who)

    return check


def safe_next(url: str | None, default: str = PREFIX + "/") -> str:
    """Only redirect within the dashboard: `next=https://evil.example` goes home instead."""
    if url and url.startswith(PREFIX + "/") and "//" not in url and "\\" not in url:
        return url
    return default
