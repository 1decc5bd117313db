"""Throughput of full triage on demo tickets, beside its parts as baselines.

Each part runs on the same texts in the same process, so the ratios hold on a
noisy machine even when the absolute numbers wander.
"""

from __future__ import annotations

import resource
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from casework.pipeline import triage_request
from casework.store.tables import TicketRow
from casework.text.language import detect_language
from casework.text.pii import Redactor
from casework.triage.engine import Triager, TriageRequest
from casework.workspace import Workspace


def demo_requests(ws: Workspace, limit: int) -> list[TriageRequest]:
    with ws.session() as s:
        tickets = s.scalars(
            select(TicketRow)
            .order_by(TicketRow.id)
            .limit(limit)
            .options(selectinload(TicketRow.messages))
        ).unique()
        return [triage_request(t, 0) for t in tickets]


def _rate(run: Callable[[], object], count: int) -> float:
    started = time.perf_counter()
    run()
    return count / (time.perf_counter() - started)


def bench_triage(
    triager: Triager, requests: Sequence[TriageRequest], batch: int = 500
) -> dict[str, Any]:
    texts = [r.text for r in requests]
    n = len(texts)
    triager.triage_many(requests[:20])  # load models before timing
    detect_language(texts[0])

    def full() -> None:
        for start in range(0, n, batch):
            triager.triage_many(requests[start : start + batch])

    single = []
    for request in requests[:200]:
        started = time.perf_counter()
        triager.triage(request)
        single.append((time.perf_counter() - started) * 1000)
    full_rate = _rate(full, n)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "tickets": n,
        "model_version": triager.intent_model.version,
        "full_triage_per_second": round(full_rate, 1),
        "single_ticket_ms_p50": round(float(np.percentile(single, 50)), 2),
        "single_ticket_ms_p95": round(float(np.percentile(single, 95)), 2),
        "peak_rss_mb": round(peak_mb, 1),
        "parts_per_second": {
            "redaction": round(_rate(lambda: [Redactor().redact(t) for t in texts], n), 1),
            "language": round(_rate(lambda: [detect_language(t) for t in texts], n), 1),
            "intent": round(_rate(lambda: triager.classifier.explain(texts), n), 1),
        },
    }
