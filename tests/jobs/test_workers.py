"""Workers as real subprocesses on the real broker: duplicates, SIGKILL, outage, poison.

Each test runs `casework worker` processes against RabbitMQ through a TCP proxy
(stopped to cut the broker off, never the broker itself) and a database the
processes share (PostgreSQL when CASEWORK_TEST_DATABASE_URL is set).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import signal
import time

import pytest
from jobs_support import Poison, Workers, redeliver_all, wait_until
from sqlalchemy import func, select
from tcpproxy import TcpProxy

from casework import Workspace
from casework.demo import generate_demo
from casework.jobs.ledger import STAGES
from casework.jobs.outbox import enqueue_tickets
from casework.store.tables import (
    AuditEventRow,
    DeadLetterRow,
    JobRow,
    RoutingDecisionRow,
    StageResultRow,
    TicketRow,
    TriageResultRow,
)


def n(ws: Workspace, table: type, *where: object) -> int:
    with ws.session() as s:
        return int(s.scalar(select(func.count()).select_from(table).where(*where)) or 0)


def states(ws: Workspace) -> dict[str, int]:
    with ws.session() as s:
        return dict(s.execute(select(JobRow.state, func.count()).group_by(JobRow.state)).all())


def all_done(ws: Workspace) -> bool:
    return set(states(ws)) == {"done"}


def queue_all(ws: Workspace, batch_size: int) -> list[int]:
    with ws.session() as s:
        ids = sorted(s.scalars(select(TicketRow.id)))
        enqueue_tickets(s, ids, batch_size)
    return ids


def snapshot(ws: Workspace) -> dict[str, int]:
    return {
        "stage_results": n(ws, StageResultRow),
        "triage": n(ws, TriageResultRow),
        "routes": n(ws, RoutingDecisionRow),
        "audit": n(ws, AuditEventRow),
    }


def test_a_task_delivered_twice_changes_nothing(shared_ws: Workspace, workers: Workers) -> None:
    generate_demo(shared_ws, seed=11, tickets=40)
    ids = queue_all(shared_ws, 20)
    workers.start()
    wait_until(lambda: all_done(shared_ws), 90, "the first delivery", workers.logs)
    before = snapshot(shared_ws)
    assert before["stage_results"] == len(ids) * len(STAGES)
    # The worker "died after doing the work, before the ack": the broker delivers again.
    redeliver_all(shared_ws, workers)
    wait_until(lambda: all_done(shared_ws), 60, "the second delivery", workers.logs)
    assert snapshot(shared_ws) == before
    with shared_ws.session() as s:
        assert all(a >= 2 for (a,) in s.execute(select(JobRow.attempts)))


def test_a_killed_workers_batch_is_finished_by_another(
    shared_ws: Workspace, workers: Workers
) -> None:
    generate_demo(shared_ws, seed=12, tickets=400)
    ids = queue_all(shared_ws, 100)
    first = workers.start(CASEWORK_PREFETCH="1")
    wait_until(lambda: states(shared_ws).get("running", 0) > 0, 90, "a running job", workers.logs)
    first.send_signal(signal.SIGKILL)
    first.wait()
    with shared_ws.session() as s:
        interrupted = [j.id for j in s.scalars(select(JobRow).where(JobRow.state == "running"))]
    assert interrupted, "the worker finished its batch before it was killed"
    workers.start()
    wait_until(lambda: all_done(shared_ws), 120, "every job", workers.logs)
    assert n(shared_ws, StageResultRow) == len(ids) * len(STAGES)
    assert n(shared_ws, TriageResultRow) == len(ids)
    with shared_ws.session() as s:
        dup = s.execute(
            select(AuditEventRow.dedup_key)
            .where(AuditEventRow.dedup_key.is_not(None))
            .group_by(AuditEventRow.dedup_key)
            .having(func.count() > 1)
        ).all()
        assert dup == []
        assert n(shared_ws, AuditEventRow, AuditEventRow.action == "triage") == len(ids)
        redone = s.scalar(select(JobRow.attempts).where(JobRow.id == interrupted[0]))
    assert redone is not None and redone >= 2


def _signed(body: bytes, secret: str) -> dict[str, str]:
    return {"X-Casework-Signature": hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()}


def test_broker_outage_intake_stores_and_acks_then_the_outbox_drains(
    shared_ws: Workspace, workers: Workers, proxy: TcpProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fastapi.testclient import TestClient

    from casework.api.app import create_app

    generate_demo(shared_ws, seed=13, tickets=10)
    queue_all(shared_ws, 10)
    workers.start()
    wait_until(lambda: all_done(shared_ws), 90, "the worker to start", workers.logs)
    proxy.stop()  # the broker is gone for the workers and the relay
    secret = "s" * 40
    monkeypatch.setenv("CASEWORK_GENERIC_WEBHOOK_SECRET", secret)
    monkeypatch.setenv("CASEWORK_BROKER_URL", workers.broker)
    tickets_before = n(shared_ws, TicketRow)
    acked = 0
    with TestClient(create_app(shared_ws)) as client:
        for i in range(15):
            body = json.dumps(
                {
                    "external_id": f"outage-{i}",
                    "created_at": "2026-11-22T08:00:00Z",
                    "subject": "Where is my order?",
                    "body": f"Order {1000 + i} has not arrived",
                }
            ).encode()
            reply = client.post("/webhooks/generic", content=body, headers=_signed(body, secret))
            assert reply.status_code == 202, reply.text
            acked += reply.json()["stored"]
    assert acked == 15 == n(shared_ws, TicketRow) - tickets_before
    time.sleep(1.5)  # the relay keeps trying and failing: nothing is published or lost
    assert states(shared_ws).get("pending") == 15
    proxy.start()  # the broker is back (same port)
    wait_until(lambda: all_done(shared_ws), 90, "the outbox to drain", workers.logs)
    assert n(shared_ws, StageResultRow) == n(shared_ws, TicketRow) * len(STAGES)
    logs = "\n".join(p.read_text(errors="replace") for p in workers.log_dir.glob("*.log"))
    assert "retrying in" in logs  # the worker said the broker was unreachable, in a line…
    assert "Traceback" not in logs  # …not with a traceback per retry


def test_a_poison_ticket_lands_in_the_dead_letters_and_the_rest_are_processed(
    shared_ws: Workspace, workers: Workers, poison: Poison
) -> None:
    generate_demo(shared_ws, seed=14, tickets=60)
    ids = queue_all(shared_ws, 30)
    bad = ids[5]
    poison.add(shared_ws, bad)  # a real refusal by the database, every time
    workers.start(CASEWORK_MAX_RETRIES="2")
    wait_until(lambda: n(shared_ws, DeadLetterRow) == 1, 90, "the dead letter", workers.logs)
    wait_until(lambda: set(states(shared_ws)) == {"done", "dead"}, 60, "the rest", workers.logs)
    with shared_ws.session() as s:
        dead = s.scalars(select(DeadLetterRow)).one()
        assert dead.ticket_ids == [bad] and "poison ticket" in dead.error
        assert dead.attempts == 3  # the first try and two retries
    assert n(shared_ws, StageResultRow) == (len(ids) - 1) * len(STAGES)
    assert states(shared_ws) == {"done": 1, "dead": 1}
