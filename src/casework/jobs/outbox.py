"""The job outbox: work is recorded in the database first, published to the broker after.

`enqueue*` run inside the caller's transaction (the one storing the tickets), so a
stored ticket always has its job and a rolled-back one has none. `relay_once`
publishes `pending` jobs and marks them `queued`; if the broker is unreachable it
raises, nothing is marked, and the next scan publishes them — no job is lost, and
one published twice is harmless because every stage is idempotent.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from casework.store.tables import JobRow, StageResultRow, TicketRow
from casework.workspace import Workspace

PROCESS = "process"
WRITEBACK = "writeback"
BATCH_KINDS = ("train", "insights", "qa", "report", "metrics", "purge")
KINDS = (PROCESS, WRITEBACK, *BATCH_KINDS)
ACTIVE = ("pending", "queued", "running", "failed")
STATES = ("pending", "queued", "running", "failed", "done", "dead")


def _chunks(ids: Sequence[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


def enqueue(
    session: Session,
    kind: str,
    ticket_ids: Collection[int] = (),
    params: dict[str, Any] | None = None,
) -> JobRow:
    """One job, in the caller's transaction."""
    if kind not in KINDS:
        raise ValueError(f"unknown job kind {kind!r}; expected one of {', '.join(KINDS)}")
    row = JobRow(
        kind=kind,
        ticket_ids=sorted(ticket_ids),
        params=params or {},
        state="pending",
        attempts=0,
        created_at=datetime.now(UTC),
    )
    session.add(row)
    session.flush()
    return row


def enqueue_tickets(session: Session, ticket_ids: Collection[int], batch_size: int) -> int:
    """`process` jobs of at most `batch_size` tickets each; returns how many jobs."""
    ids = sorted(set(ticket_ids))
    now = datetime.now(UTC)
    rows = [
        JobRow(kind=PROCESS, ticket_ids=chunk, params={}, state="pending", attempts=0,
               created_at=now)
        for chunk in _chunks(ids, batch_size)
    ]  # fmt: skip
    session.add_all(rows)
    session.flush()
    return len(rows)


def active_ticket_ids(session: Session) -> set[int]:
    """Tickets some unfinished `process` job already carries."""
    ids: set[int] = set()
    for chunk in session.scalars(
        select(JobRow.ticket_ids).where(JobRow.kind == PROCESS, JobRow.state.in_(ACTIVE))
    ):
        ids.update(chunk or ())
    return ids


def unprocessed_ticket_ids(session: Session, stages: int) -> list[int]:
    """Tickets without a full set of ledger rows (any versions): what a backfill queues."""
    from sqlalchemy import func

    full = (
        select(StageResultRow.ticket_id)
        .group_by(StageResultRow.ticket_id)
        .having(func.count(func.distinct(StageResultRow.stage)) >= stages)
    )
    return list(
        session.scalars(
            select(TicketRow.id).where(TicketRow.id.not_in(full)).order_by(TicketRow.id)
        )
    )


def backfill(
    ws: Workspace,
    batch_size: int,
    stages: int = 3,
    progress: Callable[[int, int], None] | None = None,
    chunk_jobs: int = 50,
) -> dict[str, int]:
    """Queue every ticket not yet processed and not already queued, in batches."""
    with ws.session() as s:
        queued = active_ticket_ids(s)
        ids = [t for t in unprocessed_ticket_ids(s, stages) if t not in queued]
    jobs = 0
    step = batch_size * chunk_jobs
    for start in range(0, len(ids), step):
        with ws.session() as s:
            jobs += enqueue_tickets(s, ids[start : start + step], batch_size)
        if progress:
            progress(min(start + step, len(ids)), len(ids))
    return {"tickets": len(ids), "jobs": jobs, "already_queued": len(queued)}


Publish = Callable[[dict[str, Any]], None]


def job_message(job: JobRow) -> dict[str, Any]:
    """What travels: the job's id, kind, ticket ids and parameters — never texts."""
    return {
        "id": job.id,
        "kind": job.kind,
        "ticket_ids": list(job.ticket_ids or []),
        "params": dict(job.params or {}),
    }


def messages_for(jobs: Sequence[JobRow], batch_size: int) -> list[dict[str, Any]]:
    """One message per job, except that small `process` jobs (a webhook's single ticket)
    travel together up to `batch_size` tickets (`job_ids` lists them): a flood of
    deliveries, or the backlog of a broker outage, is processed in batches."""
    out: list[dict[str, Any]] = []
    group: dict[str, Any] | None = None
    for job in jobs:
        size = len(job.ticket_ids or ())
        if job.kind != PROCESS or size >= batch_size:
            out.append(job_message(job))
            continue
        if group is None or len(group["ticket_ids"]) + size > batch_size:
            group = {**job_message(job), "ticket_ids": [], "job_ids": []}
            out.append(group)
        group["ticket_ids"] += list(job.ticket_ids or ())
        group["job_ids"].append(job.id)
    return out


def relay_once(ws: Workspace, publish: Publish, limit: int = 500, batch_size: int = 200) -> int:
    """Publish up to `limit` pending jobs; returns how many. Broker errors propagate
    after the jobs published so far are marked (their transaction commits)."""
    published: list[int] = []
    error: BaseException | None = None
    with ws.session() as s:
        query = select(JobRow).where(JobRow.state == "pending").order_by(JobRow.id).limit(limit)
        if s.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)  # two relays never send one job
        for message in messages_for(list(s.scalars(query)), batch_size):
            try:
                publish(message)
            except Exception as exc:  # the broker is down: mark what went, keep the rest
                error = exc
                break
            published += message.get("job_ids") or [message["id"]]
        if published:
            s.execute(
                update(JobRow)
                .where(JobRow.id.in_(published), JobRow.state == "pending")
                .values(state="queued", published_at=datetime.now(UTC))
            )
    if error is not None:
        raise error
    return len(published)


def backlog(session: Session) -> int:
    from sqlalchemy import func

    return int(
        session.scalar(select(func.count()).select_from(JobRow).where(JobRow.state == "pending"))
        or 0
    )


def enqueue_stored(session: Session, tickets: Sequence[Any], batch_size: int) -> int:
    """Jobs for tickets just upserted in this transaction (found by source and id)."""
    by_source: dict[str, list[str]] = {}
    for t in tickets:
        by_source.setdefault(t.source, []).append(t.external_id)
    ids: list[int] = []
    for source, external in by_source.items():
        ids += session.scalars(
            select(TicketRow.id).where(
                TicketRow.source == source, TicketRow.external_id.in_(external)
            )
        )
    return enqueue_tickets(session, ids, batch_size)
