"""`run_import`: stream an export into the store in batches, keep the good rows,
report the bad ones, and record the run.

Memory stays flat whatever the file size: importers yield one record at a
time, at most `batch_size` validated tickets wait in memory, and at most
`max_errors` errors are kept (the rest are counted). Each batch is one
transaction, and a ticket enters a batch only once it has validated whole, so
a malformed file can stop an import but never leave half a ticket behind.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from contextlib import suppress
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session

from casework.domain import Agent, Ticket
from casework.ingest.base import Importer, ImportOptions, InputFile, Item, Row, RowError, stem
from casework.ingest.registry import get_importer
from casework.ingest.storable import storage_problems
from casework.privacy.index import index_written
from casework.store import repository
from casework.store.tables import ImportRunRow
from casework.workspace import Workspace

RUN_ERRORS_KEPT = 100
"""How many errors `import_runs.errors` keeps; the count is always complete."""

Progress = Callable[[int], None]
"""Called with the bytes of input consumed so far (cumulative over a folder);
the total is the file's size, so it drives a determinate progress bar."""


@dataclass
class ImportReport:
    """What one run did. `created + updated + unchanged + failed + skipped` is
    the number of records read; `errors` holds the first `max_errors` problems
    (`errors_not_kept` counts the rest)."""

    path: str
    format: str
    source: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    errors_not_kept: int = 0
    seconds: float = 0.0
    run_id: int | None = None

    @property
    def rows(self) -> int:
        return self.created + self.updated + self.unchanged + self.failed + self.skipped

    @property
    def ok(self) -> bool:
        return self.failed == 0

    def summary(self) -> str:
        skipped = f", {self.skipped} skipped" if self.skipped else ""
        return (
            f"{self.path}: {self.rows} rows: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.failed} failed{skipped} in {self.seconds:.1f}s"
        )


def run_import(
    workspace: Workspace,
    path: Path | str,
    fmt: str = "zendesk",
    source: str | None = None,
    mapping: Mapping[str, str] | None = None,
    batch_size: int = 1000,
    progress: Progress | None = None,
    *,
    max_errors: int = 1000,
    after_write: Callable[[Session, list[Ticket]], None] | None = None,
) -> ImportReport:
    """Import a file (or every matching file of a folder) in format `fmt`.

    Idempotent by `(source, external_id)`: running it again on the same data
    reports every ticket unchanged and writes nothing. `after_write(session, tickets)`
    runs in each batch's transaction (the workers' outbox records its jobs there).
    Raises before reading
    for a caller's mistake (unknown format, missing path, bad mapping); a bad
    record never raises, it is reported in the returned `ImportReport`.
    """
    importer = get_importer(fmt)
    path = Path(path)
    import_tables = getattr(importer, "import_tables", None)
    if import_tables is not None:  # a format that reads a folder of joined tables as a whole
        options = ImportOptions(source or importer.default_source, dict(mapping or {}))
        _check_options(importer, options)
        report: ImportReport = import_tables(workspace, path, source, progress, max_errors)
        return report
    files = _files(path, importer)
    options = ImportOptions(source or importer.default_source, dict(mapping or {}))
    _check_options(importer, options)
    report = ImportReport(str(path), importer.name, options.source)
    started = time.perf_counter()
    report.run_id = _record_run(workspace, report, finished=False)
    batches = _Batches(workspace, report, batch_size, max_errors, after_write)
    consumed = 0
    try:
        for file_path in files:
            with InputFile(file_path) as file:
                batches.file = file
                for item in importer.read(file, options):
                    if batches.add(item) and progress is not None:
                        progress(consumed + file.bytes_read())
                batches.flush()
            consumed += file.size
            if progress is not None:
                progress(consumed)
    except BaseException:
        report.seconds = time.perf_counter() - started
        with suppress(Exception):  # keep the counts so far; finished_at stays empty
            _record_run(workspace, report, finished=False)
        raise
    report.seconds = time.perf_counter() - started
    _record_run(workspace, report, finished=True)
    return report


def _files(path: Path, importer: Importer) -> list[Path]:
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise FileNotFoundError(f"{path}: no such file or folder")
    return sorted(
        p
        for p in path.iterdir()
        if p.is_file() and not p.name.startswith(".") and stem(p) in importer.suffixes
    )


def _check_options(importer: Importer, options: ImportOptions) -> None:
    if options.mapping and importer.fields is None:
        raise ValueError(f"the {importer.name} format does not take a column mapping")
    unknown = sorted(set(options.mapping) - (importer.fields or frozenset()))
    if unknown:
        raise ValueError(
            f"unknown field(s) in the {importer.name} mapping: {', '.join(unknown)}; "
            f"fields are: {', '.join(sorted(importer.fields or ()))}"
        )
    if not options.source or len(options.source) > 64:
        raise ValueError(f"source must be 1 to 64 characters, got {options.source!r}")


