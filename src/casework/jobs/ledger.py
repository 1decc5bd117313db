"""The stage ledger: which (ticket, stage, versions) are done, one unique row each.

Rows are written in the stage's own transaction (the pipeline's `on_batch` hooks),
with a plain INSERT: a second row for the same key is refused by the unique
constraint and rolls the whole batch back, so a duplicate delivery can never
commit half its work. `reconcile` fills in rows for results that exist without
one (made in-process before the workers ran, or committed before a crash), with
ON CONFLICT DO NOTHING.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from casework.pipeline.draft_stage import DRAFTABLE
from casework.routing.router import Router
from casework.store.bulk import append_rows
from casework.store.tables import DraftRow, RoutingDecisionRow, StageResultRow, TriageResultRow

STAGES = ("triage", "route", "draft")
"""triage; route (with context rules and escalation); draft (context, retrieval, reply)."""


def route_versions(router: Router, triage_version: str) -> str:
    """The key of a routing or drafting result: config, queue model and triage model."""
    key = f"c{router.config_version}/{router.model_version or 'none'}/{triage_version}"
    return key[:128]


def record(
    session: Session,
    stage: str,
    versions: str,
    outcomes: Iterable[tuple[int, str]],
    job_id: int | None,
) -> None:
    """Insert one row per (ticket, outcome); a duplicate raises (by design, see above)."""
    now = datetime.now(UTC)
    rows = [
        {"ticket_id": t, "stage": stage, "versions": versions, "outcome": o, "job_id": job_id,
         "created_at": now}
        for t, o in outcomes
    ]  # fmt: skip
    if rows:
        append_rows(session, StageResultRow, rows)


def _insert_missing(session: Session, rows: list[dict[str, Any]]) -> int:
    if not rows:
        return 0
    dialect = session.get_bind().dialect.name
    table: Any = StageResultRow.__table__
    stmt: Any = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
    session.execute(stmt.on_conflict_do_nothing(), rows)
    return len(rows)


def reconcile(
    session: Session,
    ticket_ids: Collection[int],
    triage_version: str,
    router: Router,
    job_id: int | None,
) -> None:
    """Ledger rows for every stage result these tickets have without one."""
    ids = list(ticket_ids)
    rkey = route_versions(router, triage_version)
    done = {
        (t, s)
        for t, s in session.execute(
            select(StageResultRow.ticket_id, StageResultRow.stage).where(
                StageResultRow.ticket_id.in_(ids),
                StageResultRow.versions.in_((triage_version[:128], rkey)),
            )
        )
    }
    now = datetime.now(UTC)
    rows: list[dict[str, Any]] = []

    def add(ticket_id: int, stage: str, versions: str, outcome: str) -> None:
        if (ticket_id, stage) not in done:
            rows.append({"ticket_id": ticket_id, "stage": stage, "versions": versions,
                         "outcome": outcome, "job_id": job_id, "created_at": now})  # fmt: skip

    for (tid,) in session.execute(
        select(TriageResultRow.ticket_id).where(
            TriageResultRow.ticket_id.in_(ids), TriageResultRow.model_version == triage_version
        )
    ):
        add(tid, "triage", triage_version[:128], "done")
    decisions = session.execute(
        select(
            RoutingDecisionRow.ticket_id,
            RoutingDecisionRow.escalate,
            RoutingDecisionRow.automation_level,
            DraftRow.id,
        )
        .join(TriageResultRow, TriageResultRow.id == RoutingDecisionRow.triage_id)
        .outerjoin(DraftRow, DraftRow.routing_decision_id == RoutingDecisionRow.id)
        .where(
            RoutingDecisionRow.ticket_id.in_(ids),
            RoutingDecisionRow.config_version == router.config_version,
            RoutingDecisionRow.model_version == (router.model_version or "none"),
            TriageResultRow.model_version == triage_version,
        )
    )
    for tid, escalate, level, draft_id in decisions:
        add(tid, "route", rkey, "escalated" if escalate else "done")
        if level not in DRAFTABLE:
            add(tid, "draft", rkey, "skipped")
        elif draft_id is not None:
            add(tid, "draft", rkey, "done")
    _insert_missing(session, rows)


def missing(
    session: Session, ticket_ids: Collection[int], triage_version: str, router: Router
) -> list[int]:
    """Tickets (that still exist) lacking a ledger row for some stage."""
    from casework.store.tables import TicketRow

    ids = list(ticket_ids)
    existing = set(session.scalars(select(TicketRow.id).where(TicketRow.id.in_(ids))))
    rkey = route_versions(router, triage_version)
    counts: dict[int, int] = {}
    for (tid,) in session.execute(
        select(StageResultRow.ticket_id).where(
            StageResultRow.ticket_id.in_(ids),
            StageResultRow.versions.in_((triage_version[:128], rkey)),
        )
    ):
        counts[tid] = counts.get(tid, 0) + 1
    return sorted(t for t in existing if counts.get(t, 0) < len(STAGES))
