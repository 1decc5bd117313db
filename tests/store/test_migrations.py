"""The migrations and the table definitions describe the same schema.

A table added to `store/tables.py` without its migration works in tests that
create tables from metadata but breaks every real workspace; this test runs
the migrations and asks Alembic for the difference.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from casework import Workspace
from casework.store.db import alembic_config
from casework.store.tables import Base


def _differences(ws: Workspace) -> list[object]:
    with ws.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": False})
        return list(compare_metadata(context, Base.metadata))


def test_migrated_schema_matches_the_table_definitions(workspace: Workspace) -> None:
    assert _differences(workspace) == []


def test_downgrade_to_the_first_revision_and_back(tmp_path: Path) -> None:
    ws = Workspace(tmp_path).init()
    config = alembic_config(ws.engine)
    command.downgrade(config, "0001")
    command.upgrade(config, "head")
    assert _differences(ws) == []
    ws.close()
