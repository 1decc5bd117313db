"""Replay stored tickets through a proposed config before anyone applies it.

Both routers see the same facts — each ticket's newest stored triage, channel,
tags and customer — so every difference comes from the config alone. Nothing
is written: the store, the audit log and the active config stay as they were.
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from casework.config.schema import WorkspaceConfig
from casework.config.versions import active_config
from casework.pipeline.route_stage import queue_model, stored_facts
from casework.routing.router import Router, RoutingDecision
from casework.store.tables import TicketRow, TriageResultRow
from casework.workspace import Workspace


def _changes(old: RoutingDecision, new: RoutingDecision) -> list[str]:
    found = []
    if old.queue != new.queue:
        found.append("queue")
    if old.escalation.escalate != new.escalation.escalate:
        found.append("escalation")
    if old.automation_level != new.automation_level:
        found.append("automation_level")
    if old.priority != new.priority:
        found.append("priority")
    return found


def _example(
    ticket_id: int, changed: list[str], old: RoutingDecision, new: RoutingDecision
) -> dict[str, Any]:
    return {
        "ticket_id": ticket_id,
        "changed": changed,
        "before": {
            "queue": old.queue,
            "decided_by": old.decided_by,
            "escalate": old.escalation.escalate,
            "automation_level": old.automation_level.value,
            "priority": old.priority,
        },
        "after": {
            "queue": new.queue,
            "decided_by": new.decided_by,
            "escalate": new.escalation.escalate,
            "automation_level": new.automation_level.value,
            "priority": new.priority,
        },
        "reasons": new.reasons[:3] + new.escalation.reasons[:3],
    }


def dry_run(
    ws: Workspace,
    proposed: WorkspaceConfig,
    since: timedelta | None = None,
    examples: int = 5,
    batch_size: int = 1000,
) -> dict[str, Any]:
    """How many tickets would route, escalate or automate differently under `proposed`."""
    started = time.perf_counter()
    version, current = active_config(ws)
    model = queue_model(ws.path)
    before, after = Router(current, version, model), Router(proposed, version + 1, model)
    newest = select(func.max(TriageResultRow.id)).group_by(TriageResultRow.ticket_id)
    if since is not None:
        cutoff = datetime.now(UTC) - since
        newest = newest.join(TicketRow, TicketRow.id == TriageResultRow.ticket_id).where(
            TicketRow.created_at >= cutoff
        )
    counts: Counter[str] = Counter()
    shown: list[dict[str, Any]] = []
    total, after_id = 0, 0
    while True:
        with ws.session() as s:
            rows = list(
                s.scalars(
                    select(TriageResultRow)
                    .where(TriageResultRow.id.in_(newest), TriageResultRow.id > after_id)
                    .order_by(TriageResultRow.id)
                    .limit(batch_size)
                )
            )
            if not rows:
                break
            after_id = rows[-1].id
            ticket_ids = [r.ticket_id for r in rows]
            facts = stored_facts(s, rows)
        olds, news = before.route_many(facts), after.route_many(facts)
        for ticket_id, old, new in zip(ticket_ids, olds, news, strict=True):
            changed = _changes(old, new)
            counts.update(changed)
            counts["any"] += bool(changed)
            if changed and len(shown) < examples:
                shown.append(_example(ticket_id, changed, old, new))
        total += len(rows)
    return {
        "tickets": total,
        "current_version": version,
        "would_change": counts["any"],
        "queue_changed": counts["queue"],
        "escalation_changed": counts["escalation"],
        "automation_changed": counts["automation_level"],
        "priority_changed": counts["priority"],
        "examples": shown,
        "seconds": round(time.perf_counter() - started, 2),
    }
