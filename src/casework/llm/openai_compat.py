"""OpenAI-compatible chat completions: OpenAI, Ollama, vLLM, llama.cpp server, LM Studio…

`POST {base_url}/chat/completions` with `{"model", "messages", "max_tokens"}`, the
system prompt as the first message, and `Authorization: Bearer <key>` when a key
is configured (local servers usually need none). The reply is
`choices[0].message.content`.
"""

from __future__ import annotations

import os
import time
from typing import Any

from casework.llm.base import LLMError, LLMReply, Message
from casework.llm.egress import guard_messages
from casework.llm.transport import post_json

OPENAI_BASE_URL = "https://api.openai.com/v1"


class OpenAICompatProvider:
    name = "openai"

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
        self.base_url = (base_url or OPENAI_BASE_URL).rstrip("/")
        # OpenAI itself always needs a key; a self-hosted server only when one is named.
        self.api_key_env = api_key_env or ("OPENAI_API_KEY" if base_url is None else None)
        self.timeout_seconds, self.max_retries = timeout_seconds, max_retries
        self.backoff_seconds = backoff_seconds

    def _headers(self) -> dict[str, str]:
        if self.api_key_env is None:
            return {}
        key = os.environ.get(self.api_key_env)
        if not key:
            raise LLMError(f"{self.name}: environment variable {self.api_key_env} is not set")
        return {"Authorization": f"Bearer {key}"}

    def request_body(self, system: str, messages: list[Message], max_tokens: int) -> dict[str, Any]:
        """The wire request, with everything in it already redacted."""
        system, messages = guard_messages(system, messages)
        chat = ([{"role": "system", "content": system}] if system else []) + messages
        return {"model": self.model, "messages": chat, "max_tokens": max_tokens}

    def complete(self, system: str, messages: list[Message], *, max_tokens: int) -> LLMReply:
        started = time.perf_counter()
        body = self.request_body(system, messages, max_tokens)
        data = post_json(
            f"{self.base_url}/chat/completions",
            body,
            self._headers(),
            provider=self.name,
            timeout=self.timeout_seconds,
            max_retries=self.max_retries,
            backoff_seconds=self.backoff_seconds,
        )
        try:
            text = data["choices"][0]["message"]["content"]
        except (KeyError, IndexError, TypeError):
            raise LLMError(f"{self.name}: the reply has no choices[0].message.content") from None
        if not isinstance(text, str) or not text.strip():
            raise LLMError(f"{self.name}: the reply is empty")
        model = data.get("model") if isinstance(data.get("model"), str) else self.model
        latency = (time.perf_counter() - started) * 1000
        return LLMReply(text=text, model=model, provider=self.name, latency_ms=latency)
