"""Repository functions: records in, rows out, in batches.

Writes are batched (one round trip per table per batch, not per ticket) so a
200k-ticket import stays fast on PostgreSQL, and keyed by `(source,
external_id)` with a content hash so that re-importing unchanged data writes
nothing at all.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, text, update
from sqlalchemy.orm import Session

from casework.domain import Agent, Article, Customer, Order, Queue, Ticket
from casework.store.bulk import append_rows
from casework.store.tables import (
    AgentRow,
    ArticleRow,
    ArticleVersionRow,
    AuditEventRow,
    CustomerRow,
    DraftRow,
    FieldChangeRow,
    MessageRow,
    OrderRow,
    PiiIndexRow,
    QueueRow,
    RoutingDecisionRow,
    StageResultRow,
    TicketRow,
    TriageResultRow,
    WritebackRow,
)

CHUNK = 500  # keeps IN (...) lists well under every backend's parameter limit


@dataclass
class UpsertStats:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, other: UpsertStats) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged


def content_hash(record: Any) -> str:
    return hashlib.sha256(record.model_dump_json().encode()).hexdigest()


def queue_key(name: str) -> str:
    """`Orders & Delivery` and `orders-delivery` name the same queue."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "default"


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _ids_by_external(
    session: Session,
    table: type[CustomerRow] | type[AgentRow] | type[TicketRow],
    source: str,
    external_ids: set[str],
) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk in _chunks(sorted(external_ids)):
        rows = session.execute(
            select(table.external_id, table.id).where(
                table.source == source, table.external_id.in_(chunk)
            )
        )
        found.update({ext: id_ for ext, id_ in rows})
    return found


# -- reference data -----------------------------------------------------------


def upsert_queues(session: Session, queues: Iterable[Queue]) -> dict[str, int]:
    """Create or update queues; returns key → id for every queue given."""
    wanted = {q.key: q for q in queues}
    existing = {
        row.key: row for row in session.scalars(select(QueueRow).where(QueueRow.key.in_(wanted)))
    }
    for key, queue in wanted.items():
        row = existing.get(key)
        if row is None:
            row = QueueRow(key=key, name=queue.name)
            session.add(row)
            existing[key] = row
        row.name = queue.name
        row.description = queue.description or row.description
        row.owner = queue.owner or row.owner
    session.flush()
    return {key: existing[key].id for key in wanted}


def _ensure_queues(session: Session, names: set[str]) -> dict[str, int]:
    """Queue name → id, creating queues that imports mention but nobody declared."""
    by_key = {queue_key(n): n for n in names}
    existing = dict(
        session.execute(select(QueueRow.key, QueueRow.id).where(QueueRow.key.in_(by_key))).all()
    )
    missing = [Queue(key=k, name=n) for k, n in by_key.items() if k not in existing]
    if missing:
        existing.update(upsert_queues(session, missing))
    return {name: existing[queue_key(name)] for name in names}


def _upsert_people(
    session: Session,
    table: type[CustomerRow] | type[AgentRow],
    source: str,
    records: Iterable[Customer | Agent],
) -> dict[str, int]:
    """Insert unknown people, refresh known ones with the fields now given."""
    wanted = {r.external_id: r for r in records}
    ids = _ids_by_external(session, table, source, set(wanted))
    known = set(ids)
    new = [{"source": source, **r.model_dump()} for ext, r in wanted.items() if ext not in known]
    if new:
        append_rows(session, table, new)
        ids.update(_ids_by_external(session, table, source, {row["external_id"] for row in new}))
    refreshed = [
        {"id": ids[ext], **r.model_dump(exclude_none=True, exclude={"external_id"})}
        for ext, r in wanted.items()
        if ext in known
    ]
    if refreshed:
        session.execute(update(table), refreshed)
    return ids


def upsert_customers(
    session: Session, source: str, customers: Iterable[Customer]
) -> dict[str, int]:
    """Create or update customers; returns external id → id."""
    return _upsert_people(session, CustomerRow, source, customers)


def upsert_agents(session: Session, source: str, agents: Iterable[Agent]) -> dict[str, int]:
    """Create or update agents; returns external id → id."""
    return _upsert_people(session, AgentRow, source, agents)


# -- tickets --------------------------------------------------------------------


def upsert_tickets(session: Session, tickets: Sequence[Ticket]) -> UpsertStats:
    """Store a batch of tickets with their requesters, assignees and messages.

    New tickets are inserted, changed ones updated in place (messages matched
    by their external id, so row ids stay stable for results that point at
    them), unchanged ones skipped. Call inside a transaction: a batch is
    written whole or not at all.
    """
    stats = UpsertStats()
    latest: dict[tuple[str, str], Ticket] = {}
    for ticket in tickets:
        latest[(ticket.source, ticket.external_id)] = ticket
    by_source: dict[str, list[Ticket]] = {}
    for (source, _), ticket in latest.items():
        by_source.setdefault(source, []).append(ticket)
    for source, batch in by_source.items():
        stats.add(_upsert_source_batch(session, source, batch))
    return stats


