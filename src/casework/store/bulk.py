"""Append many rows to one table, with `COPY` on PostgreSQL.

Why: an `INSERT` of a few thousand rows through SQLAlchemy's "insertmanyvalues" builds
one statement of thousands of placeholders per page, which psycopg re-parses every
time (the text is too long for its statement cache). On a 1M-ticket import that
parsing, not the database, was a quarter of the time. `COPY … FROM STDIN` sends the
rows as data. Only for plain appends: nothing is returned, so callers that need the
new ids read them back by a unique key (as `repository` does by source and external id).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session


def append_rows(session: Session, table: Any, rows: Sequence[dict[str, Any]]) -> None:
    """Insert `rows` (dicts of column name → value, all with the same keys) into the
    ORM class or Core table `table`, in the session's transaction."""
    if not rows:
        return
    session.flush()  # pending ORM objects first, as an ORM insert would autoflush them
    conn = session.connection()
    if conn.dialect.name != "postgresql":
        session.execute(insert(table), list(rows))
        return
    core: Table = getattr(table, "__table__", table)
    names = list(rows[0])
    for number, row in enumerate(rows):
        if row.keys() != rows[0].keys():
            raise ValueError(
                f"{core.name}: row {number} has columns {sorted(row)}, row 0 has {sorted(names)}"
            )
    defaults = [c for c in core.columns if c.name not in names and c.default is not None]
    columns = names + [c.name for c in defaults]
    processors = [_processor(core, name, conn.dialect) for name in columns]
    raw = conn.connection.driver_connection
    assert raw is not None
    statement = f"COPY {core.name} ({', '.join(columns)}) FROM STDIN"
    dbapi_error = conn.dialect.loaded_dbapi.Error
    try:
        with raw.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                values = [row[name] for name in names] + [_default(c) for c in defaults]
                copy.write_row(
                    [
                        v if f is None else f(v)  # None too: JSON null, as INSERT stores it
                        for v, f in zip(values, processors, strict=True)
                    ]
                )
    except dbapi_error as exc:  # as SQLAlchemy's own errors: callers catch IntegrityError
        raise DBAPIError.instance(statement, None, exc, dbapi_error) from exc


def _default(column: Any) -> Any:
    """What an INSERT would put in a column the rows leave out (`default=` on the model),
    worked out per row as an INSERT does."""
    default = column.default
    if default.is_scalar:
        return default.arg
    if default.is_callable:
        return default.arg(None)  # SQLAlchemy wraps zero-argument callables to take a context
    raise ValueError(f"{column.table.name}.{column.name}: a SQL default cannot be copied")


def _processor(core: Table, name: str, dialect: Any) -> Callable[[Any], Any] | None:
    """The column type's own bind conversion (UTC times, JSON), as an INSERT would apply."""
    column = core.columns[name]
    return column.type.dialect_impl(dialect).bind_processor(dialect)
