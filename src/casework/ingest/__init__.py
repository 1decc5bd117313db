"""Importers: helpdesk exports in, validated tickets stored exactly once.

    from casework.ingest import run_import
    report = run_import(workspace, "tickets.json", fmt="zendesk")
    print(report.summary())
    for error in report.errors:
        print(error)              # tickets.json:42: created_at: not a date and time: …

Formats are importers in a registry (`FORMATS`); the built-in ones are
registered with the same `register_importer` a plug-in uses, and plug-ins can
also declare themselves in the `casework.importers` entry-point group. See
docs/import.md for each format's columns.
"""

from __future__ import annotations

from casework.ingest.base import Importer, ImportOptions, InputFile, Item, Row, RowError
from casework.ingest.fivetran import FivetranZendeskImporter
from casework.ingest.freshdesk import FreshdeskImporter
from casework.ingest.generic import GenericCsvImporter, GenericJsonlImporter
from casework.ingest.registry import (
    ENTRY_POINT_GROUP,
    UnknownFormatError,
    formats,
    get_importer,
    register_importer,
)
from casework.ingest.runner import ImportReport, run_import
from casework.ingest.zendesk import ZendeskImporter

register_importer(ZendeskImporter())
register_importer(FreshdeskImporter())
register_importer(GenericCsvImporter())
register_importer(GenericJsonlImporter())
register_importer(FivetranZendeskImporter())


def __getattr__(name: str) -> tuple[str, ...]:
    """`FORMATS` is looked up on use, so it includes plug-ins registered later."""
    if name == "FORMATS":
        return formats()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "ENTRY_POINT_GROUP",
    "FORMATS",
    "ImportOptions",
    "ImportReport",
    "Importer",
    "InputFile",
    "Item",
    "Row",
    "RowError",
    "UnknownFormatError",
    "formats",
    "get_importer",
    "register_importer",
    "run_import",
]
