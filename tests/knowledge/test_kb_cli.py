"""`casework kb`: exit codes, JSON shapes and the STALE marker; the logic is tested in the core."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import insert, select
from typer.testing import CliRunner

from casework import Workspace
from casework.cli import app
from casework.demo.articles import ENTRIES, build_articles
from casework.store import repository
from casework.store.db import alembic_config, create_store_engine
from casework.store.tables import ArticleRow, ArticleVersionRow

runner = CliRunner()


def kb(ws: Workspace, monkeypatch: pytest.MonkeyPatch, *args: str) -> Any:
    if not ws.is_sqlite:
        monkeypatch.setenv("CASEWORK_DATABASE_URL", ws.database_url)
    return runner.invoke(app, ["kb", *args, "--workspace", str(ws.path)])


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    kb_dir = tmp_path / "kb"
    kb_dir.mkdir()
    (kb_dir / "fresh.md").write_text("---\ntitle: Fresh\nreviewed: 2999-01-01\n---\nNew text.\n")
    (kb_dir / "never.md").write_text("---\ntitle: Never reviewed\nowner: Ravi\n---\nOld text.\n")
    return kb_dir


def test_import_list_show(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch, folder: Path
) -> None:
    done = kb(workspace, monkeypatch, "import", str(folder), "--format", "markdown", "--json")
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["created"] == 2

    listed = kb(workspace, monkeypatch, "list", "--stale", "--json")
    assert [a["external_id"] for a in json.loads(listed.stdout)["articles"]] == ["never"]
    table = kb(workspace, monkeypatch, "list")
    assert table.exit_code == 0 and "STALE" in table.stdout

    (folder / "never.md").write_text("---\ntitle: Never reviewed\n---\nNewer text.\n")
    kb(workspace, monkeypatch, "import", str(folder))
    shown = json.loads(kb(workspace, monkeypatch, "show", "markdown:never", "--json").stdout)
    assert shown["version"] == 2 and shown["stale"] is True
    assert [v["body"] for v in shown["history"]] == ["Old text.", "Newer text."]
    assert "History" in kb(workspace, monkeypatch, "show", "never").stdout
    assert kb(workspace, monkeypatch, "show", "nothing-here").exit_code == 1


def test_exit_1_for_bad_records_and_2_for_unusable_input(
    sqlite_workspace: Workspace, monkeypatch: pytest.MonkeyPatch, folder: Path, tmp_path: Path
) -> None:
    (folder / "bad.md").write_text("---\ntitle: Bad\nstatus: published\n---\nText.\n")
    partial = kb(sqlite_workspace, monkeypatch, "import", str(folder))
    assert partial.exit_code == 1
    assert "bad.md:3: status" in partial.stderr

    assert kb(sqlite_workspace, monkeypatch, "import", str(tmp_path / "no")).exit_code == 2
    assert kb(sqlite_workspace, monkeypatch, "import", str(folder), "-f", "word").exit_code == 2
    broken = tmp_path / "broken.json"
    broken.write_text('{"articles": [{"id": 1,')
    result = kb(sqlite_workspace, monkeypatch, "import", str(broken), "-f", "zendesk-guide")
    assert result.exit_code == 2 and "broken.json:1: json" in result.stderr


def test_demo_articles_get_their_first_version(sqlite_workspace: Workspace) -> None:
    with sqlite_workspace.session() as s:
        repository.upsert_articles(s, build_articles())
        assert len(s.scalars(select(ArticleVersionRow)).all()) == len(ENTRIES)


def test_migration_keeps_existing_articles_as_their_history(tmp_path: Path) -> None:
    engine = create_store_engine(f"sqlite:///{tmp_path / 'old.db'}")
    config = alembic_config(engine)
    command.upgrade(config, "0003")
    with engine.begin() as conn:
        conn.execute(
            insert(ArticleRow.__table__),  # type: ignore[arg-type]
            [
                {
                    "source": "demo", "external_id": "kb-1", "title": "T", "body": "B",
                    "tags": [], "status": "approved", "language": "en", "version": 3,
                    "created_at": datetime(2026, 1, 1, tzinfo=UTC),
                    "updated_at": datetime(2026, 2, 1, tzinfo=UTC),
                    "content_hash": "h",
                }
            ],
        )  # fmt: skip
    command.upgrade(config, "head")
    with engine.connect() as conn:
        rows = conn.execute(select(ArticleVersionRow.version, ArticleVersionRow.body)).all()
    engine.dispose()
    assert [tuple(r) for r in rows] == [(3, "B")]
