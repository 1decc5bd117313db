"""The importer contract: what a format reader yields and what it is given.

An importer only turns bytes into validated `Ticket` records (or row errors);
it never touches the database. The runner owns batching, transactions,
progress and the run record, so a third-party format gets all of that for free
by implementing `Importer.read`.
"""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, runtime_checkable

from casework.domain import Agent, Ticket


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem in an input file, precise enough to fix by hand."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


@dataclass(frozen=True, slots=True)
class Row:
    """One input record: a whole, validated ticket, or the reasons it is not one.

    `skipped` is for records that are valid but deliberately not imported
    (e.g. Zendesk tickets with status `deleted`); it is counted, not an error.
    """

    line: int
    ticket: Ticket | None = None
    errors: tuple[RowError, ...] = ()
    skipped: str = ""


Item = Row | Agent
"""What `Importer.read` yields: ticket rows, plus agents known from user lists
so that messages written by agents who are not assignees link to them."""


@dataclass(frozen=True)
class ImportOptions:
    source: str
    mapping: Mapping[str, str] = field(default_factory=dict)


@runtime_checkable
class Importer(Protocol):
    """A file format. Register an instance with `register_importer` or the
    `casework.importers` entry-point group."""

    # Read-only, so plain class attributes satisfy the protocol.
    @property
    def name(self) -> str:
        """The `--format` value."""
        ...

    @property
    def default_source(self) -> str:
        """Stored as `Ticket.source` unless the caller overrides it."""
        ...

    @property
    def fields(self) -> frozenset[str] | None:
        """Names a `mapping` may override (field → column); None: no mapping."""
        ...

    @property
    def suffixes(self) -> tuple[str, ...]:
        """File endings read when the import path is a folder (`.gz` is implied)."""
        ...

    def read(self, file: InputFile, options: ImportOptions) -> Iterator[Item]:
        """Yield one `Row` per input record, in file order, never raising for bad data."""
        ...


class InputFile:
    """An import file opened for streaming that knows how far it has been read.

    Lines are decoded one by one as UTF-8 (a byte-order mark is dropped), so a
    stray Latin-1 byte costs one record, not the rest of the file: such a line
    is decoded with replacement characters and its number noted in
    `undecodable` for the reader to refuse. `.gz` files are decompressed on the
    fly. `bytes_read` counts bytes of the file on disk, to drive a progress bar
    whose total is `size`.
    """

    def __init__(self, path: Path, display: str | None = None) -> None:
        self.path = path
        self.name = display or str(path)
        self.size = path.stat().st_size
        self.undecodable: list[int] = []
        self._raw: io.BufferedReader | None = None
        self._stream: gzip.GzipFile | io.BufferedReader | None = None

    def lines(self) -> Iterator[str]:
        """The file's lines with their line endings, as `csv` and `json` want them."""
        if self._stream is not None:
            raise RuntimeError(f"{self.name} is already being read")
        raw_file = self._raw = self.path.open("rb")
        stream = gzip.GzipFile(fileobj=raw_file) if self.path.suffix == ".gz" else raw_file
        self._stream = stream
        for number, raw in enumerate(stream, 1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                self.undecodable.append(number)
                line = raw.decode("utf-8", "replace")
            yield line.removeprefix("\ufeff") if number == 1 else line

    def bytes_read(self) -> int:
        return self._raw.tell() if self._raw is not None and not self._raw.closed else 0

    def error(self, line: int, field: str, message: str) -> RowError:
        return RowError(self.name, line, field, message)

    def close(self) -> None:
        if self._stream is not None:
            self._stream.close()  # a GzipFile does not close the file it was given
        if self._raw is not None:
            self._raw.close()

    def __enter__(self) -> InputFile:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def stem(path: Path) -> str:
    """`tickets.jsonl.gz` → `.jsonl`: the ending that says what is inside."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    return suffixes[-1] if suffixes else ""
