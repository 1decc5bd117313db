"""`--format fivetran-zendesk`: the tables Fivetran's Zendesk connector writes to a warehouse.

    casework import exports/zendesk/ --format fivetran-zendesk
    casework import --format fivetran-zendesk --database-url postgresql://… --schema zendesk

Reads `ticket`, `ticket_comment`, `ticket_field_history`, `user`, `group`,
`organization`, and the schedule tables `schedule`, `schedule_holiday`,
`ticket_schedule` (`time_zone` and `daylight_time` are Fivetran's copies of
offsets that casework takes from the IANA database instead), as CSV files
named after the tables or straight from a PostgreSQL schema. Tickets keep
Zendesk's ids under source `zendesk`, so a Fivetran import, a Zendesk export
and the live sync of the same account update the same tickets.

Rows are validated one by one (errors name the file, line and column, good
rows are kept) and staged, then stored set-based (see `fivetran_load`); memory
stays flat however many rows the tables have, because only organizations,
groups and schedules, which are few, are held in memory.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import suppress
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from casework.ingest import fivetran_rows as rows
from casework.ingest.base import ImportOptions, InputFile, Item, Row, RowError
from casework.ingest.fivetran_bulk import stage_history
from casework.ingest.fivetran_load import BULK_TICKETS, Stage, load
from casework.ingest.fivetran_schedules import read_schedules
from casework.ingest.fivetran_tables import REQUIRED_TABLES, CsvFolder, PostgresSchema, TableSource
from casework.ingest.runner import ImportReport, Progress, _record_run
from casework.workspace import Workspace

FORMAT = "fivetran-zendesk"
PROGRESS_EVERY = 20_000

REQUIRED_COLUMNS = {
    "organization": ("id",),
    "group": ("id",),
    "user": ("id",),
    "ticket": ("id", "created_at"),
    "ticket_field_history": ("ticket_id", "field_name", "updated", "value"),
    "ticket_comment": ("id", "ticket_id", "created"),
}


class FivetranZendeskImporter:
    """Registered so `--format fivetran-zendesk` is listed and dispatched like any format.

    It reads a folder (or a PostgreSQL schema) as a whole, so `run_import`
    hands it the path through `import_tables` instead of file by file.
    """

    name = FORMAT
    default_source = "zendesk"
    fields: frozenset[str] | None = None
    suffixes = (".csv",)

    def read(self, file: InputFile, options: ImportOptions) -> Iterator[Item]:
        message = "fivetran-zendesk reads a folder of table CSVs; pass the folder"
        yield Row(1, errors=(file.error(1, "path", message),))

    def import_tables(
        self,
        workspace: Workspace,
        path: Path,
        source: str | None,
        progress: Progress | None,
        max_errors: int,
    ) -> ImportReport:
        tables = CsvFolder(path)
        return run_fivetran_import(
            workspace, tables, source or self.default_source, progress, max_errors
        )


def import_from_postgres(
    workspace: Workspace,
    url: str,
    schema: str,
    source: str = "zendesk",
    progress: Progress | None = None,
    max_errors: int = 1000,
) -> ImportReport:
    """Read the Fivetran tables of `schema` in the PostgreSQL database at `url`."""
    tables = PostgresSchema(url, schema)
    try:
        return run_fivetran_import(workspace, tables, source, progress, max_errors)
    finally:
        tables.close()


def total_size(tables: TableSource) -> int:
    return sum(tables.size(t) for t in tables.tables())


class _Run:
    """One import: the report, the error budget and progress across tables."""

    def __init__(
        self, tables: TableSource, report: ImportReport, progress: Progress | None, keep: int
    ) -> None:
        self.tables = tables
        self.report = report
        self.progress = progress
        self.keep = keep
        self.consumed = 0

    def fail(self, errors: list[RowError]) -> None:
        self.report.failed += 1
        for error in errors:
            if len(self.report.errors) < self.keep:
                self.report.errors.append(error)
            else:
                self.report.errors_not_kept += 1

    def lists(self, table: str) -> Iterator[tuple[str, list[str], int, list[str]]]:
        """Rows of `table` as (label, header, line, values); errors are counted, not yielded.

        A table missing a required column is reported on its line 1 and yields nothing.
        """
        if table not in self.tables.tables():
            return
        label = self.tables.label(table)
        header: list[str] | None = None
        count = 0
        for entry in self.tables.rows(table):
            if isinstance(entry, RowError):
                self.fail([entry])
                continue
            line, values = entry
            if header is None:
                header = values
                missing = [c for c in REQUIRED_COLUMNS.get(table, ()) if c not in header]
                if missing:
                    known = ", ".join(sorted(header))
                    message = f"required column missing (header: {known})"
                    self.fail([RowError(label, 1, c, message) for c in missing])
                    return
                continue
            yield label, header, line, values
            count += 1
            if self.progress is not None and count % PROGRESS_EVERY == 0:
                self.progress(self.consumed + self.tables.bytes_read())
        self.consumed += self.tables.size(table)
        if self.progress is not None:
            self.progress(self.consumed)

    def records(self, table: str) -> Iterator[tuple[str, int, dict[str, str]]]:
        """Rows of `table` as (label, line, {column: value})."""
        for label, header, line, values in self.lists(table):
            yield label, line, dict(zip(header, values, strict=True))


def run_fivetran_import(
    workspace: Workspace,
    tables: TableSource,
    source: str = "zendesk",
    progress: Progress | None = None,
    max_errors: int = 1000,
    step: Callable[[str], None] | None = None,
    bulk_threshold: int = BULK_TICKETS,
) -> ImportReport:
    """Import Fivetran Zendesk tables; idempotent like every import.

    `report.created/updated/unchanged` count tickets; `failed` counts rows of
    any table that were refused (each with its errors); `skipped` counts
    tickets and comments deleted in Zendesk. `step` is told the name of each
    set-based statement as it starts (for a progress line). From
    `bulk_threshold` tickets on, a superuser's load on PostgreSQL skips per-row
    foreign-key checks under table locks (see `fivetran_load._trust_references`).
    """
    missing = [t for t in REQUIRED_TABLES if t not in tables.tables()]
    if missing:
        raise ValueError(f"{tables.name}: no {', '.join(missing)} table (e.g. ticket.csv) found")
    if not source or len(source) > 64:
        raise ValueError(f"source must be 1 to 64 characters, got {source!r}")
    report = ImportReport(tables.name, FORMAT, source)
    started = time.perf_counter()
    report.run_id = _record_run(workspace, report, finished=False)
    run = _Run(tables, report, progress, max_errors)
    try:
        organizations = _named(run, "organization")
        groups = _named(run, "group")
        with workspace.engine.begin() as conn:
            stage = Stage(conn)
            _stage_rows(run, stage, organizations, groups)
            counts = load(conn, source, step, bulk_threshold)
            report.created, report.updated, report.unchanged = counts
            stage.drop()
            schedules = read_schedules(run.records, run.fail, source)
            if schedules is not None:
                with Session(bind=conn) as session:
                    stats = schedules.store(session, source)
                    session.flush()
                label = tables.label("ticket_schedule") if stats.unknown_tickets else ""
                for ticket_id in stats.unknown_tickets[:max_errors]:
                    why = f"ticket {ticket_id} is not among the stored tickets; row not stored"
                    run.fail([RowError(label, 0, "ticket_id", why)])
    except BaseException:
        report.seconds = time.perf_counter() - started
        with suppress(Exception):
            _record_run(workspace, report, finished=False)
        raise
    report.seconds = time.perf_counter() - started
    _record_run(workspace, report, finished=True)
    return report


def _named(run: _Run, table: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for label, line, values in run.records(table):
        result = rows.named_thing(label, line, values)
        if isinstance(result, rows.Problems):
            run.fail(result.errors)
        else:
            found[result[0]] = result[1]
    return found


def _stage_rows(
    run: _Run, stage: Stage, organizations: dict[str, str], groups: dict[str, str]
) -> None:
    with stage.writer("stg_user") as write:
        for label, line, values in run.records("user"):
            user = rows.user(label, line, values, organizations)
            if isinstance(user, rows.Problems):
                run.fail(user.errors)
            else:
                write(user)
    bulk = _bulk_history(run, stage, groups)
    with stage.writer("stg_history") as write:
        fast: Callable[[int, list[str]], tuple[Any, ...] | None] | None = None
        for staged in bulk or ():
            write(staged)
        history = run.lists("ticket_field_history") if bulk is None else iter(())
        for label, header, line, cells in history:
            if fast is None:
                fast = rows.history_reader(header)
            staged = fast(line, cells)
            if staged is not None:
                write(staged)
                continue
            result = rows.history(label, line, dict(zip(header, cells, strict=True)), groups)
            if isinstance(result, rows.Problems):
                run.fail(result.errors)
            elif result is not None:
                write(result)
    stage.history_view(bulk is not None)
    table_readers: list[tuple[str, str, Callable[..., Any]]] = [
        ("ticket", "stg_ticket", lambda label, line, v: rows.ticket(label, line, v, groups)),
        ("ticket_comment", "stg_comment", rows.comment),
    ]
    for table, staging, read in table_readers:
        with stage.writer(staging) as write:
            for label, line, values in run.records(table):
                result = read(label, line, values)
                if result is None:
                    run.report.skipped += 1
                elif isinstance(result, rows.Problems):
                    run.fail(result.errors)
                else:
                    write(result)


def _bulk_history(run: _Run, stage: Stage, groups: dict[str, str]) -> list[Any] | None:
    """The history CSV through PostgreSQL's own CSV parser (see `fivetran_bulk`).

    Returns the rows still to stage (the few the database left to Python), or
    None when this path does not apply (SQLite, a warehouse source, an odd
    file) and the table is read row by row instead.
    """
    table = "ticket_field_history"
    if not stage.postgres or not isinstance(run.tables, CsvFolder):
        return None
    if table not in run.tables.tables():
        return None
    header = run.tables.header(table)
    if header is None or any(c not in header for c in REQUIRED_COLUMNS[table]):
        return None  # the row-by-row path reports it
    staged = stage_history(stage.conn, run.tables.path(table), header, groups, run.fail)
    if staged is not None:
        run.consumed += run.tables.size(table)
        if run.progress is not None:
            run.progress(run.consumed)
    return staged
