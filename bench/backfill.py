"""Measure the workers: backfill throughput, kill -9 mid-backfill, a broker outage.

Each run creates its own PostgreSQL database (dropped at the end unless --keep),
imports a generated CSV (bench/make_large_csv.py, cached in /tmp), and starts
`casework worker` processes as a deployment would. The broker is the machine's
RabbitMQ, reached through a TCP proxy so the outage run can cut it off without
stopping it.

    .venv/bin/python bench/backfill.py throughput --tickets 100000 --workers 1 2
    .venv/bin/python bench/backfill.py kill --tickets 50000
    .venv/bin/python bench/backfill.py outage --outage 60
    .venv/bin/python bench/backfill.py staged --tickets 1000000 --one-worker-seconds 600

`staged` runs one worker, then two, on one backfill, and reports both rates.

Prints one JSON object per run.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from casework import Workspace
from casework.ingest.runner import run_import
from casework.jobs.ledger import STAGES
from casework.jobs.outbox import backfill
from casework.store.tables import AuditEventRow, JobRow, StageResultRow, TicketRow, TriageResultRow

sys.path.insert(0, str(Path(__file__).parents[1] / "tests" / "jobs"))
from jobs_support import Workers  # noqa: E402
from tcpproxy import TcpProxy  # noqa: E402

ROOT = Path(__file__).parents[1]
PG = os.environ.get("CASEWORK_BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
BROKER = os.environ.get("CASEWORK_BENCH_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672/")
AUDIT_KEY = "bench-audit-key-" + "x" * 32
RESULT_TABLES = ("stage_results", "dead_letters", "job_outbox", "drafts", "writebacks",
                 "routing_decisions", "triage_results", "audit_events")  # fmt: skip


def log(message: str) -> None:
    sys.stderr.write(f"[{time.strftime('%H:%M:%S')}] {message}\n")
    sys.stderr.flush()


@contextmanager
def database(keep: bool) -> Iterator[str]:
    admin = create_engine(make_url(PG).set(drivername="postgresql+psycopg"),
                          isolation_level="AUTOCOMMIT")  # fmt: skip
    name = f"casework_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG).set(database=name).render_as_string(hide_password=False)
    finally:
        if not keep:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def csv_for(tickets: int) -> Path:
    path = Path(f"/tmp/casework-bench-{tickets}.csv")
    if not path.exists():
        log(f"generating {tickets:,} tickets → {path}")
        subprocess.run([sys.executable, str(ROOT / "bench" / "make_large_csv.py"), "--rows",
                        str(tickets), "--out", str(path)], check=True)  # fmt: skip
    return path


def load(ws: Workspace, tickets: int) -> float:
    started = time.perf_counter()
    report = run_import(ws, csv_for(tickets), fmt="csv", batch_size=2000)
    seconds = time.perf_counter() - started
    log(f"imported {report.created:,} tickets in {seconds:.0f}s")
    return seconds


def reset(ws: Workspace) -> None:
    with ws.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {', '.join(RESULT_TABLES)} RESTART IDENTITY"))


class Deployment(Workers):
    """Workers (and optionally an API server) on a fresh queue, through a proxy, with the
    production retry and relay timings (the tests' `Workers` shortens them)."""

    audit_key = AUDIT_KEY
    tuning: dict[str, str] = {}

    def __init__(self, ws: Workspace, folder: Path) -> None:
        parts = make_url(BROKER.replace("amqp://", "postgresql://", 1))
        self.proxy = TcpProxy((parts.host or "127.0.0.1", parts.port or 5672)).start()
        auth = f"{parts.username}:{parts.password}@" if parts.username else ""
        broker = f"amqp://{auth}127.0.0.1:{self.proxy.port}/"
        super().__init__(ws, broker, f"casework-bench-{uuid.uuid4().hex[:8]}", folder)

    def stop(self) -> None:
        super().stop()
        self.proxy.stop()
        import pika

        conn = pika.BlockingConnection(pika.URLParameters(BROKER))
        channel = conn.channel()
        for name in (self.queue, f"{self.queue}.DQ", f"{self.queue}.XQ"):
            channel.queue_delete(name)
        conn.close()


def peak_rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def count(ws: Workspace, table: Any, *where: Any) -> int:
    with ws.session() as s:
        return int(s.scalar(select(func.count()).select_from(table).where(*where)) or 0)


def unfinished(ws: Workspace) -> int:
    return count(ws, JobRow, JobRow.state.in_(("pending", "queued", "running", "failed")))


def wait_done(ws: Workspace, total: int, poll: float = 2.0) -> float:
    started = time.perf_counter()
    last = 0.0
    while unfinished(ws):
        if time.perf_counter() - last > 15:
            last = time.perf_counter()
            done = count(ws, StageResultRow)
            log(f"  {done:,}/{total * len(STAGES):,} stage results")
        time.sleep(poll)
    return time.perf_counter() - started


def steady_rate(ws: Workspace, tickets: int) -> float:
    """Tickets/s between the first and the last stage result (models already loaded)."""
    with ws.session() as s:
        first, last = s.execute(
            select(func.min(StageResultRow.created_at), func.max(StageResultRow.created_at))
        ).one()
    span = (last - first).total_seconds() if first and last else 0
    return round(tickets / span, 1) if span else 0.0


def exactly_once(ws: Workspace, tickets: int) -> dict[str, Any]:
    with ws.session() as s:
        duplicates = len(s.execute(
            select(AuditEventRow.dedup_key).where(AuditEventRow.dedup_key.is_not(None))
            .group_by(AuditEventRow.dedup_key).having(func.count() > 1)).all())  # fmt: skip
    stage_results = count(ws, StageResultRow)
    return {
        "stage_results": stage_results,
        "expected_stage_results": tickets * len(STAGES),
        "triage_results": count(ws, TriageResultRow),
        "triage_audit_events": count(ws, AuditEventRow, AuditEventRow.action == "triage"),
        "duplicate_audit_dedup_keys": duplicates,
        "exactly_once": stage_results == tickets * len(STAGES)
        and count(ws, TriageResultRow) == tickets
        and duplicates == 0,
    }


def run_backfill(ws: Workspace, folder: Path, tickets: int, workers: int,
                 kill_at: float | None = None) -> dict[str, Any]:  # fmt: skip
    reset(ws)
    started = time.perf_counter()
    queued = backfill(ws, 200)
    enqueue_s = time.perf_counter() - started
    log(f"queued {queued['tickets']:,} tickets in {queued['jobs']:,} jobs ({enqueue_s:.1f}s)")
    deploy = Deployment(ws, folder)
    rss: dict[int, float | None] = {}
    killed: dict[str, Any] = {}
    try:
        t0 = time.perf_counter()
        procs = [deploy.start() for _ in range(workers)]
        if kill_at is not None:
            while count(ws, StageResultRow) < kill_at * tickets * len(STAGES):
                time.sleep(0.2)
            running = count(ws, JobRow, JobRow.state == "running")
            procs[0].send_signal(signal.SIGKILL)
            procs[0].wait()
            done = count(ws, StageResultRow)
            log(f"SIGKILLed worker 0 at {done:,} stage results ({running} jobs running)")
            killed = {"killed_at_stage_results": done, "jobs_running_at_kill": running}
            time.sleep(3)
            procs[0] = deploy.start()
            killed["restarted"] = True
        wait_done(ws, tickets)
        wall = time.perf_counter() - t0
        for i, proc in enumerate(procs):
            rss[i] = peak_rss_mb(proc.pid)
    finally:
        deploy.stop()
    return {
        "tickets": tickets,
        "workers": workers,
        "enqueue_seconds": round(enqueue_s, 1),
        "wall_seconds_from_worker_start": round(wall, 1),
        "tickets_per_second_end_to_end": round(tickets / wall, 1),
        "tickets_per_second_steady": steady_rate(ws, tickets),
        "peak_rss_mb_per_worker": list(rss.values()),
        **killed,
        **exactly_once(ws, tickets),
    }


def throughput(args: argparse.Namespace) -> None:
    with database(args.keep) as url:
        folder = Path(f"/tmp/casework-bench-ws-{uuid.uuid4().hex[:6]}")
        ws = Workspace(folder, url).init()
        import_s = load(ws, args.tickets)
        results = []
        for n in args.workers:
            log(f"backfill with {n} worker(s)")
            result = run_backfill(ws, folder, args.tickets, n)
            result["import_seconds"] = round(import_s, 1)
            print(json.dumps(result), flush=True)
            results.append(result)
        if len(results) >= 2:
            base = results[0]["tickets_per_second_end_to_end"]
            ratio = results[-1]["tickets_per_second_end_to_end"] / base if base else 0
            print(json.dumps({"ratio_last_to_first": round(ratio, 2)}), flush=True)
        ws.close()


def inprocess(args: argparse.Namespace) -> None:
    """The same stages with no broker (`process_all`), for comparison."""
    from casework.pipeline import process_all

    os.environ["CASEWORK_AUDIT_KEY"] = AUDIT_KEY
    with database(args.keep) as url:
        folder = Path(f"/tmp/casework-bench-ws-{uuid.uuid4().hex[:6]}")
        ws = Workspace(folder, url).init()
        load(ws, args.tickets)
        started = time.perf_counter()
        report = process_all(ws, batch_size=200)
        seconds = time.perf_counter() - started
        result = {"tickets": args.tickets, "mode": "in-process", "seconds": round(seconds, 1),
                  "tickets_per_second": round(args.tickets / seconds, 1),
                  "routed": report.routing.routed, "drafted": report.drafting.drafted}  # fmt: skip
        print(json.dumps(result), flush=True)
        ws.close()


def rate_between(ws: Workspace, start: float, end: float) -> dict[str, Any]:
    """Tickets/s from triage ledger rows stamped between two wall-clock times."""
    from datetime import UTC, datetime

    lo, hi = (datetime.fromtimestamp(t, UTC) for t in (start, end))
    done = count(ws, StageResultRow, StageResultRow.stage == "triage",
                 StageResultRow.created_at >= lo, StageResultRow.created_at < hi)  # fmt: skip
    rate = round(done / (end - start), 1) if end > start else 0.0
    return {"tickets": done, "seconds": round(end - start, 1), "tickets_per_second": rate}


def staged(args: argparse.Namespace) -> None:
    """One worker, then a second one after --one-worker-seconds, on the same backfill:
    the 1-worker and 2-worker rates come from the same tickets, database and minute.
    --database reuses an already imported database (kept by an earlier --keep run)."""
    with contextlib.ExitStack() as stack:
        url = args.database or stack.enter_context(database(args.keep))
        folder = Path(args.workspace or f"/tmp/casework-bench-ws-{uuid.uuid4().hex[:6]}")
        ws = Workspace(folder, url).init()
        if not args.database:
            load(ws, args.tickets)
        tickets = count(ws, TicketRow)
        reset(ws)
        queued = backfill(ws, 200)
        log(f"queued {queued['tickets']:,} tickets in {queued['jobs']:,} jobs")
        deploy = Deployment(ws, folder)
        try:
            t0 = time.time()
            first = deploy.start()
            time.sleep(args.one_worker_seconds)
            t1 = time.time()
            second = deploy.start()
            log("second worker started")
            wait_done(ws, tickets)
            t2 = time.time()
            rss = [peak_rss_mb(first.pid), peak_rss_mb(second.pid)]
        finally:
            deploy.stop()
        warm = 30.0  # the first seconds of each phase load models: left out of its rate
        one = rate_between(ws, t0 + warm, t1)
        two = rate_between(ws, t1 + warm, t2 - 5)
        result = {
            "tickets": tickets, "wall_seconds": round(t2 - t0, 1),
            "tickets_per_second_end_to_end": round(tickets / (t2 - t0), 1),
            "one_worker": one, "two_workers": two,
            "ratio_two_to_one": round(two["tickets_per_second"] / one["tickets_per_second"], 2)
            if one["tickets_per_second"] else None,
            "peak_rss_mb_per_worker": rss, **exactly_once(ws, tickets),
        }  # fmt: skip
        print(json.dumps(result), flush=True)
        ws.close()


def kill(args: argparse.Namespace) -> None:
    with database(args.keep) as url:
        folder = Path(f"/tmp/casework-bench-ws-{uuid.uuid4().hex[:6]}")
        ws = Workspace(folder, url).init()
        load(ws, args.tickets)
        result = run_backfill(ws, folder, args.tickets, args.workers, kill_at=args.kill_at)
        print(json.dumps(result), flush=True)
        ws.close()


def _sender(url: str, secret: str, stop: threading.Event, counts: dict[str, int],
            prefix: str, interval: float) -> None:  # fmt: skip
    import hashlib
    import hmac

    import httpx

    with httpx.Client(timeout=30) as client:
        i = 0
        next_at = time.monotonic()
        while not stop.is_set():
            if interval:
                next_at += interval
                stop.wait(max(0.0, next_at - time.monotonic()))
            i += 1
            payload = {
                "external_id": f"{prefix}-{i}",
                "created_at": "2026-11-22T08:00:00Z",
                "subject": "Where is my order?",
                "body": f"Order {100000 + i} has not arrived yet, please check.",
            }
            body = json.dumps(payload).encode()
            sig = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
            try:
                reply = client.post(url, content=body, headers={"X-Casework-Signature": sig})
            except httpx.HTTPError:
                counts["errors"] += 1
                continue
            if reply.status_code == 202 and reply.json().get("stored"):
                counts["acked"] += 1
            else:
                counts["refused"] += 1


def sender_main(args: argparse.Namespace) -> None:
    """The second process of the outage run: webhooks under load until SIGTERM."""
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    counts = {"acked": 0, "refused": 0, "errors": 0}
    threads = [
        threading.Thread(
            target=_sender,
            args=(
                args.url,
                args.secret,
                stop,
                counts,
                f"{args.prefix}-{t}",
                args.threads / args.rate if args.rate else 0.0,
            ),  # fmt: skip
        )
        for t in range(args.threads)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(json.dumps(counts), flush=True)


def outage(args: argparse.Namespace) -> None:
    import socket

    with database(args.keep) as url:
        folder = Path(f"/tmp/casework-bench-ws-{uuid.uuid4().hex[:6]}")
        ws = Workspace(folder, url).init()
        deploy = Deployment(ws, folder)
        secret = "bench-secret-" + "y" * 30
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        env = {**deploy.env(), "CASEWORK_GENERIC_WEBHOOK_SECRET": secret}
        serve = [sys.executable, "-c", "from casework.cli import main; main()", "serve",
                 "--port", str(port), "--workers", "1"]  # fmt: skip
        server_log = (folder / "serve.log").open("wb")
        server = subprocess.Popen(serve, env=env, stdout=server_log, stderr=subprocess.STDOUT)
        try:
            for _ in range(args.workers):
                deploy.start()
            import httpx

            for _ in range(120):
                try:
                    httpx.get(f"http://127.0.0.1:{port}/roles", timeout=2)
                    break
                except httpx.HTTPError:
                    time.sleep(0.5)
            send = [sys.executable, __file__, "send", "--secret", secret,
                    "--url", f"http://127.0.0.1:{port}/webhooks/generic",
                    "--threads", str(args.threads), "--prefix", uuid.uuid4().hex[:6],
                    "--rate", str(args.rate)]  # fmt: skip
            sender = subprocess.Popen(send, stdout=subprocess.PIPE)
            time.sleep(args.before)
            log("broker cut off (proxy stopped)")
            deploy.proxy.stop()
            time.sleep(args.outage)
            backlog = count(ws, JobRow, JobRow.state == "pending")
            stored_during = count(ws, TicketRow)
            deploy.proxy.start()
            back = time.perf_counter()
            log(f"broker back; outbox backlog {backlog:,} jobs")
            time.sleep(args.after)
            sender.send_signal(signal.SIGTERM)
            out, _ = sender.communicate(timeout=60)
            counts = json.loads(out.decode().strip().splitlines()[-1])
            while unfinished(ws):
                time.sleep(0.5)
            drained = time.perf_counter() - back
            tickets = count(ws, TicketRow)
            result = {
                "outage_seconds": args.outage,
                "acked": counts["acked"],
                "refused": counts["refused"],
                "client_errors": counts["errors"],
                "tickets_stored": tickets,
                "acked_equals_stored": counts["acked"] == tickets,
                "stored_by_end_of_outage": stored_during,
                "outbox_backlog_at_return": backlog,
                "seconds_from_return_to_all_processed": round(drained, 1),
                **exactly_once(ws, tickets),
            }
            print(json.dumps(result), flush=True)
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(20)
            except subprocess.TimeoutExpired:
                server.kill()
            deploy.stop()
            ws.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("throughput")
    p.add_argument("--tickets", type=int, default=100_000)
    p.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    p.add_argument("--keep", action="store_true", help="Keep the database.")
    p.set_defaults(run=throughput)
    p = sub.add_parser("staged")
    p.add_argument("--tickets", type=int, default=100_000)
    p.add_argument("--one-worker-seconds", type=float, default=300)
    p.add_argument("--database", help="An imported database to reuse (skips the import).")
    p.add_argument("--workspace", help="Its workspace folder.")
    p.add_argument("--keep", action="store_true")
    p.set_defaults(run=staged)
    p = sub.add_parser("inprocess")
    p.add_argument("--tickets", type=int, default=20_000)
    p.add_argument("--keep", action="store_true")
    p.set_defaults(run=inprocess)
    p = sub.add_parser("kill")
    p.add_argument("--tickets", type=int, default=50_000)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--kill-at", type=float, default=0.3, help="Share of stages done.")
    p.add_argument("--keep", action="store_true")
    p.set_defaults(run=kill)
    p = sub.add_parser("outage")
    p.add_argument("--outage", type=float, default=60)
    p.add_argument("--before", type=float, default=10)
    p.add_argument("--after", type=float, default=10)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--threads", type=int, default=4)
    p.add_argument("--rate", type=float, default=0, help="Deliveries/s in all (0: flat out).")
    p.add_argument("--keep", action="store_true")
    p.set_defaults(run=outage)
    p = sub.add_parser("send")
    p.add_argument("--url", required=True)
    p.add_argument("--secret", required=True)
    p.add_argument("--threads", type=int, default=4)
    p.add_argument("--prefix", default="bench")
    p.add_argument("--rate", type=float, default=0)
    p.set_defaults(run=sender_main)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
