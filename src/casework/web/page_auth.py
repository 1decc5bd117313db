"""Sign in with an API key, sign out, and the landing page.

Why API keys rather than user accounts: the API already has keys with roles, hashed,
revocable and audited (`casework keys create --role lead --name ana`); a second
credential store would mean a second place to revoke someone. The key is checked once
at sign-in; the cookie then carries only its id, signed (see `session.py`).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from casework.api.keys import authenticate
from casework.web.deps import PREFIX, AnyViewer, CsrfRejected, safe_next
from casework.web.pages import NAV, redirect, render

router = APIRouter()


@router.get("/login")
def login_page(request: Request, who: AnyViewer, next: str = "") -> Response:
    return render(request, who, "login.html", title="Sign in", next=safe_next(next))


@router.post("/login")
def login(
    request: Request,
    who: AnyViewer,
    key: Annotated[str, Form(max_length=200)] = "",
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "",
) -> Response:
    if not who.session.valid_csrf(csrf_token):
        raise CsrfRejected()
    with who.ws.session() as s:
        found = authenticate(s, key.strip())
    if found is None:
        return render(
            request,
            who,
            "login.html",
            401,
            title="Sign in",
            next=safe_next(next),
            error="Unknown or revoked API key.",
        )
    who.sign_in(found)
    who.caller.record("dashboard.sign_in", "api_key", str(found.id), {"role": found.role})
    return redirect(who, safe_next(next), flash=f"Signed in as {found.name} ({found.role}).")


@router.post("/logout")
def logout(who: AnyViewer, csrf_token: Annotated[str, Form()] = "") -> Response:
    if not who.session.valid_csrf(csrf_token):
        raise CsrfRejected()
    who.sign_out()
    return redirect(who, PREFIX + "/login", flash="Signed out.")


@router.get("/")
def home(request: Request, who: AnyViewer) -> Response:
    """The first page the role may open (the review queue for agents and leads)."""
    if who.key is None:
        return redirect(who, PREFIX + "/login")
    for item in NAV:
        if who.may(item.permission):
            return redirect(who, PREFIX + item.path)
    return render(
        request, who, "error.html", 403, title="Nothing to show",
        message=f"Role {who.role} may open no dashboard page.",
    )  # fmt: skip
