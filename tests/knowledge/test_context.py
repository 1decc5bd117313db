"""Context providers read only what an intent is allowed to, and every read is audited."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, event, text

from casework import Workspace
from casework.audit import AuditEvent, append, load_key
from casework.config.loader import default_config
from casework.config.schema import ContextProviderConfig, WorkspaceConfig
from casework.demo import generate_demo
from casework.knowledge.context import (
    DEMO_ORDERS,
    ContextService,
    CsvProvider,
    HttpJsonProvider,
    SqlProvider,
    build_provider,
    demo_orders_provider,
    provider_kinds,
)
from casework.store.tables import AuditEventRow, OrderRow

FIELDS = ["status", "carrier", "total_amount", "email"]
ALLOWED = ["orders.status", "orders.carrier"]


def config_with(provider: ContextProviderConfig, allow: dict[str, list[str]]) -> WorkspaceConfig:
    return default_config().model_copy(
        update={"context_providers": [provider], "context_allow": allow}
    )


class SpyProvider:
    """Records what it was asked for and, like a careless source, returns everything."""

    name = "orders"

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[str, ...]]] = []

    def fetch(self, key: str, fields: Sequence[str]) -> dict[str, Any] | None:
        self.calls.append((key, tuple(fields)))
        return {"status": "shipped", "carrier": "DHL", "total_amount": "99.00", "email": "x@y.z"}


def spy_service() -> tuple[ContextService, SpyProvider]:
    source = ContextProviderConfig(
        name="orders", kind="csv", key="order_number", fields=FIELDS, options={"path": "unused.csv"}
    )
    spy = SpyProvider()
    config = config_with(source, {"order_status": ALLOWED})
    return ContextService(config, providers={"orders": spy}), spy


def test_fields_outside_the_allow_list_are_never_requested() -> None:
    service, spy = spy_service()
    result = service.context_for("order_status", {"order_number": "ORD-1"})
    assert spy.calls == [("ORD-1", ("status", "carrier"))]
    assert result.values == {"orders.status": "shipped", "orders.carrier": "DHL"}


def test_an_intent_without_an_allow_list_reads_nothing() -> None:
    service, spy = spy_service()
    events: list[AuditEvent] = []
    result = service.context_for("refund_request", {"order_number": "ORD-1"}, events.append)
    assert spy.calls == [] and result.values == {} and events == []


def test_asking_for_a_field_the_intent_may_not_read_is_refused() -> None:
    service, spy = spy_service()
    result = service.context_for(
        "order_status", {"order_number": "ORD-1"}, wanted=["orders.status", "orders.email"]
    )
    assert spy.calls == [("ORD-1", ("status",))]
    assert [r.field for r in result.refused] == ["orders.email"]
    assert result.values == {"orders.status": "shipped"}


def test_every_read_is_audited_with_field_names_not_values() -> None:
    service, _ = spy_service()
    events: list[AuditEvent] = []
    service.context_for("order_status", {"order_number": "ORD-1"}, events.append, ticket_id=42)
    [event_] = events
    assert (event_.action, event_.object_type, event_.object_id) == ("context.read", "ticket", "42")
    assert event_.fields_read == ALLOWED
    assert event_.details["found"] is True
    recorded = json.dumps([event_.details, event_.versions])
    assert "shipped" not in recorded and "DHL" not in recorded and "ORD-1" not in recorded


def test_no_key_on_the_ticket_means_no_read() -> None:
    service, spy = spy_service()
    events: list[AuditEvent] = []
    result = service.context_for("order_status", {"order_number": None}, events.append)
    assert spy.calls == [] and events == []
    assert {r.field for r in result.refused} == set(ALLOWED)


def test_a_failing_source_is_reported_and_still_audited(tmp_path: Path) -> None:
    source = ContextProviderConfig(
        name="orders",
        kind="csv",
        key="order_number",
        fields=FIELDS,
        options={"path": str(tmp_path / "none.csv")},
    )
    events: list[AuditEvent] = []
    service = ContextService(config_with(source, {"order_status": ALLOWED}))
    result = service.context_for("order_status", {"order_number": "ORD-1"}, events.append)
    assert result.values == {} and result.reads[0].error
    assert events[0].details["found"] is False and "error" in events[0].details


def test_builtin_kinds_are_registered_like_plugins() -> None:
    assert {"csv", "sql", "http"} <= set(provider_kinds())


def test_csv_provider_returns_only_the_asked_for_columns(tmp_path: Path) -> None:
    path = tmp_path / "customers.csv"
    path.write_text("email,plan,balance,notes\nA@x.com,pro,10,secret\nb@x.com,free,0,\n")
    source = ContextProviderConfig(
        name="crm",
        kind="csv",
        key="customer.email",
        fields=["plan", "balance"],
        options={"path": "customers.csv", "ignore_case": True},
    )
    ws = Workspace(tmp_path, "sqlite://")
    provider = build_provider(source, ws)
    assert isinstance(provider, CsvProvider)
    assert provider.fetch("a@x.com", ["plan"]) == {"plan": "pro"}
    assert provider.fetch("nobody@x.com", ["plan"]) is None
    with pytest.raises(Exception, match="notes"):
        provider.fetch("a@x.com", ["notes"])  # not offered: refused before reading
    config = config_with(source, {"account_access": ["crm.plan"]})
    facts = {"customer": {"email": "b@x.com"}}
    result = ContextService(config, ws).context_for("account_access", facts)
    assert result.values == {"crm.plan": "free"}


def test_sql_query_never_selects_columns_outside_the_asked_for_ones(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shop.db'}"
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE o (num TEXT, status TEXT, carrier TEXT, card TEXT)"))
        conn.execute(text("INSERT INTO o VALUES ('7', 'shipped', 'UPS', '4111111111111111')"))
    provider = SqlProvider(
        "orders", engine, "SELECT * FROM o WHERE num = :key", ["status", "carrier", "card"]
    )
    seen: list[tuple[str, list[str]]] = []

    @event.listens_for(engine, "after_cursor_execute")
    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append((statement, [d[0] for d in cursor.description or []]))

    assert provider.fetch("7", ["status"]) == {"status": "shipped"}
    [(statement, columns)] = seen
    assert columns == ["status"] and "context_source" in statement
    assert provider.fetch("8", ["status"]) is None
    engine.dispose()


def test_sql_provider_from_config_with_its_own_url(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'plans.db'}"
    with create_engine(url).begin() as conn:
        conn.execute(text("CREATE TABLE plans (email TEXT, plan TEXT, renews_at TEXT)"))
        conn.execute(text("INSERT INTO plans VALUES ('a@x.com', 'pro', '2026-01-01')"))
    source = ContextProviderConfig(
        name="billing",
        kind="sql",
        key="email",
        fields=["plan", "renews_at"],
        options={"url": url, "query": "SELECT * FROM plans WHERE email = :key"},
    )
    config = config_with(source, {"billing_question": ["billing.plan"]})
    result = ContextService(config).context_for("billing_question", {"email": "a@x.com"})
    assert result.values == {"billing.plan": "pro"}


class _OrdersApi(BaseHTTPRequestHandler):
    paths: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        type(self).paths.append(self.path)
        if self.path == "/orders/A%2F1%20x":
            body = {"status": "shipped", "shipping": {"carrier": "DPD"}, "card": "4111"}
            payload = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        else:
            self.send_error(404)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def orders_api() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _OrdersApi)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    _OrdersApi.paths = []
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_http_provider_url_encodes_the_key_and_drops_other_fields(orders_api: str) -> None:
    provider = HttpJsonProvider(
        "orders", orders_api + "/orders/{key}", ["status", "shipping.carrier", "card"], timeout=2
    )
    assert provider.fetch("A/1 x", ["status", "shipping.carrier"]) == {
        "status": "shipped",
        "shipping.carrier": "DPD",
    }
    assert _OrdersApi.paths == ["/orders/A%2F1%20x"]
    assert provider.fetch("missing", ["status"]) is None


def test_http_provider_through_the_service(orders_api: str) -> None:
    source = ContextProviderConfig(
        name="orders",
        kind="http",
        key="order_number",
        fields=["status", "card"],
        options={"url": orders_api + "/orders/{key}", "timeout": 2},
    )
    config = config_with(source, {"order_status": ["orders.status"]})
    result = ContextService(config).context_for("order_status", {"order_number": "A/1 x"})
    assert result.values == {"orders.status": "shipped"}


def test_default_config_serves_the_demo_orders_table() -> None:
    config = default_config()
    assert config.context_providers == [DEMO_ORDERS]
    assert "orders.tracking_number" in config.context_allow["order_status"]
    assert "orders.created_at" not in config.context_allow["order_status"]


def test_demo_orders_provider_returns_the_real_order_status(workspace: Workspace) -> None:
    """On SQLite and, when configured, PostgreSQL: the same values, times in UTC."""
    ws = workspace
    generate_demo(ws, seed=1, tickets=200)
    with ws.session() as session:
        order = session.query(OrderRow).filter_by(status="shipped").order_by(OrderRow.id).first()
    assert order is not None and order.shipped_at is not None
    provider = demo_orders_provider(ws)
    assert provider.fetch(order.order_number, ["status", "carrier"]) == {
        "status": order.status,
        "carrier": order.carrier,
    }
    digits = order.order_number.removeprefix("ORD-")
    assert provider.fetch(digits, ["status"]) == {"status": order.status}
    assert provider.fetch("ORD-0000000", ["status"]) is None

    service = ContextService(default_config(), ws)
    key = load_key(ws)
    with ws.session() as session:
        result = service.context_for(
            "order_status",
            {"order_number": order.order_number.lower()},
            lambda e: append(session, key, e),
            ticket_id=1,
        )
    assert result.values["orders.status"] == order.status
    assert result.values["orders.tracking_number"] == order.tracking_number
    assert "orders.created_at" not in result.values
    assert result.values["orders.shipped_at"] == order.shipped_at.isoformat()
    with ws.session() as session:
        logged = session.query(AuditEventRow).filter_by(action="context.read").all()
    assert [row.fields_read for row in logged] == [default_config().context_allow["order_status"]]