class _Batches:
    """Collects validated tickets and writes them one transaction per batch."""

    def __init__(
        self,
        workspace: Workspace,
        report: ImportReport,
        batch_size: int,
        max_errors: int,
        after_write: Callable[[Session, list[Ticket]], None] | None = None,
    ) -> None:
        self.after_write = after_write
        self.workspace = workspace
        self.report = report
        self.batch_size = max(1, batch_size)
        self.max_errors = max_errors
        self.file: InputFile | None = None
        self.rows: dict[str, Row] = {}
        self.agents: dict[str, Agent] = {}
        self.seen = 0
        self.written = 0

    def add(self, item: Item) -> bool:
        """Take one item; True every `batch_size` records (time to report progress)."""
        if isinstance(item, Agent):
            self.agents[item.external_id] = item
            return False
        self.seen += 1
        ticket = item.ticket
        if item.skipped:
            self.report.skipped += 1
        elif ticket is None:
            self.fail(item.errors or (self.error(item.line, "row", "not a ticket"),))
        elif problems := storage_problems(ticket):
            self.fail([self.error(item.line, name, message) for name, message in problems])
        else:
            if ticket.external_id in self.rows:  # seen again (incremental exports do this):
                self.flush()  # store the earlier version first, so this one counts as an update
            self.rows[ticket.external_id] = item
            if len(self.rows) >= self.batch_size:
                self.flush()
        return self.seen % self.batch_size == 0

    def flush(self) -> None:
        if self.agents:
            self._write_agents(list(self.agents.values()))
            self.agents.clear()
        if self.rows:
            self._write(list(self.rows.values()))
            self.rows.clear()

    def _write(self, rows: list[Row]) -> None:
        tickets = [row.ticket for row in rows if row.ticket is not None]
        try:
            with self.workspace.session() as session:
                since = datetime.now(UTC)
                stats = repository.upsert_tickets(session, tickets)
                index_written(self.workspace, session, tickets, since)  # personal-data index
                if self.after_write is not None and (stats.created or stats.updated):
                    self.after_write(session, tickets)
        except (IntegrityError, DataError) as exc:
            if len(rows) > 1:  # find the culprit; the other rows are still stored
                for row in rows:
                    self._write([row])
            else:
                reason = f"refused by the database: {exc.orig}"
                self.fail([self.error(rows[0].line, "ticket", reason)])
            return
        self.report.created += stats.created
        self.report.updated += stats.updated
        self.report.unchanged += stats.unchanged
        self.written += stats.created + stats.updated
        if stats.created or stats.updated:
            with self.workspace.session() as session:  # PostgreSQL: plan with the grown tables
                repository.analyze_grown(session, repository.IMPORT_TABLES)

    def _write_agents(self, agents: list[Agent]) -> None:
        """Agents from the export's user list, so their messages link to them."""
        try:
            with self.workspace.session() as session:
                repository.upsert_agents(session, self.report.source, agents)
        except (IntegrityError, DataError) as exc:
            self.keep([self.error(0, "users", f"agents refused by the database: {exc.orig}")])

    def error(self, line: int, name: str, message: str) -> RowError:
        assert self.file is not None
        return self.file.error(line, name, message)

    def fail(self, errors: Iterable[RowError]) -> None:
        self.report.failed += 1
        self.keep(errors)

    def keep(self, errors: Iterable[RowError]) -> None:
        for error in errors:
            if len(self.report.errors) < self.max_errors:
                self.report.errors.append(error)
            else:
                self.report.errors_not_kept += 1


def _record_run(workspace: Workspace, report: ImportReport, *, finished: bool) -> int:
    """Create or update the run's `import_runs` row; returns its id.

    Written before reading (so a run that dies still shows up, unfinished)
    and again at the end with the counts and the first `RUN_ERRORS_KEPT` errors.
    """
    now = datetime.now(UTC)
    values = {
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "failed": report.failed,
        "errors": [asdict(e) for e in report.errors[:RUN_ERRORS_KEPT]],
        "finished_at": now if finished else None,
    }
    with workspace.session() as session:
        if report.run_id is None:
            row = ImportRunRow(
                source=report.source,
                format=report.format,
                path=report.path,
                started_at=now,
                **values,
            )
            session.add(row)
            session.flush()
            return row.id
        existing = session.get(ImportRunRow, report.run_id)
        if existing is None:
            raise RuntimeError(f"import run {report.run_id} vanished from import_runs")
        for key, value in values.items():
            setattr(existing, key, value)
        return existing.id
