"""One generated demo helpdesk, shared by the demo tests that only read it.

Generating takes about half a second for 400 tickets; tests that need their
own run (determinism, both store backends) generate into `workspace` or a
fresh folder instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from demo_support import DEMO_SEED, DEMO_TICKETS, GeneratedDemo, load_tickets, sqlite_copy

from casework import Workspace
from casework.demo import generate_demo
from casework.demo.manifest import read_truth


@pytest.fixture
def fresh_sqlite(tmp_path: Path, sqlite_template: Path) -> Iterator[Callable[[str], Workspace]]:
    """Makes any number of migrated SQLite workspaces under `tmp_path`."""
    made: list[Workspace] = []

    def make(name: str) -> Workspace:
        made.append(sqlite_copy(sqlite_template, tmp_path / name))
        return made[-1]

    yield make
    for ws in made:
        ws.close()


@pytest.fixture(scope="session")
def demo(
    tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path
) -> Iterator[GeneratedDemo]:
    ws = sqlite_copy(sqlite_template, tmp_path_factory.mktemp("demo"))
    summary = generate_demo(ws, seed=DEMO_SEED, tickets=DEMO_TICKETS)
    header, truths = read_truth(ws.path)
    try:
        yield GeneratedDemo(ws, summary, header, truths, load_tickets(ws))
    finally:
        ws.close()
