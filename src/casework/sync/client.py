"""A Zendesk API client that survives a long sync: rate limits, 429s and flaky 5xx.

Zendesk answers a client over its rate limit with `429 Too Many Requests` and
`Retry-After: <seconds>`, and says how much of the minute's budget is left in
`X-Rate-Limit-Remaining` on every response. The client waits as told, pauses
on its own when the budget is spent (until `ratelimit-reset`, else a minute),
and retries a 5xx or a dropped connection with exponential backoff, so a sync
of a big account neither gets its token blocked nor dies on one bad gateway.
The base URL is injectable (tests, proxies); the API token comes from the
caller (the CLI reads it from an environment variable, never a flag).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

MAX_RETRY_AFTER = 600.0
"""Never sleep longer than this on one `Retry-After` (a bogus header must not hang a sync)."""


class SyncError(RuntimeError):
    """The API refused or kept failing; the message says what to do."""


@dataclass
class ClientStats:
    requests: int = 0
    retries: int = 0
    rate_limited: int = 0
    waited_seconds: float = 0.0


class ZendeskClient:
    """GET JSON from the Zendesk API with authentication, waits and retries."""

    def __init__(
        self,
        subdomain: str,
        email: str,
        token: str,
        *,
        base_url: str | None = None,
        retries: int = 5,
        backoff: float = 1.0,
        timeout: float = 60.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not subdomain and not base_url:
            raise ValueError("a Zendesk subdomain (or a base URL) is required")
        self.base_url = (base_url or f"https://{subdomain}.zendesk.com").rstrip("/")
        self.retries = retries
        self.backoff = backoff
        self.sleep = sleep
        self.stats = ClientStats()
        self._http = httpx.Client(
            base_url=self.base_url,
            auth=httpx.BasicAuth(f"{email}/token", token),
            timeout=timeout,
            headers={"Accept": "application/json", "User-Agent": "casework-sync"},
        )

    def get(self, path: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """The JSON object at `path`; raises `SyncError` once retries are spent."""
        failures = 0
        while True:
            self.stats.requests += 1
            try:
                response = self._http.get(path, params=params)
            except httpx.TransportError as exc:
                failures = self._retry(failures, f"{path}: {exc}")
                continue
            if response.status_code == 429:
                self.stats.rate_limited += 1
                self._wait(_seconds(response.headers.get("Retry-After"), 60.0))
                continue
            if response.status_code >= 500:
                failures = self._retry(failures, f"{path}: HTTP {response.status_code}")
                continue
            if response.status_code in (401, 403):
                raise SyncError(
                    f"Zendesk refused the credentials (HTTP {response.status_code}); check the "
                    "email, the API token and that token access is enabled"
                )
            if response.status_code >= 400:
                raise SyncError(f"{path}: HTTP {response.status_code}: {response.text[:200]}")
            remaining = response.headers.get("X-Rate-Limit-Remaining")
            if remaining is not None and remaining.strip().isdigit() and int(remaining) <= 0:
                self._wait(_seconds(response.headers.get("ratelimit-reset"), 60.0))
            try:
                data = response.json()
            except ValueError as exc:
                raise SyncError(f"{path}: the response is not JSON") from exc
            if not isinstance(data, dict):
                raise SyncError(f"{path}: expected a JSON object")
            return data

    def _retry(self, failures: int, what: str) -> int:
        failures += 1
        if failures > self.retries:
            raise SyncError(f"{what}; gave up after {self.retries} retries")
        self.stats.retries += 1
        self._wait(self.backoff * 2 ** (failures - 1))
        return failures

    def _wait(self, seconds: float) -> None:
        self.stats.waited_seconds += seconds
        self.sleep(seconds)

    def close(self) -> None:
        self._http.close()


def _seconds(header: str | None, default: float) -> float:
    try:
        value = float(header) if header is not None else default
    except ValueError:
        value = default
    return min(max(value, 0.0), MAX_RETRY_AFTER)
