"""Helpers for the demo tests (a module, so test files can import the types)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from casework import Workspace
from casework.demo import DemoSummary
from casework.store.tables import TicketRow

DEMO_TICKETS = 400
DEMO_SEED = 11


@dataclass
class GeneratedDemo:
    workspace: Workspace
    summary: DemoSummary
    header: dict[str, Any]
    truths: list[dict[str, Any]]
    tickets: dict[str, TicketRow]  # by external id, with messages and changes loaded


def sqlite_copy(template: Path, folder: Path) -> Workspace:
    """A migrated SQLite workspace in `folder`, copied from the session template."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(template, folder / "casework.db")
    return Workspace(folder, f"sqlite:///{folder / 'casework.db'}")


def load_tickets(workspace: Workspace) -> dict[str, TicketRow]:
    with workspace.session() as session:
        rows = session.scalars(
            select(TicketRow).options(
                selectinload(TicketRow.messages), selectinload(TicketRow.changes)
            )
        ).unique()
        return {row.external_id: row for row in rows}
