"""What `casework jobs status`, the API and the dashboard show, and `jobs retry`.

Counts per job kind and state (pending = in the outbox, queued = on the broker,
running, done, failed = being retried, dead), rates over the last minute (jobs
and tickets per second, from finish times and the stage ledger), and the
dead-letter list with each error.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from casework.jobs.outbox import PROCESS, STATES, enqueue
from casework.store.tables import DeadLetterRow, JobRow, StageResultRow
from casework.workspace import Workspace

WINDOW = timedelta(seconds=60)


def dead_letters(
    ws: Workspace, limit: int = 100, include_retried: bool = False
) -> list[dict[str, Any]]:
    with ws.session() as s:
        query = select(DeadLetterRow).order_by(DeadLetterRow.id.desc()).limit(limit)
        if not include_retried:
            query = query.where(DeadLetterRow.retried_at.is_(None))
        return [
            {
                "id": d.id,
                "job_id": d.job_id,
                "kind": d.kind,
                "ticket_ids": list(d.ticket_ids or []),
                "error": d.error,
                "attempts": d.attempts,
                "created_at": d.created_at.isoformat(),
                "retried_at": d.retried_at.isoformat() if d.retried_at else None,
                "retry_job_id": d.retry_job_id,
            }
            for d in s.scalars(query)
        ]


def status(ws: Workspace, dead_limit: int = 20) -> dict[str, Any]:
    now = datetime.now(UTC)
    since = now - WINDOW
    with ws.session() as s:
        counts = s.execute(
            select(JobRow.kind, JobRow.state, func.count()).group_by(JobRow.kind, JobRow.state)
        ).all()
        recent = dict(
            s.execute(
                select(JobRow.kind, func.count())
                .where(JobRow.state == "done", JobRow.finished_at >= since)
                .group_by(JobRow.kind)
            ).all()
        )
        stages = dict(
            s.execute(
                select(StageResultRow.stage, func.count()).group_by(StageResultRow.stage)
            ).all()
        )
        stage_recent = dict(
            s.execute(
                select(StageResultRow.stage, func.count())
                .where(StageResultRow.created_at >= since)
                .group_by(StageResultRow.stage)
            ).all()
        )
        dead_total = s.scalar(
            select(func.count())
            .select_from(DeadLetterRow)
            .where(DeadLetterRow.retried_at.is_(None))
        )
    kinds: dict[str, dict[str, Any]] = {}
    for kind, state, n in counts:
        entry = kinds.setdefault(kind, {st: 0 for st in STATES})
        entry[state] = int(n)
    for kind, entry in kinds.items():
        entry["jobs_per_second"] = round(recent.get(kind, 0) / WINDOW.total_seconds(), 2)
    seconds = WINDOW.total_seconds()
    return {
        "jobs": kinds,
        "stages": {
            stage: {"done": int(n), "per_second": round(stage_recent.get(stage, 0) / seconds, 1)}
            for stage, n in sorted(stages.items())
        },
        "outbox_backlog": sum(e.get("pending", 0) for e in kinds.values()),
        "dead_letters": {"count": int(dead_total or 0), "items": dead_letters(ws, dead_limit)},
        "window_seconds": int(seconds),
    }


def retry(ws: Workspace, ids: Sequence[int] = (), every: bool = False) -> list[dict[str, Any]]:
    """Queue the dead letters' tickets (or batch job) again as new jobs; each is stamped."""
    if not ids and not every:
        raise ValueError("name dead letters to retry (ids from `casework jobs status`) or --all")
    retried = []
    with ws.session() as s:
        query = select(DeadLetterRow).where(DeadLetterRow.retried_at.is_(None))
        if not every:
            query = query.where(DeadLetterRow.id.in_(list(ids)))
        rows = list(s.scalars(query))
        if not every:
            unknown = sorted(set(ids) - {r.id for r in rows})
            if unknown:
                raise ValueError(f"no dead letter waiting with id {', '.join(map(str, unknown))}")
        for row in rows:
            params = {}
            if row.kind != PROCESS:
                params = dict(s.scalar(select(JobRow.params).where(JobRow.id == row.job_id)) or {})
            job = enqueue(s, row.kind, row.ticket_ids, params)
            row.retried_at, row.retry_job_id = datetime.now(UTC), job.id
            retried.append(
                {"dead_letter": row.id, "job_id": job.id, "tickets": len(row.ticket_ids)}
            )
    return retried
