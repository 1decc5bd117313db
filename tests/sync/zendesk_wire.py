"""A local HTTP server that speaks Zendesk's incremental-export wire format.

It runs for real on 127.0.0.1 in a thread and serves pages built from the test
data below: the cursor-based ticket export (`after_cursor`, `end_of_stream`,
side-loaded users and groups) and the time-based ticket-events export
(`end_time`, `child_events`, comment events). Tests queue faults (a 429 with
`Retry-After`, a 500, an exhausted rate limit) and read the request log.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

T0 = 1_709_640_000  # 2024-03-05 12:00:00 UTC
PAGE_SIZE = 2
USERS = [
    {"id": 1, "name": "Ana Silva", "email": "ana@example.com", "role": "end-user"},
    {"id": 4, "name": "Ben Okafor", "email": "ben@example.com", "role": "end-user"},
    {"id": 2, "name": "Tom Berg", "email": "tom@shop.example", "role": "agent"},
]
GROUPS = [{"id": 70, "name": "Orders & Delivery"}]


def iso(seconds: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


def ticket(n: int) -> dict[str, Any]:
    """Ticket 100n: created at T0 + n hours, answered, solved when n is even."""
    created = T0 + n * 3600
    return {
        "id": 1000 + n,
        "subject": f"Order {n} is late",
        "description": f"Where is order {n}?",
        "status": "solved" if n % 2 == 0 else "open",
        "priority": "normal",
        "requester_id": 1 if n % 2 else 4,
        "assignee_id": 2,
        "group_id": 70,
        "via": {"channel": "email"},
        "tags": ["late"],
        "created_at": iso(created),
        "updated_at": iso(created + 1800),
        "generated_timestamp": created + 1800,
    }


def events_of(n: int) -> list[dict[str, Any]]:
    """Zendesk's ticket events for ticket 100n: creation, agent reply, maybe a solve."""
    t = ticket(n)
    created = T0 + n * 3600
    base = {"ticket_id": t["id"], "via": "Web form", "event_type": "Audit"}
    events = [
        {**base, "id": n * 100 + 1, "timestamp": created, "created_at": iso(created),
         "updater_id": t["requester_id"],
         "child_events": [
             {"id": n * 1000 + 1, "event_type": "Comment", "body": t["description"],
              "public": True, "author_id": t["requester_id"]},
             {"id": n * 1000 + 2, "event_type": "Create", "status": "new"},
             {"id": n * 1000 + 3, "event_type": "Create", "priority": "normal"},
         ]},
        {**base, "id": n * 100 + 2, "timestamp": created + 600, "created_at": iso(created + 600),
         "updater_id": 2,
         "child_events": [
             {"id": n * 1000 + 4, "event_type": "Comment", "body": "On its way.",
              "public": True, "author_id": 2},
             {"id": n * 1000 + 5, "event_type": "Change", "status": "open",
              "previous_value": "new"},
             {"id": n * 1000 + 6, "event_type": "Change", "assignee_id": 2,
              "previous_value": None},
             {"id": n * 1000 + 7, "event_type": "Notification", "subject": "ignored"},
         ]},
    ]  # fmt: skip
    if n % 2 == 0:
        events.append(
            {**base, "id": n * 100 + 3, "timestamp": created + 1800,
             "created_at": iso(created + 1800), "updater_id": 2,
             "child_events": [{"id": n * 1000 + 8, "event_type": "Change", "status": "solved",
                               "previous_value": "open"}]}
        )  # fmt: skip
    return events


@dataclass
class Fault:
    path: str
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    times: int = 1
    ok_headers: bool = False
    """Serve the normal page but with `headers` (e.g. an exhausted rate limit)."""


@dataclass
class ZendeskData:
    tickets: list[dict[str, Any]]
    events: list[dict[str, Any]]
    faults: list[Fault] = field(default_factory=list)
    log: list[tuple[float, str, dict[str, str], int, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def requests(self, path: str) -> list[dict[str, str]]:
        return [params for _, p, params, _, _ in self.log if p == path]


def _tickets_page(data: ZendeskData, params: dict[str, str]) -> dict[str, Any]:
    if "cursor" in params:
        start = int(params["cursor"].removeprefix("c"))
    else:
        since = int(params.get("start_time", "0"))
        start = next(
            (i for i, t in enumerate(data.tickets) if t["generated_timestamp"] >= since),
            len(data.tickets),
        )
    chunk = data.tickets[start : start + PAGE_SIZE]
    after = start + len(chunk)
    return {
        "tickets": chunk,
        "users": USERS if "users" in params.get("include", "") else [],
        "groups": GROUPS if "groups" in params.get("include", "") else [],
        "after_cursor": f"c{after}",
        "after_url": f"https://acme.zendesk.com/api/v2/incremental/tickets/cursor.json?cursor=c{after}",
        "before_cursor": f"c{start}",
        "before_url": None,
        "end_of_stream": after >= len(data.tickets),
    }


def _events_page(data: ZendeskData, params: dict[str, str]) -> dict[str, Any]:
    since = int(params.get("start_time", "0"))
    selected = [e for e in data.events if e["timestamp"] >= since][:3]
    if "comment_events" not in params.get("include", ""):
        selected = [
            {**e, "child_events": [c for c in e["child_events"] if c["event_type"] != "Comment"]}
            for e in selected
        ]
    rest = [e for e in data.events if e["timestamp"] >= since][3:]
    end = selected[-1]["timestamp"] + 1 if selected else since
    return {
        "ticket_events": selected,
        "next_page": f"https://acme.zendesk.com/api/v2/incremental/ticket_events.json?start_time={end}",
        "count": len(selected),
        "end_of_stream": not rest,
        "end_time": end,
    }


def _handler(data: ZendeskData) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_args: object) -> None:  # keep pytest output clean
            pass

        def do_GET(self) -> None:  # noqa: N802 (the http.server API)
            url = urlparse(self.path)
            params = {k: v[-1] for k, v in parse_qs(url.query).items()}
            auth = self.headers.get("Authorization", "")
            with data.lock:
                fault = next((f for f in data.faults if url.path == f.path and f.times), None)
                if fault is not None:
                    fault.times -= 1
                status = fault.status if fault is not None else 200
                data.log.append((time.monotonic(), url.path, params, status, auth))
            headers = {"X-Rate-Limit": "700", "X-Rate-Limit-Remaining": "650"}
            if fault is not None:
                headers.update(fault.headers)
            if status != 200:
                body = json.dumps({"error": "fault injected"}).encode()
            elif url.path == "/api/v2/incremental/tickets/cursor.json":
                body = json.dumps(_tickets_page(data, params)).encode()
            elif url.path == "/api/v2/incremental/ticket_events.json":
                body = json.dumps(_events_page(data, params)).encode()
            else:
                status, body = 404, b'{"error": "InvalidEndpoint"}'
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

    return Handler


@dataclass
class Server:
    url: str
    data: ZendeskData


@contextmanager
def serve(data: ZendeskData) -> Iterator[Server]:
    """Serve `data` on 127.0.0.1 (a free port) in a thread until the block ends."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(data))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Server(f"http://127.0.0.1:{server.server_address[1]}", data)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
