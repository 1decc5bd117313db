"""Retention: each class of personal data kept only as long as `privacy.retention` says.

Purging never deletes a row that a metric counts — tickets, messages, their timestamps,
statuses, authors' roles, triage intents, routes, drafts' states — so every report is
identical before and after; what goes is text (replaced by its redacted form or
emptied), quotes, index entries, copied context data and identifying fields of dormant
customers. A dry run counts per class in the same queries and changes nothing.

Raw text is found through the personal-data index (messages with an entry hold a
detected value), so a purge never scans every message body; run `casework privacy
reindex` once on a store imported before the index existed.
"""

from __future__ import annotations

import typing
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Table, delete, exists, func, or_, select, update
from sqlalchemy.orm import Session

from casework.audit import load_key, pseudonym
from casework.store.tables import (
    AuditEventRow,
    CustomerRow,
    DraftRow,
    MessageRow,
    OrderRow,
    PiiIndexRow,
    QAScoreRow,
    RoutingDecisionRow,
    TicketRow,
    TopicRow,
    TriageResultRow,
    WritebackRow,
)
from casework.text.pii import Redactor
from casework.workspace import Workspace

CHUNK = 500


@dataclass
class ClassReport:
    name: str
    days: int | None
    count: int
    action: str


@dataclass
class PurgeReport:
    dry_run: bool
    now: str
    classes: list[ClassReport] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def count(self, name: str) -> int:
        return next(c.count for c in self.classes if c.name == name)


def _redact(text: str | None) -> str | None:
    return None if text is None else Redactor().redact(text)[0]


def _walk(value: Any, fn: Callable[[str], str | None]) -> Any:
    if isinstance(value, str):
        return fn(value)
    if isinstance(value, list):
        return [_walk(v, fn) for v in value]
    if isinstance(value, dict):
        return {k: _walk(v, fn) for k, v in value.items()}
    return value


def purge(
    ws: Workspace, retention: Any, *, dry_run: bool = False, now: datetime | None = None
) -> PurgeReport:
    """Apply `retention` (a `RetentionSettings`) as of `now`; one transaction for all classes,
    so a failed purge leaves the store as it was."""
    now = now or datetime.now(UTC)
    report = PurgeReport(dry_run, now.isoformat())

    def cutoff(days: int | None) -> datetime | None:
        return None if days is None else now - timedelta(days=days)

    with ws.session() as s:
        key = load_key(ws)
        steps: list[tuple[str, int | None, str, Callable[[Session, datetime, bool], int]]] = [
            (
                "raw_text",
                retention.raw_text_days,
                "message bodies and subjects replaced by their redacted form",
                _raw_text,
            ),
            (
                "redacted_text",
                retention.redacted_text_days,
                "triage text and routing summaries emptied",
                _redacted_text,
            ),
            (
                "customer_records",
                retention.customer_records_days,
                "dormant customers' name, email, phone pseudonymised",
                lambda s, c, d: _customers(s, c, d, key),
            ),
            (
                "context_caches",
                retention.context_cache_days,
                "orders (context-provider data) deleted",
                _orders,
            ),
            (
                "drafts",
                retention.drafts_days,
                "draft and write-back text redacted; rows kept",
                _drafts,
            ),
            (
                "qa_evidence",
                retention.qa_evidence_days,
                "quotes removed from QA evidence; scores kept",
                _qa_evidence,
            ),
            (
                "index_entries",
                retention.index_entries_days,
                "personal-data index entries and topic examples dropped",
                lambda s, c, d: _index_entries(s, c, d, cutoff(retention.raw_text_days)),
            ),
        ]
        for name, days, action, step in steps:
            at = cutoff(days)
            count = 0 if at is None else step(s, at, dry_run)
            report.classes.append(ClassReport(name, days, count, action if at else "kept"))
        report.classes.append(
            ClassReport(
                "llm_request_logs",
                retention.llm_logs_days,
                0,
                "none stored: casework keeps no LLM request log",
            )
        )
        at = cutoff(retention.audit_events_days)
        audit = (
            0
            if at is None
            else s.scalar(
                select(func.count())
                .select_from(AuditEventRow)
                .where(AuditEventRow.occurred_at < at)
            )
            or 0
        )
        report.classes.append(
            ClassReport(
                "audit_events",
                retention.audit_events_days,
                audit,
                "reported only: ids and hashes, chain never cut",
            )
        )
    return report


def _old_tickets(at: datetime) -> Any:
    return select(TicketRow.id).where(TicketRow.created_at < at)


def _raw_text(s: Session, at: datetime, dry_run: bool) -> int:
    rows = s.execute(
        select(PiiIndexRow.object_type, PiiIndexRow.object_id)
        .distinct()
        .where(
            PiiIndexRow.object_type.in_(("message", "ticket")),
            PiiIndexRow.ticket_id.in_(_old_tickets(at)),
        )
    ).all()
    if dry_run:
        return len(rows)
    messages = sorted(i for t, i in rows if t == "message")
    tickets = sorted(i for t, i in rows if t == "ticket")
    for ids, table, column in (
        (messages, MessageRow, MessageRow.body),
        (tickets, TicketRow, TicketRow.subject),
    ):
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            for id_, text in s.execute(select(table.id, column).where(table.id.in_(chunk))):
                s.execute(update(table).where(table.id == id_).values({column.key: _redact(text)}))
    # The values are gone from these texts: their index entries go too.
    for object_type, ids in (("message", messages), ("ticket", tickets)):
        for start in range(0, len(ids), CHUNK):
            s.execute(
                delete(PiiIndexRow).where(
                    PiiIndexRow.object_type == object_type,
                    PiiIndexRow.object_id.in_(ids[start : start + CHUNK]),
                )
            )
    return len(rows)


