"""The history table straight into PostgreSQL: `COPY … (FORMAT csv)` of the file itself.

`ticket_field_history` is by far the largest Fivetran table (ten rows per
ticket and more), and even a tight Python loop spends most of an import there.
On PostgreSQL the CSV file is therefore streamed to the server unparsed (`COPY
… FROM STDIN WITH (FORMAT csv, HEADER true)` into a text-only table whose
serial column numbers the records) and checked there: a row whose ids are
digits, whose `updated` looks like an ISO date and time and whose value is a
known status or priority (or a numeric id) is staged by one `INSERT … SELECT`.
Every other row of the four kept fields is fetched back and given to the
Python reader (`fivetran_rows.history`), which stages it or reports it with
its line, exactly as without this path.

Line numbers are record numbers plus one for the header, which is the line
when no record spans lines; that is checked (newlines in the file = records
+ header), and otherwise, or when PostgreSQL refuses the file as a whole (bytes
that are not UTF-8, a row with a missing column, a date such as 2024-02-30),
the path gives up, rolls back to where it began and the caller reads the
table in Python.
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
ISO = r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}(:?\d{2})?)?$"
KEPT = ("status", "priority", "assignee_id", "group_id")


def _chunks(path: Path) -> Iterator[bytes]:
    opener: Any = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as f:
        while chunk := f.read(CHUNK):
            yield chunk


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def stage_history(
    conn: Connection,
    path: Path,
    header: list[str],
    groups: dict[str, str],
    fail: Callable[[list[RowError]], None],
) -> list[tuple[Any, ...]] | None:
    """Stage `path` (a `ticket_field_history` CSV) into `stg_history`; None to fall back.

    `header` is the file's header, lower-cased, as `csv_lists` read it. Rows
    the database does not take as they are go through `fivetran_rows.history`:
    those it accepts are returned for the caller to stage, the others go to
    `fail` with their errors.
    """
    raw_conn = conn.connection.driver_connection
    if raw_conn is None or len(set(header)) != len(header):
        return None
    label = path.name
    columns = ", ".join(f"{_quote(c)} text" for c in header)
    savepoint = conn.begin_nested()
    try:
        conn.execute(text(f"CREATE TEMPORARY TABLE raw_history ({columns}, n bigserial)"))
        names = ", ".join(_quote(c) for c in header)
        newlines = 0
        first = True
        last = b""
        with (
            raw_conn.cursor() as cursor,
            cursor.copy(
                f"COPY raw_history ({names}) FROM STDIN WITH (FORMAT csv, HEADER true)"
            ) as copy,
        ):
            for chunk in _chunks(path):
                if first and chunk.startswith(b"\xef\xbb\xbf"):
                    chunk = chunk[3:]
                first = False
                newlines += chunk.count(b"\n")
                copy.write(chunk)
                last = chunk
        records = conn.execute(text("SELECT COUNT(*) FROM raw_history")).scalar_one()
        ends_open = not last.endswith(b"\n") if records else False
        if newlines + (1 if ends_open else 0) != records + 1:
            savepoint.rollback()
            return None  # a record spans lines: line numbers would be wrong
        conn.execute(text("CREATE TEMPORARY TABLE stg_group (id text, name text)"))
        if groups:
            conn.execute(
                text("INSERT INTO stg_group VALUES (:id, :name)"),
                [{"id": k, "name": v} for k, v in groups.items()],
            )
        has_user = "user_id" in header
        user = "r.user_id" if has_user else "''"
        valid = f"""r.ticket_id ~ '^[0-9]+$' AND r.updated ~ '{ISO}'
            AND ({user} = '' OR {user} IS NULL OR {user} ~ '^[0-9]+$')
            AND ((r.field_name = 'status' AND r.value IN
                    ('new', 'open', 'pending', 'hold', 'solved', 'closed', 'deleted'))
              OR (r.field_name = 'priority' AND r.value IN ('low', 'normal', 'high', 'urgent'))
              OR (r.field_name IN ('assignee_id', 'group_id') AND r.value ~ '^[0-9]+$'))"""
        inserted = conn.execute(
            text(
                f"""INSERT INTO stg_history (line, ticket_id, field, value, changed_at, actor)
                SELECT r.n + 1, r.ticket_id,
                    CASE r.field_name WHEN 'assignee_id' THEN 'assignee'
                        WHEN 'group_id' THEN 'group' ELSE r.field_name END,
                    CASE WHEN r.field_name = 'group_id'
                        THEN COALESCE(g.name, 'zendesk-group-' || r.value) ELSE r.value END,
                    CAST(r.updated AS timestamptz), NULLIF({user}, '')
                FROM raw_history r LEFT JOIN stg_group g ON g.id = r.value
                WHERE {valid}"""
            )
        )
        kept = conn.execute(
            text(f"SELECT COUNT(*) FROM raw_history WHERE field_name IN {KEPT}")
        ).scalar_one()
        odd: list[Any] = []
        if inserted.rowcount != kept:  # only then scan again for the rows left out
            odd = list(
                conn.execute(
                    text(
                        f"""SELECT r.n + 1, {", ".join(f"r.{_quote(c)}" for c in header)}
                        FROM raw_history r
                        WHERE r.field_name IN {KEPT} AND NOT COALESCE({valid}, false)
                        ORDER BY r.n"""
                    )
                )
            )
        conn.execute(text("DROP TABLE raw_history"))
        conn.execute(text("DROP TABLE stg_group"))
    except DBAPIError:
        savepoint.rollback()
        return None
    savepoint.commit()
    staged: list[tuple[Any, ...]] = []
    for line, *values in odd:
        result = rows.history(label, line, dict(zip(header, values, strict=True)), groups)
        if isinstance(result, rows.Problems):
            fail(result.errors)
        elif result is not None:
            staged.append(result)
    return staged
