"""Prometheus metrics: what this process did, and what the database says is waiting.

Counters and the stage-latency histogram are per process (scrape each worker's
`--metrics-port`, and the API's `/metrics` for in-process work). `StoreCollector`
reads the shared state at scrape time — jobs per state (the queue depth), the
outbox backlog, stage results per stage, dead letters — so any one scrape of the
API shows the whole deployment's backlog.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

try:
    from prometheus_client import Counter, Histogram
    from prometheus_client.core import GaugeMetricFamily
    from prometheus_client.registry import Collector
except ImportError as exc:  # pragma: no cover - the workers extra is missing
    raise ImportError(
        "workers and /metrics need the workers extra: pip install 'casework[workers]'"
    ) from exc

from sqlalchemy import func, select

from casework.workspace import Workspace

TICKETS = Counter(
    "casework_tickets_processed", "Tickets a stage processed in this process", ["stage"]
)
STAGE_SECONDS = Histogram(
    "casework_stage_seconds",
    "Time one batch spent in a stage",
    ["stage"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)
FAILURES = Counter("casework_job_failures", "Job attempts that failed", ["kind"])
DEAD = Counter("casework_dead_letters_parked", "Jobs parked as dead letters", ["kind"])


class StoreCollector(Collector):
    """Gauges read from the database at each scrape."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def collect(self) -> Iterator[Any]:
        from casework.jobs.outbox import STATES
        from casework.store.tables import DeadLetterRow, JobRow, StageResultRow

        jobs = GaugeMetricFamily(
            "casework_jobs",
            "Jobs by kind and state (queued = the queue depth)",
            labels=["kind", "state"],
        )
        stages = GaugeMetricFamily(
            "casework_stage_results", "Stage results recorded, all processes", labels=["stage"]
        )
        with self.ws.session() as s:
            counts = s.execute(
                select(JobRow.kind, JobRow.state, func.count()).group_by(JobRow.kind, JobRow.state)
            ).all()
            by_stage = s.execute(
                select(StageResultRow.stage, func.count()).group_by(StageResultRow.stage)
            ).all()
            dead = s.scalar(
                select(func.count())
                .select_from(DeadLetterRow)
                .where(DeadLetterRow.retried_at.is_(None))
            )
        backlog = 0
        seen = set()
        for kind, state, n in counts:
            jobs.add_metric([kind, state], n)
            seen.add((kind, state))
            backlog += n if state == "pending" else 0
        for state in STATES:
            if ("process", state) not in seen:
                jobs.add_metric(["process", state], 0)
        for stage, n in by_stage:
            stages.add_metric([stage], n)
        yield jobs
        yield stages
        yield GaugeMetricFamily(
            "casework_outbox_backlog",
            "Jobs stored but not yet published to the broker",
            value=backlog,
        )
        yield GaugeMetricFamily(
            "casework_dead_letters", "Dead letters not yet retried", value=int(dead or 0)
        )
