"""SQLAlchemy 2 tables: the one schema shared by SQLite and PostgreSQL.

Every imported object is keyed by `(source, external_id)` so that importing the
same data twice is a no-op. Results computed later (triage, routing, drafts…)
live in their own tables that point at `tickets.id`; they are added by the
issues that produce them, each with its own migration.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from casework.store.types import UTCDateTime

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON}


class CustomerRow(Base):
    __tablename__ = "customers"
    __table_args__ = (UniqueConstraint("source", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(64))
    external_id: Mapped[str] = mapped_column(String(255))
    name: Mapped[str | None] = mapped_column(String(255))
    email: Mapped[str | None] = mapped_column(String(320), index=True)
    phone: Mapped[str | None] = mapped_column(String(64))
    tier: Mapped[str | None] = mapped_column(String(64))
    organization: Mapped[str | None] = mapped_column(String(255))
    language: Mapped[str | None] = mapped_column(String(16))
    attributes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class AgentRow(Base):
    __tablename__ = "agents"
    __table_args__ = (UniqueConstraint("source", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(64))
    external_id: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(255))
    email: Mapped[str | None] = mapped_column(String(320))
    queue: Mapped[str | None] = mapped_column(String(128))


class QueueRow(Base):
    __tablename__ = "queues"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(128), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(Text)
    owner: Mapped[str | None] = mapped_column(String(255))


class TicketRow(Base):
    __tablename__ = "tickets"
    __table_args__ = (
        UniqueConstraint("source", "external_id"),
        Index("ix_tickets_created_at", "created_at"),
        Index("ix_tickets_status", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(64))
    external_id: Mapped[str] = mapped_column(String(255))
    subject: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16))
    priority: Mapped[str | None] = mapped_column(String(16))
    type: Mapped[str | None] = mapped_column(String(64))
    channel: Mapped[str | None] = mapped_column(String(64))
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    queue_id: Mapped[int | None] = mapped_column(ForeignKey("queues.id"), index=True)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"), index=True)
    requester_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), index=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime | None]
    solved_at: Mapped[datetime | None]
    satisfaction: Mapped[str | None] = mapped_column(String(32))
    custom_fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Hash of the imported content: an unchanged re-import touches nothing.
    content_hash: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[datetime]

    queue: Mapped[QueueRow | None] = relationship(lazy="joined")
    assignee: Mapped[AgentRow | None] = relationship(lazy="joined")
    requester: Mapped[CustomerRow | None] = relationship(lazy="joined")
    messages: Mapped[list[MessageRow]] = relationship(
        order_by="MessageRow.position", cascade="all, delete-orphan", back_populates="ticket"
    )
    changes: Mapped[list[FieldChangeRow]] = relationship(
        order_by="FieldChangeRow.changed_at", cascade="all, delete-orphan"
    )


class MessageRow(Base):
    __tablename__ = "messages"
    __table_args__ = (UniqueConstraint("ticket_id", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    external_id: Mapped[str] = mapped_column(String(255))
    position: Mapped[int] = mapped_column(Integer)
    author_role: Mapped[str] = mapped_column(String(16))
    author_external_id: Mapped[str | None] = mapped_column(String(255))
    author_name: Mapped[str | None] = mapped_column(String(255))
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"))
    body: Mapped[str] = mapped_column(Text)
    public: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]

    ticket: Mapped[TicketRow] = relationship(back_populates="messages")


class FieldChangeRow(Base):
    """Status/assignee/group/priority history; the metrics issue reads it."""

    __tablename__ = "ticket_field_changes"
    __table_args__ = (UniqueConstraint("ticket_id", "field", "changed_at", "new_value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    field: Mapped[str] = mapped_column(String(32))
    old_value: Mapped[str | None] = mapped_column(String(255))
    new_value: Mapped[str | None] = mapped_column(String(255))
    changed_at: Mapped[datetime]
    actor: Mapped[str | None] = mapped_column(String(255))
    # True for history reconstructed from a ticket's timestamps (created_at,
    # solved_at) because the export carried none; metrics built on it are approximate.
    approximate: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")


class OrderRow(Base):
    __tablename__ = "orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_number: Mapped[str] = mapped_column(String(64), unique=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), index=True)
    status: Mapped[str] = mapped_column(String(32))
    carrier: Mapped[str | None] = mapped_column(String(64))
    tracking_number: Mapped[str | None] = mapped_column(String(128))
    total_amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    currency: Mapped[str | None] = mapped_column(String(3))
    created_at: Mapped[datetime]
    shipped_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
    items: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)


class ArticleRow(Base):
    __tablename__ = "articles"
    __table_args__ = (UniqueConstraint("source", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(64))
    external_id: Mapped[str] = mapped_column(String(255))
    title: Mapped[str] = mapped_column(String(500))
    body: Mapped[str] = mapped_column(Text)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    owner: Mapped[str | None] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    reviewed_at: Mapped[datetime | None]
    content_hash: Mapped[str] = mapped_column(String(64))


class ArticleVersionRow(Base):
    """Every content an article has had: a citation of (article, version) stays checkable.

    Written whenever an import creates or changes an article, so the current
    content is always the newest row here too.
    """

    __tablename__ = "article_versions"
    __table_args__ = (UniqueConstraint("article_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(500))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    content_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]


class ImportRunRow(Base):
    """One run of an importer: what came in, what was refused, and why."""

    __tablename__ = "import_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(64))
    format: Mapped[str] = mapped_column(String(32))
    path: Mapped[str] = mapped_column(Text)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    created: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)


class TriageResultRow(Base):
    """One triage of one ticket by one model version; never raw personal data.

    Keyed by (ticket, model version): processing the same ticket twice with the
    same model writes nothing new, and a new model adds a row beside the old.
    """

    __tablename__ = "triage_results"
    __table_args__ = (UniqueConstraint("ticket_id", "model_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    model_version: Mapped[str] = mapped_column(String(128))
    language: Mapped[str] = mapped_column(String(16))
    intent: Mapped[str] = mapped_column(String(128), index=True)
    intent_confidence: Mapped[float]
    alternatives: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    urgency: Mapped[str] = mapped_column(String(16))
    sentiment: Mapped[str] = mapped_column(String(16))
    sentiment_score: Mapped[float]
    frustration: Mapped[bool] = mapped_column(Boolean, default=False)
    missing: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    pii: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    redacted_text: Mapped[str] = mapped_column(Text)
    reasons: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime]


class AuditEventRow(Base):
    """One automated decision or human action, hash-chained to the one before.

    Holds ids, versions, field names and keyed hashes, never raw personal data,
    so erasing a customer never requires touching the chain.
    """

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    occurred_at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(128))
    action: Mapped[str] = mapped_column(String(64), index=True)
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[str] = mapped_column(String(64), index=True)
    versions: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    fields_read: Mapped[list[str]] = mapped_column(JSON, default=list)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Keyed to the event's identity so a redelivered task adds no second event.
    dedup_key: Mapped[str | None] = mapped_column(String(128), unique=True)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class ConfigVersionRow(Base):
    """Every accepted workspace config, with who accepted it and what changed."""

    __tablename__ = "config_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer, unique=True)
    author: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime]
    content: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    diff: Mapped[str] = mapped_column(Text, default="")


class RoutingDecisionRow(Base):
    """Where a ticket should go and whether a person must take it, with reasons.

    Keyed by (ticket, config version, model version): re-processing with the
    same config and model adds nothing. `state` is proposed until a person
    accepts or overrides it.
    """

    __tablename__ = "routing_decisions"
    __table_args__ = (UniqueConstraint("ticket_id", "config_version", "model_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    triage_id: Mapped[int | None] = mapped_column(
        ForeignKey("triage_results.id", ondelete="SET NULL")
    )
    config_version: Mapped[int] = mapped_column(Integer)
    model_version: Mapped[str] = mapped_column(String(128))
    queue: Mapped[str] = mapped_column(String(128), index=True)
    priority: Mapped[str | None] = mapped_column(String(16))
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    assignee_group: Mapped[str | None] = mapped_column(String(128))
    decided_by: Mapped[str] = mapped_column(String(160))
    confidence: Mapped[float]
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    escalate: Mapped[bool] = mapped_column(Boolean, default=False)
    escalation_reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    escalation_owner: Mapped[str | None] = mapped_column(String(255))
    summary: Mapped[str] = mapped_column(Text, default="")
    automation_level: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16), default="proposed", index=True)
    reviewed_by: Mapped[str | None] = mapped_column(String(128))
    reviewed_at: Mapped[datetime | None]
    override_queue: Mapped[str | None] = mapped_column(String(128))
    created_at: Mapped[datetime]


class FeedbackRow(Base):
    """A person's verdict on any suggestion: useful, incomplete, wrong or unsafe."""

    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[int] = mapped_column(Integer, index=True)
    rating: Mapped[str] = mapped_column(String(16))
    comment: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime]


