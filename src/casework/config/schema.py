"""The workspace file's schema: what a team can configure, and nothing else.

Pydantic models with `extra="forbid"`, so a misspelt key is an error, not a
silently ignored setting. The JSON schema of `WorkspaceConfig` is what the
docs publish and what editors can validate against.

Rule conditions are structured YAML, not code: a condition is a mapping of
field → test, where a test is a value (equality), a list (membership) or a
mapping of operators (`gte`, `gt`, `lte`, `lt`, `eq`, `ne`, `in`, `not_in`,
`contains`, `contains_any`, `matches`). `all:` / `any:` / `not:` combine
conditions. Nothing a user writes is ever evaluated as Python.
"""

from __future__ import annotations

from datetime import date, time
from enum import StrEnum
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from casework.config.rubric import QARubric

DEFER_REFERENCES = "defer_references"
"""Validation context key: skip cross-reference checks; the loader reports them by path."""

CONDITION_FIELDS = (
    "intent",
    "intent_confidence",
    "urgency",
    "sentiment",
    "sentiment_score",
    "frustration",
    "language",
    "channel",
    "customer.tier",
    "customer.attributes.*",
    "tags",
    "text",
    "amount",
    "currency",
    "missing",
    "requests_human",
    "legal_threat",
    "fraud",
)
"""Fields a rule condition may read (`customer.attributes.<name>` for any attribute)."""

OPERATORS = (
    "eq",
    "ne",
    "in",
    "not_in",
    "gt",
    "gte",
    "lt",
    "lte",
    "contains",
    "contains_any",
    "matches",
)


class AutomationLevel(StrEnum):
    """How far casework may go on its own, from nothing to sending by itself."""

    off = "off"
    suggest = "suggest"
    draft = "draft"
    auto = "auto"

    @property
    def rank(self) -> int:
        return list(AutomationLevel).index(self)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class BusinessHours(Strict):
    timezone: str = "UTC"
    days: list[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]] = [
        "mon",
        "tue",
        "wed",
        "thu",
        "fri",
    ]
    start: time = time(9, 0)
    end: time = time(17, 0)

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, name: str) -> str:
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown timezone {name!r}; expected an IANA name such as 'Europe/Berlin' or 'UTC'"
            ) from None
        return name

    @model_validator(mode="after")
    def _start_before_end(self) -> BusinessHours:
        if self.start >= self.end:
            raise ValueError("start must be before end")
        return self


class ScheduleInterval(Strict):
    """One stretch of working time on some weekdays, local time (several per day allowed)."""

    days: list[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]]
    start: time
    end: time

    @model_validator(mode="after")
    def _start_before_end(self) -> ScheduleInterval:
        if self.start >= self.end:
            raise ValueError("start must be before end")
        return self


class ScheduleHoliday(Strict):
    """Days (inclusive, local dates) on which a schedule has no working time."""

    name: str = ""
    start: date
    end: date | None = None
    """Last day of the holiday; the same day as `start` when left out."""

    @model_validator(mode="after")
    def _start_before_end(self) -> ScheduleHoliday:
        if self.end is None:
            self.end = self.start
        if self.end < self.start:
            raise ValueError("end must not be before start")
        return self


class ScheduleConfig(Strict):
    """A named business-hour schedule (Zendesk's schedules): intervals, zone, holidays."""

    timezone: str
    intervals: list[ScheduleInterval] = Field(min_length=1)
    holidays: list[ScheduleHoliday] = []

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, name: str) -> str:
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown timezone {name!r}; expected an IANA name such as 'Europe/Berlin' or 'UTC'"
            ) from None
        return name

    def minute_intervals(self) -> list[tuple[int, int]]:
        """(start, end) in minutes since Sunday 00:00, as Zendesk's schedules API counts."""
        order = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
        out = []
        for interval in self.intervals:
            start = interval.start.hour * 60 + interval.start.minute
            end = interval.end.hour * 60 + interval.end.minute
            for day in interval.days:
                out.append((order.index(day) * 1440 + start, order.index(day) * 1440 + end))
        return sorted(set(out))


class QueueConfig(Strict):
    key: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    owner: str
    description: str = ""
    business_hours: BusinessHours = BusinessHours()
    schedule: str | None = None
    """Name of an entry in `schedules`; overrides `business_hours` for the metrics."""


class SlaTarget(Strict):
    first_reply_minutes: int = Field(gt=0)
    resolution_hours: int = Field(gt=0)


class RuleActions(Strict):
    queue: str | None = None
    priority: Literal["low", "normal", "high", "urgent"] | None = None
    add_tags: list[str] = []
    assignee_group: str | None = None
    escalate: bool = False
    automation_level: AutomationLevel | None = None
    """Can only lower the level (e.g. `suggest` for refunds above a threshold)."""


