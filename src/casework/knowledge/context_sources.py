"""Context sources: the provider contract and the built-in CSV, SQL and HTTP JSON providers.

A provider is told exactly which fields to return and returns nothing else, so
the allow-list enforced by `ContextService` holds even for a source that has
more: a SQL query is wrapped so only those columns come back; CSV and HTTP
records are cut down before they leave the provider. Each class's `from_config`
is the factory `casework.knowledge.context` registers for its kind.
"""

from __future__ import annotations

import csv
import json
import os
import re
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol, runtime_checkable
from urllib.parse import quote, urlsplit

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import OperationalError, ProgrammingError, SQLAlchemyError

from casework.config.schema import ContextProviderConfig
from casework.workspace import Workspace

WORKSPACE_URL = "workspace"
"""The sql `url` meaning "the workspace's own database"."""


class ContextError(RuntimeError):
    """A source is misconfigured or failed; messages never carry the looked-up values."""


@runtime_checkable
class ContextProvider(Protocol):
    """Returns only `fields` of the record found under `key`, or None when there is none."""

    name: str

    def fetch(self, key: str, fields: Sequence[str]) -> dict[str, Any] | None: ...


def _check_fields(name: str, offered: Sequence[str], fields: Sequence[str]) -> None:
    """A provider never reads a field its config does not offer, whoever asks."""
    extra = [f for f in fields if f not in offered]
    if extra:
        raise ContextError(f"{name}: fields {extra} are not in this provider's `fields`")


def _option(config: ContextProviderConfig, name: str) -> Any:
    value = config.options.get(name)
    if value in (None, ""):
        raise ContextError(f"context provider {config.name!r} ({config.kind}) needs options.{name}")
    return value


def plain(value: Any) -> Any:
    """JSON-friendly values, the same on every database (SQLite hands datetimes back as text)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


class CsvProvider:
    """Rows of a CSV file by `key_column`; read on first use and again when the file changes."""

    def __init__(
        self,
        name: str,
        path: Path,
        key_column: str,
        fields: Sequence[str],
        *,
        ignore_case: bool = False,
    ) -> None:
        self.name, self.path, self.key_column = name, path, key_column
        self.fields, self.ignore_case = tuple(fields), ignore_case
        self._index: dict[str, dict[str, str]] | None = None
        self._mtime = 0.0

    @classmethod
    def from_config(cls, config: ContextProviderConfig, ws: Workspace | None) -> CsvProvider:
        path = Path(_option(config, "path")).expanduser()
        if not path.is_absolute() and ws is not None:
            path = ws.path / path
        key_column = config.options.get("key_column") or config.key.rsplit(".", 1)[-1]
        ignore_case = bool(config.options.get("ignore_case", False))
        return cls(config.name, path, key_column, config.fields, ignore_case=ignore_case)

    def _fold(self, key: str) -> str:
        return key.strip().casefold() if self.ignore_case else key.strip()

    def _load(self) -> dict[str, dict[str, str]]:
        try:
            mtime = self.path.stat().st_mtime
        except OSError as exc:
            raise ContextError(f"{self.name}: cannot read {self.path}: {exc.strerror}") from None
        if self._index is not None and mtime == self._mtime:
            return self._index
        with self.path.open(newline="", encoding="utf-8-sig") as f:
            reader = csv.DictReader(f)
            missing = [
                c for c in (self.key_column, *self.fields) if c not in (reader.fieldnames or [])
            ]
            if missing:
                raise ContextError(f"{self.name}: {self.path} has no column(s) {missing}")
            index: dict[str, dict[str, str]] = {}
            for row in reader:  # only offered columns are kept in memory; the first row wins
                index.setdefault(self._fold(row[self.key_column]), {f: row[f] for f in self.fields})
        self._index, self._mtime = index, mtime
        return index

    def fetch(self, key: str, fields: Sequence[str]) -> dict[str, Any] | None:
        _check_fields(self.name, self.fields, fields)
        row = self._load().get(self._fold(key))
        return None if row is None else {f: row[f] for f in fields}


_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_SQLITE_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?$")


class SqlProvider:
    """One row of a query with a bound `:key`, wrapped so only the asked-for columns return.

    `SELECT "status", "carrier" FROM (<query>) AS context_source`: whatever the query
    selects, the database hands back only those columns."""

    def __init__(
        self,
        name: str,
        engine: Engine | Callable[[], Engine],
        query: str,
        fields: Sequence[str],
        *,
        assume_utc: bool = False,
    ) -> None:
        self.name, self.query, self.fields = name, query.strip().rstrip(";"), tuple(fields)
        self._engine, self.assume_utc = engine, assume_utc
        if ":key" not in self.query:
            raise ContextError(f"{name}: options.query must use the bound parameter :key")
        bad = [f for f in self.fields if not _IDENTIFIER.match(f)]
        if bad:
            raise ContextError(f"{name}: sql fields must be plain column names, not {bad}")

    @classmethod
    def from_config(cls, config: ContextProviderConfig, ws: Workspace | None) -> SqlProvider:
        url, query = str(_option(config, "url")), str(_option(config, "query"))
        if url == WORKSPACE_URL:
            if ws is None:
                raise ContextError(f"{config.name}: url 'workspace' needs a workspace")
            workspace = ws
            # The store keeps every time in UTC (SQLite drops the zone): say so in the value.
            return cls(config.name, lambda: workspace.engine, query, config.fields, assume_utc=True)
        engine: list[Engine] = []  # created on first read, once

        def lazy() -> Engine:
            if not engine:
                engine.append(create_engine(url, hide_parameters=True))
            return engine[0]

        return cls(config.name, lazy, query, config.fields)

    @property
    def engine(self) -> Engine:
        return self._engine if isinstance(self._engine, Engine) else self._engine()

    def statement(self, fields: Sequence[str], engine: Engine) -> str:
        """The wrapped query: only `fields` are selected from the configured one."""
        quote_name = engine.dialect.identifier_preparer.quote
        columns = ", ".join(f"context_source.{quote_name(f)}" for f in fields)
        return f"SELECT {columns} FROM ({self.query}) AS context_source"

    def fetch(self, key: str, fields: Sequence[str]) -> dict[str, Any] | None:
        _check_fields(self.name, self.fields, fields)
        if not fields:
            return None
        engine = self.engine
        try:
            with engine.connect() as conn:
                row = conn.execute(text(self.statement(fields, engine)), {"key": key}).first()
        except (ProgrammingError, OperationalError) as exc:  # schema problems: say which
            raise ContextError(f"{self.name}: query failed: {exc.orig}") from None
        except SQLAlchemyError as exc:  # may quote the key: name the class only
            raise ContextError(f"{self.name}: query failed ({type(exc).__name__})") from None
        if row is None:
            return None
        sqlite = engine.dialect.name == "sqlite"
        return {f: self._value(v, sqlite) for f, v in zip(fields, row, strict=True)}

    def _value(self, value: Any, sqlite: bool) -> Any:
        """SQLite's datetime text read as a datetime; with `assume_utc`, ISO with +00:00."""
        if sqlite and isinstance(value, str) and _SQLITE_DATETIME.match(value):
            value = datetime.fromisoformat(value)
        if self.assume_utc and isinstance(value, datetime):
            aware = value.replace(tzinfo=UTC) if value.tzinfo is None else value
            value = aware.astimezone(UTC)
        return plain(value)