class DraftRow(Base):
    """A grounded reply proposed for a ticket, and what a person did with it."""

    __tablename__ = "drafts"
    __table_args__ = (UniqueConstraint("ticket_id", "routing_decision_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    routing_decision_id: Mapped[int] = mapped_column(
        ForeignKey("routing_decisions.id", ondelete="CASCADE")
    )
    method: Mapped[str] = mapped_column(String(160))
    text: Mapped[str] = mapped_column(Text)
    confidence: Mapped[float]
    citations: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    context_used: Mapped[list[str]] = mapped_column(JSON, default=list)
    low_confidence_reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    warnings: Mapped[list[str]] = mapped_column(JSON, default=list)
    machine_written: Mapped[bool] = mapped_column(Boolean, default=True)
    state: Mapped[str] = mapped_column(String(16), default="proposed", index=True)
    reviewed_by: Mapped[str | None] = mapped_column(String(128))
    reviewed_at: Mapped[datetime | None]
    final_text: Mapped[str | None] = mapped_column(Text)
    edit_distance: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime]


class TopicRow(Base):
    """A recurring issue found by clustering tickets; ids stay stable across runs."""

    __tablename__ = "topics"

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(255))
    terms: Mapped[list[str]] = mapped_column(JSON, default=list)
    centroid: Mapped[list[float]] = mapped_column(JSON, default=list)
    size: Mapped[int] = mapped_column(Integer, default=0)
    representative_ticket_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    model_version: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class TicketTopicRow(Base):
    """Which topic a ticket belongs to (at most one), and how close it is."""

    __tablename__ = "ticket_topics"

    ticket_id: Mapped[int] = mapped_column(
        ForeignKey("tickets.id", ondelete="CASCADE"), primary_key=True
    )
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id", ondelete="CASCADE"), index=True)
    similarity: Mapped[float]
    assigned_at: Mapped[datetime]


