"""What the privacy tests share: a search of every table, text column and file for values."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import inspect, text

from casework import Workspace


def search_everywhere(ws: Workspace, needles: list[str]) -> list[str]:
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
    for path in sorted(Path(ws.path).rglob("*")):
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
