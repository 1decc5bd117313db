"""A seeded, processed workspace per backend and a TestClient signed in as each role.

Seeding (150 demo tickets triaged with the bundled model, routed and drafted) takes a
few seconds, so a module shares one workspace; tests that write pick objects no other
test in the module touches. One extra ticket's body is `<script>…</script>`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_support import SCRIPT_BODY, Site

from casework import Workspace
from casework.api.auth import ROLES
from casework.api.keys import create_key
from casework.demo import generate_demo
from casework.domain import AuthorRole, Customer, Message, Ticket
from casework.pipeline import process_all
from casework.qa.scoring import score_pending
from casework.store import repository as repo
from casework.triage.engine import Triager
from casework.triage.model_store import load_bundled


def _script_ticket(ws: Workspace) -> int:
    now = datetime.now(UTC)
    ticket = Ticket(
        source="api",
        external_id="xss-1",
        subject="<b>bold</b> <script>alert(1)</script>",
        created_at=now,
        requester=Customer(external_id="x@example.com", email="x@example.com"),
        messages=[Message(author_role=AuthorRole.customer, body=SCRIPT_BODY, created_at=now)],
    )
    with ws.session() as s:
        repo.upsert_tickets(s, [ticket])
        row = repo.find_ticket(s, "api", "xss-1")
        assert row is not None
        return row.id


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def site(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    empty_workspace: Callable[[str, Path], Workspace],
) -> Iterator[Site]:
    if request.param == "postgresql" and not os.environ.get("CASEWORK_TEST_DATABASE_URL"):
        pytest.skip("CASEWORK_TEST_DATABASE_URL is not set")
    ws = empty_workspace(request.param, tmp_path_factory.mktemp("web"))
    generate_demo(ws, seed=3, tickets=150)
    script_ticket = _script_ticket(ws)
    process_all(ws, Triager(load_bundled("intent")))
    score_pending(ws)  # QA scores, so the quality page has agents, coaching and quotes
    keys = {role: create_key(ws, f"web-{role}", role, "user:test") for role in ROLES}
    found = Site(ws, keys, script_ticket)
    try:
        yield found
    finally:
        for client in found.clients:
            client.close()
        ws.close()


@pytest.fixture
def as_role(site: Site) -> Callable[[str], TestClient]:
    return site.signed_in