def _redacted_text(s: Session, at: datetime, dry_run: bool) -> int:
    count = 0
    for table, column in (
        (TriageResultRow, TriageResultRow.redacted_text),
        (RoutingDecisionRow, RoutingDecisionRow.summary),
    ):
        where = (table.created_at < at, column != "")
        count += s.scalar(select(func.count()).select_from(table).where(*where)) or 0
        if not dry_run:
            s.execute(update(table).where(*where).values({column.key: ""}))
    return count


def _customers(s: Session, at: datetime, dry_run: bool, key: bytes) -> int:
    recent = exists().where(TicketRow.requester_id == CustomerRow.id, TicketRow.created_at >= at)
    identifying = or_(
        CustomerRow.email.is_not(None),
        CustomerRow.phone.is_not(None),
        CustomerRow.name.is_not(None),
    )
    ids = s.scalars(select(CustomerRow.id).where(identifying, ~recent)).all()
    if dry_run:
        return len(ids)
    for cid, external in (
        s.execute(select(CustomerRow.id, CustomerRow.external_id).where(CustomerRow.id.in_(ids)))
        if ids
        else ()
    ):
        values: dict[str, Any] = {
            "name": None,
            "email": None,
            "phone": None,
            "organization": None,
            "attributes": {},
        }
        if "@" in external:  # an email used as the helpdesk id
            values["external_id"] = f"expired-{pseudonym(key, f'customer:{cid}')[4:20]}"
        s.execute(update(CustomerRow).where(CustomerRow.id == cid).values(**values))
    for start in range(0, len(ids), CHUNK):
        s.execute(
            delete(PiiIndexRow).where(
                PiiIndexRow.object_type == "customer",
                PiiIndexRow.object_id.in_(ids[start : start + CHUNK]),
            )
        )
    return len(ids)


def _orders(s: Session, at: datetime, dry_run: bool) -> int:
    where = OrderRow.created_at < at
    count = s.scalar(select(func.count()).select_from(OrderRow).where(where)) or 0
    if not dry_run and count:
        s.execute(delete(OrderRow).where(where))
    return count


def _rewrite_json(
    s: Session,
    table: Table,
    column: Any,
    at: datetime,
    dry_run: bool,
    fn: Callable[[Any], Any],
    extra: tuple[Any, ...] = (),
) -> int:
    """Rows older than `at` whose `column` changes under `fn` (counted, and rewritten)."""
    changed = 0
    pk = table.c.id
    cols = (pk, *(c for c in (column, *extra)))
    for row in s.execute(select(*cols).where(table.c.created_at < at)):
        values = {}
        for col in (column, *extra):
            old = row._mapping[col.key]
            new = fn(old)
            if new != old:
                values[col.key] = new
        if values:
            changed += 1
            if not dry_run:
                s.execute(update(table).where(pk == row[0]).values(**values))
    return changed


def _drafts(s: Session, at: datetime, dry_run: bool) -> int:
    drafts = typing.cast(Table, DraftRow.__table__)
    writebacks = typing.cast(Table, WritebackRow.__table__)
    n = _rewrite_json(s, drafts, drafts.c.text, at, dry_run, _redact, (drafts.c.final_text,))
    n += _rewrite_json(
        s, writebacks, writebacks.c.payload, at, dry_run, lambda p: _walk(p, _redact)
    )
    return n


def _drop_quotes(scores: Any) -> Any:
    if isinstance(scores, list):
        return [_drop_quotes(v) for v in scores]
    if isinstance(scores, dict):
        return {k: ("" if k == "quote" else _drop_quotes(v)) for k, v in scores.items()}
    return scores


def _qa_evidence(s: Session, at: datetime, dry_run: bool) -> int:
    table = typing.cast(Table, QAScoreRow.__table__)
    return _rewrite_json(s, table, table.c.scores, at, dry_run, _drop_quotes)


def _index_entries(s: Session, at: datetime, dry_run: bool, raw_at: datetime | None) -> int:
    """Entries of old tickets, but never of one whose raw text is still kept: what is stored
    must stay findable for a data-subject request."""
    until = at if raw_at is None else min(at, raw_at)
    where = PiiIndexRow.ticket_id.in_(_old_tickets(until))
    count = s.scalar(select(func.count()).select_from(PiiIndexRow).where(where)) or 0
    reps = {t for (r,) in s.execute(select(TopicRow.representative_ticket_ids)) for t in r or []}
    old = (
        set(s.scalars(_old_tickets(until).where(TicketRow.id.in_(sorted(reps))))) if reps else set()
    )
    topics = 0
    for topic_id, examples in s.execute(select(TopicRow.id, TopicRow.representative_ticket_ids)):
        kept = [t for t in examples or [] if t not in old]
        if kept != list(examples or []):
            topics += 1
            if not dry_run:
                s.execute(
                    update(TopicRow)
                    .where(TopicRow.id == topic_id)
                    .values(representative_ticket_ids=kept)
                )
    if not dry_run and count:
        s.execute(delete(PiiIndexRow).where(where))
    return count + topics
