"""One seeded workspace per backend, served by uvicorn on loopback for the whole module.

Seeding (150 demo tickets, processed) takes seconds, so the tests of a module
share one server per backend instead of building it per test; tests that write
pick objects no other test touches. The server is a real peer: a socket bound to
127.0.0.1 on a free port, spoken to over HTTP with httpx.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import uvicorn
from api_support import Served

from casework import Workspace
from casework.api.app import create_app
from casework.api.auth import ROLES
from casework.api.keys import create_key
from casework.demo import generate_demo
from casework.pipeline import process_all
from casework.triage.engine import Triager
from casework.triage.model_store import load_bundled

MAX_BODY = 64 * 1024  # small, so the 413 test sends little



def _serve(ws: Workspace) -> tuple[uvicorn.Server, threading.Thread, str]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        create_app(ws, max_body_size=MAX_BODY), log_level="warning", ws="none", lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the API server did not start")
        time.sleep(0.02)
    return server, thread, f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def served(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    empty_workspace: Callable[[str, Path], Workspace],
) -> Iterator[Served]:
    """A seeded, processed workspace behind a running server, with one key per role."""
    if request.param == "postgresql" and not os.environ.get("CASEWORK_TEST_DATABASE_URL"):
        pytest.skip("CASEWORK_TEST_DATABASE_URL is not set")
    ws = empty_workspace(request.param, tmp_path_factory.mktemp("api"))
    generate_demo(ws, seed=1, tickets=150)
    process_all(ws, Triager(load_bundled("intent")))
    keys = {role: create_key(ws, f"test-{role}", role, "user:test") for role in ROLES}
    server, thread, url = _serve(ws)
    try:
        yield Served(ws, url, keys)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        ws.close()
