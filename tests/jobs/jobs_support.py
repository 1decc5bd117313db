"""Worker subprocesses for the broker tests (kept out of conftest so tests can import it)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from casework import Workspace

AUDIT_KEY = "k" * 48


class Workers:
    """`casework worker` subprocesses on one queue, killed (and the queue deleted) at the end."""

    audit_key = AUDIT_KEY
    tuning: dict[str, str] = {  # short waits, so retry tests take seconds
        "CASEWORK_MIN_BACKOFF_MS": "100",
        "CASEWORK_MAX_BACKOFF_MS": "500",
        "CASEWORK_RELAY_INTERVAL": "0.2",
    }

    def __init__(self, ws: Workspace, broker: str, queue: str, log_dir: Path) -> None:
        self.ws, self.broker, self.queue, self.log_dir = ws, broker, queue, log_dir
        self.procs: list[subprocess.Popen[bytes]] = []

    def env(self, **extra: str) -> dict[str, str]:
        return {
            **os.environ,
            "CASEWORK_BROKER_URL": self.broker,
            "CASEWORK_QUEUE": self.queue,
            "CASEWORK_DATABASE_URL": self.ws.database_url,
            "CASEWORK_WORKSPACE": str(self.ws.path),
            "CASEWORK_AUDIT_KEY": self.audit_key,
            **self.tuning,
            **extra,
        }

    def start(self, **extra: str) -> subprocess.Popen[bytes]:
        log = (self.log_dir / f"worker{len(self.procs)}.log").open("wb")
        proc = subprocess.Popen(
            [sys.executable, "-c", "from casework.cli import main; main()", "worker"],
            env=self.env(**extra),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.procs.append(proc)
        return proc

    def logs(self) -> str:
        return "\n".join(p.read_text(errors="replace")[-3000:] for p in self.log_dir.glob("*.log"))

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def wait_until(
    check: Callable[[], bool], timeout: float, what: str, logs: Callable[[], str]
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    pytest.fail(f"timed out after {timeout}s waiting for {what}\n{logs()}")


def redeliver_all(ws: Workspace, workers: Workers) -> None:
    """Every job delivered again, as when a worker died after the work, before the ack."""
    from sqlalchemy import select

    from casework.jobs.broker import Publisher, job_message
    from casework.jobs.settings import JobSettings
    from casework.store.tables import JobRow

    with ws.session() as s:
        jobs = list(s.scalars(select(JobRow)))
        s.execute(JobRow.__table__.update().values(state="queued"))
    publisher = Publisher(JobSettings(broker_url=workers.broker, queue=workers.queue))
    try:
        for job in jobs:
            publisher.actor.send(job_message(job))
    finally:
        publisher.close()


class Poison:
    """A real database refusal for one ticket's triage result (a trigger), every time;
    `cure` drops it. The fixture cures every workspace at teardown, so the trigger never
    outlives its test in the session's shared PostgreSQL database."""

    def __init__(self) -> None:
        self.touched: list[Workspace] = []

    def add(self, ws: Workspace, ticket_id: int) -> None:
        from sqlalchemy import text

        self.touched.append(ws)
        with ws.engine.begin() as conn:
            if ws.is_sqlite:
                conn.execute(
                    text(
                        "CREATE TRIGGER poison BEFORE INSERT ON triage_results "
                        f"WHEN NEW.ticket_id = {int(ticket_id)} "
                        "BEGIN SELECT RAISE(ABORT, 'poison ticket'); END"
                    )
                )
            else:
                conn.execute(
                    text(
                        "CREATE OR REPLACE FUNCTION poison() RETURNS trigger AS $$ BEGIN "
                        f"IF NEW.ticket_id = {int(ticket_id)} THEN "
                        "RAISE EXCEPTION 'poison ticket'; END IF; RETURN NEW; "
                        "END $$ LANGUAGE plpgsql"
                    )
                )
                conn.execute(text("DROP TRIGGER IF EXISTS poison ON triage_results"))
                conn.execute(text("CREATE TRIGGER poison BEFORE INSERT ON triage_results "
                                  "FOR EACH ROW EXECUTE FUNCTION poison()"))  # fmt: skip

    def cure(self, ws: Workspace) -> None:
        from sqlalchemy import text

        with ws.engine.begin() as conn:
            if ws.is_sqlite:
                conn.execute(text("DROP TRIGGER IF EXISTS poison"))
            else:
                conn.execute(text("DROP TRIGGER IF EXISTS poison ON triage_results"))
                conn.execute(text("DROP FUNCTION IF EXISTS poison()"))
