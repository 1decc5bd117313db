"""Optional language-model providers for drafting: none (default), OpenAI-compatible, Anthropic.

casework is complete without a model: drafting and answers are extractive unless
`llm.provider` names one. Whatever a provider sends is redacted again on the
way out (`guard_prompt`), prompts are versioned files, and every failure is an
`LLMError` the caller turns into the extractive fallback.
"""

from casework.llm.base import LLMError, LLMNotConfigured, LLMProvider, LLMReply
from casework.llm.egress import guard_prompt
from casework.llm.factory import provider_from, register_llm_provider
from casework.llm.prompts import Prompt, load_prompt

__all__ = [
    "LLMError",
    "LLMNotConfigured",
    "LLMProvider",
    "LLMReply",
    "Prompt",
    "guard_prompt",
    "load_prompt",
    "provider_from",
    "register_llm_provider",
]
