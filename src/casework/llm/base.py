"""The one interface every language-model provider implements, and its one error type.

Callers catch `LLMError` alone: a timeout, a refused key, an unparseable reply
and "no provider configured" all mean the same thing to a draft — fall back to
the extractive one and say so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

Message = dict[str, str]
"""`{"role": "user" | "assistant", "content": "…"}`; the system prompt travels apart."""


class LLMError(RuntimeError):
    """The provider gave no usable reply. The message never quotes the prompt."""


class LLMNotConfigured(LLMError):
    """No provider is configured (`llm.provider: none`): use the extractive path."""


@dataclass(frozen=True, slots=True)
class LLMReply:
    text: str
    model: str
    """The model that answered, as the server reports it (else as configured)."""
    provider: str
    latency_ms: float
    """Wall time of the whole call, retries and backoff included: what the caller waited."""


@runtime_checkable
class LLMProvider(Protocol):
    name: str

    def complete(self, system: str, messages: list[Message], *, max_tokens: int) -> LLMReply:
        """One reply to `messages`; raises `LLMError` on any failure."""
        ...
