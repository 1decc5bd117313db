"""generate_demo writes what was asked for, the same way every time, on every backend."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from demo_support import load_tickets

from casework import Workspace
from casework.demo import generate_demo
from casework.store import repository


def _snapshot(ws: Workspace) -> list[tuple[object, ...]]:
    return [
        (
            ext,
            row.subject,
            row.status,
            row.priority,
            row.created_at,
            tuple((m.author_role, m.body, m.created_at) for m in row.messages),
            tuple((c.field, c.new_value, c.changed_at, c.actor) for c in row.changes),
        )
        for ext, row in sorted(load_tickets(ws).items())
    ]


def test_counts_meet_the_request(workspace: Workspace) -> None:
    done: list[int] = []
    summary = generate_demo(workspace, seed=3, tickets=300, progress=done.append)
    with workspace.session() as s:
        counts = repository.counts(s)
    assert summary.tickets == counts["tickets"] == 300
    assert summary.messages == counts["messages"] >= 4 * 300
    assert summary.customers == counts["customers"] >= 40
    assert summary.orders == counts["orders"] > 300
    assert summary.articles == counts["articles"] >= 30
    assert 12 <= summary.agents == counts["agents"] <= 20
    assert summary.queues == counts["queues"] == 6
    assert summary.field_changes == counts["field_changes"]
    assert done == [300]
    assert (workspace.path / "demo-truth.json").exists()
    assert set(summary.to_dict()) >= {"tickets", "messages", "customers", "orders", "articles"}


def test_same_seed_gives_the_same_helpdesk(fresh_sqlite: Callable[[str], Workspace]) -> None:
    runs = []
    for name, seed in (("a", 5), ("b", 5), ("c", 6)):
        ws = fresh_sqlite(name)
        generate_demo(ws, seed=seed, tickets=150)
        truth = (ws.path / "demo-truth.jsonl").read_text("utf-8")
        runs.append((_snapshot(ws), truth))
    assert runs[0] == runs[1]
    assert runs[0][0] != runs[2][0]


def test_generating_twice_into_one_workspace_changes_nothing(
    fresh_sqlite: Callable[[str], Workspace],
) -> None:
    ws = fresh_sqlite("ws")
    generate_demo(ws, seed=2, tickets=100)
    with ws.session() as s:
        first = repository.counts(s)
    generate_demo(ws, seed=2, tickets=100)
    with ws.session() as s:
        assert repository.counts(s) == first


@pytest.mark.parametrize(("weeks", "tickets"), [(3, 100), (12, 0)])
def test_impossible_requests_are_refused(tmp_path: Path, weeks: int, tickets: int) -> None:
    with pytest.raises(ValueError):
        generate_demo(Workspace(tmp_path), weeks=weeks, tickets=tickets)
