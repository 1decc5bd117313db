"""Every place a person's data can live, as one list both `find` and `erase` walk.

Tables are discovered, not hard-coded: any table with a `ticket_id` column holds
something about the ticket (triage, routes, drafts, QA evidence, write-backs, and
tables later issues add), so a new table is checked without anyone remembering to
add it here. Places that cannot hold the data are listed too, with why, so the answer
to "where did you look?" is complete.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import Table, func, inspect, select
from sqlalchemy.orm import Session

from casework.store.tables import (
    AuditEventRow,
    Base,
    DraftRow,
    FeedbackRow,
    MessageRow,
    OrderRow,
    PiiIndexRow,
    RoutingDecisionRow,
    TopicRow,
)

CHUNK = 500
NEVER_PERSONAL = {
    "audit_events": "ids and keyed hashes only (checked by tests); never edited",
    "privacy_erasures": "request ids and keyed hashes only",
    "egress_blocks": "counts per type, no values",
    "pii_index": "keyed hashes only",
}


@dataclass
class Place:
    """One place checked: what it is, how many of the person's items it holds, and ids."""

    name: str
    kind: str  # table, index, embeddings, files, log
    count: int
    ids: list[Any] = field(default_factory=list)
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def ticket_tables(session: Session) -> list[Table]:
    """Tables of this schema that exist in the database and point at a ticket."""
    existing = set(inspect(session.get_bind()).get_table_names())
    return [
        t
        for t in Base.metadata.sorted_tables
        if "ticket_id" in t.c
        and t.name in existing
        and t.name not in NEVER_PERSONAL
        and t.name not in ("messages",)
    ]


def _in_chunks(session: Session, column: Any, ids: set[Any], *select_cols: Any) -> list[Any]:
    out: list[Any] = []
    ordered = sorted(ids)
    for start in range(0, len(ordered), CHUNK):
        out += session.execute(
            select(*select_cols).where(column.in_(ordered[start : start + CHUNK]))
        ).all()
    return out


def database_places(
    session: Session, customer_ids: set[int], ticket_ids: set[int], message_ids: set[int]
) -> list[Place]:
    """Rows of the person in every table, by id lookups on indexed columns only."""
    places = [
        Place(
            "customers",
            "table",
            len(customer_ids),
            sorted(customer_ids),
            "name, email, phone, attributes",
        ),
    ]
    places.append(
        Place(
            "tickets",
            "table",
            len(ticket_ids),
            sorted(ticket_ids),
            "subject, custom fields; tickets they asked or are mentioned in",
        )
    )
    msgs = _in_chunks(session, MessageRow.ticket_id, ticket_ids, MessageRow.id)
    all_msgs = {m for (m,) in msgs} | message_ids
    places.append(
        Place(
            "messages",
            "table",
            len(all_msgs),
            sorted(all_msgs),
            f"bodies and author names; {len(message_ids)} quote an identifier",
        )
    )
    for table in ticket_tables(session):
        if table.name == "tickets":
            continue
        rows = _in_chunks(session, table.c.ticket_id, ticket_ids, *table.primary_key.columns)
        ids = [r[0] if len(r) == 1 else list(r) for r in rows]
        places.append(Place(table.name, "table", len(ids), ids, _TABLE_NOTES.get(table.name, "")))
    orders = _in_chunks(session, OrderRow.customer_id, customer_ids, OrderRow.id)
    places.append(
        Place(
            "orders",
            "table",
            len(orders),
            [o for (o,) in orders],
            "context provider source (order status, tracking)",
        )
    )
    drafts = _in_chunks(session, DraftRow.ticket_id, ticket_ids, DraftRow.id)
    decisions = _in_chunks(session, RoutingDecisionRow.ticket_id, ticket_ids, RoutingDecisionRow.id)
    feedback = 0
    for object_type, rows in (("draft", drafts), ("routing_decision", decisions)):
        object_ids = {r for (r,) in rows}
        found = _in_chunks(session, FeedbackRow.object_id, object_ids, FeedbackRow.object_type)
        feedback += sum(1 for (kind,) in found if kind == object_type)
    places.append(Place("feedback", "table", feedback, [], "comments on their drafts and routes"))
    audit = 0
    tids = {str(t) for t in ticket_ids}
    if tids:
        audit = len(_in_chunks(session, AuditEventRow.object_id, tids, AuditEventRow.id))
    places.append(
        Place(
            "audit_events",
            "table",
            audit,
            [],
            "events about their tickets: ids and keyed hashes only, kept as they are",
        )
    )
    index_rows = _in_chunks(session, PiiIndexRow.ticket_id, ticket_ids, PiiIndexRow.id)
    places.append(
        Place(
            "pii_index",
            "index",
            len(index_rows),
            [],
            "keyed hashes of their values (the lookup index itself)",
        )
    )
    topics = 0
    if ticket_ids:
        for rep_ids in session.scalars(select(TopicRow.representative_ticket_ids)):
            topics += bool(set(rep_ids or ()) & ticket_ids)
    places.append(
        Place(
            "topics",
            "index",
            topics,
            [],
            "topics naming their tickets as examples (labels are word lists)",
        )
    )
    return places


_TABLE_NOTES = {
    "triage_results": "redacted text (names are not redacted), intent, sentiment",
    "routing_decisions": "queue, reasons, escalation summary",
    "drafts": "reply text (may restore their data), final text",
    "qa_scores": "QA evidence spans quoted from the conversation",
    "writebacks": "payloads sent back to the helpdesk (notes, drafts)",
    "ticket_field_changes": "status/assignee history (no free text)",
    "ticket_topics": "topic membership",
}


def article_hits(session: Session, hashes: set[str]) -> list[int]:
    if not hashes:
        return []
    return sorted(
        session.scalars(
            select(PiiIndexRow.object_id).where(
                PiiIndexRow.object_type == "article", PiiIndexRow.value_hash.in_(sorted(hashes))
            )
        )
    )


def count_rows(session: Session, table: Any) -> int:
    return session.scalar(select(func.count()).select_from(table)) or 0
