"""What a worker does with one job: the same stage functions as the in-process pipeline.

`Models` holds what a worker process loads once (triager, router, retriever, LLM
provider, audit key) and reloads only when the config version in force changes.
`run_job` runs one job's stages for its ticket ids, recording each stage in the
ledger in the stage's own transaction. A failing batch is split: each ticket is
tried alone, so the good ones finish and only the poison ones are retried and,
after the last retry, parked in `dead_letters`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from casework.jobs import ledger, metrics
from casework.jobs.outbox import PROCESS, WRITEBACK, enqueue
from casework.store.repository import RESULT_TABLES, analyze_grown
from casework.store.tables import DeadLetterRow, JobRow, WritebackRow
from casework.workspace import Workspace

log = logging.getLogger(__name__)


class TicketsFailed(RuntimeError):
    """Some tickets of a batch failed even alone; the others are done."""

    def __init__(self, errors: dict[int, str]) -> None:
        self.errors = errors
        first = next(iter(errors.items()))
        super().__init__(
            f"{len(errors)} ticket(s) failed: ticket {first[0]}: {first[1]}"
            + (f" (and {len(errors) - 1} more)" if len(errors) > 1 else "")
        )


@dataclass
class Models:
    """Loaded once per worker process; the router follows the config in force."""

    ws: Workspace
    _cache: dict[str, Any] = field(default_factory=dict)

    def get(self) -> dict[str, Any]:
        from casework.audit import load_key
        from casework.config.versions import active_config
        from casework.pipeline import router_for
        from casework.triage.engine import Triager

        version, _ = active_config(self.ws)
        if self._cache.get("config_version") != version:
            from casework.knowledge.index_store import workspace_retriever
            from casework.llm.factory import provider_from

            router = router_for(self.ws)
            self._cache.update(
                config_version=version,
                router=router,
                retriever=workspace_retriever(self.ws, fallback="static"),
                provider=provider_from(router.config.llm),
            )
        if "triager" not in self._cache:
            self._cache["triager"] = Triager.for_workspace(self.ws.path)
            self._cache["key"] = load_key(self.ws)
        return self._cache


def process_tickets(
    ws: Workspace, models: Models, ticket_ids: Sequence[int], job_id: int | None
) -> None:
    """Triage → route (context rules, escalation) → draft (context, retrieval) for these
    tickets, skipping whatever the ledger or the result tables say is done."""
    from casework.pipeline import draft_pending, process_pending, route_pending

    m = models.get()
    triager, router, key = m["triager"], m["router"], m["key"]
    tv = triager.version
    rkey = ledger.route_versions(router, tv)
    size = max(len(ticket_ids), 1)
    wrote_back: list[bool] = []

    def timed(stage: str, run: Callable[[], Any]) -> None:
        started = time.perf_counter()
        run()
        metrics.STAGE_SECONDS.labels(stage).observe(time.perf_counter() - started)

    def on_triage(s: Session, ids: list[int]) -> None:
        ledger.record(s, "triage", tv[:128], ((t, "done") for t in ids), job_id)
        metrics.TICKETS.labels("triage").inc(len(ids))

    def on_route(s: Session, ids: list[int], decisions: list[Any]) -> None:
        outcomes = [
            (t, "escalated" if d.escalation.escalate else "done")
            for t, d in zip(ids, decisions, strict=True)
        ]
        ledger.record(s, "route", rkey, outcomes, job_id)
        metrics.TICKETS.labels("route").inc(len(ids))
        if s.scalar(  # the write-backs this batch queued leave through the job outbox
            select(WritebackRow.id)
            .where(WritebackRow.ticket_id.in_(ids), WritebackRow.state == "pending")
            .limit(1)
        ):
            wrote_back.append(True)
            enqueue(s, WRITEBACK)

    def on_draft(s: Session, ids: list[int]) -> None:
        ledger.record(s, "draft", rkey, ((t, "done") for t in ids), job_id)
        metrics.TICKETS.labels("draft").inc(len(ids))

    timed("triage", lambda: process_pending(
        ws, triager, size, audit_key=key, ticket_ids=ticket_ids, on_batch=on_triage))  # fmt: skip
    timed("route", lambda: route_pending(
        ws, router, tv, key, size, ticket_ids=ticket_ids, on_batch=on_route))  # fmt: skip
    timed("draft", lambda: draft_pending(
        ws, router.config, router.config_version, router.model_version or "none", key,
        retriever=m["retriever"], provider=m["provider"], batch_size=size,
        ticket_ids=ticket_ids, on_batch=on_draft))  # fmt: skip
    with ws.session() as s:  # a backfill grows these tables; keep the planner's view current
        analyze_grown(s, RESULT_TABLES)
    with ws.session() as s:
        ledger.reconcile(s, ticket_ids, tv, router, job_id)  # skipped drafts, older results
        left = ledger.missing(s, ticket_ids, tv, router)
    if left:
        raise RuntimeError(f"tickets {left[:10]} have stages left undone")


def process_batch(
    ws: Workspace, models: Models, ticket_ids: Sequence[int], job_id: int | None
) -> None:
    """The whole batch at once; if that fails, each ticket alone (poison isolation)."""
    try:
        process_tickets(ws, models, ticket_ids, job_id)
        return
    except Exception as exc:
        if len(ticket_ids) == 1:
            raise TicketsFailed({ticket_ids[0]: _describe(exc)}) from exc
        log.warning("job %s: batch failed (%s); trying its tickets one by one", job_id, exc)
    errors: dict[int, str] = {}
    for tid in ticket_ids:
        try:
            process_tickets(ws, models, [tid], job_id)
        except Exception as exc:
            errors[tid] = _describe(exc)
    if errors:
        raise TicketsFailed(errors)


def _describe(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}"
    return text.splitlines()[0][:500] if text.strip() else type(exc).__name__


def run_batch_job(ws: Workspace, kind: str, params: dict[str, Any]) -> dict[str, Any]:
    """The batch jobs (train, insights refresh, QA scoring, weekly report, ticket metrics,
    retention purge) and write-backs."""
    if kind == WRITEBACK:
        from casework.writeback import HelpdeskClient, run_due, zendesk_from_env

        clients: dict[str, HelpdeskClient] = {}
        if (zendesk := zendesk_from_env()) is not None:
            clients["zendesk"] = zendesk
        report = run_due(ws, clients)
        if report.failed:  # retried by the outbox's own schedule, not by the task
            log.warning("write-back: %s failed", report.failed)
        return {"sent": report.sent, "failed": report.failed, "skipped": report.skipped}
    if kind == "train":
        from casework.routing.training import train_queue
        from casework.triage.training import labelled_history, train_intent

        stored = train_intent(ws, labelled_history(ws), params.get("mode", "static"))
        queue = train_queue(ws, mode=params.get("mode", "static"))
        return {"intent_model": stored.version, "queue_model": queue.version}
    if kind == "insights":
        from casework.insights.topics import refresh_topics

        return {"topics": refresh_topics(ws).topics}
    if kind == "qa":
        from casework.qa.drafts import score_drafts
        from casework.qa.scoring import score_pending

        return {"agents": score_pending(ws).scored, "drafts": score_drafts(ws).scored}
    if kind == "report":
        from casework.insights.report import build_weekly_report, to_markdown

        report_ = build_weekly_report(ws, params.get("week"))
        out = ws.path / "exports" / f"weekly-{report_.week}.md"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(to_markdown(report_), "utf-8")
        return {"written": str(out)}
    if kind == "metrics":
        from casework.insights.metrics_store import refresh_ticket_metrics

        return {"tickets": refresh_ticket_metrics(ws).tickets}
    if kind == "purge":  # the scheduled retention run (deploy/systemd/casework-nightly.timer)
        from casework.config.versions import active_config
        from casework.privacy.retention import purge

        _, config = active_config(ws)
        return purge(ws, config.privacy.retention, dry_run=bool(params.get("dry_run"))).as_dict()
    raise ValueError(f"unknown job kind {kind!r}")


# -- the job's own state -----------------------------------------------------------------


def start(ws: Workspace, job_ids: Sequence[int]) -> dict[int, list[int]]:
    """Mark running the jobs not done or dead yet, and return them with their tickets;
    empty when all are finished (a redelivery: nothing to do)."""
    with ws.session() as s:
        rows = s.execute(
            select(JobRow.id, JobRow.ticket_ids).where(
                JobRow.id.in_(list(job_ids)), JobRow.state.not_in(("done", "dead"))
            )
        ).all()
        active = {int(i): [int(t) for t in tickets or ()] for i, tickets in rows}
        if active:
            s.execute(
                update(JobRow)
                .where(JobRow.id.in_(list(active)))
                .values(state="running", attempts=JobRow.attempts + 1, started_at=datetime.now(UTC))
            )
    return active


def finish(
    ws: Workspace, job_ids: int | Sequence[int], error: str | None = None, *, retrying: bool = False
) -> None:
    ids = [job_ids] if isinstance(job_ids, int) else list(job_ids)
    if not ids:
        return
    state = "done" if error is None else ("failed" if retrying else "dead")
    with ws.session() as s:
        s.execute(
            update(JobRow)
            .where(JobRow.id.in_(ids))
            .values(state=state, last_error=error, finished_at=datetime.now(UTC))
        )


def park(ws: Workspace, job: JobRow | dict[str, Any], error: str, tickets: Sequence[int]) -> None:
    """Put a job that failed its last retry in the dead-letter list (once per job)."""
    job_id = job["id"] if isinstance(job, dict) else job.id
    kind = job["kind"] if isinstance(job, dict) else job.kind
    with ws.session() as s:
        if s.scalar(select(DeadLetterRow.id).where(DeadLetterRow.job_id == job_id)) is None:
            attempts = s.scalar(select(JobRow.attempts).where(JobRow.id == job_id)) or 0
            s.add(DeadLetterRow(job_id=job_id, kind=kind, ticket_ids=sorted(tickets),
                                error=error[:4000], attempts=attempts,
                                created_at=datetime.now(UTC)))  # fmt: skip
    finish(ws, job_id, error[:4000])
    metrics.DEAD.labels(kind).inc()


def execute(
    ws: Workspace, models: Models, job: dict[str, Any], last_attempt: bool
) -> dict[str, Any] | None:
    """Run one delivered message (one job, or several small `process` jobs travelling
    together). Raises to ask the broker for a retry — except on the last attempt, when
    the jobs with failing tickets are parked and the delivery is acknowledged."""
    kind = str(job["kind"])
    active = start(ws, [int(i) for i in job.get("job_ids") or [job["id"]]])
    if not active:
        return None
    try:
        if kind == PROCESS:
            tickets = sorted({t for ids in active.values() for t in ids})
            process_batch(ws, models, tickets, min(active))
            result = None
        else:
            result = run_batch_job(ws, kind, dict(job.get("params") or {}))
    except Exception as exc:
        failing = set(exc.errors) if isinstance(exc, TicketsFailed) else None
        message = str(exc) if isinstance(exc, TicketsFailed) else _describe(exc)
        metrics.FAILURES.labels(kind).inc()
        bad = {i: [t for t in ts if failing is None or t in failing] for i, ts in active.items()}
        finished = [i for i, ts in bad.items() if not ts and kind == PROCESS]
        finish(ws, finished)  # their tickets are done: only the others are retried or parked
        for job_id, tickets in bad.items():
            if job_id in finished:
                continue
            if last_attempt:
                log.error("job %s (%s) parked as a dead letter: %s", job_id, kind, message)
                park(ws, {"id": job_id, "kind": kind}, message, tickets)
            else:
                finish(ws, job_id, message, retrying=True)
        if last_attempt:
            return None
        raise
    finish(ws, list(active))
    return result
