"""Resume positions of live syncs, one `sync_state` row per (source, stream).

Positions are written in the caller's transaction, next to the data they
cover: a page of tickets and the cursor after it are committed together, so a
sync interrupted anywhere resumes exactly after the last page it stored.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.store.tables import SyncStateRow


def position(session: Session, source: str, stream: str) -> str | None:
    """Where `stream` of `source` stopped, or None when it never ran."""
    return session.scalar(
        select(SyncStateRow.position).where(
            SyncStateRow.source == source, SyncStateRow.stream == stream
        )
    )


def save(
    session: Session,
    source: str,
    stream: str,
    value: str | None,
    details: dict[str, Any] | None = None,
) -> None:
    """Record where `stream` stopped (insert or update)."""
    row = session.scalar(
        select(SyncStateRow).where(SyncStateRow.source == source, SyncStateRow.stream == stream)
    )
    now = datetime.now(UTC)
    if row is None:
        session.add(
            SyncStateRow(
                source=source, stream=stream, position=value, details=details or {}, updated_at=now
            )
        )
    else:
        row.position = value
        row.details = details or {}
        row.updated_at = now


def positions(session: Session, source: str) -> dict[str, str | None]:
    """Every stream's position for `source` (for status displays)."""
    rows = session.execute(
        select(SyncStateRow.stream, SyncStateRow.position).where(SyncStateRow.source == source)
    )
    return {stream: value for stream, value in rows}
