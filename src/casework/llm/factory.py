"""`llm.provider` in the workspace config → a provider object, through one registry.

The built-ins (`none`, `openai`, `anthropic`) are registered with
`register_llm_provider`, the call a plug-in makes too, directly or through the
`casework.llm_providers` entry-point group naming a factory
`(LLMSettings) -> LLMProvider`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from importlib.metadata import entry_points

from casework.config.schema import LLMSettings
from casework.llm.anthropic import AnthropicProvider
from casework.llm.base import LLMError, LLMProvider
from casework.llm.none import NoneProvider
from casework.llm.openai_compat import OpenAICompatProvider

ENTRY_POINT_GROUP = "casework.llm_providers"
LLMFactory = Callable[[LLMSettings], LLMProvider]

log = logging.getLogger(__name__)
_factories: dict[str, LLMFactory] = {}
_entry_points_loaded = False


def register_llm_provider(name: str, factory: LLMFactory, *, replace: bool = False) -> None:
    """Make `llm.provider: <name>` build its provider with `factory`."""
    current = _factories.get(name)
    if current is not None and current is not factory and not replace:
        raise ValueError(f"an LLM provider named {name!r} is already registered")
    _factories[name] = factory


def _load_entry_points() -> None:
    global _entry_points_loaded
    if _entry_points_loaded:
        return
    _entry_points_loaded = True
    for point in entry_points(group=ENTRY_POINT_GROUP):
        try:
            register_llm_provider(point.name, point.load())
        except Exception:  # a broken plug-in must not break the built-ins
            log.exception("could not load LLM provider entry point %r", point.value)


def provider_from(settings: LLMSettings) -> LLMProvider:
    """The configured provider; `LLMError` names the missing setting when one is needed."""
    _load_entry_points()
    factory = _factories.get(settings.provider)
    if factory is None:
        known = ", ".join(_factories)
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
