"""Change control for the workspace config: every accepted file is a stored version.

The database is the source of truth: the newest stored version is the one in
force, and `casework.yaml` in the workspace folder mirrors it for people to
read and edit. A new file is validated before anything is written, so a
refused file leaves the running config in force. Before the first apply, the
workspace file (if any) or the bundled default is in force as version 0.
"""

from __future__ import annotations

import difflib
import hashlib
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from casework.config.loader import default_config_text, load_config_text, read_config_text
from casework.config.schema import WorkspaceConfig
from casework.store.tables import ConfigVersionRow

if TYPE_CHECKING:
    from casework import Workspace

WORKSPACE_FILE = "casework.yaml"
Source = Literal["store", "file", "default"]


class VersionNotFound(LookupError):
    """No stored config has that version number."""


class ConcurrentApply(RuntimeError):
    """Another config was applied at the same moment; applying again is safe."""


@dataclass(frozen=True)
class ConfigVersion:
    """One config as it was accepted: who, when, what exactly, and what changed."""

    version: int
    author: str
    created_at: datetime | None
    sha256: str
    content: str
    diff: str
    source: Source
    """`store` for an applied version; `file` / `default` for version 0."""

    @property
    def label(self) -> str:
        """How errors and headers name this version (`file:line` still works)."""
        return {"store": f"config version {self.version}", "file": WORKSPACE_FILE}.get(
            self.source, "casework/config/default.yaml"
        )

    @property
    def config(self) -> WorkspaceConfig:
        """The parsed config (cached by content; treat as read-only)."""
        return _parse(self.content, self.label)

    def diff_stat(self) -> tuple[int, int]:
        """Lines added and removed relative to the previous version."""
        lines = self.diff.splitlines()
        added = sum(1 for x in lines if x.startswith("+") and not x.startswith("+++"))
        removed = sum(1 for x in lines if x.startswith("-") and not x.startswith("---"))
        return added, removed

    def to_dict(self, content: bool = False) -> dict[str, Any]:
        added, removed = self.diff_stat()
        data: dict[str, Any] = {
            "version": self.version,
            "author": self.author,
            "created_at": self.created_at.isoformat() if self.created_at else None,
            "sha256": self.sha256,
            "source": self.source,
            "lines_added": added,
            "lines_removed": removed,
        }
        if content:
            data["content"] = self.content
            data["diff"] = self.diff
        return data


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def unified_diff(old: str, new: str, old_name: str, new_name: str) -> str:
    """A `diff -u` of two config texts, as stored with each version and shown in reviews."""
    lines = difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True), old_name, new_name
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def default_version() -> ConfigVersion:
    text = default_config_text()
    return ConfigVersion(0, "casework", None, sha256_text(text), text, "", "default")


def active_version(ws: Workspace) -> ConfigVersion:
    """The config in force: newest stored version, else the workspace file, else the default."""
    with ws.session() as session:
        row = session.scalars(
            select(ConfigVersionRow).order_by(ConfigVersionRow.version.desc()).limit(1)
        ).first()
        if row is not None:
            return _from_row(row)
    return _unapplied(ws)


def active_config(ws: Workspace) -> tuple[int, WorkspaceConfig]:
    """(version, config) in force; raises `ConfigError` if an unapplied workspace file is bad."""
    current = active_version(ws)
    from casework.privacy.egress import configure  # the egress guard follows the config in force

    configure(current.config.privacy.egress)
    return current.version, current.config


def apply_config(
    ws: Workspace, text: str, author: str, filename: str = WORKSPACE_FILE
) -> ConfigVersion:
    """Validate `text`, store it as the next version and mirror it to `casework.yaml`.

    Raises `ConfigError` (nothing stored, the running config stays) if it is
    invalid. Applying the content already in force stores nothing and returns
    the current version. Line endings are normalised so an editor's CRLF is no change.
    """
    text = text.replace("\r\n", "\n")
    load_config_text(text, filename)  # refuse before touching anything
    digest = sha256_text(text)
    try:
        with ws.session() as session:
            latest = session.scalars(
                select(ConfigVersionRow).order_by(ConfigVersionRow.version.desc()).limit(1)
            ).first()
            if latest is not None and latest.sha256 == digest:
                result = _from_row(latest)
            else:
                previous = _from_row(latest) if latest is not None else _unapplied(ws)
                number = previous.version + 1
                row = ConfigVersionRow(
                    version=number,
                    author=author,
                    created_at=datetime.now(UTC),
                    content=text,
                    sha256=digest,
                    diff=unified_diff(
                        previous.content, text, previous.label, f"config version {number}"
                    ),
                )
                session.add(row)
                session.flush()
                result = _from_row(row)
                _audit_apply(ws, session, result, previous.version)
    except IntegrityError as exc:
        raise ConcurrentApply(
            "another config version was stored at the same time; run apply again"
        ) from exc
    _write_mirror(ws.path / WORKSPACE_FILE, text)
    return result


def _audit_apply(ws: Workspace, session: Session, applied: ConfigVersion, previous: int) -> None:
    """Record who changed the config, in the transaction that stores it."""
    from casework.audit import AuditEvent, append, load_key

    append(
        session,
        load_key(ws),
        AuditEvent(
            actor=f"user:{applied.author}"[:128],
            action="config.apply",
            object_type="config",
            object_id=str(applied.version),
            versions={"config": applied.version, "previous": previous},
            fields_read=["config.content"],
            details={"sha256": applied.sha256},
        ),
    )


def list_versions(ws: Workspace, limit: int | None = None) -> list[ConfigVersion]:
    """Stored versions, newest first."""
    query = select(ConfigVersionRow).order_by(ConfigVersionRow.version.desc()).limit(limit)
    with ws.session() as session:
        return [_from_row(row) for row in session.scalars(query)]


def show_version(ws: Workspace, number: int) -> ConfigVersion:
    """One stored version; 0 is the bundled default."""
    if number == 0:
        return default_version()
    with ws.session() as session:
        row = session.scalars(
            select(ConfigVersionRow).where(ConfigVersionRow.version == number)
        ).first()
        if row is not None:
            return _from_row(row)
        newest = session.scalar(select(func.max(ConfigVersionRow.version)))
    known = f"versions 1–{newest} exist" if newest else "no version has been applied yet"
    raise VersionNotFound(f"no config version {number}; {known}")


def mirror_differs(ws: Workspace) -> bool:
    """Whether `casework.yaml` was edited after the last apply (and so is not in force)."""
    path = ws.path / WORKSPACE_FILE
    current = active_version(ws)
    if current.source != "store" or not path.is_file():
        return False
    on_disk = path.read_bytes().replace(b"\r\n", b"\n")
    return hashlib.sha256(on_disk).hexdigest() != current.sha256


def _unapplied(ws: Workspace) -> ConfigVersion:
    path = ws.path / WORKSPACE_FILE
    if path.is_file():
        text = read_config_text(path).replace("\r\n", "\n")
        return ConfigVersion(0, "file", None, sha256_text(text), text, "", "file")
    return default_version()


def _from_row(row: ConfigVersionRow) -> ConfigVersion:
    return ConfigVersion(
        row.version, row.author, row.created_at, row.sha256, row.content, row.diff, "store"
    )


@lru_cache(maxsize=16)
def _parse(content: str, label: str) -> WorkspaceConfig:
    return load_config_text(content, label)


def _write_mirror(path: Path, text: str) -> None:
    """Replace the file atomically: a reader never sees half a config."""
    if path.is_file() and path.read_bytes() == text.encode("utf-8"):
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, "utf-8")
    os.replace(temporary, path)
