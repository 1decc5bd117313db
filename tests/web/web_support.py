"""Helpers the dashboard tests share: the seeded site and signing in through the form."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from fastapi.testclient import TestClient

from casework import Workspace
from casework.api.app import create_app
from casework.api.keys import ApiKey

SCRIPT_BODY = "<script>alert('pwned')</script> my order never arrived"


@dataclass
class Site:
    ws: Workspace
    keys: dict[str, tuple[ApiKey, str]] = field(default_factory=dict)
    script_ticket: int = 0
    clients: list[TestClient] = field(default_factory=list)

    def client(self) -> TestClient:
        client = TestClient(create_app(self.ws, process_webhooks=False))
        self.clients.append(client)
        return client

    def signed_in(self, role: str) -> TestClient:
        client = self.client()
        sign_in(client, self.keys[role][1])
        return client


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "the page has no CSRF field"
    return match[1]


def sign_in(client: TestClient, token: str) -> None:
    form = client.get("/dashboard/login")
    response = client.post(
        "/dashboard/login",
        data={"key": token, "csrf_token": csrf_of(form.text), "next": "/dashboard/review"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
