"""Turns one planned ticket into a stored `Ticket` and its truth record.

Each ticket draws from its own random stream (seeded by the run's seed and
the ticket id), so changing how one ticket is written does not reshuffle
every ticket after it. Requesters are drawn in arrival order, which is what
lets a customer's second ticket refer to their first.

Stored field changes use helpdesk vocabulary: `status` values are Zendesk
statuses, `group` values queue names, `assignee` values agent external ids,
and `actor` is the customer's or agent's external id, or "system" for
triggers and automations (routing on arrival, reminders, auto-close).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from casework.demo.clock import is_open
from casework.demo.compose import customer_opening
from casework.demo.context import TicketContext
from casework.demo.conversation import ConversationBuilder
from casework.demo.fragments import ENTITY_KINDS, PII_KINDS, render
from casework.demo.labels import sample_labels
from casework.demo.manifest import SpanTruth, TicketTruth
from casework.demo.orders import OrderBook, order_for_ticket
from casework.demo.people import QUEUES, Person, RequesterPicker, Team
from casework.demo.plan import INTENTS, Patterns, TicketPlan
from casework.demo.timeline import Conversation
from casework.domain import Agent, FieldChange, Message, Order, Priority, Ticket, TicketStatus

SOURCE = "demo"
NETWORKS = ("facebook", "instagram", "twitter")
CHANNEL_TAGS = {"email": "email", "web": "web_form", "chat": "chat", "phone": "voicemail"}
REPEAT_WINDOW = timedelta(days=21)

CONTACT_REASON_FIELD = "contact_reason"
AGENT_LABEL_ERROR = 0.07  # share of solved tickets an agent files under a neighbouring reason


def agent_contact_reason(rng: random.Random, true_intent: str) -> str:
    """The reason an agent files: usually right, else another reason of the same queue."""
    if rng.random() >= AGENT_LABEL_ERROR:
        return true_intent
    queue = next(i.queue for i in INTENTS if i.key == true_intent)
    neighbours = [i.key for i in INTENTS if i.queue == queue and i.key != true_intent]
    return rng.choice(neighbours or [i.key for i in INTENTS if i.key != true_intent])


@dataclass
class PastTicket:
    external_id: str
    intent: str
    created_at: datetime
    order: Order | None


@dataclass
class TicketFactory:
    seed: int
    team: Team
    picker: RequesterPicker
    book: OrderBook
    patterns: Patterns
    history: dict[str, list[PastTicket]] = field(default_factory=dict)

    def make(self, plan: TicketPlan, external_id: str) -> tuple[Ticket, TicketTruth]:
        rng = random.Random(f"{self.seed}:ticket:{external_id}")
        person = self.picker.pick()
        language = person.language if rng.random() < 0.9 else "en"
        previous = self._previous(person, plan)
        labels = sample_labels(
            rng,
            plan.intent,
            topic=None if plan.topic == "*" else plan.topic,
            language=language,
            channel=plan.channel,
            repeat_of=previous.external_id if previous else None,
            spike=plan.week in (self.patterns.spike_week, self.patterns.spike_week + 1),
        )

        def make_order() -> Order:
            if previous and previous.order is not None:
                return previous.order  # a follow-up is about the same order
            return order_for_ticket(
                self.book, rng, person, plan.intent.key, labels.topic, plan.created_at
            )

        ctx = TicketContext(rng, person, language, plan.created_at, make_order, labels.repeat_of)
        if plan.intent.order:
            ctx.ensure_order()
        network = rng.choice(NETWORKS) if plan.channel == "social" else None
        typo_rate = rng.uniform(0.02, 0.08) if rng.random() < 0.35 else 0.0
        opening = customer_opening(rng, labels, plan.channel, network, ctx, typo_rate)
        labels = opening.labels
        mentions_order = any(p.kind == "order_number" for p in opening.pieces)
        custom_fields: dict[str, str] = {"country": person.country.code}
        if plan.channel == "web" and ctx.order is not None and rng.random() < 0.45:
            custom_fields["order_number"] = ctx.order.order_number  # the web form's field
        true_queue = labels.queue(plan.intent)
        conversation = ConversationBuilder(
            rng,
            labels,
            channel=plan.channel,
            person=person,
            ctx=ctx,
            team=self.team,
            initial_queue=self._initial_queue(rng, plan, true_queue, labels.legal_threat),
            true_queue=true_queue,
            backlog=self._backlog(plan.week, true_queue),
            mentions_order=mentions_order or "order_number" in custom_fields,
            about_order=plan.intent.order,
        ).build(opening.pieces)
        self.history.setdefault(person.external_id, []).append(
            PastTicket(external_id, plan.intent.key, plan.created_at, ctx.order)
        )

        messages, pii, entities = self._messages(conversation, external_id)
        tags = [CHANNEL_TAGS.get(plan.channel) or network or "social"]
        tags += [person.tier] if person.tier != "standard" else []
        tags += [] if is_open(plan.created_at) else ["after_hours"]
        state = conversation.state
        if state["status"] in ("solved", "closed"):
            # Agents pick a contact reason when they solve a ticket: the labelled
            # history `casework train` learns from. Like the priorities they set, it
            # is a person's call, so it is sometimes wrong; the truth file is not.
            custom_fields[CONTACT_REASON_FIELD] = agent_contact_reason(rng, plan.intent.key)
        ticket = Ticket(
            source=SOURCE,
            external_id=external_id,
            subject=opening.subject,
            status=TicketStatus(state["status"] or "new"),
            priority=Priority(state["priority"]) if state["priority"] else None,
            type=plan.intent.ticket_type if rng.random() < 0.7 else None,
            channel=plan.channel,
            tags=tags,
            queue=state["group"],
            assignee=self._assignee(state["assignee"]),
            requester=person.record(),
            created_at=plan.created_at,
            updated_at=conversation.updated_at,
            solved_at=conversation.solved_at,
            satisfaction=state["satisfaction"],
            custom_fields=custom_fields,
            messages=messages,
            changes=[
                FieldChange(
                    field=c.field, old_value=c.old, new_value=c.new, changed_at=c.at, actor=c.actor
                )
                for c in conversation.changes
            ],
        )
        truth = TicketTruth(
            external_id=external_id,
            created_at=plan.created_at.isoformat(),
            week=plan.week,
            channel=plan.channel,
            customer=person.external_id,
            intent=labels.intent,
            topic=labels.topic,
            queue=true_queue,
            priority=labels.priority,
            sentiment=labels.sentiment,
            frustrated=labels.frustrated,
            language=labels.language,
            requests_human=labels.requests_human,
            legal_threat=labels.legal_threat,
            repeat_of=labels.repeat_of,
            order_number=ctx.order.order_number if ctx.order else None,
            mentions_order_number=mentions_order,
            reopened=conversation.reopened,
            transferred=conversation.transferred,
            pii=pii,
            entities=entities,
        )
        return ticket, truth

    def _previous(self, person: Person, plan: TicketPlan) -> PastTicket | None:
        """The customer's recent ticket about the same thing, if any: a repeat contact."""
        for past in reversed(self.history.get(person.external_id, [])):
            if plan.created_at - past.created_at > REPEAT_WINDOW:
                return None
            if past.intent == plan.intent.key:
                return past
        return None

    @staticmethod
    def _initial_queue(rng: random.Random, plan: TicketPlan, true_queue: str, legal: bool) -> str:
        """Where the helpdesk's triggers first put the ticket; wrong about 1 in 12."""
        if legal:
            return plan.intent.queue  # triggers do not read threats; an agent escalates
        if plan.channel != "chat" and rng.random() < 0.08:
            return rng.choice([key for key, _, _ in QUEUES if key != true_queue])
        return true_queue

    def _backlog(self, week: int, queue: str) -> float:
        """The carrier spike slows first replies down in the orders queue."""
        if queue != "orders-delivery":
            return 1.0
        spike = self.patterns.spike_week
        return {spike: 1.9, spike + 1: 1.7, spike + 2: 1.25}.get(week, 1.0)

    def _assignee(self, agent_id: str | None) -> Agent | None:
        if agent_id is None:
            return None
        return next(a for a in self.team.agents if a.external_id == agent_id).record()

    @staticmethod
    def _messages(
        conversation: Conversation, external_id: str
    ) -> tuple[list[Message], list[SpanTruth], list[SpanTruth]]:
        messages: list[Message] = []
        pii: list[SpanTruth] = []
        entities: list[SpanTruth] = []
        for index, entry in enumerate(conversation.entries):
            body, spans = render(entry.pieces)
            messages.append(
                Message(
                    external_id=f"{external_id}-{index}",
                    author_role=entry.role,
                    author_external_id=entry.author_id,
                    author_name=entry.author_name,
                    body=body,
                    public=entry.public,
                    created_at=entry.at,
                )
            )
            for span in spans:
                truth = SpanTruth(span.kind, index, span.start, span.end, span.value)
                if span.kind in PII_KINDS:
                    pii.append(truth)
                elif span.kind in ENTITY_KINDS:
                    entities.append(truth)
        return messages, pii, entities
