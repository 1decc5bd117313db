"""`install_dashboard(app)`: the dashboard's pages, static files and sign-in, on the API's app.

The dashboard lives under `/dashboard/` beside the JSON API (which keeps `/tickets`,
`/metrics`, … as they were) and `/` redirects to it. Pages are server-rendered
Jinja2 templates over the same core functions the API calls; the only JavaScript is
`static/dashboard.js` (keyboard shortcuts), vendored with the package, nothing
fetched at run time.
"""

from __future__ import annotations

from importlib import import_module

from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles
from starlette.responses import RedirectResponse, Response

from casework.web.deps import PREFIX, CsrfRejected, Forbidden, SignInRequired, viewer
from casework.web.pages import HERE, render

PAGE_MODULES: tuple[str, ...] = (
    "casework.web.page_auth",
    "casework.web.page_review",
    "casework.web.page_ticket",
    "casework.web.page_insights",
    "casework.web.page_knowledge",
    "casework.web.page_quality",
    "casework.web.page_reports",
    "casework.web.page_settings",
    "casework.web.page_jobs",
)
"""Each module has `router` (an APIRouter) and registers its navigation entry on import."""


async def _sign_in(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SignInRequired)
    from urllib.parse import quote

    who = viewer(request)
    target = f"{PREFIX}/login?next={quote(exc.next_url, safe='/')}"
    return who.commit(RedirectResponse(target, status_code=303))


async def _forbidden(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Forbidden)
    who = viewer(request)
    message = f"Your role ({exc.role}) lacks the {exc.permission!r} permission for this page."
    return render(request, who, "error.html", 403, title="Not allowed", message=message)


async def _csrf(request: Request, exc: Exception) -> Response:
    who = viewer(request)
    message = (
        "This form was missing its security token or it had expired, so nothing was changed. "
        "Go back, reload the page and try again."
    )
    return render(request, who, "error.html", 403, title="Form expired", message=message)


def install_dashboard(app: FastAPI) -> None:
    """Mount the dashboard on `app` (built by `casework.api.app.create_app`)."""
    app.add_exception_handler(SignInRequired, _sign_in)
    app.add_exception_handler(Forbidden, _forbidden)
    app.add_exception_handler(CsrfRejected, _csrf)
    app.mount(PREFIX + "/static", StaticFiles(directory=HERE / "static"), name="dashboard-static")
    for name in PAGE_MODULES:
        app.include_router(import_module(name).router, prefix=PREFIX, include_in_schema=False)

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse(PREFIX + "/", status_code=307)
