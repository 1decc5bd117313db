"""With CASEWORK_BROKER_URL set, intake only writes jobs to the outbox, in its transaction;
the API shows the queue, the dead letters and the Prometheus metrics."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from casework import Workspace
from casework.api.app import create_app
from casework.api.keys import create_key
from casework.cli import app as cli
from casework.demo import generate_demo
from casework.ingest.runner import run_import
from casework.jobs.outbox import enqueue_stored, enqueue_tickets
from casework.jobs.runner import park
from casework.store.tables import JobRow, TicketRow, TriageResultRow

BROKER = "amqp://guest:guest@127.0.0.1:1/"  # never contacted: intake does not need it


def _jobs(ws: Workspace) -> list[JobRow]:
    with ws.session() as s:
        return list(s.scalars(select(JobRow).order_by(JobRow.id)))


def test_an_import_batch_and_its_jobs_commit_together(
    sqlite_workspace: Workspace, tmp_path: Path
) -> None:
    csv = tmp_path / "t.csv"
    rows = ["external_id,subject,body,created_at"] + [
        f"t{i},Refund,Where is my refund {i}?,2026-11-0{1 + i % 9}T10:00:00Z" for i in range(7)
    ]
    csv.write_text("\n".join(rows) + "\n")
    run_import(sqlite_workspace, csv, fmt="csv", batch_size=3,
               after_write=lambda s, t: enqueue_stored(s, t, 2) and None)  # fmt: skip
    jobs = _jobs(sqlite_workspace)
    with sqlite_workspace.session() as s:
        ids = sorted(s.scalars(select(TicketRow.id)))
    assert sorted(t for j in jobs for t in j.ticket_ids) == ids and len(ids) == 7
    assert {j.state for j in jobs} == {"pending"} and max(len(j.ticket_ids) for j in jobs) == 2
    run_import(sqlite_workspace, csv, fmt="csv", batch_size=3,
               after_write=lambda s, t: enqueue_stored(s, t, 2) and None)  # fmt: skip
    assert len(_jobs(sqlite_workspace)) == len(jobs)  # unchanged tickets queue nothing


def test_process_queues_instead_of_working_inline(
    sqlite_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    generate_demo(sqlite_workspace, seed=21, tickets=30)
    monkeypatch.setenv("CASEWORK_BROKER_URL", BROKER)
    monkeypatch.setenv("CASEWORK_JOB_BATCH_SIZE", "8")
    monkeypatch.setenv("CASEWORK_DATABASE_URL", sqlite_workspace.database_url)
    args = ["process", "--json", "--workspace", str(sqlite_workspace.path)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["queued"] == {"tickets": 30, "jobs": 4, "already_queued": 0}
    with sqlite_workspace.session() as s:
        assert s.scalar(select(func.count()).select_from(TriageResultRow)) == 0
    again = CliRunner().invoke(cli, args)  # already queued: nothing twice
    assert json.loads(again.output)["queued"]["tickets"] == 0


def test_the_api_shows_jobs_dead_letters_and_prometheus_metrics(
    sqlite_workspace: Workspace,
) -> None:
    ws = sqlite_workspace
    generate_demo(ws, seed=22, tickets=5)
    with ws.session() as s:
        ids = sorted(s.scalars(select(TicketRow.id)))
        enqueue_tickets(s, ids, 2)
        first = s.scalars(select(JobRow).order_by(JobRow.id)).first()
        assert first is not None
        job_id = first.id
    park(ws, {"id": job_id, "kind": "process"}, "RuntimeError: boom", [ids[0]])
    _, admin = create_key(ws, "ops", "admin", "user:test")
    _, analyst = create_key(ws, "a", "analyst", "user:test")
    with TestClient(create_app(ws, process_webhooks=False)) as client:
        auth = {"Authorization": f"Bearer {admin}"}
        status = client.get("/jobs", headers=auth).json()
        assert status["jobs"]["process"]["pending"] == 2 and status["jobs"]["process"]["dead"] == 1
        dead = client.get("/jobs/dead-letters", headers=auth).json()["dead_letters"]
        assert dead[0]["error"] == "RuntimeError: boom" and dead[0]["ticket_ids"] == [ids[0]]
        metrics = client.get("/metrics/prometheus", headers=auth)
        assert metrics.status_code == 200
        body = metrics.text
        assert 'casework_jobs{kind="process",state="pending"} 2.0' in body
        assert "casework_outbox_backlog 2.0" in body and "casework_dead_letters 1.0" in body
        assert "# TYPE casework_stage_seconds histogram" in body
        denied = client.get("/metrics/prometheus", headers={"Authorization": f"Bearer {analyst}"})
        assert denied.status_code == 403
        retried = client.post(f"/jobs/dead-letters/{dead[0]['id']}/retry", headers=auth)
        assert retried.status_code == 200 and retried.json()["tickets"] == 1
        assert (
            client.post(f"/jobs/dead-letters/{dead[0]['id']}/retry", headers=auth).status_code
            == 404
        )
