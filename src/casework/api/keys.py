"""API keys: created with a role, shown once, stored as a SHA-256 hash, revocable.

A key is 32 random bytes (URL-safe) behind a `cwk_` marker, so a plain SHA-256 is
enough: there is nothing to brute-force that a slow hash would protect. Creating
and revoking a key are written to the audit log.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.api.auth import ROLES
from casework.audit import AuditEvent, append, load_key
from casework.store.tables import ApiKeyRow
from casework.workspace import Workspace

TOKEN_MARKER = "cwk_"
PREFIX_LENGTH = 12  # "cwk_" + 8 characters: enough to tell keys apart, useless to guess


class ApiKeyError(ValueError):
    """A key operation that cannot apply: unknown role, unknown or revoked key."""


@dataclass(frozen=True)
class ApiKey:
    """A key as everyone but its owner may see it: never the secret."""

    id: int
    name: str
    role: str
    prefix: str
    created_at: datetime
    revoked_at: datetime | None

    @property
    def actor(self) -> str:
        """How the audit log names what this key did."""
        return f"key:{self.id}"

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "role": self.role,
            "prefix": self.prefix,
            "created_at": self.created_at.isoformat(),
            "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None,
        }


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _info(row: ApiKeyRow) -> ApiKey:
    return ApiKey(row.id, row.name, row.role, row.prefix, row.created_at, row.revoked_at)


def _audit(ws: Workspace, session: Session, actor: str, action: str, key: ApiKey) -> None:
    append(
        session,
        load_key(ws),
        AuditEvent(
            actor=actor[:128],
            action=action,
            object_type="api_key",
            object_id=str(key.id),
            details={"role": key.role, "prefix": key.prefix},
        ),
    )


def create_key(ws: Workspace, name: str, role: str, actor: str) -> tuple[ApiKey, str]:
    """Store a new key; returns it with the token, which is never retrievable again."""
    if role not in ROLES:
        raise ApiKeyError(f"unknown role {role!r}; expected one of {', '.join(ROLES)}")
    if not name.strip() or len(name) > 128:
        raise ApiKeyError("a key needs a name of 1 to 128 characters")
    token = TOKEN_MARKER + secrets.token_urlsafe(32)
    with ws.session() as session:
        row = ApiKeyRow(
            name=name.strip(),
            role=role,
            prefix=token[:PREFIX_LENGTH],
            key_hash=hash_token(token),
            created_at=datetime.now(UTC),
            revoked_at=None,
        )
        session.add(row)
        session.flush()
        key = _info(row)
        _audit(ws, session, actor, "api_key.create", key)
    return key, token


def list_keys(ws: Workspace, include_revoked: bool = True) -> list[ApiKey]:
    with ws.session() as session:
        query = select(ApiKeyRow).order_by(ApiKeyRow.id)
        if not include_revoked:
            query = query.where(ApiKeyRow.revoked_at.is_(None))
        return [_info(row) for row in session.scalars(query)]


def revoke_key(ws: Workspace, key_id: int, actor: str) -> ApiKey:
    """Revoke at once; revoking a revoked key changes nothing."""
    with ws.session() as session:
        row = session.get(ApiKeyRow, key_id)
        if row is None:
            raise ApiKeyError(f"no API key with id {key_id}")
        if row.revoked_at is None:
            row.revoked_at = datetime.now(UTC)
            session.flush()
            _audit(ws, session, actor, "api_key.revoke", _info(row))
        return _info(row)


def authenticate(session: Session, token: str) -> ApiKey | None:
    """The live key this token belongs to, or None (unknown, malformed or revoked)."""
    if not token.startswith(TOKEN_MARKER) or len(token) > 128:
        return None
    row = session.scalar(select(ApiKeyRow).where(ApiKeyRow.key_hash == hash_token(token)))
    if row is None or row.revoked_at is not None:
        return None
    return _info(row)
