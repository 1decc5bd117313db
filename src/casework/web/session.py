"""The dashboard's session cookie: who signed in, and the CSRF token for their forms.

A session is a small JSON object signed with HMAC-SHA256 (standard library only):
`{"key": <api key id or null>, "csrf": <random token>, "at": <unix time>}`. The
secret lives in the workspace (`web-secret`, created once, mode 0600), so every
worker process of one deployment signs and checks alike and a restart keeps people
signed in. Signing in stores only the API key's *id*; each request looks the key up
again, so revoking a key signs its sessions out at once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

COOKIE = "casework_session"
MAX_AGE = 12 * 3600  # a working day; then sign in again
SECRET_FILE = "web-secret"


def load_secret(workspace_path: Path) -> bytes:
    """The workspace's signing secret, created on first use without a race between workers."""
    path = workspace_path / SECRET_FILE
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        secret = path.read_bytes().strip()
        if len(secret) >= 32:
            return secret
        raise RuntimeError(
            f"{path}: the dashboard secret is too short; delete it to renew"
        ) from None
    secret = secrets.token_hex(32).encode()
    with os.fdopen(fd, "wb") as handle:
        handle.write(secret)
    return secret


@dataclass(frozen=True)
class Session:
    key_id: int | None
    csrf: str
    issued_at: int

    @classmethod
    def anonymous(cls) -> Session:
        return cls(None, secrets.token_urlsafe(24), int(time.time()))

    def signed_in(self, key_id: int) -> Session:
        """A fresh session for `key_id`: a new CSRF token, so a token seen before sign-in
        (session fixation) is worthless after it."""
        return Session(key_id, secrets.token_urlsafe(24), int(time.time()))

    def valid_csrf(self, token: str | None) -> bool:
        return bool(token) and hmac.compare_digest(self.csrf, token or "")


def _sign(secret: bytes, payload: bytes) -> str:
    return hmac.new(secret, payload, hashlib.sha256).hexdigest()


def dump(secret: bytes, session: Session) -> str:
    data = {"key": session.key_id, "csrf": session.csrf, "at": session.issued_at}
    payload = base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode())
    return f"{payload.decode()}.{_sign(secret, payload)}"


def load(secret: bytes, cookie: str | None, now: float | None = None) -> Session | None:
    """The session in `cookie`, or None if it is missing, tampered with or expired."""
    if not cookie or "." not in cookie or len(cookie) > 1024:
        return None
    payload, _, signature = cookie.rpartition(".")
    if not hmac.compare_digest(_sign(secret, payload.encode()), signature):
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(payload.encode()))
        key_id, csrf, issued = data["key"], str(data["csrf"]), int(data["at"])
    except (ValueError, KeyError, TypeError):
        return None
    if (now if now is not None else time.time()) - issued > MAX_AGE:
        return None
    if key_id is not None and not isinstance(key_id, int):
        return None
    return Session(key_id, csrf, issued)
