"""Fixtures for importer tests: write an input file, read back what the store kept.

Helpers are fixtures (not importable functions) because every test folder has
its own `conftest` module and they cannot be told apart by import.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from casework import Workspace
from casework.store import repository as repo


def _stored_ticket(ws: Workspace, source: str, external_id: str) -> dict[str, Any] | None:
    """What a user would see of one ticket, as plain data."""
    with ws.session() as s:
        t = repo.find_ticket(s, source, external_id)
        if t is None:
            return None
        return {
            "subject": t.subject,
            "status": t.status,
            "priority": t.priority,
            "type": t.type,
            "channel": t.channel,
            "tags": t.tags,
            "queue": t.queue.name if t.queue else None,
            "assignee": t.assignee.name if t.assignee else None,
            "requester": (
                {
                    "id": t.requester.external_id,
                    "name": t.requester.name,
                    "email": t.requester.email,
                    "phone": t.requester.phone,
                }
                if t.requester
                else None
            ),
            "created_at": t.created_at,
            "updated_at": t.updated_at,
            "solved_at": t.solved_at,
            "satisfaction": t.satisfaction,
            "custom_fields": t.custom_fields,
            "messages": [
                {
                    "role": m.author_role,
                    "author": m.author_external_id,
                    "by_known_agent": m.agent_id is not None,
                    "body": m.body,
                    "public": m.public,
                    "created_at": m.created_at,
                }
                for m in t.messages
            ],
            "changes": [(c.field, c.old_value, c.new_value, c.changed_at) for c in t.changes],
        }


def _table_counts(ws: Workspace) -> dict[str, int]:
    with ws.session() as s:
        return repo.counts(s)


@pytest.fixture
def stored() -> Callable[[Workspace, str, str], dict[str, Any] | None]:
    """`stored(ws, source, external_id)`: the ticket as plain data, or None."""
    return _stored_ticket


@pytest.fixture
def counts() -> Callable[[Workspace], dict[str, int]]:
    """`counts(ws)`: rows per table."""
    return _table_counts


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str | bytes], Path]:
    """Write an input file into the test's folder and return its path."""

    def _write(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return _write


@pytest.fixture
def write_jsonl(write: Callable[[str, str | bytes], Path]) -> Callable[..., Path]:
    """`write_jsonl(name, *records)`: one JSON value per line."""

    def _write_jsonl(name: str, *records: object) -> Path:
        return write(name, "".join(json.dumps(r) + "\n" for r in records))

    return _write_jsonl
