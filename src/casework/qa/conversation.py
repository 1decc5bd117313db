"""What a scorer sees of a ticket: its messages, status history and triage.

A plain snapshot rather than ORM rows, so scorers are pure functions that tests
can feed hand-written conversations, and a session never leaks into scoring.
Message indexes are positions in the stored ticket (internal notes included),
the same numbering evidence spans and the demo's truth manifest use.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from casework.config.schema import WorkspaceConfig
from casework.insights.business_hours import BusinessClock, CalendarClock, Clock
from casework.knowledge.retrieval import Document
from casework.store.tables import TicketRow, TriageResultRow


@dataclass(frozen=True)
class Msg:
    index: int
    role: str  # customer | agent | system
    body: str
    created_at: datetime
    public: bool = True


@dataclass
class Conversation:
    ticket_id: int
    external_id: str
    created_at: datetime
    status: str
    messages: list[Msg]
    priority: str | None = None
    queue: str | None = None
    status_changes: list[tuple[datetime, str]] = field(default_factory=list)
    intent: str | None = None
    sentiment: str | None = None
    sentiment_score: float | None = None
    frustration: bool | None = None
    language: str | None = None

    def public_agent(self) -> list[Msg]:
        return [m for m in self.messages if m.role == "agent" and m.public]

    def customer(self) -> list[Msg]:
        return [m for m in self.messages if m.role == "customer"]


@dataclass
class ScoringContext:
    """What scorers may consult besides the ticket: the config and the knowledge base."""

    config: WorkspaceConfig
    article_for: Callable[[Conversation, str], Document | None] = lambda _c, _t: None
    """The approved article a reply text is about (the one it should agree with)."""

    def clock(self, queue: str | None) -> Clock:
        found = next((q for q in self.config.queues if queue in (q.key, q.name)), None)
        return BusinessClock(found.business_hours) if found else CalendarClock()


def conversation_of(ticket: TicketRow, triage: TriageResultRow | None) -> Conversation:
    """The snapshot of a stored ticket and its newest triage."""
    messages = [
        Msg(i, m.author_role, m.body, m.created_at, m.public) for i, m in enumerate(ticket.messages)
    ]
    changes = [(c.changed_at, c.new_value or "") for c in ticket.changes if c.field == "status"]
    return Conversation(
        ticket_id=ticket.id,
        external_id=ticket.external_id,
        created_at=ticket.created_at,
        status=ticket.status,
        messages=messages,
        priority=ticket.priority,
        queue=ticket.queue.key if ticket.queue else None,
        status_changes=changes,
        intent=triage.intent if triage else None,
        sentiment=triage.sentiment if triage else None,
        sentiment_score=triage.sentiment_score if triage else None,
        frustration=triage.frustration if triage else None,
        language=triage.language if triage else None,
    )
