"""A third-party format plugs in exactly as the built-in ones do, and is documented."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

import casework.ingest
from casework import Workspace
from casework.domain import Ticket
from casework.ingest import (
    ImportOptions,
    InputFile,
    Item,
    Row,
    UnknownFormatError,
    freshdesk,
    generic,
    register_importer,
    registry,
    run_import,
)

DOCS = Path(__file__).parents[2] / "docs" / "import.md"


class PipeImporter:
    """A made-up format: `id|subject|created_at` per line."""

    name = "pipes"
    default_source = "pipes"
    fields: frozenset[str] | None = None
    suffixes = (".txt",)

    def read(self, file: InputFile, options: ImportOptions) -> Iterator[Item]:
        for number, line in enumerate(file.lines(), 1):
            external_id, subject, created = line.rstrip("\n").split("|")
            when = datetime.fromisoformat(created)
            yield Row(number, Ticket(source=options.source, external_id=external_id,
                                     subject=subject, created_at=when))  # fmt: skip


class FakeEntryPoint:
    def __init__(self, value: str, target: Any) -> None:
        self.value = value
        self._target = target

    def load(self) -> Any:
        if isinstance(self._target, Exception):
            raise self._target
        return self._target


@pytest.fixture
def clean_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "_importers", dict(registry._importers))
    monkeypatch.setattr(registry, "_entry_points_loaded", False)


def test_builtin_formats_are_registered() -> None:
    assert casework.ingest.FORMATS[:4] == ("zendesk", "freshdesk", "csv", "jsonl")


@pytest.mark.usefixtures("clean_registry")
def test_registered_importer_is_a_format_like_any_other(
    sqlite_workspace: Workspace, tmp_path: Path
) -> None:
    register_importer(PipeImporter())
    path = tmp_path / "t.txt"
    path.write_text("p-1|Hello|2024-03-05T10:00:00+00:00\n")

    report = run_import(sqlite_workspace, path, fmt="pipes")

    assert "pipes" in casework.ingest.FORMATS
    assert (report.source, report.created) == ("pipes", 1)


@pytest.mark.usefixtures("clean_registry")
def test_a_plugin_cannot_silently_take_a_builtin_name() -> None:
    impostor = PipeImporter()
    impostor.name = "zendesk"
    with pytest.raises(ValueError, match="already registered"):
        register_importer(impostor)
    with pytest.raises(TypeError):
        register_importer(object())  # type: ignore[arg-type]


@pytest.mark.usefixtures("clean_registry")
def test_entry_points_register_and_a_broken_one_is_only_logged(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    points = [
        FakeEntryPoint("broken_plugin:Importer", ImportError("No module named 'broken_plugin'")),
        FakeEntryPoint("pipes_plugin:PipeImporter", PipeImporter),
    ]
    monkeypatch.setattr(registry, "entry_points", lambda group: points)

    with caplog.at_level(logging.ERROR):
        formats = registry.formats()

    assert "pipes" in formats and "zendesk" in formats
    assert "broken_plugin:Importer" in caplog.text


def test_unknown_format_names_the_known_ones(sqlite_workspace: Workspace, tmp_path: Path) -> None:
    with pytest.raises(UnknownFormatError, match="zendesk, freshdesk, csv, jsonl"):
        run_import(sqlite_workspace, tmp_path, fmt="helpscout")


def test_every_format_field_and_column_is_documented() -> None:
    docs = DOCS.read_text(encoding="utf-8")
    names = [*casework.ingest.FORMATS, *generic.FIELDS, "messages", *freshdesk.COLUMNS]
    assert [n for n in names if f"`{n}`" not in docs] == []
