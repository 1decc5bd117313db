"""In-process speed of the whole pipeline (triage → route → draft) on a SQLite workspace.

Copies a workspace, empties its processing results, runs `process_all` once to warm the
process (models, lingua, cue tries), then on a fresh copy again, with per-text caches
cleared so no text is known in advance, and times it. Prints tickets/s and a digest of
the results, so two revisions can be compared on the same tickets and shown to give
identical results (run an older revision with PYTHONPATH pointing at its `src`, e.g.
from `git archive <rev> src | tar -x -C /tmp/base`):

    .venv/bin/casework demo --no-serve --tickets 2000 -w /tmp/prof-ws
    .venv/bin/python bench/pipeline_speed.py /tmp/prof-ws --repeat 2
    PYTHONPATH=/tmp/base/src .venv/bin/python bench/pipeline_speed.py /tmp/prof-ws
    .venv/bin/python bench/pipeline_speed.py /tmp/prof-ws --profile /tmp/pipeline.prof

Prints one JSON object per timed run, then one with the digests.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import hashlib
import json
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

import casework
from casework import Workspace
from casework.pipeline import process_all, router_for
from casework.triage.engine import Triager

RESULT_TABLES = ("stage_results", "dead_letters", "job_outbox", "drafts", "writebacks",
                 "routing_decisions", "triage_results", "audit_events")  # fmt: skip
COMPARED = ("triage_results", "routing_decisions", "drafts")
VOLATILE = {"id", "created_at", "updated_at"}


def fresh_copy(source: Path, target: Path) -> Workspace:
    """`source` copied to `target` with every processing result removed."""
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target)
    con = sqlite3.connect(target / "casework.db")
    try:
        for table in RESULT_TABLES:
            with contextlib.suppress(sqlite3.OperationalError):  # older schema, no table
                con.execute(f"DELETE FROM {table}")
        con.commit()
    finally:
        con.close()
    return Workspace(target)


def digest(workspace: Path) -> dict[str, str]:
    """Row count and a hash of each result table, without ids and timestamps."""
    con = sqlite3.connect(workspace / "casework.db")
    out: dict[str, str] = {}
    try:
        for table in COMPARED:
            names = [r[1] for r in con.execute(f"PRAGMA table_info({table})")]
            cols = ", ".join(n for n in names if n not in VOLATILE)
            rows = con.execute(f"SELECT {cols} FROM {table} ORDER BY ticket_id").fetchall()
            out[table] = f"{len(rows)} rows {_hash(rows)}"
        events = con.execute(
            "SELECT action, object_id, details FROM audit_events ORDER BY action, object_id"
        ).fetchall()
        out["audit_events"] = f"{len(events)} rows {_hash(events)}"
    finally:
        con.close()
    return out


def forget_texts() -> None:
    """Drop per-text caches filled by earlier runs: production texts are new each time."""
    from casework.triage import cues

    cached = getattr(cues, "_cached_scan", None)  # absent in older revisions
    if cached is not None:
        cached.cache_clear()


def _hash(rows: list[tuple[object, ...]]) -> str:
    return hashlib.sha256(json.dumps(rows, default=str).encode()).hexdigest()[:16]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workspace", type=Path, help="a SQLite workspace with trained models")
    parser.add_argument("--repeat", type=int, default=1, help="timed runs after the warm one")
    parser.add_argument("--profile", type=Path, help="write cProfile stats of the last run here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="casework-speed-") as tmp:
        ws = fresh_copy(args.workspace, Path(tmp) / "warm")
        triager, router = Triager.for_workspace(ws.path), router_for(ws)
        process_all(ws, triager, router)
        run = Path(tmp) / "run"
        for i in range(args.repeat):
            ws = fresh_copy(args.workspace, run)
            forget_texts()
            profiler = cProfile.Profile() if args.profile and i == args.repeat - 1 else None
            started = time.perf_counter()
            if profiler:
                profiler.enable()
            report = process_all(ws, triager, router)
            if profiler:
                profiler.disable()
            seconds = time.perf_counter() - started
            tickets = report.triage.processed
            print(json.dumps({"code": casework.__file__, "tickets": tickets,
                              "seconds": round(seconds, 2), "profiled": bool(profiler),
                              "tickets_per_s": round(tickets / seconds, 1)}))  # fmt: skip
            if profiler:
                profiler.dump_stats(str(args.profile))
        print(json.dumps(digest(run)))


if __name__ == "__main__":
    main()
