"""A job's stages, run in this process on SQLite and PostgreSQL: idempotent, poison-proof."""

from __future__ import annotations

from pathlib import Path

import pytest
from jobs_support import Poison
from sqlalchemy import func, select

from casework import Workspace
from casework.demo import generate_demo
from casework.jobs import ledger
from casework.jobs.outbox import enqueue_tickets, relay_once
from casework.jobs.runner import Models, execute
from casework.jobs.status import retry, status
from casework.store.tables import (
    AuditEventRow,
    DeadLetterRow,
    DraftRow,
    JobRow,
    RoutingDecisionRow,
    StageResultRow,
    TicketRow,
    TriageResultRow,
    WritebackRow,
)

TABLES = (StageResultRow, TriageResultRow, RoutingDecisionRow, DraftRow, AuditEventRow,
          WritebackRow)  # fmt: skip


def counts(ws: Workspace) -> dict[str, int]:
    with ws.session() as s:
        return {
            t.__tablename__: int(s.scalar(select(func.count()).select_from(t)) or 0) for t in TABLES
        }


def jobs(ws: Workspace) -> list[dict[str, object]]:
    """Publish the outbox into a list, as the relay would to the broker."""
    sent: list[dict[str, object]] = []
    relay_once(ws, sent.append, batch_size=25)
    return sent


def test_every_ticket_gets_every_stage_once_and_redelivery_changes_nothing(
    workspace: Workspace,
) -> None:
    generate_demo(workspace, seed=5, tickets=60)
    with workspace.session() as s:
        ids = list(s.scalars(select(TicketRow.id)))
        assert enqueue_tickets(s, ids, batch_size=25) == 3
    sent = jobs(workspace)
    assert len(sent) == 3 and jobs(workspace) == []  # published once, marked queued
    models = Models(workspace)
    for job in sent:
        execute(workspace, models, job, last_attempt=False)
    after = counts(workspace)
    assert after["stage_results"] == 60 * len(ledger.STAGES)
    assert after["triage_results"] == 60 == after["routing_decisions"]
    with workspace.session() as s:
        assert {st for (st,) in s.execute(select(JobRow.state))} == {"done"}
        # the worker died after the work, before the ack: the job is still "running"
        s.execute(JobRow.__table__.update().values(state="running"))
    for job in sent:
        execute(workspace, models, job, last_attempt=False)
    assert counts(workspace) == after


def test_a_poison_ticket_is_parked_and_the_rest_of_its_batch_finishes(
    workspace: Workspace, poison: Poison
) -> None:
    generate_demo(workspace, seed=6, tickets=30)
    with workspace.session() as s:
        ids = sorted(s.scalars(select(TicketRow.id)))
        enqueue_tickets(s, ids, batch_size=30)
    poison.add(workspace, ids[7])
    [job] = jobs(workspace)
    models = Models(workspace)
    with pytest.raises(RuntimeError, match=f"ticket {ids[7]}"):
        execute(workspace, models, job, last_attempt=False)  # asks the broker to retry
    assert counts(workspace)["triage_results"] == 29
    execute(workspace, models, job, last_attempt=True)  # parked, acknowledged
    shown = status(workspace)
    assert shown["jobs"]["process"]["dead"] == 1
    [dead] = shown["dead_letters"]["items"]
    assert dead["ticket_ids"] == [ids[7]] and "poison" in dead["error"]
    assert counts(workspace)["stage_results"] == 29 * len(ledger.STAGES)
    poison.cure(workspace)
    [again] = retry(workspace, [dead["id"]])
    [job2] = jobs(workspace)
    assert job2["id"] == again["job_id"] and job2["ticket_ids"] == [ids[7]]
    execute(workspace, models, job2, last_attempt=False)
    assert counts(workspace)["stage_results"] == 30 * len(ledger.STAGES)
    assert status(workspace)["dead_letters"]["count"] == 0
    with workspace.session() as s:
        assert s.scalar(select(DeadLetterRow.retry_job_id)) == again["job_id"]


