"""Load on `casework serve` from a second process, over loopback only.

`bench_api` starts the server as a subprocess (N uvicorn workers) on a free
127.0.0.1 port and drives `POST /triage` and `GET /tickets?limit=50` from a
bounded thread pool of httpx clients, each endpoint for a fixed time.

`bench_webhooks` sends signed generic webhook deliveries for a fixed time and
SIGKILLs the server's whole process group once mid-run, then restarts it. A
delivery is retried (same body, as a helpdesk retries) until it is acknowledged,
so at the end every acknowledged delivery must be stored and every stored one
acknowledged: the measured loss is `acknowledged - stored`, which must be 0.

Every loop is bounded by a deadline; nothing listens beyond loopback.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import func, select

from casework.workspace import Workspace

HOST = "127.0.0.1"
TRIAGE_TEXTS = (
    "Hi, where is my order ORD-1234567? The tracking page has not changed for a week.",
    "I was charged twice for the same order, please refund one of the payments.",
    "The lamp arrived broken. I want to return it and get my money back.",
    "How much does shipping to Austria cost for two items?",
    "I can't log in to my account, the password reset email never arrives.",
    "Please change the delivery address on my order to Hauptstrasse 5, Berlin.",
    "Your support is useless, this is the third time I am writing about the same problem!",
    "Do you have the blue armchair in stock again, and when will it ship?",
)
WEBHOOK_SOURCE = "generic"


# -- the server under test ------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@dataclass
class ServerProcess:
    """`casework serve` in its own process group, so a kill takes every worker with it."""

    workspace: Path
    port: int
    workers: int
    env: dict[str, str]
    log_path: Path
    proc: subprocess.Popen[bytes] | None = None
    starts: int = 0

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self, timeout: float = 60.0) -> float:
        """Start and wait until it answers; returns the seconds it took."""
        import httpx

        started = time.monotonic()
        command = [
            sys.executable,
            "-c",
            "from casework.cli import main; main()",
            "serve",
            "--host",
            HOST,
            "--port",
            str(self.port),
            "--workers",
            str(self.workers),
            "--workspace",
            str(self.workspace),
        ]
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, env=self.env, start_new_session=True
            )
        self.starts += 1
        deadline = started + timeout
        with httpx.Client(base_url=self.url, timeout=2) as client:
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"casework serve exited; see {self.log_path}")
                try:
                    if client.get("/roles").status_code == 200:
                        return time.monotonic() - started
                except httpx.TransportError:
                    pass
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"casework serve did not answer within {timeout:.0f} s")

    def kill(self) -> None:
        """SIGKILL the process group: no shutdown hook, no flush — a crash."""
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill()


@contextmanager
def served(
    ws: Workspace, workers: int, extra_env: dict[str, str] | None = None
) -> Iterator[ServerProcess]:
    env = {**os.environ, "CASEWORK_DATABASE_URL": ws.database_url, **(extra_env or {})}
    log = Path(tempfile.mkstemp(prefix="casework-bench-serve-", suffix=".log")[1])
    server = ServerProcess(ws.path, free_port(), workers, env, log)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@contextmanager
def bench_key(ws: Workspace, role: str) -> Iterator[str]:
    """A key for the run only, revoked afterwards so a benchmark leaves no live credential."""
    from casework.api.keys import create_key, revoke_key

    key, token = create_key(ws, f"bench-{secrets.token_hex(3)}", role, "system:bench")
    try:
        yield token
    finally:
        revoke_key(ws, key.id, "system:bench")


# -- load -------------------------------------------------------------------------------


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    error_kinds: dict[str, int] = field(default_factory=dict)

    def merge(self, other: Tally) -> None:
        self.latencies += other.latencies
        self.errors += other.errors
        for k, v in other.error_kinds.items():
            self.error_kinds[k] = self.error_kinds.get(k, 0) + v


def summarise(tally: Tally, seconds: float) -> dict[str, Any]:
    lat = np.asarray(tally.latencies) * 1000
    done = len(lat) + tally.errors
    return {
        "requests": done,
        "seconds": round(seconds, 2),
        "requests_per_s": round(done / seconds, 1) if seconds else 0.0,
        "p50_ms": round(float(np.percentile(lat, 50)), 2) if len(lat) else None,
        "p99_ms": round(float(np.percentile(lat, 99)), 2) if len(lat) else None,
        "errors": tally.errors,
        "error_kinds": tally.error_kinds,
    }


def drive(
    url: str,
    token: str,
    send: Callable[[Any, int], Any],
    duration: float,
    concurrency: int,
) -> dict[str, Any]:
    """`concurrency` threads, one httpx client each, calling `send(client, i)` until the
    deadline; a non-2xx answer or a transport error counts as an error."""
    import httpx

    deadline = time.monotonic() + duration
    headers = {"Authorization": f"Bearer {token}"}

    def worker(n: int) -> Tally:
        tally = Tally()
        with httpx.Client(base_url=url, headers=headers, timeout=30) as client:
            for i in itertools.count(n * 1_000_000):
                if time.monotonic() >= deadline:
                    break
                t0 = time.perf_counter()
                try:
                    response = send(client, i)
                except httpx.HTTPError as exc:
                    kind = type(exc).__name__
                else:
                    if response.is_success:
                        tally.latencies.append(time.perf_counter() - t0)
                        continue
                    kind = f"HTTP {response.status_code}"
                tally.errors += 1
                tally.error_kinds[kind] = tally.error_kinds.get(kind, 0) + 1
        return tally

    started = time.monotonic()
    total = Tally()
    with ThreadPoolExecutor(concurrency) as pool:
        for tally in pool.map(worker, range(concurrency)):
            total.merge(tally)
    return summarise(total, time.monotonic() - started)


def bench_api(
    workspace: Path, duration: float = 20.0, concurrency: int = 8, workers: int = 2
) -> dict[str, Any]:
    """Requests/s and p50/p99 latency for triage-a-text and list-tickets."""
    with Workspace(workspace) as ws:
        ws.init()
        with bench_key(ws, "admin") as token, served(ws, workers) as server:

            def triage(client: Any, i: int) -> Any:
                return client.post("/triage", json={"text": TRIAGE_TEXTS[i % len(TRIAGE_TEXTS)]})

            def tickets(client: Any, _i: int) -> Any:
                return client.get("/tickets", params={"limit": 50})

            drive(
                server.url, token, triage, min(5.0, duration), concurrency
            )  # warm-up: models load
            results = {
                "POST /triage": drive(server.url, token, triage, duration, concurrency),
                "GET /tickets?limit=50": drive(server.url, token, tickets, duration, concurrency),
            }
        backend = "sqlite" if ws.is_sqlite else "postgresql"
    return {
        "backend": backend,
        "workers": workers,
        "concurrency": concurrency,
        "duration_s": duration,
        "cpus": os.cpu_count(),
        "endpoints": results,
        "server_log": str(server.log_path),
    }


# -- webhook ingest across a crash ------------------------------------------------------


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def delivery(run: str, n: int) -> tuple[str, bytes]:
    external_id = f"bench-{run}-{n}"
    payload = {
        "external_id": external_id,
        "created_at": "2026-11-20T09:00:00Z",
        "subject": "Order status",
        "body": TRIAGE_TEXTS[n % len(TRIAGE_TEXTS)],
    }
    return external_id, json.dumps(payload).encode()


def stored_ids(ws: Workspace, run: str) -> set[str]:
    from casework.store.tables import TicketRow

    with ws.session() as session:
        rows = session.scalars(
            select(TicketRow.external_id).where(
                TicketRow.source == WEBHOOK_SOURCE,
                TicketRow.external_id.like(f"bench-{run}-%"),
            )
        )
        return set(rows)


def processed_count(ws: Workspace, run: str) -> int:
    from casework.store.tables import TicketRow, TriageResultRow

    with ws.session() as session:
        stmt = (
            select(func.count(func.distinct(TriageResultRow.ticket_id)))
            .join(TicketRow, TicketRow.id == TriageResultRow.ticket_id)
            .where(TicketRow.source == WEBHOOK_SOURCE, TicketRow.external_id.like(f"bench-{run}-%"))
        )
        return int(session.scalar(stmt) or 0)


def bench_webhooks(
    workspace: Path,
    duration: float = 20.0,
    concurrency: int = 8,
    workers: int = 2,
    kill_at: float = 0.5,
    settle: float = 60.0,
) -> dict[str, Any]:
    """Signed deliveries for `duration` s, the server SIGKILLed at `kill_at` of it and
    restarted; then acknowledged vs stored, and how many got processed within `settle` s."""
    import httpx

    secret = secrets.token_hex(16)
    run = secrets.token_hex(4)
    counter = itertools.count()
    lock = threading.Lock()
    acked: set[str] = set()
    duplicates = retries = refused = 0
    with Workspace(workspace) as ws:
        ws.init()
        env = {"CASEWORK_GENERIC_WEBHOOK_SECRET": secret}
        with served(ws, workers, env) as server:
            url = f"{server.url}/webhooks/generic"
            deadline = time.monotonic() + duration
            give_up = deadline + 60  # an unacknowledged delivery is retried this long at most

            def worker(_n: int) -> list[float]:
                nonlocal duplicates, retries, refused
                latencies: list[float] = []
                with httpx.Client(timeout=10) as client:
                    while time.monotonic() < deadline:
                        external_id, body = delivery(run, next(counter))
                        headers = {
                            "Content-Type": "application/json",
                            "X-Casework-Signature": sign(secret, body),
                        }
                        attempt = 0
                        while time.monotonic() < give_up:  # retry until acknowledged
                            attempt += 1
                            t0 = time.perf_counter()
                            try:
                                response = client.post(
                                    url,
                                    params={"source": WEBHOOK_SOURCE},
                                    content=body,
                                    headers=headers,
                                )
                            except httpx.TransportError:
                                time.sleep(0.05)
                                continue
                            if response.status_code == 202:
                                latencies.append(time.perf_counter() - t0)
                                with lock:
                                    acked.add(external_id)
                                    retries += attempt > 1
                                    duplicates += bool(response.json().get("duplicate"))
                                break
                            with lock:
                                refused += 1
                            time.sleep(0.05)
                return latencies

            def crash() -> dict[str, float]:
                time.sleep(duration * kill_at)
                killed = time.monotonic()
                server.kill()
                restart_s = server.start()
                return {
                    "at_s": round(duration * kill_at, 1),
                    "down_s": time.monotonic() - killed,
                    "restart_s": restart_s,
                }

            started = time.monotonic()
            with ThreadPoolExecutor(concurrency + 1) as pool:
                crashed = pool.submit(crash)
                lat_lists = list(pool.map(worker, range(concurrency)))
                crash_info = crashed.result()
            elapsed = time.monotonic() - started
            stored = stored_ids(ws, run)
            settle_deadline = time.monotonic() + settle
            processed = processed_count(ws, run)
            while processed < len(stored) and time.monotonic() < settle_deadline:
                time.sleep(1)
                processed = processed_count(ws, run)
        backend = "sqlite" if ws.is_sqlite else "postgresql"
    lat = np.asarray([x for xs in lat_lists for x in xs]) * 1000
    return {
        "backend": backend,
        "workers": workers,
        "concurrency": concurrency,
        "duration_s": duration,
        "elapsed_s": round(elapsed, 2),
        "acknowledged": len(acked),
        "stored": len(stored),
        "lost": len(acked - stored),
        "stored_unacknowledged": len(stored - acked),
        "equal": acked == stored,
        "deliveries_per_s": round(len(acked) / elapsed, 1) if elapsed else 0.0,
        "p50_ms": round(float(np.percentile(lat, 50)), 2) if len(lat) else None,
        "p99_ms": round(float(np.percentile(lat, 99)), 2) if len(lat) else None,
        "retried_deliveries": retries,
        "duplicate_acks": duplicates,
        "non_202_answers": refused,
        "crash": {k: round(v, 2) for k, v in crash_info.items()},
        "processed_within_settle": processed,
        "settle_s": settle,
        "server_log": str(server.log_path),
    }
