"""Data-subject access: find every place a person's data lives, and export it as JSON.

`find` answers "where is it?" with ids and counts only; `export` adds the content of each
row so the person gets a machine-readable copy (GDPR Art. 15/20). Both go through
`subject.resolve` (keyed-hash lookups) and `places.database_places` (indexed id
lookups), so they cost the same on a thousand tickets as on a million.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from casework.audit import load_key
from casework.privacy.files import find_in_files, needle_patterns
from casework.privacy.places import Place, article_hits, database_places, ticket_tables
from casework.privacy.subject import Subject, SubjectQuery, resolve
from casework.store.tables import CustomerRow, MessageRow, OrderRow, TicketRow
from casework.workspace import Workspace

EXPORT_FOLDER = Path("exports") / "privacy"


@dataclass
class Findings:
    """Where a person's data lives: every place checked, with counts and ids (no values)."""

    places: list[Place]
    customer_ids: list[int]
    ticket_ids: list[int]
    seconds: float
    subject: Subject = field(repr=False)

    @property
    def total(self) -> int:
        return sum(p.count for p in self.places if p.name not in ("audit_events", "pii_index"))

    def as_dict(self) -> dict[str, Any]:
        return {
            "found": self.subject.found,
            "customer_ids": self.customer_ids,
            "ticket_ids": self.ticket_ids,
            "places": [p.as_dict() for p in self.places],
            "seconds": round(self.seconds, 4),
        }


def find(ws: Workspace, query: SubjectQuery, *, files: bool = True) -> Findings:
    """Every place checked for the person, in one transaction (a consistent snapshot)."""
    started = time.perf_counter()
    key = load_key(ws)
    with ws.session() as s:
        subject = resolve(s, key, query)
        places = database_places(s, subject.customer_ids, subject.ticket_ids, subject.message_ids)
        articles = article_hits(s, set(subject.hashes))
    places += index_places(ws, articles)
    if files:
        patterns = needle_patterns(subject.emails, subject.phones, subject.names)
        hits = find_in_files(ws.path, patterns, exclude=_database_files(ws))
        places.append(
            Place(
                "workspace files",
                "files",
                len(hits),
                [str(h.path.relative_to(ws.path)) for h in hits],
                "exports, reports, index documents, logs (text files)",
            )
        )
    return Findings(
        places,
        sorted(subject.customer_ids),
        sorted(subject.ticket_ids),
        time.perf_counter() - started,
        subject,
    )


def index_places(ws: Workspace, article_ids: list[int]) -> list[Place]:
    """The knowledge indexes hold articles only; say so, and which articles quote the person."""
    folders = sorted(p.name for p in (ws.path / "index").glob("*") if p.is_dir())
    note = f"backends on disk: {', '.join(folders) or 'none'}; articles only, no ticket text"
    return [
        Place("lexical index (bm25)", "index", len(article_ids), article_ids, note),
        Place(
            "semantic index (vectors)",
            "embeddings",
            len(article_ids),
            article_ids,
            note + "; no ticket or customer embedding is stored",
        ),
        Place(
            "LLM request logs",
            "log",
            0,
            [],
            "casework keeps no LLM request log; providers log failure classes only",
        ),
    ]


def _database_files(ws: Workspace) -> list[Path]:
    if not ws.is_sqlite:
        return []
    db = Path(ws.database_url.removeprefix("sqlite:///"))
    return [
        db,
        db.with_name(db.name + "-wal"),
        db.with_name(db.name + "-shm"),
        db.with_name(db.name + "-journal"),
    ]


def _rows(session: Any, table: Any, column: Any, ids: list[int]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for start in range(0, len(ids), 500):
        rows = session.execute(select(table).where(column.in_(ids[start : start + 500])))
        out += [dict(r._mapping) for r in rows]
    return out


def export(
    ws: Workspace, query: SubjectQuery, out: Path | None = None, request_id: str | None = None
) -> tuple[Path, Findings]:
    """Write the person's data as one JSON archive (mode 0600) and return its path.

    Default location `exports/privacy/<request id>.json` in the workspace; an erasure
    of the same person deletes it along with everything else."""
    findings = find(ws, query, files=True)
    request_id = request_id or datetime.now(UTC).strftime("dsr-%Y%m%dT%H%M%S")
    archive: dict[str, Any] = {
        "request_id": request_id,
        "generated_at": datetime.now(UTC).isoformat(),
        "places_checked": [p.as_dict() for p in findings.places],
        "data": {},
    }
    subject = findings.subject
    tickets = sorted(subject.ticket_ids)
    with ws.session() as s:
        data = archive["data"]
        data["customers"] = _rows(
            s, CustomerRow.__table__, CustomerRow.id, sorted(subject.customer_ids)
        )
        data["tickets"] = _rows(s, TicketRow.__table__, TicketRow.id, tickets)
        data["messages"] = _rows(s, MessageRow.__table__, MessageRow.ticket_id, tickets)
        extra = sorted(subject.message_ids - {m["id"] for m in data["messages"]})
        data["messages"] += _rows(s, MessageRow.__table__, MessageRow.id, extra)
        data["orders"] = _rows(
            s, OrderRow.__table__, OrderRow.customer_id, sorted(subject.customer_ids)
        )
        for table in ticket_tables(s):
            if table.name != "tickets":
                data[table.name] = _rows(s, table, table.c.ticket_id, tickets)
    path = out or ws.path / EXPORT_FOLDER / f"{request_id}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    body = json.dumps(archive, indent=2, default=str, ensure_ascii=False)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(body)
    return path, findings
