"""The egress guard: planted personal data never leaves through an LLM prompt or an MCP
result, whatever the payload's shape (hypothesis), and what it stops is recorded."""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from casework import Workspace
from casework.llm.base import LLMError
from casework.llm.openai_compat import OpenAICompatProvider
from casework.mcp.server import _out
from casework.privacy import egress
from casework.privacy.egress import EgressBlocked, EgressPolicy, guard
from casework.store.tables import EgressBlockRow

WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz ABCDEFXYZ,.!?:;()\n", max_size=30)
TALLY = {"payloads": 0, "leaks": 0}


@pytest.fixture(scope="module", autouse=True)
def volume_report() -> Iterator[None]:
    """After the module: how many generated payloads went through, how many leaked (run
    with -s to see it; each test asserts its own payloads never leak)."""
    yield
    print(f"\negress guard: {TALLY['payloads']} generated payloads, {TALLY['leaks']} leaked")


def luhn_complete(body: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:  # doubled: these become odd positions once the check digit is added
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return body + str((10 - total % 10) % 10)


@st.composite
def card_numbers(draw: st.DrawFn) -> str:
    """A Luhn-valid Visa or Mastercard number, written as people write them."""
    prefix = draw(st.sampled_from(["4", "51", "52", "53", "54", "55"]))
    body = prefix + "".join(str(draw(st.integers(0, 9))) for _ in range(15 - len(prefix)))
    digits = luhn_complete(body)
    sep = draw(st.sampled_from(["", " ", "-"]))
    return sep.join(digits[i : i + 4] for i in range(0, 16, 4)) if sep else digits


@st.composite
def planted(draw: st.DrawFn) -> tuple[Any, str]:
    """A nested payload (dicts, lists, keys) with one card number hidden in one string."""
    card = draw(card_numbers())
    text = f"{draw(WORDS)} {card} {draw(WORDS)}"
    leaf: Any = text
    for _ in range(draw(st.integers(0, 3))):
        wrap = draw(st.sampled_from(["list", "dict", "key"]))
        siblings = draw(st.lists(WORDS, max_size=3))
        if wrap == "list":
            leaf = [*siblings, leaf] if draw(st.booleans()) else [leaf, *siblings]
        elif wrap == "dict":
            leaf = {"note": leaf, **{f"k{i}": s for i, s in enumerate(siblings)}}
        else:
            leaf = {text: siblings}  # the card in a dict key
    return leaf, card


def leaked(out: Any, card: str) -> bool:
    digits = re.sub(r"\D", "", card)
    return digits in re.sub(r"\D", "", json.dumps(out))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(planted())
def test_guard_removes_a_planted_card_from_any_payload(case: tuple[Any, str]) -> None:
    payload, card = case
    out = guard(payload, "llm").payload
    TALLY["payloads"] += 1
    TALLY["leaks"] += leaked(out, card)
    assert not leaked(out, card)
    assert "<CARD_1>" in json.dumps(out)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(planted())
def test_mcp_results_never_carry_a_planted_card(case: tuple[Any, str]) -> None:
    payload, card = case
    out = _out({"ticket": payload, "count": 3})  # the MCP server's one way out
    TALLY["payloads"] += 1
    TALLY["leaks"] += leaked(out, card)
    assert not leaked(out, card)


class Capture:
    """A local OpenAI-compatible server that keeps every request body it receives."""

    def __init__(self) -> None:
        self.bodies: list[bytes] = []
        capture = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                capture.bodies.append(self.rfile.read(int(self.headers["Content-Length"])))
                reply = json.dumps({
                    "id": "c1", "object": "chat.completion", "created": 1, "model": "m",
                    "choices": [{"index": 0, "finish_reason": "stop",
                                 "message": {"role": "assistant", "content": "ok"}}],
                }).encode()  # fmt: skip
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"


@pytest.fixture(scope="module")
def capture() -> Iterator[Capture]:
    server = Capture()
    thread = threading.Thread(target=server.server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
          HealthCheck.function_scoped_fixture])  # fmt: skip
@given(st.data())
def test_llm_provider_never_sends_a_planted_card(
    capture: Capture, monkeypatch: pytest.MonkeyPatch, data: st.DataObject
) -> None:
    monkeypatch.setenv("CASEWORK_TEST_LLM_KEY", "sk-test")
    card = data.draw(card_numbers())
    prompt = f"{data.draw(WORDS)} {card} {data.draw(WORDS)}"
    provider = OpenAICompatProvider("m", base_url=capture.url, api_key_env="CASEWORK_TEST_LLM_KEY")
    provider.complete(f"system {card}", [{"role": "user", "content": prompt}], max_tokens=5)
    sent = capture.bodies[-1].decode()
    TALLY["payloads"] += 1
    TALLY["leaks"] += leaked(sent, card)
    assert not leaked(sent, card)
    assert "<CARD_1>" in sent


def test_block_mode_refuses_the_payload_and_names_types_only() -> None:
    policy = EgressPolicy({"llm": "block"})
    with pytest.raises(EgressBlocked) as caught:
        guard({"a": ["pay with 4111 1111 1111 1111"]}, "llm", policy=policy)
    assert "CARD" in str(caught.value) and "4111" not in str(caught.value)
    assert guard({"a": "no personal data"}, "llm", policy=policy).action == "pass"


def test_block_mode_on_llm_becomes_the_error_callers_handle(capture: Capture) -> None:
    egress.configure(EgressPolicy({"llm": "block"}))
    try:
        provider = OpenAICompatProvider("m", base_url=capture.url)
        with pytest.raises(LLMError, match="withheld from llm"):
            provider.complete("s", [{"role": "user", "content": "mail a@b.example"}], max_tokens=5)
    finally:
        egress.configure(EgressPolicy())


def test_allowed_types_pass_their_channel_raw() -> None:
    policy = EgressPolicy(allow={"writeback": frozenset({"EMAIL"})})
    out = guard("mail ana@shop.example, card 4111 1111 1111 1111", "writeback", policy=policy)
    assert "ana@shop.example" in out.payload and "4111" not in out.payload
    assert dict(out.found) == {"CARD": 1}


def test_raw_roles_see_the_payload_unchanged() -> None:
    text = "mail ana@shop.example"
    assert guard(text, "api", raw=True).payload == text


def test_log_records_are_guarded(caplog: pytest.LogCaptureFixture) -> None:
    egress.install_log_guard()
    with caplog.at_level(logging.WARNING, logger="casework.test"):
        logging.getLogger("casework.test").warning("customer %s paid", "ana@shop.example")
    assert "ana@shop.example" not in caplog.text and "<EMAIL_1>" in caplog.text


def test_finds_are_recorded_per_channel_without_values(workspace: Workspace) -> None:
    with workspace.session() as s:
        egress.flush(s)  # whatever earlier tests left pending
        before = max(s.scalars(select(EgressBlockRow.id)).all(), default=0)
    guard("card 4111 1111 1111 1111 and ana@shop.example", "mcp", role="assistant")
    guard("call +44 7911 123456", "mcp", role="assistant")
    with workspace.session() as s:
        assert egress.flush(s) == 1
    with workspace.session() as s:
        rows = s.scalars(select(EgressBlockRow).where(EgressBlockRow.id > before)).all()
    assert [(r.channel, r.role, r.action, r.count) for r in rows] == [
        ("mcp", "assistant", "redacted", 2)
    ]
    assert rows[0].found == {"CARD": 1, "EMAIL": 1, "PHONE": 1}
    assert "4111" not in json.dumps(rows[0].found)