def test_batch_jobs_run_as_tasks(sqlite_workspace: Workspace) -> None:
    from casework.jobs.outbox import enqueue

    ws = sqlite_workspace
    generate_demo(ws, seed=7, tickets=80)
    models = Models(ws)
    with ws.session() as s:
        enqueue_tickets(s, list(s.scalars(select(TicketRow.id))), 80)
        for kind in ("qa", "insights", "report"):
            enqueue(s, kind)
    sent = jobs(ws)
    results = {job["kind"]: execute(ws, models, job, last_attempt=False) for job in sent}
    assert results["qa"] is not None and results["qa"]["agents"] > 0
    assert results["insights"] is not None and results["insights"]["topics"] >= 0
    report = results["report"]
    assert report is not None and report["written"].endswith(".md")
    assert "# " in Path(report["written"]).read_text("utf-8")
    assert status(ws)["jobs"]["qa"]["done"] == 1


def test_the_nightly_purge_and_metrics_run_as_tasks(sqlite_workspace: Workspace) -> None:
    from casework.config.versions import active_config
    from casework.jobs.outbox import enqueue
    from casework.privacy.retention import purge as run_purge
    from casework.store.tables import MessageRow, TicketMetricsRow

    ws = sqlite_workspace
    generate_demo(ws, seed=7, tickets=40)
    with ws.session() as s:
        body = s.scalars(select(MessageRow.body).where(MessageRow.body.contains("@"))).first()
        assert body is not None  # the demo plants e-mail addresses in message text
        enqueue(s, "metrics")
        enqueue(s, "purge", params={"dry_run": True})
    models = Models(ws)
    results = {job["kind"]: execute(ws, models, job, last_attempt=False) for job in jobs(ws)}
    assert results["metrics"] == {"tickets": 40}
    with ws.session() as s:
        assert s.scalar(select(func.count(TicketMetricsRow.ticket_id))) == 40
        assert s.scalars(select(MessageRow.body).where(MessageRow.body == body)).first() == body
    purge = results["purge"]
    assert purge is not None and purge["dry_run"] is True
    assert {c["name"] for c in purge["classes"]} >= {"raw_text", "drafts"}
    direct = run_purge(ws, active_config(ws)[1].privacy.retention, dry_run=True).as_dict()
    assert purge["classes"] == direct["classes"]  # the same counts as `privacy purge --dry-run`


def test_single_ticket_jobs_travel_together_and_a_poison_one_is_parked_alone(
    sqlite_workspace: Workspace, poison: Poison
) -> None:
    ws = sqlite_workspace
    generate_demo(ws, seed=8, tickets=6)
    with ws.session() as s:
        ids = sorted(s.scalars(select(TicketRow.id)))
        for tid in ids:  # as webhooks queue them: one job per delivery
            enqueue_tickets(s, [tid], 1)
    poison.add(ws, ids[2])
    [message] = jobs(ws)
    assert message["ticket_ids"] == ids and len(message["job_ids"]) == len(ids)  # type: ignore[arg-type]
    models = Models(ws)
    with pytest.raises(RuntimeError):
        execute(ws, models, message, last_attempt=False)
    assert status(ws)["jobs"]["process"] | {"jobs_per_second": 0} == {
        **{state: 0 for state in ("pending", "queued", "running", "dead")},
        "done": 5, "failed": 1, "jobs_per_second": 0,
    }  # fmt: skip
    execute(ws, models, message, last_attempt=True)  # the redelivery: only the failing job left
    shown = status(ws)
    assert shown["jobs"]["process"]["dead"] == 1 and shown["jobs"]["process"]["done"] == 5
    assert shown["dead_letters"]["items"][0]["ticket_ids"] == [ids[2]]
    assert counts(ws)["stage_results"] == 5 * len(ledger.STAGES)


def test_a_worker_keeps_numpy_to_one_blas_thread_per_task() -> None:
    """N worker processes already fill the cores; BLAS threads on top only contend."""
    import numpy as np
    from threadpoolctl import threadpool_info, threadpool_limits

    from casework.jobs.worker import _one_blas_thread_per_task

    np.ones((4, 4)) @ np.ones((4, 4))  # BLAS loaded
    with threadpool_limits(limits=None):  # restores the pool for the other tests
        _one_blas_thread_per_task(1)
        blas = [p for p in threadpool_info() if p["user_api"] == "blas"]
        assert blas and all(p["num_threads"] == 1 for p in blas)
