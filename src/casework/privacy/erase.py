"""Erasure (GDPR Art. 17): remove or irreversibly pseudonymise one person's data everywhere.

What stays: rows that metrics count (tickets, messages, timestamps, statuses), so
reports before and after agree; their free text loses the person's data. Customer
records keep their id (tickets still point at them) and lose name, email, phone and
attributes. The audit log is never edited: it holds ids and keyed hashes only, so its
chain verifies afterwards, and gains one `privacy.erase` event (who, when, request id).
"""

from __future__ import annotations

import re
import time
import typing
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, String, Table, Text, cast, delete, func, inspect, or_, select, update
from sqlalchemy.orm import Session

from casework.audit import AuditEvent, append, load_key, pseudonym
from casework.privacy.files import (
    find_in_files,
    name_part_patterns,
    needle_patterns,
    scrub,
    scrub_file,
)
from casework.privacy.places import NEVER_PERSONAL, ticket_tables
from casework.privacy.requests import EXPORT_FOLDER, _database_files
from casework.privacy.subject import Subject, SubjectError, SubjectQuery, resolve
from casework.store.tables import (
    Base,
    CustomerRow,
    MessageRow,
    PiiIndexRow,
    PrivacyErasureRow,
    TicketRow,
)
from casework.text.pii import Redactor
from casework.workspace import Workspace

CHUNK = 500
Patterns = list[tuple[re.Pattern[str], str]]

FREE_TEXT = {
    "tickets": ("subject",),
    "triage_results": ("redacted_text",),
    "routing_decisions": ("summary",),
    "drafts": ("text", "final_text"),
    "writebacks": ("payload", "last_error"),
    "qa_scores": ("scores",),
}
"""Columns holding conversation text: run through the detector as well as the person's values."""
STRUCTURAL = {
    "source",
    "external_id",
    "content_hash",
    "status",
    "state",
    "kind",
    "method",
    "model_version",
    "rubric_version",
    "hash",
    "prev_hash",
    "dedup_key",
}


@dataclass
class ErasureReport:
    request_id: str
    requested_by: str
    occurred_at: str
    subject_hash: str
    changed: dict[str, int] = field(default_factory=dict)
    files_deleted: list[str] = field(default_factory=list)
    files_scrubbed: list[str] = field(default_factory=list)
    index_rebuilt: list[str] = field(default_factory=list)
    audit_seq: int | None = None
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def erase(
    ws: Workspace, query: SubjectQuery, *, requested_by: str, request_id: str | None = None
) -> ErasureReport:
    """Erase the person named by `query`. Raises `SubjectError` if nobody matches."""
    started = time.perf_counter()
    key = load_key(ws)
    request_id = request_id or f"erase-{uuid.uuid4().hex[:16]}"
    now = datetime.now(UTC)
    with ws.session() as s:
        subject = resolve(s, key, query)
        if not subject.found:
            raise SubjectError("nobody in this workspace matches the request; nothing erased")
        subject_hash = pseudonym(key, "subject:" + ",".join(sorted(subject.hashes)))[:40]
        report = ErasureReport(request_id, requested_by, now.isoformat(), subject_hash)
        patterns = needle_patterns(subject.emails, subject.phones, subject.names)
        own = patterns + name_part_patterns(subject.names)
        _erase_database(s, key, subject, patterns, own, report)
        s.add(
            PrivacyErasureRow(
                request_id=request_id,
                subject_hash=subject_hash,
                requested_by=requested_by[:128],
                occurred_at=now,
                places=dict(report.changed),
            )
        )
        event = append(
            s,
            key,
            AuditEvent(
                actor=f"privacy:{requested_by}"[:128],
                action="privacy.erase",
                object_type="erasure",
                object_id=request_id[:64],
                occurred_at=now,
                details={"subject": subject_hash, "changed": dict(report.changed)},
            ),
        )
        report.audit_seq = event.seq if event is not None else None
    _erase_files(ws, patterns, report)
    if report.changed.get("articles") or report.changed.get("article_versions"):
        report.index_rebuilt = _rebuild_knowledge_indexes(ws)
    report.seconds = time.perf_counter() - started
    return report