def _upsert_source_batch(session: Session, source: str, batch: list[Ticket]) -> UpsertStats:
    stats = UpsertStats()
    hashes = {t.external_id: content_hash(t) for t in batch}
    existing: dict[str, tuple[int, str]] = {}
    for chunk in _chunks([t.external_id for t in batch]):
        rows = session.execute(
            select(TicketRow.external_id, TicketRow.id, TicketRow.content_hash).where(
                TicketRow.source == source, TicketRow.external_id.in_(chunk)
            )
        )
        existing.update({ext: (id_, h) for ext, id_, h in rows})

    to_write = [
        t for t in batch if existing.get(t.external_id, (0, ""))[1] != hashes[t.external_id]
    ]
    stats.unchanged = len(batch) - len(to_write)
    if not to_write:
        return stats

    customer_ids = upsert_customers(
        session, source, [t.requester for t in to_write if t.requester is not None]
    )
    agent_ids = upsert_agents(
        session, source, [t.assignee for t in to_write if t.assignee is not None]
    )
    author_ids: set[str] = set()
    for t in to_write:
        author_ids.update(
            m.author_external_id
            for m in t.messages
            if m.author_role == "agent" and m.author_external_id
        )
    agent_ids.update(_ids_by_external(session, AgentRow, source, author_ids - set(agent_ids)))
    queue_ids = _ensure_queues(session, {t.queue for t in to_write if t.queue})

    now = datetime.now(UTC)

    def row_values(t: Ticket) -> dict[str, Any]:
        return {
            "source": source,
            "external_id": t.external_id,
            "subject": t.subject,
            "status": t.status.value,
            "priority": t.priority.value if t.priority else None,
            "type": t.type,
            "channel": t.channel,
            "tags": t.tags,
            "queue_id": queue_ids.get(t.queue) if t.queue else None,
            "assignee_id": agent_ids.get(t.assignee.external_id) if t.assignee else None,
            "requester_id": customer_ids.get(t.requester.external_id) if t.requester else None,
            "created_at": t.created_at,
            "updated_at": t.updated_at,
            "solved_at": t.solved_at,
            "satisfaction": t.satisfaction,
            "custom_fields": t.custom_fields,
            "content_hash": hashes[t.external_id],
            "imported_at": now,
        }

    new = [t for t in to_write if t.external_id not in existing]
    changed = [t for t in to_write if t.external_id in existing]
    ticket_ids = {ext: id_ for ext, (id_, _) in existing.items()}
    if new:
        append_rows(session, TicketRow, [row_values(t) for t in new])
        ticket_ids.update(
            _ids_by_external(session, TicketRow, source, {t.external_id for t in new})
        )
    if changed:
        session.execute(
            update(TicketRow),
            [{"id": ticket_ids[t.external_id], **row_values(t)} for t in changed],
        )
    stats.created, stats.updated = len(new), len(changed)

    _write_messages(session, to_write, ticket_ids, agent_ids, {t.external_id for t in changed})
    _write_changes(session, to_write, ticket_ids, {t.external_id for t in changed})
    return stats


def _write_messages(
    session: Session,
    tickets: list[Ticket],
    ticket_ids: dict[str, int],
    agent_ids: dict[str, int],
    changed: set[str],
) -> None:
    known: dict[tuple[int, str], int] = {}
    changed_ids = [ticket_ids[ext] for ext in changed]
    for chunk in _chunks(changed_ids):
        rows = session.execute(
            select(MessageRow.ticket_id, MessageRow.external_id, MessageRow.id).where(
                MessageRow.ticket_id.in_(chunk)
            )
        )
        known.update({(tid, ext): id_ for tid, ext, id_ in rows})
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for t in tickets:
        tid = ticket_ids[t.external_id]
        for position, m in enumerate(t.messages):
            ext = m.external_id or f"pos-{position}"
            values = {
                "ticket_id": tid,
                "external_id": ext,
                "position": position,
                "author_role": m.author_role.value,
                "author_external_id": m.author_external_id,
                "author_name": m.author_name,
                "agent_id": agent_ids.get(m.author_external_id or "")
                if m.author_role == "agent"
                else None,
                "body": m.body,
                "public": m.public,
                "created_at": m.created_at,
            }
            if (tid, ext) in known:
                updates.append({"id": known[(tid, ext)], **values})
            else:
                inserts.append(values)
    if inserts:
        append_rows(session, MessageRow, inserts)
    if updates:
        session.execute(update(MessageRow), updates)


