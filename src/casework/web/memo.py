"""Keep the last result of a slow analysis until the data under it changes.

Insights, quality and the weekly report recompute spike tests, coaching and a week's
metrics: seconds at 5,000 tickets. Each page keeps its last result per argument in
the app and reuses it while the workspace's *fingerprint* is unchanged: the newest
id of every table those analyses read (tickets, messages, field changes, triage,
QA scores, audit events — every review writes one), the topic assignments, the config
version and the QA reviews file. A result older than `MAX_AGE` is recomputed anyway,
as a backstop for an edit no fingerprint column sees.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import func, select

from casework.store.tables import (
    AuditEventRow,
    FieldChangeRow,
    MessageRow,
    QAScoreRow,
    TicketRow,
    TicketTopicRow,
    TopicRow,
    TriageResultRow,
)
from casework.workspace import Workspace

T = TypeVar("T")
MAX_AGE = 600.0
_lock = threading.Lock()


def fingerprint(ws: Workspace, files: tuple[str, ...] = ()) -> tuple[Any, ...]:
    """Cheap (indexed max/count) summary that changes whenever the analyses' input does."""
    from casework.config.versions import active_config

    with ws.session() as s:
        row = s.execute(
            select(
                select(func.max(TicketRow.id)).scalar_subquery(),
                select(func.max(MessageRow.id)).scalar_subquery(),
                select(func.max(FieldChangeRow.id)).scalar_subquery(),
                select(func.max(TriageResultRow.id)).scalar_subquery(),
                select(func.max(QAScoreRow.id)).scalar_subquery(),
                select(func.max(AuditEventRow.seq)).scalar_subquery(),
                select(func.count()).select_from(TicketTopicRow).scalar_subquery(),
                select(func.max(TopicRow.updated_at)).scalar_subquery(),
            )
        ).one()
    stats = []
    for name in files:
        path = ws.path / name
        stats.append((path.stat().st_mtime_ns, path.stat().st_size) if path.exists() else None)
    return (*row, active_config(ws)[0], *stats)


def remember(
    state: Any,
    name: str,
    key: Hashable,
    current: tuple[Any, ...],
    compute: Callable[[], T],
    now: Callable[[], float] = time.monotonic,
) -> T:
    """`compute()`'s value for (`name`, `key`), reused while `current` (a fingerprint)
    is unchanged and younger than `MAX_AGE`. Callers must not mutate the value."""
    with _lock:
        memo: dict[tuple[str, Hashable], tuple[tuple[Any, ...], float, Any]] = (
            getattr(state, "web_memo", None) or {}
        )
        state.web_memo = memo
        found = memo.get((name, key))
    if found is not None and found[0] == current and now() - found[1] < MAX_AGE:
        value: T = found[2]
        return value
    value = compute()
    with _lock:
        memo[(name, key)] = (current, now(), value)
    return value
