"""Process stored tickets through the stages: triage, then routing and escalation.

Each stage works in resumable, idempotent batches and writes its audit events
in the same transaction as its results. Stages run in-process here; the
scale-out issue puts the same functions behind a task queue.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from casework.audit import load_key
from casework.pipeline.draft_stage import DraftReport, draft_pending
from casework.pipeline.route_stage import RouteReport, route_pending, router_for
from casework.pipeline.triage_stage import (
    ProcessReport,
    pending_count,
    process_pending,
    result_row,
    triage_request,
)
from casework.routing.router import Router
from casework.store.repository import RESULT_TABLES, analyze_grown
from casework.triage.engine import Triager
from casework.workspace import Workspace

__all__ = [
    "DraftReport",
    "PipelineReport",
    "ProcessReport",
    "RouteReport",
    "pending_count",
    "process_all",
    "process_pending",
    "result_row",
    "route_pending",
    "router_for",
    "triage_request",
]


@dataclass
class PipelineReport:
    triage: ProcessReport
    routing: RouteReport
    drafting: DraftReport


def process_all(
    ws: Workspace,
    triager: Triager | None = None,
    router: Router | None = None,
    batch_size: int = 500,
    progress: Callable[[str, int, int], None] | None = None,
) -> PipelineReport:
    """Triage, route, then draft whatever is not done yet, with audit events."""
    key = load_key(ws)
    triager = triager or Triager.for_workspace(ws.path)
    router = router or router_for(ws)
    triaged = process_pending(
        ws,
        triager,
        batch_size,
        (lambda done, total: progress("triage", done, total)) if progress else None,
        audit_key=key,
    )
    total = triaged.processed + triaged.already_done
    with ws.session() as s:  # the next stage reads what this one wrote: plan with its size
        analyze_grown(s, RESULT_TABLES)
    routed = route_pending(
        ws,
        router,
        triager.version,
        key,
        batch_size,
        (lambda done: progress("route", done, total)) if progress else None,
    )
    with ws.session() as s:
        analyze_grown(s, RESULT_TABLES)
    drafted = draft_pending(
        ws,
        router.config,
        router.config_version,
        routed.model_version,
        key,
        progress=(lambda done: progress("draft", done, total)) if progress else None,
    )
    return PipelineReport(triaged, routed, drafted)