def _write_changes(
    session: Session, tickets: list[Ticket], ticket_ids: dict[str, int], changed: set[str]
) -> None:
    """Add history rows not stored yet (history only grows).

    Rows flagged `approximate` (reconstructed from timestamps) are replaced as
    soon as the same ticket arrives with real history.
    """
    known: dict[tuple[int, str, datetime, str | None], bool] = {}
    for chunk in _chunks([ticket_ids[ext] for ext in changed]):
        rows = session.execute(
            select(
                FieldChangeRow.ticket_id,
                FieldChangeRow.field,
                FieldChangeRow.changed_at,
                FieldChangeRow.new_value,
                FieldChangeRow.approximate,
            ).where(FieldChangeRow.ticket_id.in_(chunk))
        )
        known.update({(tid, f, at, v): approx for tid, f, at, v, approx in rows})
    now_exact = {
        ticket_ids[t.external_id]
        for t in tickets
        if t.external_id in changed and any(not c.approximate for c in t.changes)
    }
    stale = {key for key, approx in known.items() if approx and key[0] in now_exact}
    for chunk in _chunks(sorted({key[0] for key in stale})):
        session.execute(
            delete(FieldChangeRow).where(
                FieldChangeRow.ticket_id.in_(chunk), FieldChangeRow.approximate.is_(True)
            )
        )
    for key in stale:
        del known[key]
    inserts = []
    for t in tickets:
        tid = ticket_ids[t.external_id]
        for c in t.changes:
            key = (tid, c.field, c.changed_at.astimezone(UTC), c.new_value)
            if key in known or (tid in now_exact and c.approximate):
                continue
            known[key] = c.approximate
            inserts.append({"ticket_id": tid, **c.model_dump()})
    if inserts:
        session.execute(insert(FieldChangeRow), inserts)


# -- orders and articles -----------------------------------------------------------


def upsert_orders(session: Session, source: str, orders: Sequence[Order]) -> UpsertStats:
    """Orders are the demo's context data; keyed by order number."""
    stats = UpsertStats()
    customer_ids = _ids_by_external(
        session,
        CustomerRow,
        source,
        {o.customer_external_id for o in orders if o.customer_external_id},
    )
    existing: dict[str, int] = {}
    for chunk in _chunks([o.order_number for o in orders]):
        rows = session.execute(
            select(OrderRow.order_number, OrderRow.id).where(OrderRow.order_number.in_(chunk))
        )
        existing.update({number: id_ for number, id_ in rows})

    def values(o: Order) -> dict[str, Any]:
        data = o.model_dump(exclude={"customer_external_id"})
        data["customer_id"] = customer_ids.get(o.customer_external_id or "")
        return data

    new = [values(o) for o in orders if o.order_number not in existing]
    old = [
        {"id": existing[o.order_number], **values(o)} for o in orders if o.order_number in existing
    ]
    if new:
        session.execute(insert(OrderRow), new)
    if old:
        session.execute(update(OrderRow), old)
    stats.created, stats.updated = len(new), len(old)
    return stats


def article_hash(article: Article) -> str:
    """What makes a new version: the content, not the dates an export rewrites or a review."""
    dump = article.model_dump_json(exclude={"created_at", "updated_at", "reviewed_at"})
    return hashlib.sha256(dump.encode()).hexdigest()


def upsert_articles(session: Session, articles: Sequence[Article]) -> UpsertStats:
    """A changed article gets a new version number and a history row; an unchanged one is
    left alone. A new review date alone updates the row in place: the content cited as
    (article, version) did not change."""
    stats = UpsertStats()
    latest = {(a.source, a.external_id): a for a in articles}
    existing: dict[tuple[str, str], ArticleRow] = {}
    for source in {source for source, _ in latest}:
        wanted = [ext for src, ext in latest if src == source]
        for chunk in _chunks(wanted):
            rows = session.scalars(
                select(ArticleRow).where(
                    ArticleRow.source == source, ArticleRow.external_id.in_(chunk)
                )
            )
            existing.update({(row.source, row.external_id): row for row in rows})
    versioned: list[ArticleRow] = []
    for key, article in latest.items():
        digest = article_hash(article)
        row = existing.get(key)
        if row is None:
            row = ArticleRow(**article.model_dump(), content_hash=digest, version=1)
            session.add(row)
            stats.created += 1
        elif row.content_hash != digest:
            for name, value in article.model_dump(exclude={"created_at"}).items():
                setattr(row, name, value)
            row.content_hash = digest
            row.version += 1
            stats.updated += 1
        elif row.reviewed_at != article.reviewed_at:
            row.reviewed_at = article.reviewed_at
            stats.updated += 1
            continue
        else:
            stats.unchanged += 1
            continue
        versioned.append(row)
    session.flush()
    now = datetime.now(UTC)
    session.add_all(
        ArticleVersionRow(
            article_id=row.id,
            version=row.version,
            title=row.title,
            body=row.body,
            status=row.status,
            content_hash=row.content_hash,
            created_at=now,
        )
        for row in versioned
    )
    session.flush()
    return stats


