"""Engines and schema migrations.

Migrations are applied with Alembic from code, so `casework init` and
`casework demo` bring any database — a fresh SQLite file or a PostgreSQL
database — to the current schema without a separate step.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError

MIGRATIONS = Path(__file__).parent / "migrations"


class DatabaseError(RuntimeError):
    """A database that cannot be used, with what to do about it."""


def sqlite_url(workspace: Path) -> str:
    return f"sqlite:///{(workspace / 'casework.db').resolve()}"


def create_store_engine(url: str) -> Engine:
    """Create an engine, normalising PostgreSQL URLs to the psycopg 3 driver."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseError(f"CASEWORK_DATABASE_URL is not a database URL: {url!r}") from exc
    backend = parsed.get_backend_name()
    if backend not in ("sqlite", "postgresql", "postgres"):
        raise DatabaseError(
            f"unsupported database {backend!r} in {parsed.render_as_string(hide_password=True)}; "
            "casework stores into SQLite or PostgreSQL"
        )
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.drivername.startswith("postgresql"):
        try:
            import psycopg  # noqa: F401
        except ImportError as exc:
            raise DatabaseError(
                "PostgreSQL needs its driver: pip install 'casework[postgres]'"
            ) from exc
        # No server-side prepared statements: psycopg's cache of them grows a
        # long import's memory by ~25 MB and buys nothing for batched writes.
        return create_engine(parsed, pool_pre_ping=True, connect_args={"prepare_threshold": None})
    engine = create_engine(parsed)
    if parsed.drivername.startswith("sqlite"):
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def migrate(engine: Engine) -> None:
    """Bring the database to the newest schema; safe to call on every start."""
    try:
        command.upgrade(alembic_config(engine), "head")
    except OperationalError as exc:
        where = engine.url.render_as_string(hide_password=True)
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise DatabaseError(f"cannot use the database {where}: {reason}") from exc
