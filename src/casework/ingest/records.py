"""Streaming CSV and JSON-lines records with their line numbers.

Both readers pull one record at a time from the file, so memory stays flat
however long the export is, and both report a broken record as a `RowError`
and carry on with the next one.
"""

from __future__ import annotations

import csv
import itertools
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from casework.ingest.base import InputFile, RowError
from casework.ingest.values import is_blank

CSV_FIELD_LIMIT = 1 << 26  # 64 MiB: long ticket descriptions exceed csv's 128 KiB default
NOT_UTF8 = "not UTF-8 text; re-export or re-save the file as UTF-8"


@dataclass(frozen=True, slots=True)
class Record:
    """One input record read through a column mapping (field → column or key)."""

    values: Mapping[str, Any]
    columns: Mapping[str, str]
    used: frozenset[str]

    def get(self, field: str) -> Any:
        column = self.columns.get(field)
        return None if column is None else self.values.get(column)

    def name(self, field: str) -> str:
        """What the input calls `field`, for error messages."""
        return self.columns.get(field, field)

    def extras(self) -> dict[str, Any]:
        """Non-blank values of columns no field maps to: kept as custom fields."""
        return {k: v for k, v in self.values.items() if k not in self.used and not is_blank(v)}


def resolve_columns(
    file: InputFile,
    header: Iterable[str],
    wanted: Mapping[str, str],
    required: Iterable[str] = (),
    explicit: Iterable[str] = (),
) -> tuple[dict[str, str], list[RowError]]:
    """Match fields to header columns, ignoring case and surrounding spaces.

    A missing `required` field's column, or a column the user named
    explicitly, is an error (on line 1): every row would fail or silently lose
    that field, so it is better to stop before importing anything.
    """
    by_lower = {column.strip().lower(): column for column in header}
    found: dict[str, str] = {}
    errors: list[RowError] = []
    for field, column in wanted.items():
        actual = by_lower.get(column.strip().lower())
        if actual is not None:
            found[field] = actual
        elif field in required or field in explicit:
            known = ", ".join(repr(c) for c in by_lower.values())
            why = "required" if field in required else "mapped"
            errors.append(
                file.error(1, column, f"{why} column for {field} not in the header ({known})")
            )
    return found, errors


def csv_mapped(
    file: InputFile,
    wanted: Mapping[str, str],
    required: Iterable[str] = (),
    explicit: Iterable[str] = (),
) -> Iterator[tuple[int, Record] | RowError]:
    """CSV records read through a field → column mapping checked against the header."""
    columns: dict[str, str] | None = None
    used: frozenset[str] = frozenset()
    for entry in csv_records(file):
        if isinstance(entry, RowError):
            yield entry
            continue
        line, values = entry
        if columns is None:
            columns, errors = resolve_columns(file, values, wanted, required, explicit)
            if errors:
                yield from errors
                return
            used = frozenset(columns.values())
        yield line, Record(values, columns, used)


def csv_records(file: InputFile) -> Iterator[tuple[int, dict[str, str]] | RowError]:
    """`(line, {column: value})` for each CSV record, or an error for a broken one.

    The line is where the record starts (records may span lines). The
    delimiter is the most frequent of `,` `;` tab `|` in the header, which
    covers spreadsheet exports in locales that use `;`.
    """
    csv.field_size_limit(max(csv.field_size_limit(), CSV_FIELD_LIMIT))
    lines = file.lines()
    first = next(lines, "")
    if file.undecodable:
        yield file.error(1, "encoding", NOT_UTF8)
        return
    if not first.strip():
        yield file.error(1, "header", "the file is empty or its first line is blank")
        return
    delimiter = max(",;\t|", key=first.count)
    reader = csv.reader(itertools.chain([first], lines), delimiter=delimiter)
    header = [name.strip() for name in next(reader)]
    while True:
        start = reader.line_num + 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            file.undecodable.clear()
            yield file.error(start, "csv", str(exc))
            continue
        if file.undecodable:
            file.undecodable.clear()
            yield file.error(start, "encoding", NOT_UTF8)
            continue
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            yield file.error(
                start,
                "row",
                f"{len(values)} values but the header has {len(header)} columns "
                "(a truncated row or an unquoted separator?)",
            )
            continue
        yield start, dict(zip(header, values, strict=True))


def json_lines(
    file: InputFile, lines: Iterator[str] | None = None
) -> Iterator[tuple[int, Any] | RowError]:
    """`(line, value)` for each non-blank line of a JSON-lines file, or an error."""
    for number, line in enumerate(lines if lines is not None else file.lines(), 1):
        if file.undecodable:
            file.undecodable.clear()
            yield file.error(number, "encoding", NOT_UTF8)
            continue
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as exc:
            cut = not line.rstrip().endswith(("}", "]"))
            hint = "; the line ends early (a truncated file?)" if cut else ""
            yield file.error(number, "json", f"{exc.msg} (column {exc.colno}){hint}")


def not_an_object(file: InputFile, line: int, value: object) -> RowError:
    return file.error(line, "json", f"expected a JSON object, got {type(value).__name__}")
