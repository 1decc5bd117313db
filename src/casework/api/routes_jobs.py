"""Workers' jobs over HTTP: status, dead letters, retry, and Prometheus metrics.

`/metrics/prometheus` is the Prometheus text format (`prometheus-client`): this
process's counters and stage-latency histograms, plus gauges read from the
database at scrape time (jobs per state = queue depth, outbox backlog, stage
results, dead letters). `/metrics` itself is the weekly business metrics (JSON).
Needs the workers extra; without it these routes answer 501.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from casework.api.deps import Caller, require
from casework.api.errors import ApiError

router = APIRouter(tags=["jobs"])
JobsReader = Annotated[Caller, Depends(require("jobs:read"))]


@router.get("/jobs")
def jobs_status(caller: JobsReader) -> dict[str, Any]:
    """Jobs per kind and state with rates, stage counts, outbox backlog, dead letters."""
    from casework.jobs.status import status

    return status(caller.ws)


@router.get("/jobs/dead-letters")
def dead_letters(
    caller: JobsReader,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    retried: bool = False,
) -> dict[str, Any]:
    """Jobs that failed every retry, newest first, with their error and failing tickets."""
    from casework.jobs.status import dead_letters as listing

    return {"dead_letters": listing(caller.ws, limit, include_retried=retried)}


@router.post("/jobs/dead-letters/{dead_letter_id}/retry")
def retry_dead_letter(
    dead_letter_id: int, caller: Annotated[Caller, Depends(require("process:run"))]
) -> dict[str, Any]:
    """Queue a dead letter's tickets (or batch job) again; 404 if none is waiting."""
    from casework.jobs.status import retry

    try:
        [item] = retry(caller.ws, [dead_letter_id])
    except ValueError as exc:
        raise ApiError(404, str(exc), "dead_letter_id") from exc
    caller.record("jobs.retry", "dead_letter", str(dead_letter_id), item)
    return item


def _exposition(request: Request) -> bytes:
    try:
        from prometheus_client import REGISTRY, CollectorRegistry, generate_latest

        from casework.jobs.metrics import StoreCollector
    except ImportError as exc:
        raise ApiError(501, f"{exc}; install casework[workers]", None) from exc
    store = getattr(request.app.state, "metrics_registry", None)
    if store is None:
        store = CollectorRegistry(auto_describe=False)
        store.register(StoreCollector(request.app.state.workspace))
        request.app.state.metrics_registry = store
    return generate_latest(REGISTRY) + generate_latest(store)


@router.get(
    "/metrics/prometheus",
    response_class=Response,
    responses={200: {"content": {"text/plain": {}}}},
)
async def prometheus(request: Request, caller: JobsReader) -> Response:
    """Prometheus text format: tickets per stage, stage latency, queue depth, failures,
    outbox backlog, dead letters."""
    body = await run_in_threadpool(_exposition, request)
    return Response(body, media_type="text/plain; version=0.0.4; charset=utf-8")
