"""How long the dashboard takes to render its pages server-side on a real workspace.

In-process (FastAPI's TestClient, signed in with a temporary admin key that is
revoked at the end): the time measured is the request through the ASGI app —
queries, template rendering — with no network or browser in it. The review queue is
measured on its first and last page, filtered by queue and to drafts only, so a
slow `OFFSET` or a filter that defeats the indexes shows. Insights, quality and the
weekly report keep their analyses while the data is unchanged: their first request
(`first_ms`) is the cold cost, the median the kept one.
"""

from __future__ import annotations

import re
import statistics
import time
from typing import Any

from sqlalchemy import func, select

from casework.workspace import Workspace

REPEATS = 15


def _timed(client: Any, path: str, repeats: int) -> dict[str, Any]:
    times = []
    size = 0
    for _ in range(repeats):
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"GET {path} answered {response.status_code}")
        size = len(response.content)
    first = times[0]  # cold for the analyses the dashboard keeps (casework.web.memo)
    times.sort()
    return {
        "path": path,
        "first_ms": round(first, 1),
        "median_ms": round(statistics.median(times), 1),
        "p90_ms": round(times[int(0.9 * (len(times) - 1))], 1),
        "max_ms": round(times[-1], 1),
        "bytes": size,
    }


def bench_dashboard(ws: Workspace, repeats: int = REPEATS) -> dict[str, Any]:
    """Render times (ms) of the review queue and the other pages; `waiting` is the queue size."""
    from fastapi.testclient import TestClient

    from casework.api.app import create_app
    from casework.api.keys import create_key, revoke_key
    from casework.store.tables import RoutingDecisionRow, TicketRow
    from casework.web.review_queue import QueueFilter, waiting_page

    with ws.session() as s:
        waiting = waiting_page(s, QueueFilter(page_size=1)).total
        queue = s.scalar(select(RoutingDecisionRow.queue).limit(1))
        ticket = s.scalar(select(func.max(TicketRow.id)))
    if not waiting:
        raise RuntimeError("nothing waits for review: run `casework demo --no-serve` first")
    pages = -(-waiting // 50)
    key, token = create_key(ws, "bench-dashboard", "admin", "system:bench")
    try:
        with TestClient(create_app(ws, process_webhooks=False)) as client:
            form = client.get("/dashboard/login").text
            csrf = re.search(r'name="csrf_token" value="([^"]+)"', form)
            assert csrf is not None
            client.post("/dashboard/login", data={"key": token, "csrf_token": csrf[1]})
            paths = [
                "/dashboard/review",
                f"/dashboard/review?page={pages}",
                f"/dashboard/review?queue={queue}",
                "/dashboard/review?kind=draft",
                f"/dashboard/tickets/{ticket}",
                "/dashboard/insights",
                "/dashboard/knowledge",
                "/dashboard/quality",
                "/dashboard/reports",
                "/dashboard/settings",
            ]
            client.get(paths[0])  # warm: templates compiled, models loaded
            rows = [_timed(client, path, repeats) for path in paths]
    finally:
        revoke_key(ws, key.id, "system:bench")
    backend = ws.engine.dialect.name
    return {"waiting": waiting, "repeats": repeats, "backend": backend, "pages": rows}
