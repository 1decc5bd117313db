"""The privacy tests' fixture: a small processed helpdesk on each store backend.

Built once per backend and session (demo tickets triaged, routed, drafted, QA-scored,
clustered, indexed: ~10 s), then copied for each test — a file copy on SQLite, a
`CREATE DATABASE … TEMPLATE` on PostgreSQL — so every test starts from the same store
and may change it freely.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from privacy_support import build_helpdesk
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from casework import Workspace

TICKETS = 80


@pytest.fixture(scope="session")
def sqlite_helpdesk(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Path:
    folder = tmp_path_factory.mktemp("helpdesk-sqlite")
    shutil.copy(sqlite_template, folder / "casework.db")
    ws = Workspace(folder, f"sqlite:///{folder / 'casework.db'}")
    build_helpdesk(ws, TICKETS)
    ws.close()
    return folder


@pytest.fixture(scope="session")
def postgres_helpdesk(
    tmp_path_factory: pytest.TempPathFactory, postgres_url: str
) -> Iterator[tuple[Path, str]]:
    folder = tmp_path_factory.mktemp("helpdesk-pg")
    name = f"casework_helpdesk_{uuid.uuid4().hex[:10]}"
    admin = create_engine(make_url(postgres_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(postgres_url).set(database=name).render_as_string(hide_password=False)
    ws = Workspace(folder, url).init()
    build_helpdesk(ws, TICKETS)
    ws.close()
    yield folder, name
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def helpdesk(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Workspace]:
    """A fresh copy of the processed helpdesk, on SQLite and on PostgreSQL."""
    folder = tmp_path / "ws"
    if request.param == "sqlite":
        shutil.copytree(request.getfixturevalue("sqlite_helpdesk"), folder)
        ws = Workspace(folder, f"sqlite:///{folder / 'casework.db'}")
        yield ws
        ws.close()
        return
    source, template = request.getfixturevalue("postgres_helpdesk")
    base = make_url(request.getfixturevalue("postgres_url"))
    shutil.copytree(source, folder)
    name = f"casework_copy_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    ws = Workspace(folder, base.set(database=name).render_as_string(hide_password=False))
    try:
        yield ws
    finally:
        ws.close()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
