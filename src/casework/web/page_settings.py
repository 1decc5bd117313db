"""Settings: the config version in force, its history and diffs, a dry run of a proposed
config on past tickets, the record of processing (`casework privacy register`), and
(admin only) API keys.

Config calls are `casework.config.versions` and `casework.pipeline.dry_run.dry_run`,
as behind `casework config history|show|dry-run` and `POST /config/dry-run`. Applying
a config stays with the CLI and the API (`config:apply`), where the file is reviewed.
API keys are listed, created (the secret shown once) and revoked through
`casework.api.keys`, audited as the signed-in admin's key.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from starlette.responses import Response

from casework.api.deps import MAX_ID
from casework.config.loader import ConfigError, load_config_text
from casework.config.versions import VersionNotFound, active_version, list_versions, show_version
from casework.web.deps import PREFIX, Forbidden, Viewer, need, need_form
from casework.web.pages import NavItem, redirect, register_nav, render

router = APIRouter()
NAV = register_nav(NavItem("/settings", "Settings", "config:read", order=90))
Reader = Annotated[Viewer, Depends(need("config:read"))]
FormReader = Annotated[Viewer, Depends(need_form("config:read"))]
FormAdmin = Annotated[Viewer, Depends(need_form("config:apply"))]


def _admin(who: Viewer) -> None:
    """API keys are the admin's: the role, not a permission, as docs/dashboard.md says."""
    if who.role != "admin":
        raise Forbidden(who.role or "none", "admin role")


def _page(request: Request, who: Viewer, status: int = 200, **extra: Any) -> Response:
    from casework.api.keys import list_keys

    active = active_version(who.ws)
    history = list_versions(who.ws, 20)
    keys = list_keys(who.ws) if who.role == "admin" else None
    from casework.privacy.register import build_register, to_html

    context: dict[str, Any] = {
        # The record of processing (GDPR Art. 30 shape) of the config in force; escaped HTML.
        "register_html": to_html(build_register(active.config, active.version)),
        "active": active,
        "history": history,
        "keys": keys,
        "proposed": active.content,
        "chosen": None,
        "dry": None,
        "problems": None,
        "new_token": None,
        **extra,
    }
    return render(request, who, "settings.html", status, title="Settings", **context)


@router.get("/settings")
def settings_page(
    request: Request,
    who: Reader,
    version: Annotated[int | None, Query(ge=0, le=MAX_ID)] = None,
) -> Response:
    chosen = None
    if version is not None:
        try:
            chosen = show_version(who.ws, version)
        except VersionNotFound as exc:
            return redirect(who, PREFIX + "/settings", error=str(exc))
    return _page(request, who, chosen=chosen)


@router.post("/settings/dry-run")
def dry_run_page(
    request: Request,
    who: FormReader,
    config: Annotated[str, Form(max_length=500_000)] = "",
) -> Response:
    from casework.pipeline.dry_run import dry_run

    try:
        proposed = load_config_text(config, "casework.yaml")
    except ConfigError as exc:
        problems = [str(p) for p in exc.problems] or [str(exc)]
        return _page(request, who, 422, proposed=config, problems=problems)
    result = dry_run(who.ws, proposed, None, 10)
    return _page(request, who, proposed=config, dry=result)


@router.post("/settings/keys")
def create_key_page(
    request: Request,
    who: FormAdmin,
    name: Annotated[str, Form(max_length=128)] = "",
    role: Annotated[str, Form(max_length=32)] = "",
) -> Response:
    from casework.api.keys import ApiKeyError, create_key

    _admin(who)
    try:
        key, token = create_key(who.ws, name, role, who.caller.actor)
    except ApiKeyError as exc:
        return redirect(who, PREFIX + "/settings#keys", error=str(exc))
    return _page(request, who, new_token={"key": key, "token": token})


@router.post("/settings/keys/{key_id}/revoke")
def revoke_key_page(key_id: Annotated[int, Path(ge=1, le=MAX_ID)], who: FormAdmin) -> Response:
    from casework.api.keys import ApiKeyError, revoke_key

    _admin(who)
    try:
        key = revoke_key(who.ws, key_id, who.caller.actor)
    except ApiKeyError as exc:
        return redirect(who, PREFIX + "/settings#keys", error=str(exc))
    return redirect(who, PREFIX + "/settings#keys", flash=f"Key {key.id} ({key.name}) revoked.")
