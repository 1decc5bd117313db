"""Shared fixtures: a fresh workspace on every backend the machine offers.

Store-backed tests take the `workspace` fixture and run once on SQLite and once
on PostgreSQL. PostgreSQL runs when `CASEWORK_TEST_DATABASE_URL` is set (CI sets
it); a URL that is set but unreachable fails the run instead of skipping.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from casework import Workspace
from casework.store.tables import Base
from fake_zendesk import FakeZendesk, serve_fake_zendesk

PG_URL_VAR = "CASEWORK_TEST_DATABASE_URL"


BROKER_URL_VAR = "CASEWORK_TEST_BROKER_URL"


def pytest_report_header(config: pytest.Config) -> list[str]:
    url = os.environ.get(PG_URL_VAR)
    if url:
        pg = f"PostgreSQL store tests: ON ({make_url(url).render_as_string(hide_password=True)})"
    else:
        pg = f"PostgreSQL store tests: SKIPPED ({PG_URL_VAR} is not set)"
    broker = os.environ.get(BROKER_URL_VAR)
    if broker:
        shown = make_url(broker.replace("amqp://", "postgresql://", 1))
        where = f"{shown.host}:{shown.port or 5672}"
        return [pg, f"Broker (worker) tests: ON (RabbitMQ at {where})", _browser_header()]
    return [pg, f"Broker (worker) tests: SKIPPED ({BROKER_URL_VAR} is not set)", _browser_header()]


def _browser_header() -> str:
    """Whether the dashboard's browser tests (tests/web/test_browser.py) will run."""
    chromium = os.environ.get("CASEWORK_TEST_CHROMIUM")
    if chromium:
        return f"Dashboard browser tests: ON (CASEWORK_TEST_CHROMIUM={chromium}; must start)"
    if Path("/usr/bin/chromium").exists():
        return "Dashboard browser tests: ON (/usr/bin/chromium)"
    return (
        "Dashboard browser tests: SKIPPED (no /usr/bin/chromium; "
        "apt-get install chromium, or set CASEWORK_TEST_CHROMIUM)"
    )


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file, copied for each test: migrations run once."""
    folder = tmp_path_factory.mktemp("template")
    ws = Workspace(folder).init()
    ws.close()
    return folder / "casework.db"


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A database created for this test session and dropped after it."""
    url = os.environ.get(PG_URL_VAR)
    if not url:
        pytest.skip(f"{PG_URL_VAR} is not set")
    admin = make_url(url).set(drivername="postgresql+psycopg")
    name = f"casework_test_{uuid.uuid4().hex[:10]}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # unreachable server: fail loudly, never skip
        pytest.fail(f"{PG_URL_VAR} is set but PostgreSQL is unusable: {exc}", pytrace=False)
    test_url = admin.set(database=name).render_as_string(hide_password=False)
    Workspace("unused", test_url).init().close()
    yield test_url
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def _truncate_all(ws: Workspace) -> None:
    names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with ws.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


EmptyWorkspace = Callable[[str, Path], Workspace]


@pytest.fixture(scope="session")
def empty_workspace(request: pytest.FixtureRequest) -> EmptyWorkspace:
    """`make(backend, folder)`: an initialised, empty workspace in `folder` on "sqlite" (a copy
    of the migrated template) or "postgresql" (the session's database, emptied; skips when
    CASEWORK_TEST_DATABASE_URL is not set). For fixtures of any scope."""

    def make(backend: str, folder: Path) -> Workspace:
        if backend == "sqlite":
            shutil.copy(request.getfixturevalue("sqlite_template"), folder / "casework.db")
            return Workspace(folder, f"sqlite:///{folder / 'casework.db'}")
        ws = Workspace(folder, request.getfixturevalue("postgres_url"))
        _truncate_all(ws)
        return ws

    return make


@pytest.fixture(params=["sqlite", "postgresql"])
def workspace(
    request: pytest.FixtureRequest, tmp_path: Path, empty_workspace: EmptyWorkspace
) -> Iterator[Workspace]:
    """An initialised, empty workspace on SQLite and on PostgreSQL."""
    folder = tmp_path / "ws"
    folder.mkdir()
    ws = empty_workspace(request.param, folder)
    try:
        yield ws
    finally:
        ws.close()


@pytest.fixture
def sqlite_workspace(tmp_path: Path, sqlite_template: Path) -> Iterator[Workspace]:
    """SQLite only, for tests of behaviour that does not depend on the backend."""
    folder = tmp_path / "ws"
    folder.mkdir()
    shutil.copy(sqlite_template, folder / "casework.db")
    ws = Workspace(folder, f"sqlite:///{folder / 'casework.db'}")
    try:
        yield ws
    finally:
        ws.close()


@pytest.fixture
def zendesk() -> Iterator[FakeZendesk]:
    """A local fake of Zendesk's Update Ticket endpoint that records what it is sent."""
    with serve_fake_zendesk() as fake:
        yield fake
