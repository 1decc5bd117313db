"""`HelpdeskClient` and its Zendesk implementation, speaking the Ticketing API's wire format.

One write-back is one `PUT {base}/api/v2/tickets/{id}.json` carrying tags, custom
fields, group and an internal note together, so a retry never leaves half a
change applied. Tags are sent as `additional_tags`, which adds to the ticket's
tags instead of replacing them (`tags` would drop the agents' own). Transient
failures (429, 5xx, timeouts, refused connections) are retried with exponential
backoff, honouring `Retry-After`; anything else fails at once, since repeating
a request Zendesk refused will not change its answer.
"""

from __future__ import annotations

import base64
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_RETRY_AFTER = 120.0  # seconds: a longer wait is better left to the next `writeback run`


class WritebackError(RuntimeError):
    """A write-back that did not go through; `transient` ones may succeed later."""

    def __init__(self, message: str, *, transient: bool, status: int | None = None) -> None:
        super().__init__(message)
        self.transient = transient
        self.status = status


@dataclass(frozen=True)
class Changes:
    """Everything one write-back changes on one helpdesk ticket."""

    tags: list[str] = field(default_factory=list)
    fields: dict[str, Any] = field(default_factory=dict)  # casework name → value
    group: str | None = None  # casework queue key
    note: str | None = None  # internal, never shown to the customer


class HelpdeskClient(Protocol):
    """What casework needs from a helpdesk: annotate a ticket, never answer the customer."""

    def apply(self, ticket_id: str, changes: Changes) -> None: ...

    def add_tags(self, ticket_id: str, tags: list[str]) -> None: ...

    def set_fields(self, ticket_id: str, fields: dict[str, Any]) -> None: ...

    def set_group(self, ticket_id: str, group: str) -> None: ...

    def add_internal_note(self, ticket_id: str, body: str) -> None: ...


class ZendeskClient:
    """Zendesk Ticketing API with an API token (`{email}/token:{token}` basic auth).

    `group_ids` maps casework queue keys to Zendesk group ids and `field_ids`
    casework field names (`queue`, `priority`, `intent`) to custom field ids; a
    queue or field without an id is left out, never guessed. A queue imported as
    `zendesk-group-<id>` maps to that id by itself.
    """

    def __init__(
        self,
        base_url: str,
        email: str,
        token: str,
        *,
        group_ids: Mapping[str, int] | None = None,
        field_ids: Mapping[str, int] | None = None,
        max_attempts: int = 4,
        backoff: float = 0.5,
        timeout: float = 10.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        credentials = base64.b64encode(f"{email}/token:{token}".encode()).decode()
        self._headers = {"Authorization": f"Basic {credentials}", "Accept": "application/json"}
        self.group_ids = dict(group_ids or {})
        self.field_ids = dict(field_ids or {})
        self.max_attempts = max_attempts
        self.backoff = backoff
        self.timeout = timeout
        self._sleep = sleep

    # -- the protocol -------------------------------------------------------------

    def add_tags(self, ticket_id: str, tags: list[str]) -> None:
        self.apply(ticket_id, Changes(tags=tags))

    def set_fields(self, ticket_id: str, fields: dict[str, Any]) -> None:
        self.apply(ticket_id, Changes(fields=fields))

    def set_group(self, ticket_id: str, group: str) -> None:
        self.apply(ticket_id, Changes(group=group))

    def add_internal_note(self, ticket_id: str, body: str) -> None:
        self.apply(ticket_id, Changes(note=body))

    def apply(self, ticket_id: str, changes: Changes) -> None:
        """One PUT with every change; raises `WritebackError` when it does not go through."""
        body = self.ticket_body(changes)
        if not body["ticket"]:
            return
        self._put(f"{self.base_url}/api/v2/tickets/{ticket_id}.json", body)

    # -- wire format ----------------------------------------------------------------

    def group_id(self, queue: str) -> int | None:
        if queue in self.group_ids:
            return self.group_ids[queue]
        prefix = "zendesk-group-"
        rest = queue.removeprefix(prefix)
        return int(rest) if queue.startswith(prefix) and rest.isdigit() else None

    def ticket_body(self, changes: Changes) -> dict[str, dict[str, Any]]:
        """`{"ticket": {...}}` as the Update Ticket endpoint takes it."""
        ticket: dict[str, Any] = {}
        if changes.tags:
            ticket["additional_tags"] = list(changes.tags)
        custom = [
            {"id": self.field_ids[name], "value": value}
            for name, value in changes.fields.items()
            if name in self.field_ids
        ]
        if custom:
            ticket["custom_fields"] = custom
        group_id = self.group_id(changes.group) if changes.group else None
        if group_id is not None:
            ticket["group_id"] = group_id
        if changes.note:
            ticket["comment"] = {"body": changes.note, "public": False}
        return {"ticket": ticket}

    def _put(self, url: str, body: dict[str, Any]) -> None:
        last: WritebackError | None = None
        for attempt in range(1, self.max_attempts + 1):
            wait = self.backoff * 2 ** (attempt - 1)
            try:
                response = httpx.put(url, json=body, headers=self._headers, timeout=self.timeout)
            except httpx.TransportError as exc:  # timeouts, refused or reset connections
                last = WritebackError(f"{type(exc).__name__}: {exc}", transient=True)
            else:
                if response.is_success:
                    return
                last = WritebackError(
                    f"HTTP {response.status_code}: {response.text[:300]}",
                    transient=response.status_code in RETRY_STATUSES,
                    status=response.status_code,
                )
                if not last.transient:
                    raise last
                wait = max(wait, _retry_after(response.headers.get("Retry-After")))
            if attempt < self.max_attempts:
                self._sleep(min(wait, MAX_RETRY_AFTER))
        assert last is not None
        raise last


def _retry_after(value: str | None) -> float:
    """Seconds from a `Retry-After` header (Zendesk sends seconds); 0 when absent or a date."""
    try:
        return max(0.0, float(value)) if value else 0.0
    except ValueError:
        return 0.0


def _id_map(text: str) -> dict[str, int]:
    """`billing=123,returns=456` → {"billing": 123, "returns": 456}."""
    pairs = (item.split("=", 1) for item in text.split(",") if "=" in item)
    return {name.strip(): int(value) for name, value in pairs if value.strip().isdigit()}


def zendesk_from_env(env: Mapping[str, str] | None = None) -> ZendeskClient | None:
    """The client `CASEWORK_ZENDESK_URL`/`_EMAIL`/`_API_TOKEN` describe; None if unset."""
    env = os.environ if env is None else env
    url, email, token = (
        env.get(f"CASEWORK_ZENDESK_{name}", "") for name in ("URL", "EMAIL", "API_TOKEN")
    )
    if not (url and email and token):
        return None
    return ZendeskClient(
        url,
        email,
        token,
        group_ids=_id_map(env.get("CASEWORK_ZENDESK_GROUP_IDS", "")),
        field_ids=_id_map(env.get("CASEWORK_ZENDESK_FIELD_IDS", "")),
    )