# -- reads ------------------------------------------------------------------------


@dataclass
class TicketFilter:
    status: str | None = None
    queue: str | None = None
    source: str | None = None
    after_id: int | None = None
    limit: int = 50


def list_tickets(session: Session, flt: TicketFilter) -> list[TicketRow]:
    """Tickets newest-id first, with cursor pagination on the id."""
    query = select(TicketRow).order_by(TicketRow.id.desc()).limit(flt.limit)
    if flt.status:
        query = query.where(TicketRow.status == flt.status)
    if flt.source:
        query = query.where(TicketRow.source == flt.source)
    if flt.queue:
        query = query.join(QueueRow, TicketRow.queue_id == QueueRow.id).where(
            QueueRow.key == queue_key(flt.queue)
        )
    if flt.after_id is not None:
        query = query.where(TicketRow.id < flt.after_id)
    return list(session.scalars(query).unique())


def get_ticket(session: Session, ticket_id: int) -> TicketRow | None:
    return session.get(TicketRow, ticket_id)


def find_ticket(session: Session, source: str, external_id: str) -> TicketRow | None:
    return session.scalar(
        select(TicketRow).where(TicketRow.source == source, TicketRow.external_id == external_id)
    )


def counts(session: Session) -> dict[str, int]:
    """Row counts of the main tables, for summaries and health checks."""
    tables: dict[str, Any] = {
        "tickets": TicketRow,
        "messages": MessageRow,
        "customers": CustomerRow,
        "agents": AgentRow,
        "queues": QueueRow,
        "orders": OrderRow,
        "articles": ArticleRow,
        "field_changes": FieldChangeRow,
    }
    return {
        name: int(session.scalar(select(func.count()).select_from(table)) or 0)
        for name, table in tables.items()
    }


def latest_triage(session: Session, ticket_id: int) -> TriageResultRow | None:
    """The most recent triage of a ticket (any model version)."""
    return session.scalar(
        select(TriageResultRow)
        .where(TriageResultRow.ticket_id == ticket_id)
        .order_by(TriageResultRow.created_at.desc(), TriageResultRow.id.desc())
        .limit(1)
    )


IMPORT_TABLES = tuple(
    t.__tablename__
    for t in (TicketRow, CustomerRow, AgentRow, MessageRow, FieldChangeRow, PiiIndexRow)
)
"""What an import grows. With statistics from when they were nearly empty, the planner
looks up `(source, external_id) IN (...)` by `source` alone and filters every row of that
source (measured: a 200k import took 521 s on a server with autovacuum off, 40 s with
ANALYZE as it grew)."""

RESULT_TABLES = tuple(
    t.__tablename__
    for t in (
        StageResultRow,
        TriageResultRow,
        RoutingDecisionRow,
        DraftRow,
        AuditEventRow,
        WritebackRow,
    )
)
"""What processing grows by a row or more per ticket (`analyze_grown` keeps them planned)."""


ANALYZE_FLOOR = 1000
"""Changed rows below which a table is never re-analysed (small tables plan fine)."""


def analyze_grown(session: Session, tables: Sequence[str], floor: int | None = None) -> list[str]:
    """ANALYZE those of `tables` that have at least doubled since their last ANALYZE.

    Why: a server with autovacuum off (or lagging behind a backfill) plans with the
    statistics of a nearly empty table, and then reads `ticket_id IN (200 ids)` from
    `stage_results` with a sequential scan, once per batch: each batch slower than the
    last (found on a 1M-ticket backfill, 4,875 scans reading a billion rows). The check
    is one catalog query; ANALYZE samples a fixed number of rows, well under a second
    on millions. Returns the tables analysed (none on SQLite, which needs nothing).
    """
    if session.get_bind().dialect.name != "postgresql":
        return []
    floor = ANALYZE_FLOOR if floor is None else floor
    rows = session.execute(
        text(
            "SELECT relname, n_live_tup, n_mod_since_analyze FROM pg_stat_user_tables "
            "WHERE schemaname = current_schema() AND relname = ANY(:tables)"
        ),
        {"tables": list(tables)},
    ).all()
    stale = sorted(name for name, live, changed in rows if changed >= max(floor, live - changed))
    if stale:
        # SKIP_LOCKED: a table another worker is analysing right now is left to it
        session.execute(text("ANALYZE (SKIP_LOCKED) " + ", ".join(stale)))
    return stale


def latest_draft(session: Session, ticket_id: int) -> DraftRow | None:
    """The newest draft proposed for a ticket."""
    return session.scalar(
        select(DraftRow)
        .where(DraftRow.ticket_id == ticket_id)
        .order_by(DraftRow.id.desc())
        .limit(1)
    )
