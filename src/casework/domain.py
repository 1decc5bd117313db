"""Typed records that cross the boundaries between casework's rooms.

Importers, the demo generator and the API all produce these records; the store
turns them into rows. Keeping one vocabulary means an importer never needs to
know about tables, and the store never needs to know about file formats.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator


class AuthorRole(StrEnum):
    customer = "customer"
    agent = "agent"
    bot = "bot"
    system = "system"


class TicketStatus(StrEnum):
    """The Zendesk lifecycle, which most helpdesks map onto."""

    new = "new"
    open = "open"
    pending = "pending"
    hold = "hold"
    solved = "solved"
    closed = "closed"


class Priority(StrEnum):
    low = "low"
    normal = "normal"
    high = "high"
    urgent = "urgent"


class ArticleStatus(StrEnum):
    draft = "draft"
    approved = "approved"
    archived = "archived"


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Customer(Record):
    external_id: str
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    tier: str | None = None
    organization: str | None = None
    language: str | None = None
    attributes: dict[str, Any] = Field(default_factory=dict)


class Agent(Record):
    external_id: str
    name: str
    email: str | None = None
    queue: str | None = None


class Queue(Record):
    key: str
    name: str
    description: str | None = None
    owner: str | None = None


class Message(Record):
    """One entry of a conversation; `public=False` is an internal note."""

    external_id: str | None = None
    author_role: AuthorRole
    author_external_id: str | None = None
    author_name: str | None = None
    body: str
    public: bool = True
    created_at: datetime


class FieldChange(Record):
    """A change of status, assignee, group or priority, as helpdesk audits record it."""

    field: str
    old_value: str | None = None
    new_value: str | None = None
    changed_at: datetime
    actor: str | None = None
    approximate: bool = False
    """Reconstructed from the ticket's timestamps, not read from its history."""


class Ticket(Record):
    source: str
    external_id: str
    subject: str = ""
    status: TicketStatus = TicketStatus.new
    priority: Priority | None = None
    type: str | None = None
    channel: str | None = None
    tags: list[str] = Field(default_factory=list)
    queue: str | None = None
    assignee: Agent | None = None
    requester: Customer | None = None
    created_at: datetime
    updated_at: datetime | None = None
    solved_at: datetime | None = None
    satisfaction: str | None = None
    custom_fields: dict[str, Any] = Field(default_factory=dict)
    messages: list[Message] = Field(default_factory=list)
    changes: list[FieldChange] = Field(default_factory=list)

    @field_validator("external_id", "source")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value:
            raise ValueError("must not be empty")
        return value


class Order(Record):
    order_number: str
    customer_external_id: str | None = None
    status: str
    carrier: str | None = None
    tracking_number: str | None = None
    total_amount: Decimal | None = None
    currency: str | None = None
    created_at: datetime
    shipped_at: datetime | None = None
    delivered_at: datetime | None = None
    items: list[dict[str, Any]] = Field(default_factory=list)


class Article(Record):
    source: str
    external_id: str
    title: str
    body: str
    tags: list[str] = Field(default_factory=list)
    owner: str | None = None
    status: ArticleStatus = ArticleStatus.draft
    language: str = "en"
    created_at: datetime
    updated_at: datetime
    reviewed_at: datetime | None = None
