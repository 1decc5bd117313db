"""The history table straight into PostgreSQL: `COPY … (FORMAT csv)` of the file itself.

`ticket_field_history` is by far the largest Fivetran table (ten rows per
ticket and more), and even a tight Python loop spends most of an import there.
On PostgreSQL the CSV file is therefore streamed to the server unparsed, into a
table whose `ticket_id` and `user_id` are integers (Zendesk's ids) and whose
`updated` is a `timestamptz`, so the server's own C parsers check the ids and
the times while copying; a serial column numbers the records. The load then
reads the history through a view (`stg_history_bulk`) that keeps the rows
whose value is a known status or priority or a numeric assignee or group id
(group ids become group names) — nothing is copied twice. The rows of those
four fields that the view leaves out are fetched back and given to the Python
reader (`fivetran_rows.history`), which stages them into `stg_history` or
reports them with their line, exactly as without this path.

Line numbers are record numbers plus one for the header, which is the line
when no record spans lines; that is checked (newlines in the file = records
+ header). When it does not hold, or when PostgreSQL refuses the file as a
whole (an id that is not a number, a time it cannot read, bytes that are not
UTF-8, a row with a missing column), the path rolls back to where it began and
the caller reads the table row by row in Python, which names each bad row.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

from casework.ingest import fivetran_rows as rows
from casework.ingest.base import RowError

CHUNK = 1 << 20
KEPT = ("status", "priority", "assignee_id", "group_id")
TYPED = {"ticket_id": "bigint", "user_id": "bigint", "updated": "timestamptz"}
VALID = """r.ticket_id IS NOT NULL AND r.updated IS NOT NULL
    AND ((r.field_name = 'status' AND r.value IN
            ('new', 'open', 'pending', 'hold', 'solved', 'closed', 'deleted'))
      OR (r.field_name = 'priority' AND r.value IN ('low', 'normal', 'high', 'urgent'))
      OR (r.field_name IN ('assignee_id', 'group_id') AND r.value ~ '^[0-9]+$'))"""


def _chunks(path: Path) -> Iterator[bytes]:
    opener: Any = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as f:
        while chunk := f.read(CHUNK):
            yield chunk


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _copy_file(conn: Connection, path: Path, header: list[str]) -> tuple[int, bool]:
    """COPY the CSV into `raw_history`; (newlines in the file, whether it ends without one)."""
    raw_conn = conn.connection.driver_connection
    assert raw_conn is not None
    names = ", ".join(_quote(c) for c in header)
    newlines, first, last = 0, True, b""
    statement = f"COPY raw_history ({names}) FROM STDIN WITH (FORMAT csv, HEADER true)"
    with raw_conn.cursor() as cursor, cursor.copy(statement) as copy:
        for chunk in _chunks(path):
            if first and chunk.startswith(b"\xef\xbb\xbf"):
                chunk = chunk[3:]
            first = False
            newlines += chunk.count(b"\n")
            copy.write(chunk)
            last = chunk
    return newlines, bool(last) and not last.endswith(b"\n")


def stage_history(
    conn: Connection,
    path: Path,
    header: list[str],
    groups: dict[str, str],
    fail: Callable[[list[RowError]], None],
) -> list[tuple[Any, ...]] | None:
    """Make `path` (a `ticket_field_history` CSV) readable as `stg_history_bulk`.

    Returns the rows the Python reader accepted among those the view leaves
    out (for the caller to stage into `stg_history`), or None to fall back to
    reading the whole table in Python. `header` is the file's header,
    lower-cased, as `csv_lists` read it.
    """
    if len(set(header)) != len(header) or "user_id" not in header:
        return None
    label = path.name
    columns = ", ".join(f"{_quote(c)} {TYPED.get(c, 'text')}" for c in header)
    savepoint = conn.begin_nested()
    try:
        conn.execute(text(f"CREATE TEMPORARY TABLE raw_history ({columns}, n bigserial)"))
        newlines, ends_open = _copy_file(conn, path, header)
        records = conn.execute(text("SELECT COUNT(*) FROM raw_history")).scalar_one()
        if newlines + (1 if ends_open else 0) != records + 1:
            savepoint.rollback()
            return None  # a record spans lines: line numbers would be wrong
        conn.execute(text("CREATE TEMPORARY TABLE stg_group (id text, name text)"))
        if groups:
            conn.execute(
                text("INSERT INTO stg_group VALUES (:id, :name)"),
                [{"id": k, "name": v} for k, v in groups.items()],
            )
        conn.execute(
            text(
                f"""CREATE TEMPORARY VIEW stg_history_bulk AS
                SELECT CAST(r.n + 1 AS integer) AS line, CAST(r.ticket_id AS text) AS ticket_id,
                    CASE r.field_name WHEN 'assignee_id' THEN 'assignee'
                        WHEN 'group_id' THEN 'group' ELSE r.field_name END AS field,
                    CASE WHEN r.field_name = 'group_id'
                        THEN COALESCE(g.name, 'zendesk-group-' || r.value)
                        ELSE r.value END AS value,
                    r.updated AS changed_at, CAST(r.user_id AS text) AS actor
                FROM raw_history r
                LEFT JOIN stg_group g ON r.field_name = 'group_id' AND g.id = r.value
                WHERE {VALID}"""
            )
        )
        columns_out = ", ".join(
            f"CAST(r.{_quote(c)} AS text)" if c in TYPED else f"r.{_quote(c)}" for c in header
        )
        odd = conn.execute(
            text(
                f"""SELECT r.n + 1, {columns_out} FROM raw_history r
                WHERE r.field_name IN {KEPT} AND NOT COALESCE({VALID}, false)
                ORDER BY r.n"""
            )
        ).all()
        conn.execute(text("ANALYZE raw_history"))
    except DBAPIError:
        savepoint.rollback()
        return None
    savepoint.commit()
    staged: list[tuple[Any, ...]] = []
    for line, *values in odd:
        cells = {c: ("" if v is None else str(v)) for c, v in zip(header, values, strict=True)}
        result = rows.history(label, line, cells, groups)
        if isinstance(result, rows.Problems):
            fail(result.errors)
        elif result is not None:
            staged.append(result)
    return staged
