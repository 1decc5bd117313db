"""Where Fivetran's Zendesk tables come from: a folder of CSV files or a PostgreSQL schema.

Both give the same thing, `(line, {column: text})` per row (or a `RowError`),
so one set of row readers serves a CSV export and a warehouse. A CSV file is
named after its table (`ticket.csv`, `ticket_field_history.csv.gz`, also
`TICKET.CSV`); a PostgreSQL table is streamed with `COPY (…) TO STDOUT` in CSV
form, which is both the fastest way out of PostgreSQL and parsed by the very
same code. Line numbers of a PostgreSQL table count its header as line 1, as
a CSV export of it would.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

from casework.ingest.base import InputFile, RowError
from casework.ingest.records import CSV_FIELD_LIMIT, csv_records

TABLES = (
    "organization",
    "group",
    "user",
    "ticket",
    "ticket_tag",
    "ticket_field_history",
    "ticket_comment",
    "schedule",
    "schedule_holiday",
    "ticket_schedule",
    "time_zone",
    "daylight_time",
)
"""Fivetran's Zendesk tables casework reads, in the order they are read
(people and groups before the tickets that name them)."""

REQUIRED_TABLES = ("ticket",)

Rows = Iterator[tuple[int, dict[str, str]] | RowError]


class TableSource(Protocol):
    """A set of Fivetran Zendesk tables."""

    @property
    def name(self) -> str: ...

    def tables(self) -> set[str]:
        """The tables present (lower-case Fivetran names)."""
        ...

    def size(self, table: str) -> int:
        """Bytes to read for `table` (0 when unknown), for progress."""
        ...

    def rows(self, table: str) -> Rows:
        """`(line, {column: value})` for each row of `table`, or an error."""
        ...

    def label(self, table: str) -> str:
        """What error messages call the table: a file name or `schema.table`."""
        ...

    def bytes_read(self) -> int:
        """Bytes consumed of the table being read."""
        ...


class CsvFolder:
    """Fivetran tables as CSV files in one folder (`ticket.csv`, `user.csv.gz`, …)."""

    def __init__(self, folder: Path) -> None:
        if not folder.is_dir():
            raise FileNotFoundError(f"{folder}: not a folder; fivetran-zendesk reads a folder")
        self.folder = folder
        self.name = str(folder)
        self._files: dict[str, Path] = {}
        for path in sorted(folder.iterdir()):
            lower = path.name.lower()
            for ending in (".csv", ".csv.gz"):
                if lower.endswith(ending) and lower[: -len(ending)] in TABLES:
                    self._files.setdefault(lower[: -len(ending)], path)
        self._open: InputFile | None = None

    def tables(self) -> set[str]:
        return set(self._files)

    def size(self, table: str) -> int:
        return self._files[table].stat().st_size

    def label(self, table: str) -> str:
        return self._files[table].name

    def rows(self, table: str) -> Rows:
        with InputFile(self._files[table], self._files[table].name) as file:
            self._open = file
            try:
                yield from csv_records(file)
            finally:
                self._open = None

    def bytes_read(self) -> int:
        return self._open.bytes_read() if self._open is not None else 0


class _CopyText(io.RawIOBase):
    """A `COPY … TO STDOUT` stream as a readable file, for `io.TextIOWrapper`."""

    def __init__(self, chunks: Iterator[Any]) -> None:
        self._chunks = chunks
        self._pending = b""
        self.consumed = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._pending = bytes(chunk)
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        self.consumed += size
        return size


class PostgresSchema:
    """Fivetran tables in a PostgreSQL schema, read with `COPY (SELECT …) TO STDOUT`."""

    def __init__(self, url: str, schema: str) -> None:
        import psycopg
        from sqlalchemy.engine import make_url

        parsed = make_url(url)
        if not parsed.drivername.startswith(("postgresql", "postgres")):
            raise ValueError(f"--database-url must be a PostgreSQL URL, got {parsed.drivername}")
        conninfo = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
        self.schema = schema
        self.name = f"{parsed.render_as_string(hide_password=True)} schema {schema}"
        self._conn = psycopg.connect(conninfo, autocommit=True)
        found = self._conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
            (schema,),
        ).fetchall()
        if not found:
            self._conn.close()
            raise ValueError(f"schema {schema!r} has no tables (or does not exist)")
        self._names = {str(name).lower(): str(name) for (name,) in found}
        self._stream: _CopyText | None = None

    def tables(self) -> set[str]:
        return {t for t in TABLES if t in self._names}

    def size(self, table: str) -> int:
        return 0

    def label(self, table: str) -> str:
        return f"{self.schema}.{self._names[table]}"

    def rows(self, table: str) -> Rows:
        from psycopg import sql

        query = sql.SQL("COPY (SELECT * FROM {}.{}) TO STDOUT WITH (FORMAT csv, HEADER true)")
        statement = query.format(sql.Identifier(self.schema), sql.Identifier(self._names[table]))
        with self._conn.cursor() as cursor, cursor.copy(statement) as copy:
            stream = self._stream = _CopyText(iter(copy))
            text = io.TextIOWrapper(io.BufferedReader(stream), encoding="utf-8", newline="")
            csv.field_size_limit(max(csv.field_size_limit(), CSV_FIELD_LIMIT))
            reader = csv.reader(text)
            header = next(reader, None)
            if header is None:
                return
            label = self.label(table)
            for values in reader:
                line = reader.line_num
                if len(values) != len(header):
                    yield RowError(label, line, "row", "column count differs from the header")
                    continue
                yield line, dict(zip(header, values, strict=True))
            self._stream = None

    def bytes_read(self) -> int:
        return self._stream.consumed if self._stream is not None else 0

    def close(self) -> None:
        self._conn.close()
