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
import gzip
import io
import itertools
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from casework.ingest.base import RowError
from casework.ingest.records import CSV_FIELD_LIMIT

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

Rows = Generator[tuple[int, list[str]] | RowError, None, None]
"""The header first, as `(1, [column, …])`, then `(line, [value, …])` per record or an error."""

NOT_UTF8 = "not UTF-8 text; re-export or re-save the file as UTF-8"


def csv_lists(text: Iterator[str] | io.TextIOBase, label: str) -> Rows:
    """Records of CSV text as lists, with the line each starts on.

    Lists rather than dicts and the `csv` module reading decoded text in bulk:
    the history table of a big account has tens of millions of rows, and this
    loop is most of the time spent on each. Bytes that are not UTF-8 are
    decoded as U+FFFD and refused by the row readers' text checks.
    """
    csv.field_size_limit(max(csv.field_size_limit(), CSV_FIELD_LIMIT))
    lines = iter(text)
    first = next(lines, "")
    if not first.strip():
        yield RowError(label, 1, "header", "the file is empty or its first line is blank")
        return
    delimiter = max(",;\t|", key=first.count)
    reader = csv.reader(itertools.chain([first], lines), delimiter=delimiter)
    header = [name.strip().lower() for name in next(reader)]
    yield 1, header
    width = len(header)
    previous = reader.line_num
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield RowError(label, previous + 1, "csv", str(exc))
            previous = reader.line_num
            continue
        start, previous = previous + 1, reader.line_num
        if len(values) != width:
            if not any(v.strip() for v in values):
                continue
            yield RowError(
                label,
                start,
                "row",
                f"{len(values)} values but the header has {width} columns "
                "(a truncated row or an unquoted separator?)",
            )
            continue
        yield start, values


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
        """The header of `table` (lower-cased), then each record or an error (see `csv_lists`)."""
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
        self._open: BinaryIO | None = None

    def tables(self) -> set[str]:
        return set(self._files)

    def size(self, table: str) -> int:
        return self._files[table].stat().st_size

    def label(self, table: str) -> str:
        return self._files[table].name

    def rows(self, table: str) -> Rows:
        path = self._files[table]
        with path.open("rb") as raw:
            self._open = raw
            binary: Any = gzip.GzipFile(fileobj=raw) if path.suffix == ".gz" else raw
            text = io.TextIOWrapper(binary, encoding="utf-8-sig", errors="replace", newline="")
            try:
                yield from csv_lists(text, path.name)
            finally:
                self._open = None
                text.detach()

    def bytes_read(self) -> int:
        return self._open.tell() if self._open is not None and not self._open.closed else 0

    def path(self, table: str) -> Path:
        return self._files[table]

    def header(self, table: str) -> list[str] | None:
        """The table's header, lower-cased (None when the file has none)."""
        records = self.rows(table)
        try:
            first = next(records, None)
        finally:
            records.close()
        return first[1] if isinstance(first, tuple) else None


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
            text = io.TextIOWrapper(
                io.BufferedReader(stream), encoding="utf-8", errors="replace", newline=""
            )
            yield from csv_lists(text, self.label(table))
            self._stream = None

    def bytes_read(self) -> int:
        return self._stream.consumed if self._stream is not None else 0

    def close(self) -> None:
        self._conn.close()