class Rule(Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    description: str = ""
    when: dict[str, Any]
    then: RuleActions
    stop: bool = True
    """Stop at this rule (first match wins) unless false, then later rules may add."""


class EscalationPolicy(Strict):
    sensitive_intents: list[str] = ["complaint"]
    escalate_on_human_request: bool = True
    escalate_on_negative_sentiment: bool = True
    negative_sentiment_at: float = Field(default=-0.5, ge=-1, le=0)
    escalate_on_frustration: bool = True
    min_confidence: float = Field(default=0.5, ge=0, le=1)
    escalate_unknown_intent: bool = True
    default_owner: str = "support-lead"
    owners: dict[str, str] = {}
    """Queue key → accountable person or team for escalations from that queue."""


class ServiceLanguage(Strict):
    use: list[str] = []
    avoid: list[str] = []


class EmbeddingSettings(Strict):
    """Which embedding backend each use takes: `static` (fast) or `minilm` (accurate).

    Unset, each use keeps its own default: `static` for the intent model, for drafting in
    the pipeline and for the API and MCP; `minilm` for interactive search, self-service
    answers and reports. A command's `--mode` still overrides."""

    intent: Literal["static", "minilm"] | None = None
    """Backend `casework train` fits the intent model on (triage then follows the model)."""
    retrieval: Literal["static", "minilm"] | None = None
    """Backend of every knowledge retrieval: drafts, kb search, self-service, API, MCP."""


class KnowledgeSettings(Strict):
    review_window_days: int = Field(default=180, gt=0)
    """An approved article not reviewed within this many days is stale."""
    disclosure: str = (
        "This reply was prepared by our automated assistant from our help centre. "
        "Reply to this message and a person from our team will take over."
    )
    """Line every machine-written, customer-facing text carries."""
    min_answer_confidence: float = Field(default=0.6, ge=0, le=1)
    """Self-service answers only above this retrieval confidence; below, a hand-off."""


class ContextProviderConfig(Strict):
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    kind: Literal["csv", "sql", "http"]
    key: str
    """The ticket fact used to look a record up, e.g. `order_number` or `customer.email`."""
    fields: list[str]
    """Fields this provider can return; what an intent may read is set in `context_allow`."""
    options: dict[str, Any] = {}
    """csv: `path`, `key_column`; sql: `url`, `query` (bound `:key`); http: `url` with `{key}`."""


class LLMSettings(Strict):
    provider: Literal["none", "openai", "anthropic"] = "none"
    """`openai` speaks OpenAI-compatible chat completions (OpenAI, Ollama, vLLM, llama.cpp)."""
    base_url: str | None = None
    model: str | None = None
    api_key_env: str | None = None
    """Name of the environment variable holding the key (never the key itself)."""
    timeout_seconds: float = Field(default=20, gt=0)
    max_retries: int = Field(default=2, ge=0)


class RetentionSettings(Strict):
    """Days each class of data is kept (`null`: kept until erased); `casework privacy purge`
    applies them. Rows metrics count are never deleted, only their text is replaced."""

    raw_text_days: int | None = Field(default=365, gt=0)
    """Message bodies, subjects and author names: replaced by their redacted form after this."""
    redacted_text_days: int | None = Field(default=1095, gt=0)
    """Redacted copies (triage text, routing summaries): emptied after this."""
    customer_records_days: int | None = Field(default=1095, gt=0)
    """Customers with no ticket for this long: name, email, phone pseudonymised."""
    context_cache_days: int | None = Field(default=180, gt=0)
    """Context-provider data copied into the workspace (the `orders` table): deleted."""
    index_entries_days: int | None = Field(default=365, gt=0)
    """Personal-data index entries and topic examples of tickets older than this: dropped.
    (casework stores no embedding of a ticket; knowledge indexes hold articles only.)"""
    drafts_days: int | None = Field(default=365, gt=0)
    """Draft and write-back text: redacted (the draft rows stay for acceptance metrics)."""
    qa_evidence_days: int | None = Field(default=365, gt=0)
    """Quoted evidence in QA scores: removed (scores stay)."""
    llm_logs_days: int | None = Field(default=30, gt=0)
    """LLM request logs; casework keeps none today, so nothing to purge."""
    audit_events_days: int | None = Field(default=None, gt=0)
    """Audit events hold ids and keyed hashes only; purge never cuts the hash chain, so a
    value here is reported (events past it) but not applied."""


EgressMode = Literal["redact", "block"]


class EgressSettings(Strict):
    """What happens to personal data leaving casework, per channel: `redact` replaces it with
    typed placeholders, `block` refuses the whole payload. Either way it is recorded."""

    llm: EgressMode = "redact"
    mcp: EgressMode = "redact"
    api: EgressMode = "redact"
    """For API roles without `tickets:raw`; roles with it see raw data."""
    writeback: EgressMode = "redact"
    logs: EgressMode = "redact"
    reports: EgressMode = "redact"
    allow: dict[str, list[str]] = {}
    """Channel -> personal-data types that may pass it raw (e.g. `writeback: [EMAIL]`)."""


class PrivacySettings(Strict):
    retention: RetentionSettings = RetentionSettings()
    egress: EgressSettings = EgressSettings()
    purposes: dict[str, str] = {}
    """Stage or provider -> purpose, to override the processing register's defaults."""


class WorkspaceConfig(Strict):
    """Everything in `casework.yaml`."""

    version: Literal[1] = 1
    queues: list[QueueConfig]
    default_queue: str
    sla: dict[Literal["low", "normal", "high", "urgent"], SlaTarget] = {}
    rules: list[Rule] = []
    escalation: EscalationPolicy = EscalationPolicy()
    automation: dict[str, AutomationLevel] = {}
    """Intent → level; intents not listed get `default_automation`."""
    default_automation: AutomationLevel = AutomationLevel.suggest
    sensitive_topics: list[str] = []
    """Words or phrases that make any ticket sensitive (e.g. 'lawyer', 'chargeback')."""
    required_fields: dict[str, list[str]] = {}
    """Intent → fields a ticket must carry (e.g. order_status → [order_number])."""
    service_language: ServiceLanguage = ServiceLanguage()
    routing_model_min_confidence: float = Field(default=0.6, ge=0, le=1)
    knowledge: KnowledgeSettings = KnowledgeSettings()
    embeddings: EmbeddingSettings = EmbeddingSettings()
    context_providers: list[ContextProviderConfig] = []
    context_allow: dict[str, list[str]] = {}
    """Intent → `provider.field` entries it may read; anything else is never fetched."""
    llm: LLMSettings = LLMSettings()
    qa_rubric: QARubric = QARubric()
    privacy: PrivacySettings = PrivacySettings()
    """Retention per data class and the egress guard (`casework privacy …`)."""
    """Criteria every conversation is scored against (`casework qa score`)."""
    schedules: dict[str, ScheduleConfig] = {}
    """Name → business-hour schedule; queues point at one with `schedule:`."""

    @field_validator("queues")
    @classmethod
    def _some_queues(cls, queues: list[QueueConfig]) -> list[QueueConfig]:
        if not queues:
            raise ValueError("at least one queue is needed")
        return queues

    @model_validator(mode="after")
    def _references_exist(self, info: ValidationInfo) -> WorkspaceConfig:
        if info.context and info.context.get(DEFER_REFERENCES):
            return self
        problems = reference_problems(self)
        if problems:
            raise ValueError("; ".join(message for _, message in problems))
        return self

    def queue(self, key: str) -> QueueConfig | None:
        return next((q for q in self.queues if q.key == key), None)

    def automation_for(self, intent: str) -> AutomationLevel:
        return self.automation.get(intent, self.default_automation)


Loc = tuple[str | int, ...]


def reference_problems(config: WorkspaceConfig) -> list[tuple[Loc, str]]:
    """Names that must point at something that exists, each with where it is written.

    Kept apart from the model validator so that the file loader can report every
    broken reference with its own line instead of one message for the whole file.
    """
    problems: list[tuple[Loc, str]] = []
    keys = [q.key for q in config.queues]
    known = ", ".join(dict.fromkeys(keys))
    for i, key in enumerate(keys):
        if key in keys[:i]:
            problems.append((("queues", i, "key"), f"duplicate queue key {key!r}"))
    if config.default_queue not in keys:
        problems.append(
            (
                ("default_queue",),
                f"{config.default_queue!r} is not a queue key; expected one of: {known}",
            )
        )
    ids = [r.id for r in config.rules]
    for i, rule in enumerate(config.rules):
        if rule.id in ids[:i]:
            problems.append((("rules", i, "id"), f"duplicate rule id {rule.id!r}"))
        if rule.then.queue is not None and rule.then.queue not in keys:
            problems.append(
                (
                    ("rules", i, "then", "queue"),
                    f"rule {rule.id!r}: queue {rule.then.queue!r} is not a queue key; "
                    f"expected one of: {known}",
                )
            )
    for i, queue in enumerate(config.queues):
        if queue.schedule is not None and queue.schedule not in config.schedules:
            problems.append(
                (
                    ("queues", i, "schedule"),
                    f"queue {queue.key!r}: schedule {queue.schedule!r} is not in `schedules`; "
                    f"expected one of: {', '.join(config.schedules) or '(none defined)'}",
                )
            )
    for key in config.escalation.owners:
        if key not in keys:
            problems.append(
                (
                    ("escalation", "owners", key),
                    f"{key!r} is not a queue key; expected one of: {known}",
                )
            )
    return problems