def _erase_database(
    s: Session,
    key: bytes,
    subject: Subject,
    patterns: Patterns,
    own: Patterns,
    report: ErasureReport,
) -> None:
    redact = _redacting(own)
    tickets = sorted(subject.ticket_ids)
    changed = report.changed
    for cid in sorted(subject.customer_ids):
        s.execute(
            update(CustomerRow)
            .where(CustomerRow.id == cid)
            .values(
                external_id=f"erased-{pseudonym(key, f'customer:{cid}')[4:20]}",
                name=None,
                email=None,
                phone=None,
                organization=None,
                attributes={},
            )
        )
    changed["customers"] = len(subject.customer_ids)
    message_ids = set(subject.message_ids)
    for start in range(0, len(tickets), CHUNK):
        chunk = tickets[start : start + CHUNK]
        message_ids |= set(s.scalars(select(MessageRow.id).where(MessageRow.ticket_id.in_(chunk))))
    n = 0
    ordered = sorted(message_ids)
    for start in range(0, len(ordered), CHUNK):
        rows = s.execute(
            select(
                MessageRow.id,
                MessageRow.body,
                MessageRow.author_name,
                MessageRow.author_external_id,
                MessageRow.author_role,
            ).where(MessageRow.id.in_(ordered[start : start + CHUNK]))
        )
        for mid, body, name, author_ext, role in rows:
            values = {
                "body": redact(body),
                "author_name": None if role == "customer" else _opt(name, own),
                "author_external_id": None if role == "customer" else _opt(author_ext, own),
            }
            s.execute(update(MessageRow).where(MessageRow.id == mid).values(**values))
            n += 1
    changed["messages"] = n
    changed["tickets"] = _scrub_rows(
        s, typing.cast(Table, TicketRow.__table__), TicketRow.id, tickets, own, FREE_TEXT["tickets"]
    )
    for table in ticket_tables(s):
        changed[table.name] = _scrub_rows(
            s, table, table.c.ticket_id, tickets, own, FREE_TEXT.get(table.name, ())
        )
    literals = sorted(subject.emails | subject.phones | subject.names)
    for table in _other_tables(s):
        changed[table.name] = _scrub_matching(s, table, literals, patterns)
    dropped = 0
    for start in range(0, len(tickets), CHUNK):
        chunk = tickets[start : start + CHUNK]
        dropped += _rowcount(s.execute(delete(PiiIndexRow).where(PiiIndexRow.ticket_id.in_(chunk))))
    if subject.customer_ids:
        dropped += _rowcount(
            s.execute(
                delete(PiiIndexRow).where(
                    PiiIndexRow.object_type == "customer",
                    PiiIndexRow.object_id.in_(sorted(subject.customer_ids)),
                )
            )
        )
    changed["pii_index"] = dropped
    report.changed = {k: v for k, v in changed.items() if v}


def _redacting(own: Patterns) -> Callable[[str], str]:
    def redact(text: str) -> str:
        return scrub(Redactor().redact(text)[0], own) if text else text

    return redact


def _opt(value: str | None, patterns: Patterns) -> str | None:
    return None if value is None else scrub(value, patterns)


def _walk(value: Any, fn: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return fn(value)
    if isinstance(value, list):
        return [_walk(v, fn) for v in value]
    if isinstance(value, dict):
        return {k: _walk(v, fn) for k, v in value.items()}
    return value


def _text_columns(table: Table) -> list[Any]:
    return [
        c
        for c in table.c
        if isinstance(c.type, String | Text | JSON)
        and c.name not in STRUCTURAL
        and not c.primary_key
    ]


def _scrub_rows(
    s: Session, table: Table, column: Any, ids: list[int], own: Patterns, free_text: tuple[str, ...]
) -> int:
    """Rewrite the text columns of these rows: conversation text through the detector and the
    person's values, any other text through the person's values only. Returns rows changed."""
    cols = _text_columns(table)
    if not cols or not ids:
        return 0
    pk = list(table.primary_key.columns)
    redact = _redacting(own)
    changed = 0
    for start in range(0, len(ids), CHUNK):
        for row in s.execute(select(*pk, *cols).where(column.in_(ids[start : start + CHUNK]))):
            values = {}
            for col in cols:
                old = row._mapping[col.name]
                fn = redact if col.name in free_text else (lambda t: scrub(t, own))
                new = _walk(old, fn)
                if new != old:
                    values[col.name] = new
            if values:
                s.execute(
                    update(table).where(*(c == row._mapping[c.name] for c in pk)).values(**values)
                )
                changed += 1
    return changed


def _other_tables(s: Session) -> list[Table]:
    """Tables without a ticket id that may still quote a person (articles, topics, import
    errors, orders, feedback…): searched for the person's values, which is cheap there."""
    existing = set(inspect(s.get_bind()).get_table_names())
    skip = set(NEVER_PERSONAL) | {"customers", "messages", "tickets"}
    return [
        t
        for t in Base.metadata.sorted_tables
        if t.name in existing and t.name not in skip and "ticket_id" not in t.c
    ]


def _rowcount(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


def _scrub_matching(s: Session, table: Table, literals: list[str], patterns: Patterns) -> int:
    """Rows whose text contains one of the person's values (a LIKE prefilter), scrubbed."""
    cols = _text_columns(table)
    if not cols or not literals:
        return 0
    conds = [func.lower(cast(c, Text)).like(f"%{lit.lower()}%") for c in cols for lit in literals]
    ids = [r[0] for r in s.execute(select(*table.primary_key.columns).where(or_(*conds)))]
    if not ids or len(table.primary_key.columns) != 1:
        return 0
    return _scrub_rows(s, table, next(iter(table.primary_key.columns)), ids, patterns, ())


def _erase_files(ws: Workspace, patterns: Patterns, report: ErasureReport) -> None:
    exports = (ws.path / EXPORT_FOLDER).resolve()
    for hit in find_in_files(ws.path, patterns, exclude=_database_files(ws)):
        relative = str(hit.path.relative_to(ws.path))
        if hit.path.resolve().is_relative_to(exports):
            hit.path.unlink()  # an access export of this person: it goes whole
            report.files_deleted.append(relative)
        else:
            scrub_file(hit.path, patterns)
            report.files_scrubbed.append(relative)


def _rebuild_knowledge_indexes(ws: Workspace) -> list[str]:
    """An article quoted the person: re-index every backend on disk from the scrubbed rows."""
    from casework.knowledge.index_store import approved_documents, index_store

    rebuilt = []
    documents = approved_documents(ws)
    for folder in sorted((ws.path / "index").glob("*")):
        if folder.is_dir():
            index_store(ws, folder.name).update(documents)
            rebuilt.append(folder.name)
    return rebuilt
