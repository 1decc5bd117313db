"""The egress guard: the one place personal data is checked on its way out of casework.

Everything that leaves the core passes through `guard`: prompts to an LLM provider,
MCP tool results, API responses for roles without raw access, helpdesk write-back,
log records (`install_log_guard`) and written reports. It runs the personal-data
detector over the payload — every string, nested in dicts and lists, dict keys too —
and, per channel (`privacy.egress` in the config), replaces what it finds with typed
placeholders (`redact`) or refuses the whole payload (`block`, `EgressBlocked`).
Types a channel may carry raw are listed in `privacy.egress.allow`.

Every find is counted in memory (types and counts, never values) and written to the
`egress_blocks` table by `flush` — callers that hold a database session flush after
sending, so `casework privacy blocks` shows what the guard stopped, per channel.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import insert
from sqlalchemy.orm import Session

from casework.text.pii import PiiSpan, Recognizer, Redactor, detect_pii

CHANNELS = ("llm", "mcp", "api", "writeback", "logs", "reports")
Mode = Literal["redact", "block"]


class EgressBlocked(RuntimeError):
    """A payload held personal data its channel may not carry. The message names the
    channel and the types found, never a value."""

    def __init__(self, channel: str, found: Mapping[str, int]) -> None:
        self.channel, self.found = channel, dict(found)
        kinds = ", ".join(f"{n} {t}" for t, n in sorted(found.items()))
        super().__init__(f"withheld from {channel}: it contained personal data ({kinds})")


@dataclass(frozen=True)
class EgressPolicy:
    """Mode per channel and the types each channel may carry raw."""

    modes: Mapping[str, Mode] = field(default_factory=dict)
    allow: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def mode(self, channel: str) -> Mode:
        return self.modes.get(channel, "redact")

    def allowed(self, channel: str) -> frozenset[str]:
        return self.allow.get(channel, frozenset())

    @classmethod
    def from_settings(cls, settings: Any) -> EgressPolicy:
        """From `privacy.egress` of a `WorkspaceConfig` (duck-typed: no config import here)."""
        modes = {c: getattr(settings, c) for c in CHANNELS}
        allow = {c: frozenset(t.upper() for t in types) for c, types in settings.allow.items()}
        return cls(modes, allow)


_policy = EgressPolicy()
_lock = threading.Lock()
_pending: dict[tuple[str, str | None, str], Counter[str]] = {}
_payloads: Counter[tuple[str, str | None, str]] = Counter()


def configure(policy: EgressPolicy | Any) -> EgressPolicy:
    """Make `policy` (or `privacy.egress` settings) the process's policy; returns it."""
    global _policy
    _policy = policy if isinstance(policy, EgressPolicy) else EgressPolicy.from_settings(policy)
    return _policy


def active_policy() -> EgressPolicy:
    return _policy


@dataclass
class Guarded:
    """A payload after the guard: what goes out, what was found (type -> count), and what
    was done (`pass`: nothing found or raw allowed, `redacted`, `blocked`)."""

    payload: Any
    found: Counter[str]
    action: str


class _Walker:
    def __init__(
        self, redactor: Redactor, allowed: frozenset[str], recognizers: list[Recognizer] | None
    ) -> None:
        self.redactor, self.allowed, self.recognizers = redactor, allowed, recognizers
        self.found: Counter[str] = Counter()

    def text(self, value: str) -> str:
        if not value:
            return value
        spans = [s for s in detect_pii(value, self.recognizers) if s.type not in self.allowed]
        if not spans:
            return value
        self.found.update(s.type for s in spans)
        return _replace(value, spans, self.redactor)

    def walk(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, Mapping):
            return {self.walk(k) if isinstance(k, str) else k: self.walk(v)
                    for k, v in value.items()}  # fmt: skip
        if isinstance(value, list | tuple):
            walked = [self.walk(v) for v in value]
            return walked if isinstance(value, list) else tuple(walked)
        if isinstance(value, set | frozenset):
            return [self.walk(v) for v in value]
        return value


def _replace(text: str, spans: list[PiiSpan], redactor: Redactor) -> str:
    parts, pos = [], 0
    for span in spans:
        parts += [text[pos : span.start], redactor.placeholder(span)]
        pos = span.end
    parts.append(text[pos:])
    return "".join(parts)


def guard(
    payload: Any,
    channel: str,
    *,
    role: str | None = None,
    raw: bool = False,
    policy: EgressPolicy | None = None,
    redactor: Redactor | None = None,
    recognizers: list[Recognizer] | None = None,
) -> Guarded:
    """Check `payload` for `channel`. `raw=True` (a role allowed raw data) passes it as is.
    Raises `EgressBlocked` when the channel's mode is `block` and something was found.
    Pass one `redactor` for a whole response so a value keeps one placeholder."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown egress channel {channel!r}; expected one of {CHANNELS}")
    if raw:
        return Guarded(payload, Counter(), "pass")
    policy = policy or _policy
    walker = _Walker(redactor or Redactor(recognizers), policy.allowed(channel), recognizers)
    out = walker.walk(payload)
    if not walker.found:
        return Guarded(out, walker.found, "pass")
    action = "blocked" if policy.mode(channel) == "block" else "redacted"
    _record(channel, role, action, walker.found)
    if action == "blocked":
        raise EgressBlocked(channel, walker.found)
    return Guarded(out, walker.found, action)


def guard_text(text: str, channel: str, **kwargs: Any) -> str:
    """`guard` for one string: the text as it may leave."""
    return str(guard(text, channel, **kwargs).payload)


def guard_payload(payload: Any, channel: str, **kwargs: Any) -> Any:
    """`guard` for a structure: the structure as it may leave."""
    return guard(payload, channel, **kwargs).payload


def _record(channel: str, role: str | None, action: str, found: Counter[str]) -> None:
    with _lock:
        _pending.setdefault((channel, role, action), Counter()).update(found)
        _payloads[(channel, role, action)] += 1


def pending() -> dict[tuple[str, str | None, str], dict[str, int]]:
    """What the guard found since the last flush: (channel, role, action) -> type counts."""
    with _lock:
        return {k: dict(v) for k, v in _pending.items()}


def flush(session: Session) -> int:
    """Write what was found since the last flush as `egress_blocks` rows (one per channel,
    role and action; `count` is the number of payloads). Returns rows written."""
    from casework.store.tables import EgressBlockRow

    with _lock:
        rows = [
            {"occurred_at": datetime.now(UTC), "channel": c, "role": r, "action": a,
             "found": dict(found), "count": _payloads[(c, r, a)]}
            for (c, r, a), found in _pending.items()
        ]  # fmt: skip
        _pending.clear()
        _payloads.clear()
    if rows:
        session.execute(insert(EgressBlockRow), rows)
    return len(rows)


class _LogGuard:
    """Wraps the log-record factory: every record's message is guarded once, at creation,
    so no handler — file, console, a collector — ever sees personal data."""

    def __init__(self, factory: Any) -> None:
        self.factory = factory

    def __call__(self, *args: Any, **kwargs: Any) -> logging.LogRecord:
        record: logging.LogRecord = self.factory(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is the logging module's problem, not ours
            return record
        try:
            guarded = guard_text(message, "logs")
        except EgressBlocked as exc:
            guarded = f"[log message {exc}]"
        if guarded != message:
            record.msg, record.args = guarded, None
        return record


def install_log_guard() -> None:
    """Guard every log record of this process (idempotent)."""
    factory = logging.getLogRecordFactory()
    if not isinstance(factory, _LogGuard):
        logging.setLogRecordFactory(_LogGuard(factory))
