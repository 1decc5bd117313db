"""LLM providers against a local server speaking their wire format (127.0.0.1 only)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from casework.config.schema import LLMSettings
from casework.llm import (
    LLMError,
    LLMNotConfigured,
    guard_prompt,
    load_prompt,
    provider_from,
)
from casework.llm.anthropic import ANTHROPIC_VERSION, AnthropicProvider
from casework.llm.openai_compat import OpenAICompatProvider

CARD = "4111 1111 1111 1111"


@dataclass
class Reply:
    status: int = 200
    body: dict[str, Any] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    raw: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.raw)


class FakeServer:
    """Answers POSTs from a script of replies (the last one repeats) and records requests."""

    def __init__(self) -> None:
        self.script: list[Reply] = []
        self.seen: list[Seen] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                fake.seen.append(
                    Seen(self.path, {k.lower(): v for k, v in self.headers.items()}, raw)
                )
                reply = fake.script[min(len(fake.seen), len(fake.script)) - 1]
                time.sleep(reply.delay)
                payload = json.dumps(reply.body).encode()
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except OSError:  # the client gave up waiting
                    pass

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"


@pytest.fixture
def fake() -> Iterator[FakeServer]:
    server = FakeServer()
    thread = threading.Thread(target=server.server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()


def openai_reply(text: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 1700000000,
        "model": "gpt-test-0613",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": text},
                "logprobs": None,
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 20, "completion_tokens": 5, "total_tokens": 25},
    }


def anthropic_reply(text: str) -> dict[str, Any]:
    return {
        "id": "msg_01",
        "type": "message",
        "role": "assistant",
        "model": "claude-test-1",
        "content": [{"type": "text", "text": text}],
        "stop_reason": "end_turn",
        "stop_sequence": None,
        "usage": {"input_tokens": 20, "output_tokens": 5},
    }


def openai(fake: FakeServer, **kwargs: Any) -> OpenAICompatProvider:
    kwargs.setdefault("backoff_seconds", 0.01)
    return OpenAICompatProvider(
        "gpt-test", base_url=fake.url + "/v1", api_key_env="CASEWORK_TEST_LLM_KEY", **kwargs
    )


def anthropic(fake: FakeServer, **kwargs: Any) -> AnthropicProvider:
    kwargs.setdefault("backoff_seconds", 0.01)
    return AnthropicProvider(
        "claude-test", base_url=fake.url, api_key_env="CASEWORK_TEST_LLM_KEY", **kwargs
    )


@pytest.fixture(autouse=True)
def api_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASEWORK_TEST_LLM_KEY", "sk-test-123")


USER = [{"role": "user", "content": "Where is my order ORD-1234567?"}]


def test_openai_request_shape_and_reply(fake: FakeServer) -> None:
    fake.script = [Reply(body=openai_reply("It shipped yesterday [1]."))]
    reply = openai(fake).complete("Be brief.", USER, max_tokens=128)
    [seen] = fake.seen
    assert seen.path == "/v1/chat/completions"
    assert seen.headers["authorization"] == "Bearer sk-test-123"
    assert seen.headers["content-type"] == "application/json"
    assert seen.json == {
        "model": "gpt-test",
        "messages": [{"role": "system", "content": "Be brief."}, *USER],
        "max_tokens": 128,
    }
    assert (reply.text, reply.model, reply.provider) == (
        "It shipped yesterday [1].",
        "gpt-test-0613",
        "openai",
    )
    assert reply.latency_ms > 0


def test_openai_compatible_server_without_a_key_gets_no_auth_header(fake: FakeServer) -> None:
    fake.script = [Reply(body=openai_reply("ok"))]
    local = OpenAICompatProvider("llama3", base_url=fake.url + "/v1")  # e.g. Ollama
    assert local.complete("", USER, max_tokens=16).text == "ok"
    assert "authorization" not in fake.seen[0].headers
    assert fake.seen[0].json["messages"] == USER  # no empty system message


def test_anthropic_request_shape_and_reply(fake: FakeServer) -> None:
    fake.script = [Reply(body=anthropic_reply("It shipped yesterday [1]."))]
    reply = anthropic(fake).complete("Be brief.", USER, max_tokens=128)
    [seen] = fake.seen
    assert seen.path == "/v1/messages"
    assert seen.headers["x-api-key"] == "sk-test-123"
    assert seen.headers["anthropic-version"] == ANTHROPIC_VERSION
    assert "authorization" not in seen.headers
    assert seen.json == {
        "model": "claude-test",
        "max_tokens": 128,
        "system": "Be brief.",
        "messages": USER,
    }
    assert (reply.text, reply.model, reply.provider) == (
        "It shipped yesterday [1].",
        "claude-test-1",
        "anthropic",
    )


@pytest.mark.parametrize("make", [openai, anthropic])
def test_a_timeout_raises_after_the_retries(fake: FakeServer, make: Any) -> None:
    fake.script = [Reply(body={}, delay=0.6)]
    provider = make(fake, timeout_seconds=0.15, max_retries=1)
    started = time.perf_counter()
    with pytest.raises(LLMError, match="timed out after 2 attempts"):
        provider.complete("", USER, max_tokens=16)
    assert len(fake.seen) == 2 and time.perf_counter() - started < 2


@pytest.mark.parametrize(("make", "body"), [(openai, openai_reply), (anthropic, anthropic_reply)])
def test_a_server_error_then_success_takes_one_retry(
    fake: FakeServer, make: Any, body: Any
) -> None:
    fake.script = [Reply(500, {"error": {"message": "boom"}}), Reply(body=body("fine"))]
    reply = make(fake, max_retries=2).complete("", USER, max_tokens=16)
    assert reply.text == "fine" and len(fake.seen) == 2


def test_overloaded_and_rate_limited_are_retried(fake: FakeServer) -> None:
    fake.script = [Reply(429, {}), Reply(529, {}), Reply(body=anthropic_reply("ok"))]
    assert anthropic(fake, max_retries=2).complete("", USER, max_tokens=16).text == "ok"
    assert len(fake.seen) == 3


def test_a_client_error_is_not_retried_and_names_the_cause(fake: FakeServer) -> None:
    fake.script = [
        Reply(
            401,
            {
                "type": "error",
                "error": {"type": "authentication_error", "message": "invalid x-api-key"},
            },
        )
    ]
    with pytest.raises(LLMError, match="HTTP 401: invalid x-api-key"):
        anthropic(fake, max_retries=3).complete("", USER, max_tokens=16)
    assert len(fake.seen) == 1


def test_a_missing_key_fails_before_anything_is_sent(
    fake: FakeServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CASEWORK_TEST_LLM_KEY")
    with pytest.raises(LLMError, match="CASEWORK_TEST_LLM_KEY is not set"):
        openai(fake).complete("", USER, max_tokens=16)
    assert fake.seen == []


@pytest.mark.parametrize(("make", "body"), [(openai, openai_reply), (anthropic, anthropic_reply)])
def test_a_card_number_leaves_the_process_redacted(fake: FakeServer, make: Any, body: Any) -> None:
    fake.script = [Reply(body=body("ok"))]
    messages = [{"role": "user", "content": f"I paid with {CARD}, mail me at ana@example.com"}]
    make(fake).complete(f"Customer card: {CARD}", messages, max_tokens=16)
    raw = fake.seen[0].raw.decode()
    assert "4111" not in raw and "ana@example.com" not in raw
    assert "<CARD_1>" in raw and "<EMAIL_1>" in raw


def test_a_bad_reply_is_an_llm_error(fake: FakeServer) -> None:
    fake.script = [Reply(body={"choices": []})]
    with pytest.raises(LLMError, match="choices"):
        openai(fake).complete("", USER, max_tokens=16)


def test_factory_builds_each_configured_provider(fake: FakeServer) -> None:
    with pytest.raises(LLMNotConfigured):
        provider_from(LLMSettings()).complete("", USER, max_tokens=16)
    settings = LLMSettings(
        provider="openai",
        base_url=fake.url + "/v1",
        model="m",
        api_key_env="CASEWORK_TEST_LLM_KEY",
        timeout_seconds=3,
        max_retries=0,
    )
    provider = provider_from(settings)
    assert isinstance(provider, OpenAICompatProvider) and provider.max_retries == 0
    assert isinstance(
        provider_from(settings.model_copy(update={"provider": "anthropic"})), AnthropicProvider
    )
    with pytest.raises(LLMError, match="llm.model is required"):
        provider_from(LLMSettings(provider="anthropic"))


def test_guard_prompt_redacts_and_keeps_placeholders() -> None:
    assert guard_prompt(f"card {CARD}") == "card <CARD_1>"
    assert guard_prompt("already <EMAIL_1> redacted") == "already <EMAIL_1> redacted"


def test_prompts_are_versioned_files() -> None:
    latest, pinned = load_prompt("draft_reply"), load_prompt("draft_reply.v1")
    assert latest.version.startswith("draft_reply.v") and pinned.version == "draft_reply.v1"
    assert not pinned.text.startswith("#") and "{service_language_use}" in pinned.text
    with pytest.raises(FileNotFoundError):
        load_prompt("draft_reply.v999")
