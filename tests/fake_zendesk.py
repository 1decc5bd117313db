"""A local HTTP server speaking Zendesk's Update Ticket wire format, for write-back tests.

Shared by the write-back client tests and the worker tests (a worker subprocess reaches
it over loopback like any helpdesk); the `zendesk` fixture in `conftest.py` starts one.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class FakeZendesk:
    """Records every request; answers from `script` ((status, headers) per request), then 200."""

    url: str = ""
    requests: list[dict[str, Any]] = field(default_factory=list)
    script: list[tuple[int, dict[str, str]]] = field(default_factory=list)


@contextmanager
def serve_fake_zendesk() -> Iterator[FakeZendesk]:
    fake = FakeZendesk()

    class Handler(BaseHTTPRequestHandler):
        def do_PUT(self) -> None:  # noqa: N802 (http.server's naming)
            length = int(self.headers.get("Content-Length", 0))
            body = json.loads(self.rfile.read(length) or b"null")
            fake.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
            code, headers = fake.script.pop(0) if fake.script else (200, {})
            answer = {"ticket": {"id": 1}} if code == 200 else {"error": "RecordInvalid"}
            data = json.dumps(answer).encode()
            self.send_response(code)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *_args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
