"""The shape of one language's wording: what customers and agents say.

A `LanguagePack` holds paraphrase templates with `{slot}` fields. Customer
templates are keyed by intent and topic (`"*"` when a language only has
general ones); lookups fall back from topic to intent to generic so a sparse
language pack still yields a plausible conversation.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

Templates = dict[str, list[str]]


@dataclass(frozen=True)
class AgentWording:
    """How agents write in this language. Keys: `intent.topic`, `intent` or `*`."""

    greetings: list[str]
    chat_greetings: list[str]
    closings: list[str]
    apologies: list[str]
    ask_info: Templates
    resolve: Templates
    holding: list[str]
    reopened: list[str]
    reminder: list[str]
    checking: list[str]  # a chat line while the agent looks something up
    repeat_apologies: list[str] = field(default_factory=list)
    escalated: list[str] = field(default_factory=list)  # first reply after a legal escalation


@dataclass(frozen=True)
class CustomerWording:
    core: dict[str, Templates]  # intent → topic → templates
    subjects: Templates  # intent → subject lines (never personal data)
    details: Templates = field(default_factory=dict)  # intent → optional extra sentences
    greetings: list[str] = field(default_factory=list)
    closings: list[str] = field(default_factory=list)
    frustration: list[str] = field(default_factory=list)
    churn: list[str] = field(default_factory=list)
    negative: list[str] = field(default_factory=list)
    positive: list[str] = field(default_factory=list)
    human: list[str] = field(default_factory=list)
    legal: list[str] = field(default_factory=list)
    repeat: list[str] = field(default_factory=list)
    contact: list[str] = field(default_factory=list)  # "you can reach me on {phone}"
    impatient: list[str] = field(default_factory=list)
    thanks: list[str] = field(default_factory=list)
    provide: Templates = field(default_factory=dict)  # what was asked → answers
    reopen: Templates = field(default_factory=dict)  # intent or "*" → "still broken"
    voicemail: list[str] = field(default_factory=list)  # wraps a core text, phone channel
    background: list[str] = field(default_factory=list)  # the story long e-mails tell
    quote_header: str = "On {date}, Nordhaven Customer Care wrote:"


@dataclass(frozen=True)
class LanguagePack:
    code: str
    customer: CustomerWording
    agent: AgentWording


def pick(rng: random.Random, table: Templates, *keys: str) -> str:
    """A random template under the first key present (then `*`)."""
    for key in (*keys, "*"):
        options = table.get(key)
        if options:
            return rng.choice(options)
    raise KeyError(f"no templates for any of {keys}")


def core_templates(pack: LanguagePack, intent: str, topic: str) -> list[str]:
    by_topic = pack.customer.core.get(intent, {})
    return by_topic.get(topic) or by_topic.get("*") or [t for ts in by_topic.values() for t in ts]