class HttpJsonProvider:
    """A JSON object from `url` with `{key}` URL-encoded in it; 404 means "no record"."""

    def __init__(
        self,
        name: str,
        url: str,
        fields: Sequence[str],
        *,
        timeout: float = 5.0,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        if "{key}" not in url or urlsplit(url).scheme not in ("http", "https"):
            raise ContextError(f"{name}: options.url must be http(s) and contain {{key}}")
        self.name, self.url, self.fields = name, url, tuple(fields)
        self.timeout, self.headers = timeout, dict(headers or {})

    @classmethod
    def from_config(cls, config: ContextProviderConfig, ws: Workspace | None) -> HttpJsonProvider:
        url = str(_option(config, "url"))
        timeout = float(config.options.get("timeout", 5.0))
        return cls(
            config.name, url, config.fields, timeout=timeout, headers=config.options.get("headers")
        )

    def _headers(self) -> dict[str, str]:
        """`env:NAME` header values come from the environment, so no secret sits in the file."""
        out = {"Accept": "application/json"}
        for name, raw in self.headers.items():
            value = str(raw)
            out[str(name)] = os.environ.get(value[4:], "") if value.startswith("env:") else value
        return out

    def fetch(self, key: str, fields: Sequence[str]) -> dict[str, Any] | None:
        _check_fields(self.name, self.fields, fields)
        url = self.url.replace("{key}", quote(key, safe=""))
        request = urllib.request.Request(url, headers=self._headers())
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                body = json.loads(response.read())
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return None
            raise ContextError(f"{self.name}: HTTP {exc.code} from the source") from None
        except (urllib.error.URLError, TimeoutError) as exc:
            reason = getattr(exc, "reason", exc)
            raise ContextError(f"{self.name}: source unreachable ({reason})") from None
        except ValueError:
            raise ContextError(f"{self.name}: the source did not answer with JSON") from None
        if not isinstance(body, dict):
            raise ContextError(f"{self.name}: expected a JSON object, got {type(body).__name__}")
        return {f: plain(_dig(body, f)) for f in fields}


def _dig(record: Mapping[str, Any], field: str) -> Any:
    """`shipping.carrier` reads a nested object; a missing part is None."""
    value: Any = record
    for part in field.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value
