"""Keyed hashes of personal-data values: how the index finds a person without storing them.

A value is normalised the way the detector normalises it (email case-folded, phone as
its national significant number, name case-folded with single spaces), then hashed
with HMAC-SHA256 under the workspace's secret (the audit key): the same person gives
the same hash in every table, and a stolen database cannot be searched for a guessed
email without the key.
"""

from __future__ import annotations

import hashlib
import hmac
import re

from casework.text.pii import detect_pii, phone_check

KINDS = ("EMAIL", "PHONE", "NAME", "CARD", "IBAN", "NATIONAL_ID", "IP", "ADDRESS", "CUSTOMER")
_NON_DIGIT = re.compile(r"\D")
_phone = phone_check()


def normalise(kind: str, value: str) -> str:
    """The form the detector gives `value` of this kind, so a query meets the stored hash."""
    value = value.strip()
    if kind == "EMAIL":
        return value.casefold()
    if kind == "PHONE":
        checked = _phone(value, f"phone {value}", 6)
        return checked if checked is not None else _NON_DIGIT.sub("", value).lstrip("0")
    if kind in ("NAME", "ADDRESS"):
        return " ".join(value.casefold().split())
    if kind in ("CARD",):
        return _NON_DIGIT.sub("", value)
    if kind == "IBAN":
        return value.replace(" ", "").replace("-", "").upper()
    spans = detect_pii(value)
    if len(spans) == 1 and spans[0].type == kind and spans[0].normalized:
        return spans[0].normalized
    return value.casefold()


def value_hash(key: bytes, kind: str, normalised: str) -> str:
    """`pii_` + 32 hex characters of HMAC(key, kind, value): stable per workspace."""
    body = b"pii\0" + kind.encode() + b"\0" + normalised.encode()
    return "pii_" + hmac.new(key, body, hashlib.sha256).hexdigest()[:32]


def hash_of(key: bytes, kind: str, value: str) -> str:
    """Normalise, then hash: what a data-subject query computes from what a person typed."""
    return value_hash(key, kind, normalise(kind, value))
