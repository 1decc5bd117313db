"""Fixtures for the worker tests: the real broker behind a proxy, real worker processes.

Broker tests run when `CASEWORK_TEST_BROKER_URL` is set (CI sets it; the pytest
header says whether they run) and fail, never skip, when it is set but RabbitMQ
cannot be reached. Each test gets its own queue name, so parallel runs on one
broker never take each other's messages, and its queue is deleted afterwards.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from jobs_support import AUDIT_KEY, Poison, Workers
from tcpproxy import TcpProxy

from casework import Workspace

BROKER_URL_VAR = "CASEWORK_TEST_BROKER_URL"


@pytest.fixture(scope="session")
def broker_url() -> str:
    url = os.environ.get(BROKER_URL_VAR)
    if not url:
        pytest.skip(f"{BROKER_URL_VAR} is not set")
    parts = urlsplit(url)
    try:
        socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 5672), 3).close()
    except OSError as exc:
        pytest.fail(f"{BROKER_URL_VAR} is set but RabbitMQ is unreachable: {exc}", pytrace=False)
    return url


@pytest.fixture
def proxy(broker_url: str) -> Iterator[TcpProxy]:
    parts = urlsplit(broker_url)
    proxy = TcpProxy((parts.hostname or "127.0.0.1", parts.port or 5672)).start()
    yield proxy
    proxy.stop()


def via(proxy: TcpProxy, broker_url: str) -> str:
    parts = urlsplit(broker_url)
    auth = parts.netloc.rsplit("@", 1)[0] + "@" if "@" in parts.netloc else ""
    return urlunsplit((parts.scheme, f"{auth}127.0.0.1:{proxy.port}", parts.path, "", ""))


@pytest.fixture
def shared_ws(
    tmp_path: Path, empty_workspace: Callable[[str, Path], Workspace]
) -> Iterator[Workspace]:
    """One database several processes share: PostgreSQL when configured, else SQLite."""
    folder = tmp_path / "ws"
    folder.mkdir()
    backend = "postgresql" if os.environ.get("CASEWORK_TEST_DATABASE_URL") else "sqlite"
    ws = empty_workspace(backend, folder)
    try:
        yield ws
    finally:
        ws.close()


@pytest.fixture
def workers(
    shared_ws: Workspace,
    broker_url: str,
    proxy: TcpProxy,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Workers]:
    queue = f"casework-test-{uuid.uuid4().hex[:10]}"
    logs = tmp_path / "logs"
    logs.mkdir()
    w = Workers(shared_ws, via(proxy, broker_url), queue, logs)
    monkeypatch.setenv("CASEWORK_AUDIT_KEY", AUDIT_KEY)  # this process writes to the same chain
    try:
        yield w
    finally:
        w.stop()
        _delete_queues(broker_url, queue)


def _delete_queues(broker_url: str, queue: str) -> None:
    import pika

    try:
        conn = pika.BlockingConnection(pika.URLParameters(broker_url))
    except Exception:
        return
    try:
        channel = conn.channel()
        for name in (queue, f"{queue}.DQ", f"{queue}.XQ"):
            channel.queue_delete(name)
    finally:
        conn.close()


@pytest.fixture
def poison() -> Iterator[Poison]:
    found = Poison()
    yield found
    for ws in found.touched:
        found.cure(ws)
