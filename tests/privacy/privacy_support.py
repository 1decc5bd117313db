"""What the privacy tests share: a small processed helpdesk on either backend, its busiest
customer, and a search of every table, text column and file for given values.

The helpdesk: demo tickets triaged, routed, drafted, QA-scored, clustered into topics and
indexed, so a search for a person has every kind of place to look in."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, inspect, select, text

from casework import Workspace
from casework.demo import generate_demo
from casework.insights.topics import refresh_topics
from casework.pipeline import process_all
from casework.privacy.index import reindex
from casework.qa.scoring import score_pending
from casework.store.tables import CustomerRow, TicketRow
from casework.triage.engine import Triager
from casework.triage.model_store import load_bundled


@dataclass(frozen=True)
class Person:
    id: int
    email: str
    phone: str
    name: str
    tickets: int


def build_helpdesk(ws: Workspace, tickets: int = 120) -> None:
    generate_demo(ws, seed=11, tickets=tickets)
    process_all(ws, triager=Triager(load_bundled("intent")))
    refresh_topics(ws)
    score_pending(ws)
    reindex(ws)


def busiest_customer(ws: Workspace) -> Person:
    """The customer with the most tickets who has an email, a phone and a name."""
    with ws.session() as s:
        row = s.execute(
            select(CustomerRow.id, CustomerRow.email, CustomerRow.phone, CustomerRow.name,
                   func.count(TicketRow.id).label("n"))
            .join(TicketRow, TicketRow.requester_id == CustomerRow.id)
            .where(CustomerRow.email.is_not(None), CustomerRow.phone.is_not(None),
                   CustomerRow.name.is_not(None))
            .group_by(CustomerRow.id, CustomerRow.email, CustomerRow.phone, CustomerRow.name)
            .order_by(text("n DESC"), CustomerRow.id)
            .limit(1)
        ).one()  # fmt: skip
    return Person(row.id, row.email, row.phone, row.name, row.n)


def search_everywhere(ws: Workspace, needles: list[str], files: bool = True) -> list[str]:
    """Every (table.column#row or file) holding one of `needles`, case-insensitive.

    Reads every table the database has (not only the ones casework knows), every column
    as text, and every file in the workspace except the SQLite file itself, and binary
    files too: nothing is assumed clean."""
    wanted = [n.lower() for n in needles if n]
    hits: list[str] = []
    with ws.engine.connect() as conn:
        for table in inspect(conn).get_table_names():
            if table == "alembic_version":
                continue
            for row in conn.execute(text(f'SELECT * FROM "{table}"')):
                for column, value in row._mapping.items():
                    if value is None:
                        continue
                    as_text = value if isinstance(value, str) else json.dumps(value, default=str)
                    low = as_text.lower()
                    hits += [f"{table}.{column}: {n}" for n in wanted if n in low]
    db_files = {"casework.db", "casework.db-wal", "casework.db-shm", "casework.db-journal"}
    for path in sorted(Path(ws.path).rglob("*")) if files else ():
        if path.is_file() and path.name not in db_files:
            data = path.read_bytes().lower()
            hits += [f"file {path.name}: {n}" for n in wanted if n.encode() in data]
    return hits


def dump_all(ws: Workspace) -> dict[str, Any]:
    """Every row of every table, for before/after comparisons."""
    out: dict[str, Any] = {}
    with ws.engine.connect() as conn:
        for table in sorted(inspect(conn).get_table_names()):
            rows = conn.execute(text(f'SELECT * FROM "{table}"')).all()
            out[table] = sorted(json.dumps(list(r), default=str) for r in rows)
    return out
