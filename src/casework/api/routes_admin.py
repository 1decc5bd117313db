"""Config change control (validate, dry-run, apply) and audit-log verification.

Config bodies are the YAML text itself (`Content-Type: text/plain` or
`application/yaml`), exactly what `casework config apply FILE` reads, so an
error's line number is a line of the file the client sent.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from starlette.concurrency import run_in_threadpool

from casework.api.deps import Caller, require
from casework.api.errors import ApiError
from casework.api.routes_insights import parse_period
from casework.config.loader import ConfigError, load_config_text
from casework.config.schema import WorkspaceConfig

router = APIRouter(tags=["admin"])
FILENAME = "casework.yaml"
YAML_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "The whole workspace config, as YAML text.",
        "content": {
            "text/plain": {"schema": {"type": "string"}},
            "application/yaml": {"schema": {"type": "string"}},
        },
    }
}


def _refused(exc: ConfigError) -> ApiError:
    """422 with the first problem's line and field, and every problem listed."""
    problems = [p.to_dict() for p in exc.problems]
    first = exc.problems[0] if exc.problems else None
    return ApiError(
        422,
        str(first) if first else "invalid config",
        (first.path or None) if first else None,
        {"line": first.line if first else None, "problems": problems},
    )


async def _config_text(request: Request) -> str:
    raw = await request.body()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ApiError(422, "the config must be UTF-8 text", "body") from exc
    if not text.strip():
        raise ApiError(422, "send the config's YAML text as the request body", "body")
    return text


def _parse(text: str) -> WorkspaceConfig:
    try:
        return load_config_text(text, FILENAME)
    except ConfigError as exc:
        raise _refused(exc) from exc


@router.post("/config/validate", openapi_extra=YAML_BODY)
async def validate(
    request: Request, caller: Annotated[Caller, Depends(require("config:read"))]
) -> dict[str, Any]:
    """Check a config as a whole; 422 names the line and field of each problem."""
    config = _parse(await _config_text(request))
    return {"valid": True, "queues": [q.key for q in config.queues], "rules": len(config.rules)}


@router.post("/config/dry-run", openapi_extra=YAML_BODY)
async def dry_run(
    request: Request,
    caller: Annotated[Caller, Depends(require("config:read"))],
    since: Annotated[str | None, Query(description="Only tickets this recent: 30d, 4w…")] = None,
    examples: Annotated[int, Query(ge=0, le=50)] = 5,
) -> dict[str, Any]:
    """What would route, escalate or automate differently under this config; writes nothing."""
    from casework.pipeline.dry_run import dry_run as replay

    config = _parse(await _config_text(request))
    period = parse_period(since) if since else None
    result: dict[str, Any] = await run_in_threadpool(replay, caller.ws, config, period, examples)
    return result


@router.post("/config/apply", openapi_extra=YAML_BODY)
async def apply(
    request: Request, caller: Annotated[Caller, Depends(require("config:apply"))]
) -> dict[str, Any]:
    """Store the config as the next version in force; an invalid one leaves the old in force."""
    from casework.config.versions import ConcurrentApply, apply_config

    text = await _config_text(request)
    try:
        version = await run_in_threadpool(apply_config, caller.ws, text, caller.actor, FILENAME)
    except ConfigError as exc:
        raise _refused(exc) from exc
    except ConcurrentApply as exc:
        raise ApiError(409, str(exc)) from exc
    details = {"version": version.version, "sha256": version.sha256}
    await run_in_threadpool(
        caller.record, "api.config.apply", "config", str(version.version), details
    )
    return version.to_dict()


@router.get("/audit/verify")
def verify(caller: Annotated[Caller, Depends(require("audit:read"))]) -> dict[str, Any]:
    """Walk the audit log's hash chain; reports the first broken event, if any."""
    from casework.audit import AuditKeyError
    from casework.audit import verify as verify_chain

    try:
        report = verify_chain(caller.ws)
    except AuditKeyError as exc:
        raise ApiError(503, str(exc)) from exc
    return asdict(report)
