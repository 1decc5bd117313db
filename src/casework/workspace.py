"""`Workspace`: the one object a script, notebook or shell needs.

A workspace is a folder (models, config, exports, the SQLite file by default)
plus a database. Every entry point — CLI, API, MCP, workers — opens one of
these and calls the core through it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from casework.config import Settings, load_settings
from casework.store import db


class Workspace:
    def __init__(self, path: Path | str | None = None, database_url: str | None = None) -> None:
        settings: Settings = load_settings()
        self.path = Path(path) if path is not None else settings.workspace
        self.database_url = database_url or settings.database_url or db.sqlite_url(self.path)
        self._engine: Engine | None = None
        self._sessions: sessionmaker[Session] | None = None

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            if self.is_sqlite:
                self.path.mkdir(parents=True, exist_ok=True)
            self._engine = db.create_store_engine(self.database_url)
        return self._engine

    def init(self) -> Workspace:
        """Create the folder and bring the database schema up to date."""
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise db.DatabaseError(
                f"cannot use {self.path} as a workspace folder: {exc.strerror or exc}"
            ) from exc
        db.migrate(self.engine)
        return self

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed on success, rolled back on any error."""
        if self._sessions is None:
            self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        with self._sessions.begin() as session:
            yield session

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
            self._sessions = None

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
