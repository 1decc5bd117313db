"""The signed session cookie: round trip, tampering, expiry, and the workspace secret."""

from __future__ import annotations

import stat
import time
from pathlib import Path

from casework.web import session as cookies


def test_a_session_survives_a_round_trip_and_nothing_else_does(tmp_path: Path) -> None:
    secret = cookies.load_secret(tmp_path)
    signed_in = cookies.Session.anonymous().signed_in(7)
    value = cookies.dump(secret, signed_in)
    assert cookies.load(secret, value) == signed_in
    payload, _, signature = value.rpartition(".")
    forged = cookies.dump(b"another secret of at least thirty-two bytes", signed_in)
    assert cookies.load(secret, forged) is None
    assert cookies.load(secret, payload + "." + signature[::-1]) is None
    assert cookies.load(secret, "garbage") is None
    assert cookies.load(secret, None) is None


def test_a_session_expires(tmp_path: Path) -> None:
    secret = cookies.load_secret(tmp_path)
    value = cookies.dump(secret, cookies.Session.anonymous())
    later = time.time() + cookies.MAX_AGE + 1
    assert cookies.load(secret, value, now=later) is None


def test_signing_in_changes_the_csrf_token() -> None:
    before = cookies.Session.anonymous()
    after = before.signed_in(1)
    assert after.csrf != before.csrf
    assert not after.valid_csrf(before.csrf) and after.valid_csrf(after.csrf)
    assert not after.valid_csrf(None) and not after.valid_csrf("")


def test_the_secret_is_created_once_and_private(tmp_path: Path) -> None:
    first = cookies.load_secret(tmp_path)
    assert cookies.load_secret(tmp_path) == first
    mode = stat.S_IMODE((tmp_path / cookies.SECRET_FILE).stat().st_mode)
    assert mode == 0o600
