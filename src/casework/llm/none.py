"""The default provider: there is none, so every caller takes its extractive path."""

from __future__ import annotations

from casework.llm.base import LLMNotConfigured, LLMReply, Message


class NoneProvider:
    """Raises `LLMNotConfigured` without sending anything anywhere."""

    name = "none"

    def complete(self, system: str, messages: list[Message], *, max_tokens: int) -> LLMReply:
        raise LLMNotConfigured(
            "no language model is configured (llm.provider: none); drafts stay extractive"
        )
