"""The personal-data index: keyed hashes of every detected value, per message, ticket and customer.

Why an index: a data-subject request on a million tickets must not scan a million
message bodies. Each stored text is run through the detector once, when it is stored
(import, webhook, API) or by `casework privacy reindex` for an existing store, and every
value found is written as `(value_hash, kind, object_type, object_id, ticket_id)`. A
request then hashes what the person gave (`hashing.hash_of`) and looks it up: one
indexed equality query whatever the store's size.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from casework.privacy.hashing import normalise, value_hash
from casework.store.bulk import append_rows
from casework.store.tables import (
    ArticleRow,
    CustomerRow,
    MessageRow,
    PiiIndexRow,
    TicketRow,
)
from casework.text.pii import detect_pii
from casework.workspace import Workspace

CHUNK = 500


@dataclass
class IndexStats:
    tickets: int = 0
    messages: int = 0
    customers: int = 0
    articles: int = 0
    entries: int = 0


def text_entries(
    key: bytes, text: str | None, object_type: str, object_id: int, ticket_id: int | None
) -> list[dict[str, Any]]:
    """One index row per distinct (kind, value) the detector finds in `text`."""
    if not text:
        return []
    seen: set[str] = set()
    rows = []
    for span in detect_pii(text):
        digest = value_hash(key, span.type, span.normalized or span.text)
        if digest not in seen:
            seen.add(digest)
            rows.append(_row(digest, span.type, object_type, object_id, ticket_id))
    return rows


def customer_entries(key: bytes, customer: Any) -> list[dict[str, Any]]:
    """A customer record's email, phone and name, each as its own kind."""
    rows: dict[str, dict[str, Any]] = {}
    for kind, value in (
        ("EMAIL", customer.email),
        ("PHONE", customer.phone),
        ("NAME", customer.name),
    ):
        if value and value.strip():
            digest = value_hash(key, kind, normalise(kind, value))
            rows[digest] = _row(digest, kind, "customer", customer.id, None)
    return list(rows.values())


def _row(digest: str, kind: str, object_type: str, object_id: int, ticket_id: int | None) -> dict:
    return {
        "value_hash": digest,
        "kind": kind,
        "object_type": object_type,
        "object_id": object_id,
        "ticket_id": ticket_id,
    }


def index_tickets(
    session: Session, key: bytes, ticket_ids: Sequence[int], *, requesters: bool = True
) -> IndexStats:
    """(Re)index these tickets' subjects and messages and (unless `requesters=False`, for a
    caller that indexes every customer once itself) their requesters, in the caller's
    transaction: old entries of the tickets go first, so an edited text leaves no stale hash."""
    stats = IndexStats()
    customer_ids: set[int] = set()
    for start in range(0, len(ticket_ids), CHUNK):
        chunk = list(ticket_ids[start : start + CHUNK])
        session.execute(delete(PiiIndexRow).where(PiiIndexRow.ticket_id.in_(chunk)))
        rows: list[dict[str, Any]] = []
        for tid, subject, requester in session.execute(
            select(TicketRow.id, TicketRow.subject, TicketRow.requester_id).where(
                TicketRow.id.in_(chunk)
            )
        ):
            stats.tickets += 1
            rows += text_entries(key, subject, "ticket", tid, tid)
            if requester is not None:
                customer_ids.add(requester)
        for mid, tid, body in session.execute(
            select(MessageRow.id, MessageRow.ticket_id, MessageRow.body).where(
                MessageRow.ticket_id.in_(chunk)
            )
        ):
            stats.messages += 1
            rows += text_entries(key, body, "message", mid, tid)
        if rows:
            append_rows(session, PiiIndexRow, rows)
        stats.entries += len(rows)
    if not requesters:
        return stats
    customers = index_customers(session, key, sorted(customer_ids))
    stats.customers, stats.entries = customers.customers, stats.entries + customers.entries
    return stats


def index_customers(session: Session, key: bytes, customer_ids: Sequence[int]) -> IndexStats:
    stats = IndexStats()
    for start in range(0, len(customer_ids), CHUNK):
        chunk = list(customer_ids[start : start + CHUNK])
        session.execute(
            delete(PiiIndexRow).where(
                PiiIndexRow.object_type == "customer", PiiIndexRow.object_id.in_(chunk)
            )
        )
        rows: list[dict[str, Any]] = []
        for customer in session.execute(
            select(CustomerRow.id, CustomerRow.email, CustomerRow.phone, CustomerRow.name).where(
                CustomerRow.id.in_(chunk)
            )
        ):
            stats.customers += 1
            rows += customer_entries(key, customer)
        if rows:
            append_rows(session, PiiIndexRow, rows)
        stats.entries += len(rows)
    return stats


def index_articles(session: Session, key: bytes) -> IndexStats:
    """Articles are few; an article quoting a customer's data must be findable too."""
    stats = IndexStats()
    session.execute(delete(PiiIndexRow).where(PiiIndexRow.object_type == "article"))
    rows: list[dict[str, Any]] = []
    for aid, title, body in session.execute(
        select(ArticleRow.id, ArticleRow.title, ArticleRow.body)
    ):
        stats.articles += 1
        rows += text_entries(key, f"{title}\n{body}", "article", aid, None)
    if rows:
        append_rows(session, PiiIndexRow, rows)
    stats.entries = len(rows)
    return stats


def index_written(
    ws: Workspace, session: Session, tickets: Iterable[Any], since: datetime
) -> IndexStats:
    """Index the tickets of this batch that the store just wrote (`imported_at >= since`),
    in the caller's transaction: what the import, webhook and API paths call after
    `upsert_tickets`. Unchanged tickets are skipped, so importing twice indexes once."""
    from casework.audit import load_key

    by_source: dict[str, list[str]] = {}
    for t in tickets:
        by_source.setdefault(t.source, []).append(t.external_id)
    ids: list[int] = []
    for source, external_ids in by_source.items():
        for start in range(0, len(external_ids), CHUNK):
            ids += session.scalars(
                select(TicketRow.id).where(
                    TicketRow.source == source,
                    TicketRow.external_id.in_(external_ids[start : start + CHUNK]),
                    TicketRow.imported_at >= since,
                )
            ).all()
    return index_tickets(session, load_key(ws), ids) if ids else IndexStats()


def reindex(
    ws: Workspace, batch_size: int = 2000, progress: Callable[[int, int], None] | None = None
) -> IndexStats:
    """Backfill: index every ticket, customer and article of an existing store, a batch of
    tickets per transaction (keyset by id, so memory stays flat on a million tickets)."""
    from casework.audit import load_key

    key = load_key(ws)
    total = IndexStats()
    with ws.session() as s:
        count = s.scalar(select(func.count()).select_from(TicketRow)) or 0
        max_id = s.scalar(select(func.max(TicketRow.id))) or 0
    last = 0
    while last < max_id:
        with ws.session() as s:
            ids = s.scalars(
                select(TicketRow.id)
                .where(TicketRow.id > last)
                .order_by(TicketRow.id)
                .limit(batch_size)
            ).all()
            if not ids:
                break
            got = index_tickets(s, key, ids, requesters=False)  # customers: once, below
        last = ids[-1]
        total.tickets += got.tickets
        total.messages += got.messages
        total.entries += got.entries
        if progress is not None:
            progress(total.tickets, count)
    with ws.session() as s:
        customer_ids = s.scalars(select(CustomerRow.id).order_by(CustomerRow.id)).all()
        customers = index_customers(s, key, customer_ids)
        articles = index_articles(s, key)
    total.customers, total.articles = customers.customers, articles.articles
    total.entries += customers.entries + articles.entries
    return total