class ApiKeyRow(Base):
    """An API key: only its SHA-256 is stored, so a leaked database leaks no usable key.

    `prefix` (the token's first characters) is kept in clear so a person can tell
    which key is which in `casework keys list` without the secret.
    """

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(128))
    role: Mapped[str] = mapped_column(String(32))
    prefix: Mapped[str] = mapped_column(String(16))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class WritebackRow(Base):
    """One change to send back to the helpdesk: the outbox of `casework.writeback`.

    Unique per (ticket, kind, object): accepting a decision twice or re-running
    the sender never writes the same change back twice. A failed send stays here
    with its error and next attempt time until it goes through.
    """

    __tablename__ = "writebacks"
    __table_args__ = (UniqueConstraint("ticket_id", "kind", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))  # "routing_decision" or "draft"
    object_id: Mapped[int] = mapped_column(Integer)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    state: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime]
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]


class QAScoreRow(Base):
    """One conversation scored against one rubric version, with evidence per criterion.

    Keyed by (ticket, rubric version): scoring again with the same rubric adds
    nothing, and a changed rubric adds a row beside the old one. Casework's own
    drafts are scored apart (`subject`), so they never mix with the agents' figures.
    """

    __tablename__ = "qa_scores"
    __table_args__ = (UniqueConstraint("ticket_id", "rubric_version", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    rubric_version: Mapped[str] = mapped_column(String(64), index=True)
    subject: Mapped[str] = mapped_column(String(8), default="agent", server_default="agent")
    """Whose words were scored: `agent` (the people's replies) or `draft` (casework's own)."""
    total: Mapped[float]
    auto_failed: Mapped[bool] = mapped_column(Boolean, default=False)
    scores: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime]


# -- issue 14: business-hour schedules and per-ticket metrics --------------------------


class ScheduleRow(Base):
    """A named business-hour schedule: weekly intervals in an IANA time zone.

    `intervals` holds `[start_minute, end_minute]` pairs counted, as Zendesk's
    schedules API does, in minutes since Sunday 00:00 local time. Keyed by
    `(source, external_id)` like every imported object; schedules written from
    the workspace config use source `config` and their name as external id.
    """

    __tablename__ = "schedules"
    __table_args__ = (UniqueConstraint("source", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(64))
    external_id: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(255))
    timezone: Mapped[str] = mapped_column(String(64))
    intervals: Mapped[list[list[int]]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime]


class ScheduleHolidayRow(Base):
    """A holiday of one schedule: no business time from `start_date` to `end_date`, inclusive."""

    __tablename__ = "schedule_holidays"
    __table_args__ = (UniqueConstraint("schedule_id", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    schedule_id: Mapped[int] = mapped_column(ForeignKey("schedules.id", ondelete="CASCADE"))
    external_id: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(255), default="")
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)


class TicketScheduleRow(Base):
    """Which schedule a ticket followed from `starts_at` on (until its next row)."""

    __tablename__ = "ticket_schedules"
    __table_args__ = (UniqueConstraint("ticket_id", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    schedule_id: Mapped[int] = mapped_column(
        ForeignKey("schedules.id", ondelete="CASCADE"), index=True
    )
    starts_at: Mapped[datetime]


class TicketMetricsRow(Base):
    """One ticket's Zendesk-named metrics, refreshed by `casework metrics refresh`.

    Durations are whole minutes (`*_cal` calendar, `*_bus` business), NULL
    where the event has not happened. `version` fingerprints the schedules the
    values were computed with, so a changed schedule makes the row stale.
    `queue`, `agent`, `created_at` and `solved_at` are copied so the SQL
    aggregates (medians, 90th percentiles per queue/agent/week) need no join.
    """

    __tablename__ = "ticket_metrics"

    ticket_id: Mapped[int] = mapped_column(
        ForeignKey("tickets.id", ondelete="CASCADE"), primary_key=True
    )
    version: Mapped[str] = mapped_column(String(64))
    computed_at: Mapped[datetime]
    approximate: Mapped[bool] = mapped_column(Boolean, default=False)
    queue: Mapped[str | None] = mapped_column(String(128), index=True)
    agent: Mapped[str | None] = mapped_column(String(255), index=True)
    created_at: Mapped[datetime] = mapped_column(index=True)
    solved_at: Mapped[datetime | None] = mapped_column(index=True)
    replies: Mapped[int] = mapped_column(Integer, default=0)
    reopens: Mapped[int] = mapped_column(Integer, default=0)
    reply_time_cal: Mapped[int | None] = mapped_column(Integer)
    reply_time_bus: Mapped[int | None] = mapped_column(Integer)
    first_resolution_time_cal: Mapped[int | None] = mapped_column(Integer)
    first_resolution_time_bus: Mapped[int | None] = mapped_column(Integer)
    full_resolution_time_cal: Mapped[int | None] = mapped_column(Integer)
    full_resolution_time_bus: Mapped[int | None] = mapped_column(Integer)
    agent_wait_time_cal: Mapped[int | None] = mapped_column(Integer)
    agent_wait_time_bus: Mapped[int | None] = mapped_column(Integer)
    requester_wait_time_cal: Mapped[int | None] = mapped_column(Integer)
    requester_wait_time_bus: Mapped[int | None] = mapped_column(Integer)
    on_hold_time_cal: Mapped[int | None] = mapped_column(Integer)
    on_hold_time_bus: Mapped[int | None] = mapped_column(Integer)


# -- issue 12: privacy (personal-data index, erasures, egress blocks) -----------------


class PiiIndexRow(Base):
    """Where a piece of personal data lives, by keyed hash only: the data-subject index.

    `value_hash` is `casework.privacy.hashing.value_hash` (an HMAC under the workspace's
    secret of the type and normalised value), so finding a customer is one indexed
    lookup instead of a scan of every message, and the index leaks nothing without
    the key. `object_type` is `ticket`, `message`, `customer`, `draft`, `article`…
    """

    __tablename__ = "pii_index"
    __table_args__ = (
        UniqueConstraint("value_hash", "object_type", "object_id"),
        Index("ix_pii_index_object_type_object_id", "object_type", "object_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    value_hash: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(16))
    object_type: Mapped[str] = mapped_column(String(16))
    object_id: Mapped[int] = mapped_column(Integer)
    ticket_id: Mapped[int | None] = mapped_column(Integer, index=True)


class PrivacyErasureRow(Base):
    """One honoured erasure request: who asked, when, what was touched. Never the data."""

    __tablename__ = "privacy_erasures"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[str] = mapped_column(String(64), unique=True)
    subject_hash: Mapped[str] = mapped_column(String(40))
    requested_by: Mapped[str] = mapped_column(String(128))
    occurred_at: Mapped[datetime]
    places: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class EgressBlockRow(Base):
    """Personal data the egress guard stopped on its way out: counts per type, no values."""

    __tablename__ = "egress_blocks"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(index=True)
    channel: Mapped[str] = mapped_column(String(32), index=True)
    role: Mapped[str | None] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(16))
    found: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    count: Mapped[int] = mapped_column(Integer)


# -- issue 11: workers — the job outbox, stage results and dead letters -----------------


class JobRow(Base):
    """One unit of queued work, and the outbox record that publishes it.

    Written in the transaction that stores what must be processed (an import's
    tickets, a webhook delivery), so the two commit together; the relay publishes
    `pending` rows to the broker and marks them `queued`. Then a worker moves it
    to `running`, `done`, `failed` (being retried) or `dead` (see `dead_letters`).
    Carries ticket ids, never texts.
    """

    __tablename__ = "job_outbox"
    __table_args__ = (Index("ix_job_outbox_state_id", "state", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    ticket_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    state: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    published_at: Mapped[datetime | None]
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]


class StageResultRow(Base):
    """A stage done for a ticket with given versions: the idempotency ledger.

    Unique per (ticket, stage, versions) and written in the stage's own transaction,
    so a task delivered twice adds no second row (the database refuses it, not only
    a check); `outcome` says what the stage did (`done`, `escalated`, `skipped`).
    """

    __tablename__ = "stage_results"
    __table_args__ = (UniqueConstraint("ticket_id", "stage", "versions"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    stage: Mapped[str] = mapped_column(String(16))
    versions: Mapped[str] = mapped_column(String(128))
    outcome: Mapped[str] = mapped_column(String(16))
    job_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime]


class DeadLetterRow(Base):
    """A job that failed every retry, with its error and the tickets that failed.

    One per job (unique): a redelivered last attempt parks nothing twice.
    `casework jobs retry` queues the tickets again and stamps `retried_at`.
    """

    __tablename__ = "dead_letters"

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(
        ForeignKey("job_outbox.id", ondelete="CASCADE"), unique=True
    )
    kind: Mapped[str] = mapped_column(String(32))
    ticket_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    error: Mapped[str] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime]
    retried_at: Mapped[datetime | None]
    retry_job_id: Mapped[int | None] = mapped_column(Integer)


# -- issue 14 part B: helpdesk sync state ----------------------------------------------


class SyncStateRow(Base):
    """Where a live helpdesk sync stopped: one row per (source, stream).

    `position` is the stream's own resume token (a Zendesk `after_cursor`, or
    the `end_time` of the time-based ticket-events export), written in the same
    transaction as the data it covers, so a sync killed at any point resumes
    without skipping or repeating anything.
    """

    __tablename__ = "sync_state"
    __table_args__ = (UniqueConstraint("source", "stream"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(64))
    stream: Mapped[str] = mapped_column(String(64))
    position: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime]
