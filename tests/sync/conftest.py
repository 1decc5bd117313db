"""Fixtures for the sync tests: a Zendesk look-alike server per test (see `zendesk_wire`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from zendesk_wire import Server, ZendeskData, events_of, serve, ticket

from casework import Workspace
from casework.store import repository as repo


@pytest.fixture
def zendesk_server() -> Iterator[Server]:
    """A Zendesk look-alike with 5 tickets (3 pages) and their 12 events (4 pages)."""
    numbers = range(1, 6)
    data = ZendeskData([ticket(n) for n in numbers], [e for n in numbers for e in events_of(n)])
    with serve(data) as server:
        yield server


def _stored(ws: Workspace, source: str, external_id: str) -> dict[str, Any] | None:
    """What a user would see of one ticket, as plain data."""
    with ws.session() as s:
        t = repo.find_ticket(s, source, external_id)
        if t is None:
            return None
        return {
            "status": t.status,
            "queue": t.queue.name if t.queue else None,
            "assignee": t.assignee.name if t.assignee else None,
            "solved_at": t.solved_at,
            "messages": [
                {"role": m.author_role, "body": m.body, "by_known_agent": m.agent_id is not None}
                for m in t.messages
            ],
            "changes": [(c.field, c.old_value, c.new_value, c.changed_at) for c in t.changes],
        }


@pytest.fixture
def stored() -> Callable[[Workspace, str, str], dict[str, Any] | None]:
    """`stored(ws, source, external_id)`: the ticket as plain data, or None."""
    return _stored


@pytest.fixture
def counts() -> Callable[[Workspace], dict[str, int]]:
    """`counts(ws)`: rows per table."""

    def _counts(ws: Workspace) -> dict[str, int]:
        with ws.session() as s:
            return repo.counts(s)

    return _counts
