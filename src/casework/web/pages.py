"""The dashboard's pages and navigation: one list to extend, one `render` for every page.

A page is a module with an `APIRouter` named `router` and a `NAV` entry (or `None` for
pages reached only by links, such as a ticket). `casework.web.app.PAGE_MODULES` lists
the modules; the navigation bar shows each entry whose permission the signed-in role
holds. See docs/dashboard.md, "Adding a page".
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader
from starlette.responses import RedirectResponse, Response

from casework.web.deps import PREFIX, Viewer

HERE = Path(__file__).parent


@dataclass(frozen=True)
class NavItem:
    """One link in the navigation bar, shown to roles holding `permission`."""

    path: str  # below /dashboard, e.g. "/insights"
    title: str
    permission: str
    order: int = 100


NAV: list[NavItem] = []


def register_nav(item: NavItem) -> NavItem:
    """Add a navigation entry (page modules call this once at import)."""
    if all(existing.path != item.path for existing in NAV):
        NAV.append(item)
        NAV.sort(key=lambda i: (i.order, i.title))
    return item


def _age(moment: datetime | None, now: datetime | None = None) -> str:
    """'3 d', '5 h', '12 min': how long a ticket has waited, for a person scanning a list."""
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    minutes = ((now or datetime.now(UTC)) - moment).total_seconds() / 60
    if minutes < 90:
        return f"{max(0, int(minutes))} min"
    if minutes < 48 * 60:
        return f"{int(minutes // 60)} h"
    return f"{int(minutes // 1440)} d"


def _pct(value: float | None, digits: int = 0) -> str:
    return "–" if value is None else f"{value * 100:.{digits}f}%"


def _pretty(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, default=str)


def _environment() -> Environment:
    # Autoescape everything: every ticket subject, body and draft is someone else's text.
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True)
    env.filters.update(age=_age, pct=_pct, pretty=_pretty)
    env.globals.update(prefix=PREFIX)
    return env


templates = Jinja2Templates(env=_environment())


def render(
    request: Request, viewer: Viewer, template: str, status_code: int = 200, **context: Any
) -> Response:
    nav = [item for item in NAV if viewer.may(item.permission)]
    response = templates.TemplateResponse(
        request,
        template,
        {
            "viewer": viewer,
            "nav": nav,
            "csrf_token": viewer.session.csrf,
            "flash": request.query_params.get("flash", "")[:300],
            "flash_error": request.query_params.get("error", "")[:500],
            **context,
        },
        status_code=status_code,
    )
    return viewer.commit(response)


def redirect(viewer: Viewer, url: str, flash: str = "", error: str = "") -> Response:
    """303 after a POST (the browser then GETs, so a reload never repeats the action)."""
    parts = urlsplit(url)
    query = [p for p in parts.query.split("&") if p and not p.startswith(("flash=", "error="))]
    if flash:
        query.append(urlencode({"flash": flash}))
    if error:
        query.append(urlencode({"error": error}))
    target = urlunsplit(("", "", parts.path, "&".join(query), parts.fragment))
    return viewer.commit(RedirectResponse(target, status_code=303))
