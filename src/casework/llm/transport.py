"""JSON over HTTPS with timeouts and retries, on the standard library alone.

Retries cover what a second try can fix: timeouts, refused or reset
connections, 408, 429 and 5xx (Anthropic's 529 "overloaded" included), with
exponential backoff, honouring a short `Retry-After`. Anything else (401, 400,
a reply that is not JSON) fails at once. Logs name the provider, status and
attempt — never the request or response body, which hold the prompt.
"""

from __future__ import annotations

import json
import logging
import random
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from typing import Any

from casework.llm.base import LLMError

log = logging.getLogger(__name__)
RETRY_STATUSES = frozenset({408, 429})
MAX_BACKOFF_SECONDS = 30.0


class _Retryable(Exception):
    def __init__(self, reason: str, wait: float | None = None) -> None:
        super().__init__(reason)
        self.reason, self.wait = reason, wait


def _error_message(body: bytes) -> str:
    """The server's own short explanation (`{"error": {"message": …}}`), if it gave one."""
    try:
        data = json.loads(body)
        error = data.get("error") if isinstance(data, dict) else None
        message = error.get("message") if isinstance(error, dict) else error
    except ValueError:
        return ""
    return f": {str(message)[:200]}" if message else ""


def _retry_after(value: str | None) -> float | None:
    try:
        return min(float(value), MAX_BACKOFF_SECONDS) if value else None
    except ValueError:
        return None


def _attempt(request: urllib.request.Request, timeout: float, provider: str) -> Any:
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            raw = response.read()
    except urllib.error.HTTPError as exc:
        status, body = exc.code, exc.read()
        if status in RETRY_STATUSES or status >= 500:
            wait = _retry_after(exc.headers.get("Retry-After"))
            raise _Retryable(f"HTTP {status}", wait) from None
        raise LLMError(f"{provider}: HTTP {status}{_error_message(body)}") from None
    except TimeoutError:
        raise _Retryable("timed out") from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise _Retryable("timed out") from None
        raise _Retryable(f"unreachable ({exc.reason})") from None
    except ConnectionError as exc:
        raise _Retryable(f"connection failed ({type(exc).__name__})") from None
    try:
        return json.loads(raw)
    except ValueError:
        raise LLMError(f"{provider}: the server did not answer with JSON") from None


def post_json(
    url: str,
    body: Mapping[str, Any],
    headers: Mapping[str, str],
    *,
    provider: str,
    timeout: float,
    max_retries: int,
    backoff_seconds: float = 0.5,
) -> Any:
    """POST `body` as JSON and return the parsed reply; `LLMError` after the last retry."""
    data = json.dumps(body).encode()
    all_headers = {"Content-Type": "application/json", "Accept": "application/json", **headers}
    for attempt in range(max_retries + 1):
        request = urllib.request.Request(url, data=data, headers=all_headers, method="POST")
        try:
            return _attempt(request, timeout, provider)
        except _Retryable as exc:
            if attempt == max_retries:
                tries = f"{attempt + 1} attempt{'s' * (attempt > 0)}"
                raise LLMError(f"{provider}: {exc.reason} after {tries}") from None
            delay = exc.wait
            if delay is None:
                delay = min(backoff_seconds * 2**attempt, MAX_BACKOFF_SECONDS)
                delay += random.uniform(0, backoff_seconds / 2)  # spread synchronized clients
            log.warning(
                "%s: %s (attempt %d of %d); retrying in %.2fs",
                provider,
                exc.reason,
                attempt + 1,
                max_retries + 1,
                delay,
            )
            time.sleep(delay)
    raise AssertionError("unreachable")  # pragma: no cover
