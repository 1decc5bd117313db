"""Append-only, hash-chained audit log: who or what acted, with which versions, reading what.

Each event's hash is an HMAC-SHA256, under a secret kept outside the database, of
the previous hash and the event (`seq` included): editing, deleting, inserting or
reordering a past event breaks the chain there, and the database alone cannot
forge a consistent one. Events hold ids, versions and keyed hashes (`pseudonym`),
never raw personal data, so erasing a customer never touches the chain. A cut-off
*tail* leaves a valid chain: keep `verify`'s `head_hash` elsewhere to catch it.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import secrets
import time
import typing
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import String, Table, Text, bindparam, cast, insert, select, text, type_coerce
from sqlalchemy.orm import Session

from casework.store.tables import AuditEventRow as T
from casework.workspace import Workspace

GENESIS = "0" * 64  # prev_hash of the first event
KEY_ENV = "CASEWORK_AUDIT_KEY"
LOCK_ID = 0x6361_7365_6175_6474  # "caseaudt": PostgreSQL advisory lock serialising appends
_LIMITS = {"actor": 128, "action": 64, "object_type": 32, "object_id": 64}
# Hashed in this order after prev_hash; verify reads them raw (JSON columns as text).
_NAMES = ("seq", "occurred_at", "actor", "action", "object_type", "object_id", "dedup_key",
          "versions", "fields_read", "details", "prev_hash", "hash")  # fmt: skip
_COLUMNS = (
    T.seq, type_coerce(T.occurred_at, String), T.actor, T.action, T.object_type, T.object_id,
    T.dedup_key, cast(T.versions, Text), cast(T.fields_read, Text), cast(T.details, Text),
    T.prev_hash, T.hash,
)  # fmt: skip
_TABLE = typing.cast(Table, T.__table__)
_COPY = f"COPY audit_events ({', '.join(_NAMES)}) FROM STDIN"
_encode = json.JSONEncoder(sort_keys=True, allow_nan=False).encode
"""Stored and hashed form of versions, fields_read and details. Dict keys must be
strings: int keys would sort as numbers here and as strings once read back."""


class AuditKeyError(RuntimeError):
    """The audit key is missing or unusable: without it nothing can be verified."""


@dataclass(frozen=True, slots=True)
class AuditEvent:
    """One automated decision or human action. `actor`: "system:pipeline", "agent:<id>",
    "key:<id>"; `action`: "triage", "route", "review.accept", "config.apply"…; `versions`:
    the model/rule/config versions that decided; `fields_read`: names of the data used;
    `details`: JSON, ids and `pseudonym`s only. `dedup_key`: see `dedup_key_for`."""

    actor: str
    action: str
    object_type: str
    object_id: str
    versions: dict[str, Any] = field(default_factory=dict)
    fields_read: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    dedup_key: str | None = None
    occurred_at: datetime | None = None  # None: the time of the append

    def __post_init__(self) -> None:
        # PostgreSQL refuses an over-long value, SQLite would store it: fail alike, early.
        for name, limit in _LIMITS.items():
            if len(str(getattr(self, name))) > limit:
                raise ValueError(f"audit event {name} is longer than {limit} characters")
        if self.dedup_key is not None and not 0 < len(self.dedup_key) <= 128:
            raise ValueError("audit event dedup_key must be 1 to 128 characters")


@dataclass(frozen=True, slots=True)
class VerifyReport:
    ok: bool
    checked: int
    first_bad_seq: int | None
    reason: str
    head_hash: str = GENESIS  # last intact hash: keep a copy elsewhere to detect truncation
    seconds: float = 0.0


def key_path(ws: Workspace) -> Path:
    return ws.path / "secrets" / "audit.key"


def load_key(ws: Workspace, *, create: bool = True) -> bytes:
    """`CASEWORK_AUDIT_KEY`, else `secrets/audit.key`. Every process writing to one database
    needs the same key (set the variable or share the file): another key fails the chain and
    changes every pseudonym; losing it loses both, so back it up."""
    if env := os.environ.get(KEY_ENV):
        if len(env) < 32:
            raise AuditKeyError(f"{KEY_ENV} must be at least 32 characters of random text")
        return env.encode()
    path = key_path(ws)
    if not path.exists():
        if not create:
            raise AuditKeyError(f"no audit key: {path} is missing and {KEY_ENV} is unset")
        _create_key(path)
    key = path.read_bytes()
    if len(key) != 32:
        raise AuditKeyError(f"{path} holds {len(key)} bytes, not 32: restore it from a backup")
    return key


def _create_key(path: Path) -> None:
    """32 random bytes, mode 0600, linked into place atomically: racers all keep the winner's."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(secrets.token_bytes(32))
            f.flush()
            os.fsync(f.fileno())
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def pseudonym(ws_or_key: Workspace | bytes, value: str) -> str:
    """A keyed hash standing for `value` (an email, a phone…) where it must not be stored.
    Stable per workspace (same key, same value → same pseudonym), so a data-subject search
    finds a person's events by computing it again; useless without the key. Hashes the exact
    string: normalise first (lower-case an email). In loops pass the key, not the workspace."""
    key = ws_or_key if isinstance(ws_or_key, bytes) else load_key(ws_or_key)
    return "psn_" + hmac.new(key, b"pseudonym\0" + value.encode(), hashlib.sha256).hexdigest()[:32]


