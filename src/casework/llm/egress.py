"""The last check before text leaves for a model: redact personal data again.

Drafting builds prompts from redacted ticket text and allowed context fields,
but a value can slip in (an article quoting a phone number, a context field
holding an email). Every provider passes everything it sends through here, so
only redacted text ever leaves the process, whoever built the prompt.
The check itself is `casework.privacy.egress` (channel `llm`), the one guard every
way out shares; it records what it found and, in `block` mode, refuses the prompt.
"""

from __future__ import annotations

from casework.llm.base import LLMError, Message
from casework.privacy.egress import EgressBlocked, guard_text


def guard_prompt(text: str) -> str:
    """`text` with every detected personal datum replaced by a typed placeholder."""
    try:
        return guard_text(text, "llm")
    except EgressBlocked as exc:  # callers catch LLMError alone and fall back
        raise LLMError(str(exc)) from exc


def guard_messages(system: str, messages: list[Message]) -> tuple[str, list[Message]]:
    """The system prompt and each message's content, guarded; roles pass unchanged."""
    guarded = []
    for message in messages:
        content = message.get("content")
        if not isinstance(content, str):
            raise TypeError("message content must be text")
        guarded.append({"role": message["role"], "content": guard_prompt(content)})
    return guard_prompt(system), guarded
