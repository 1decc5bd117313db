"""Anthropic's Messages API, spoken directly (no SDK).

`POST {base_url}/v1/messages` with headers `x-api-key` and `anthropic-version`,
body `{"model", "max_tokens", "system", "messages"}`. The reply's `content` is a
list of blocks; the text blocks, joined, are the answer.
"""

from __future__ import annotations

import os
import time
from typing import Any

from casework.llm.base import LLMError, LLMReply, Message
from casework.llm.egress import guard_messages
from casework.llm.transport import post_json

ANTHROPIC_BASE_URL = "https://api.anthropic.com"
ANTHROPIC_VERSION = "2023-06-01"


class AnthropicProvider:
    name = "anthropic"

    def __init__(
        self,
        model: str,
        *,
        base_url: str | None = None,
        api_key_env: str | None = None,
        timeout_seconds: float = 20,
        max_retries: int = 2,
        backoff_seconds: float = 0.5,
    ) -> None:
        self.model = model
        self.base_url = (base_url or ANTHROPIC_BASE_URL).rstrip("/")
        self.api_key_env = api_key_env or "ANTHROPIC_API_KEY"
        self.timeout_seconds, self.max_retries = timeout_seconds, max_retries
        self.backoff_seconds = backoff_seconds

    def _headers(self) -> dict[str, str]:
        key = os.environ.get(self.api_key_env)
        if not key:
            raise LLMError(f"{self.name}: environment variable {self.api_key_env} is not set")
        return {"x-api-key": key, "anthropic-version": ANTHROPIC_VERSION}

    def request_body(self, system: str, messages: list[Message], max_tokens: int) -> dict[str, Any]:
        """The wire request, with everything in it already redacted."""
        system, messages = guard_messages(system, messages)
        body: dict[str, Any] = {"model": self.model, "max_tokens": max_tokens, "messages": messages}
        if system:
            body["system"] = system
        return body

    def complete(self, system: str, messages: list[Message], *, max_tokens: int) -> LLMReply:
        started = time.perf_counter()
        body = self.request_body(system, messages, max_tokens)
        data = post_json(
            f"{self.base_url}/v1/messages",
            body,
            self._headers(),
            provider=self.name,
            timeout=self.timeout_seconds,
            max_retries=self.max_retries,
            backoff_seconds=self.backoff_seconds,
        )
        blocks = data.get("content") if isinstance(data, dict) else None
        if not isinstance(blocks, list):
            raise LLMError(f"{self.name}: the reply has no content blocks")
        text = "".join(
            b.get("text", "") for b in blocks if isinstance(b, dict) and b.get("type") == "text"
        )
        if not text.strip():
            raise LLMError(f"{self.name}: the reply has no text")
        model = data.get("model") if isinstance(data.get("model"), str) else self.model
        latency = (time.perf_counter() - started) * 1000
        return LLMReply(text=text, model=model, provider=self.name, latency_ms=latency)
