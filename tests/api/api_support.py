"""Helpers the API tests share: finding seeded objects by what they contain."""

from __future__ import annotations

from dataclasses import dataclass, field

import httpx
from sqlalchemy import select

from casework import Workspace
from casework.api.keys import ApiKey
from casework.store.tables import MessageRow
from casework.text.pii import detect_pii


@dataclass
class Served:
    ws: Workspace
    base_url: str
    keys: dict[str, tuple[ApiKey, str]] = field(default_factory=dict)

    def client(self, role: str | None = None, header: str = "bearer") -> httpx.Client:
        """A client sending `role`'s key (None: no key at all)."""
        headers: dict[str, str] = {}
        if role is not None:
            token = self.keys[role][1]
            if header == "bearer":
                headers["Authorization"] = f"Bearer {token}"
            else:
                headers["X-API-Key"] = token
        return httpx.Client(base_url=self.base_url, headers=headers, timeout=60)


def first_ticket_with_pii(served: Served) -> tuple[int, str]:
    """A ticket one of whose messages holds detectable personal data, and that message."""
    with served.ws.session() as session:
        for ticket_id, body in session.execute(
            select(MessageRow.ticket_id, MessageRow.body).order_by(MessageRow.id)
        ):
            if detect_pii(body):
                return int(ticket_id), str(body)
    raise AssertionError("the demo has no message with personal data")