def dedup_key_for(action: str, object_type: str, object_id: str, versions: dict[str, Any]) -> str:
    """Idempotency key for "this action on this object by these versions": a redelivered
    task's event is recognised and skipped. Ids only, so no secret is needed."""
    body = json.dumps([action, object_type, str(object_id), versions], sort_keys=True, default=str)
    return f"{action[:40]}:{hashlib.sha256(body.encode()).hexdigest()}"


def _utc(value: datetime) -> datetime:
    """As the store returns it, so the hash written equals the hash recomputed."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _iso(value: str | datetime) -> str:
    """The hashed form of `occurred_at`; SQLite hands back text, PostgreSQL a datetime."""
    at = datetime.fromisoformat(value) if isinstance(value, str) else value
    return _utc(at).isoformat(timespec="microseconds")


def _digest(key: bytes, prev_hash: str, scalars: Sequence[Any], texts: Sequence[str]) -> str:
    """HMAC of prev_hash + `json.dumps([*scalars, *json_columns], sort_keys=True)`. The JSON
    columns are stored as exactly their sorted-keys text, spliced in as read (not parsed and
    re-serialised): that makes `verify` fast."""
    body = f"{prev_hash}{json.dumps(scalars)[:-1]}, {texts[0]}, {texts[1]}, {texts[2]}]"
    return hmac.digest(key, body.encode(), "sha256").hex()


def _lock_tail(session: Session, dialect: str) -> tuple[int, str]:
    """Serialise appenders, then read the last (seq, hash) under that serialisation.

    PostgreSQL: a transaction-level advisory lock, held until commit; in READ COMMITTED
    (the default) the read that follows sees the previous holder's commit. SQLite: a write
    statement (a no-op UPDATE) makes pysqlite BEGIN and take the write lock (waiting up to
    the busy timeout) before the tail is read. Backstop: `seq` is unique, so a stale read
    fails at insert and never forks the chain."""
    if dialect == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": LOCK_ID})
    elif dialect == "sqlite":
        session.execute(text("UPDATE audit_events SET seq = seq WHERE seq < 0"))
    else:
        raise NotImplementedError(f"audit log on {dialect}")
    last = session.execute(select(T.seq, T.hash).order_by(T.seq.desc()).limit(1)).first()
    return (last[0], last[1]) if last else (0, GENESIS)


def _recorded(session: Session, dialect: str, keys: list[str]) -> set[str]:
    """Dedup keys already logged: one query, one array parameter (not 500 IN binds)."""
    pg = dialect == "postgresql"
    where = "= ANY(:k)" if pg else "IN (SELECT value FROM json_each(:k))"
    query = text(f"SELECT dedup_key FROM audit_events WHERE dedup_key {where}")
    return set(session.scalars(query, {"k": keys if pg else json.dumps(keys)}))


def _prepare(session: Session, key: bytes, events: Sequence[AuditEvent]) -> list[tuple[Any, ...]]:
    """Lock, drop already-recorded dedup keys, chain the rest after the tail (`_NAMES` order)."""
    dialect = session.get_bind().dialect.name
    seq, prev = _lock_tail(session, dialect)
    keys = list({e.dedup_key for e in events if e.dedup_key is not None})
    seen = _recorded(session, dialect, keys) if keys else set()
    now = datetime.now(UTC)
    now_iso = _iso(now)
    memo: dict[int, str] = {}  # a batch's events mostly share one versions dict: encode once
    rows: list[tuple[Any, ...]] = []
    for e in events:
        if e.dedup_key is not None:
            if e.dedup_key in seen:
                continue
            seen.add(e.dedup_key)
        seq += 1
        at = now if e.occurred_at is None else _utc(e.occurred_at)
        texts = []
        for part in (e.versions, e.fields_read, e.details):
            if (encoded := memo.get(id(part))) is None:
                encoded = memo[id(part)] = _encode(part)
            texts.append(encoded)
        scalars = (seq, now_iso if at is now else _iso(at), e.actor, e.action, e.object_type,
                   str(e.object_id), e.dedup_key)  # fmt: skip
        digest = _digest(key, prev, scalars, texts)
        rows.append((seq, at, *scalars[2:], *texts, prev, digest))
        prev = digest
    return rows


def _insert(session: Session, rows: list[tuple[Any, ...]]) -> None:
    """COPY on PostgreSQL (2x executemany), executemany on SQLite; JSON goes in as prepared."""
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        raw: Any = conn.connection.driver_connection
        with raw.cursor() as cur, cur.copy(_COPY) as cp:
            for row in rows:
                cp.write_row(row)
        return
    as_text = {n: bindparam(n, type_=Text) for n in ("versions", "fields_read", "details")}
    conn.execute(insert(_TABLE).values(as_text), [dict(zip(_NAMES, r, strict=True)) for r in rows])


def append(session: Session, key: bytes, event: AuditEvent) -> T | None:
    """Append one event in the caller's transaction; None if its dedup_key is recorded already.
    The lock is held until commit: append last, so other writers wait as briefly as possible."""
    rows = _prepare(session, key, [event])
    if not rows:
        return None
    _insert(session, rows)
    return session.scalars(select(T).where(T.seq == rows[0][0])).one()


def append_many(session: Session, key: bytes, events: Iterable[AuditEvent]) -> int:
    """Append a batch under one lock: one tail read, one dedup query, one bulk insert.
    Returns how many were appended (already-recorded dedup keys are skipped)."""
    rows = _prepare(session, key, list(events))
    if rows:
        _insert(session, rows)
    return len(rows)


def _intact(key: bytes, prev: str, row: Any) -> bool:
    """Recompute a row's hash from its JSON text as stored, then, if that differs, from the
    parsed JSON (storage that reformats JSON without changing it still verifies). Garbage
    a tamperer wrote is a mismatch, never a crash."""
    try:
        scalars, texts = (row[0], _iso(row[1]), *row[2:7]), row[7:10]
        if hmac.compare_digest(_digest(key, prev, scalars, texts), row[11]):
            return True
        texts = [json.dumps(json.loads(t), sort_keys=True) for t in texts]
        return hmac.compare_digest(_digest(key, prev, scalars, texts), row[11])
    except (TypeError, ValueError):
        return False


def verify(ws: Workspace, key: bytes | None = None, batch_size: int = 5000) -> VerifyReport:
    """Walk the chain in seq order, a page at a time: seqs 1, 2, 3… without gaps, each
    prev_hash the stored hash before it, each hash recomputed. Reports the first broken
    event. Never creates a key: a missing one raises `AuditKeyError` unless the log is empty."""
    started = time.perf_counter()
    prev, expected, checked = GENESIS, 1, 0
    query = select(*_COLUMNS).order_by(T.seq).limit(batch_size)

    def bad(row: Any, why: str) -> VerifyReport:
        where, spent = f"seq {row[0]} ({row[3]} {row[4]}/{row[5]})", time.perf_counter() - started
        return VerifyReport(False, checked, row[0], f"{where}: {why}", prev, spent)

    with ws.engine.connect() as conn:
        page = conn.execute(query).all()
        while page:
            key = key or load_key(ws, create=False)
            for row in page:
                if row[0] != expected:
                    more = isinstance(row[0], int) and row[0] > expected
                    gap = f"; {row[0] - expected} event(s) before it missing" if more else ""
                    return bad(row, f"expected seq {expected}{gap}")
                if row[10] != prev:
                    return bad(row, "prev_hash is not the hash of the event before it: "
                               "an event was removed, inserted or rewritten")  # fmt: skip
                if not _intact(key, prev, row):
                    return bad(row, "hash mismatch: the event was changed after it was written "
                               "(or written under a different audit key)")  # fmt: skip
                prev, expected, checked = row[11], expected + 1, checked + 1
            page = conn.execute(query.where(T.seq > page[-1][0])).all()
    spent = time.perf_counter() - started
    return VerifyReport(True, checked, None, f"{checked} events intact", prev, spent)
