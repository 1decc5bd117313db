"""What the egress guard recorded, summed per channel, role and action (counts, no values)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import select

from casework.store.tables import EgressBlockRow
from casework.workspace import Workspace


def egress_summary(ws: Workspace) -> list[dict[str, Any]]:
    """One row per (channel, role, action): payloads affected and personal data found by type."""
    totals: dict[tuple[str, str | None, str], tuple[int, Counter[str]]] = {}
    with ws.session() as s:
        rows = s.execute(
            select(EgressBlockRow.channel, EgressBlockRow.role, EgressBlockRow.action,
                   EgressBlockRow.count, EgressBlockRow.found)
        )  # fmt: skip
        for channel, role, action, count, found in rows:
            payloads, types = totals.get((channel, role, action), (0, Counter()))
            types.update(found or {})
            totals[(channel, role, action)] = (payloads + count, types)
    return [
        {"channel": c, "role": r, "action": a, "payloads": n, "found": dict(types)}
        for (c, r, a), (n, types) in sorted(totals.items(), key=lambda kv: str(kv[0]))
    ]
