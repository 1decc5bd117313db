"""`llm.provider` in the workspace config → a provider object, through one registry.

The built-ins (`none`, `openai`, `anthropic`) are registered with
`register_llm_provider`, the call a plug-in makes too, directly or through the
`casework.llm_providers` entry-point group naming a factory
`(LLMSettings) -> LLMProvider`.
"""

from __future__ import annotations

from collections.abc import Callable

from casework.config.schema import LLMSettings
from casework.llm.anthropic import AnthropicProvider
from casework.llm.base import LLMError, LLMProvider
from casework.llm.none import NoneProvider
from casework.llm.openai_compat import OpenAICompatProvider
from casework.plugins import Registry

ENTRY_POINT_GROUP = "casework.llm_providers"
LLMFactory = Callable[[LLMSettings], LLMProvider]

_factories: Registry[LLMFactory] = Registry("LLM provider", ENTRY_POINT_GROUP)


def register_llm_provider(name: str, factory: LLMFactory, *, replace: bool = False) -> None:
    """Make `llm.provider: <name>` build its provider with `factory`."""
    _factories.register(name, factory, replace=replace)


def provider_from(settings: LLMSettings) -> LLMProvider:
    """The configured provider; `LLMError` names the missing setting when one is needed."""
    factory = _factories.get(settings.provider)
    if factory is None:
        known = ", ".join(_factories.names())
        raise LLMError(f"unknown llm.provider {settings.provider!r}; known: {known}")
    return factory(settings)


def _model(settings: LLMSettings) -> str:
    if not settings.model:
        raise LLMError(f"llm.model is required for llm.provider {settings.provider!r}")
    return settings.model


def _openai(settings: LLMSettings) -> LLMProvider:
    return OpenAICompatProvider(
        _model(settings),
        base_url=settings.base_url,
        api_key_env=settings.api_key_env,
        timeout_seconds=settings.timeout_seconds,
        max_retries=settings.max_retries,
    )


def _anthropic(settings: LLMSettings) -> LLMProvider:
    return AnthropicProvider(
        _model(settings),
        base_url=settings.base_url,
        api_key_env=settings.api_key_env,
        timeout_seconds=settings.timeout_seconds,
        max_retries=settings.max_retries,
    )


register_llm_provider("none", lambda settings: NoneProvider())
register_llm_provider("openai", _openai)
register_llm_provider("anthropic", _anthropic)
