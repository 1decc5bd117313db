"""How one ticket's conversation unfolds, from the opening message to "now".

The lifecycle follows Zendesk: new → open/pending/hold → solved → closed
four days later, with reopens when the customer writes back. Agents answer
within business hours (lognormal delays, longer during the week-9 backlog),
customers answer whenever they like. Events after the reference date are
cut off, which is why the last days' tickets are still new, open or pending.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from casework.demo.clock import REFERENCE_DATE, add_business_minutes, lognormal_minutes
from casework.demo.compose import agent_reply, customer_reply, internal_note
from casework.demo.context import TicketContext
from casework.demo.fragments import Piece
from casework.demo.labels import Labels
from casework.demo.people import QUEUE_NAMES, Person, SupportAgent, Team
from casework.demo.timeline import Conversation, Timeline
from casework.domain import AuthorRole

SYSTEM = "system"
PRIORITIES = ("low", "normal", "high", "urgent")

ASK_FOR = {
    "order_status": "order_number", "delivery_problem": "photos", "return_request": "order_number",
    "refund_request": "order_number", "cancel_order": "order_number", "change_address": "address",
    "billing_question": "order_number", "discount_code": "order_number",
    "account_access": "email", "account_delete": "email", "technical_issue": "device",
    "payment_failed": "payment",
}  # fmt: skip
DIRECT = {
    "product_question": 0.75, "shipping_cost": 0.8, "discount_code": 0.5, "gift_card": 0.55,
    "billing_question": 0.5, "account_access": 0.5, "return_request": 0.55, "cancel_order": 0.6,
    "order_status": 0.45,
}  # fmt: skip
INVESTIGATE = {
    "carrier_delay": 0.6, "not_received": 0.6, "missing_item": 0.4, "charged_twice": 0.4,
    "suspicious_login": 0.5, "data_request": 0.6, "technical_issue": 0.4, "complaint": 0.5,
    "refund_request": 0.35,
}  # fmt: skip
WAITS_ON_THIRD_PARTY = {"carrier_delay", "not_received", "charged_twice", "data_request",
                        "refund_request", "missing_item"}  # fmt: skip
REOPEN = {"carrier_delay": 0.15, "refund_request": 0.1, "technical_issue": 0.1,
          "not_received": 0.12, "invoice_layout_vat": 0.08}  # fmt: skip


class ConversationBuilder:
    """Plays one ticket forward from its opening message."""

    def __init__(
        self,
        rng: random.Random,
        labels: Labels,
        *,
        channel: str,
        person: Person,
        ctx: TicketContext,
        team: Team,
        initial_queue: str,
        true_queue: str,
        backlog: float,
        mentions_order: bool,
        about_order: bool,
    ) -> None:
        self.rng, self.labels, self.channel, self.person = rng, labels, channel, person
        self.ctx, self.team = ctx, team
        self.initial_queue, self.true_queue = initial_queue, true_queue
        self.backlog, self.mentions_order, self.about_order = backlog, mentions_order, about_order
        self.timeline = Timeline(ctx.created_at)
        self.reopened = self.transferred = False
        # After a legal threat the first public answer says who now owns the case.
        self.escalation_pending = labels.legal_threat
        self.kind = labels.topic or labels.intent

    # -- helpers ---------------------------------------------------------------------------

    def _customer(self, at: datetime, pieces: list[Piece]) -> datetime:
        return self.timeline.say(at, AuthorRole.customer, self.person, pieces)

    def _agent(
        self,
        at: datetime,
        agent: SupportAgent,
        kind: str,
        *,
        chat: bool = False,
        greet: bool = True,
        apologise: bool = False,
        key: str = "*",
    ) -> datetime:
        pieces = agent_reply(
            self.rng,
            self.labels,
            kind,
            self.ctx,
            agent,
            chat=chat,
            greet=greet,
            apologise=apologise,
            key=key,
            escalated=self.escalation_pending,
        )
        self.escalation_pending = False
        return self.timeline.say(at, AuthorRole.agent, agent, pieces)

    def _note(self, at: datetime, agent: SupportAgent, *keys: str, **plain: str) -> datetime:
        pieces = internal_note(self.rng, self.ctx, *keys, **plain)
        return self.timeline.say(at, AuthorRole.agent, agent, pieces, public=False)

    def _business(self, at: datetime, median: float, spread: float) -> datetime:
        return add_business_minutes(at, lognormal_minutes(self.rng, median, spread))

    def _first_reply_minutes(self) -> float:
        median, spread = {"social": (60, 0.8), "phone": (90, 0.7)}.get(self.channel, (200, 0.9))
        factor = {"urgent": 0.4, "high": 0.7, "low": 1.3}.get(self.labels.priority, 1.0)
        if self.person.tier == "vip":
            factor *= 0.6
        return lognormal_minutes(self.rng, median, spread) * factor * self.backlog

    def _path(self) -> tuple[str, str]:
        """direct, ask (for what) or investigate."""
        rng, intent = self.rng, self.labels.intent
        if self.about_order and not self.mentions_order and rng.random() < 0.8:
            return "ask", "order_number"
        if rng.random() < INVESTIGATE.get(self.kind, INVESTIGATE.get(intent, 0.12)):
            return "investigate", ""
        if rng.random() < DIRECT.get(intent, 0.35):
            return "direct", ""
        key = ASK_FOR.get(intent, "details")
        if key == "order_number" and self.mentions_order:
            return "direct", ""  # nothing left to ask: the order number is already there
        if intent == "refund_request" and rng.random() < 0.4:
            key = "iban"
        return "ask", key

    # -- the lifecycle -----------------------------------------------------------------------

    def build(self, opening: list[Piece]) -> Conversation:
        start = self.ctx.created_at
        self._customer(start, opening)
        self.timeline.set("status", "new", self.person.external_id, start)
        self.timeline.set("group", QUEUE_NAMES[self.initial_queue], SYSTEM, start)
        if self.channel == "chat":
            self._chat(start)
        else:
            self._asynchronous(start)
        return self.timeline.cut(REFERENCE_DATE, self.reopened, self.transferred)

    def _first_touch(self, at: datetime) -> tuple[SupportAgent, datetime]:
        rng, tl = self.rng, self.timeline
        agent = self.team.pick(rng, self.initial_queue)
        if self.initial_queue != self.true_queue:
            target = QUEUE_NAMES[self.true_queue]
            if self.labels.legal_threat:
                self._note(at, agent, "legal")
                tl.set("priority", "urgent", agent.external_id)
            else:
                self._note(at, agent, "transfer", queue=target)
            tl.set("group", target, agent.external_id)
            tl.set("status", "open", agent.external_id)
            self.transferred = True
            at = self._business(at, 90, 0.8)
            agent = self.team.pick(rng, self.true_queue)
        tl.set("assignee", agent.external_id, agent.external_id, at)
        if tl.state["priority"] is None and rng.random() < 0.75:
            tl.set("priority", self._noisy_priority(), agent.external_id)
        return agent, at

    def _noisy_priority(self) -> str:
        """Agents set priority by feel: right four times out of five."""
        true = PRIORITIES.index(self.labels.priority)
        if self.rng.random() < 0.8:
            return PRIORITIES[true]
        return PRIORITIES[min(3, max(0, true + self.rng.choice((-1, 1))))]

    def _asynchronous(self, start: datetime) -> None:
        rng, tl, me = self.rng, self.timeline, self.person.external_id
        first = add_business_minutes(start, self._first_reply_minutes())
        waited = first - start
        if (
            self.labels.sentiment == "negative"
            and waited > timedelta(hours=4)
            and rng.random() < 0.4
        ):
            limit = min(waited - timedelta(minutes=10), timedelta(hours=30))
            nudge = start + timedelta(seconds=rng.uniform(7200, max(7201, limit.total_seconds())))
            self._customer(nudge, self._from_customer("impatient"))
        agent, at = self._first_touch(first)
        path, key = self._path()
        if self.channel == "phone":
            at = self._note(at, agent, "phone") + timedelta(minutes=rng.uniform(3, 15))
        elif path != "investigate" and rng.random() < 0.35:
            self._note(at, agent, "repeat" if self.labels.repeat_of else "*")
        sorry = self.labels.sentiment == "negative" or self.labels.repeat_of is not None
        if path == "direct":
            at = self._agent(at, agent, "resolve", apologise=sorry)
        elif path == "investigate":
            at = self._agent(at, agent, "holding", apologise=sorry)
            waits = self.kind in WAITS_ON_THIRD_PARTY or self.labels.intent in WAITS_ON_THIRD_PARTY
            tl.set("status", "hold" if waits else "open", agent.external_id)
            self._note(
                at + timedelta(minutes=2),
                agent,
                f"{self.labels.intent}.{self.kind}",
                self.labels.intent,
                "hold",
            )
            answer = self._business(at, 900, 0.6)
            if rng.random() < 0.35:
                nudge = at + (answer - at) * rng.uniform(0.4, 0.9)
                self._customer(nudge, self._from_customer("impatient"))
                if rng.random() < 0.6:  # a quick "still on it" before the real answer
                    update = self._business(nudge, 60, 0.8)
                    if update < answer:
                        self._agent(update, agent, "holding", greet=False)
            at = self._agent(answer, agent, "resolve")
        else:
            rounds = 2 if key != "details" and rng.random() < 0.25 else 1
            for round_ in range(rounds):
                at = self._agent(at, agent, "ask", apologise=sorry and not round_, key=key)
                tl.set("status", "pending", agent.external_id)
                if rng.random() > 0.82:
                    self._no_reply(agent, at)
                    return
                back = at + timedelta(minutes=lognormal_minutes(rng, 300, 1.1))
                back = self._customer(back, self._from_customer("provide", key))
                tl.set("status", "open", me)
                at = self._business(back, 150, 0.9)
                key = "details"
            at = self._agent(at, agent, "resolve")
        if rng.random() < 0.25:
            at = self._note(at + timedelta(minutes=rng.uniform(1, 5)), agent, "resolved")
        tl.set("status", "solved", agent.external_id, at)
        self._after_solve(agent, at, chat=False)

    def _from_customer(self, kind: str, key: str = "*", chat: bool = False) -> list[Piece]:
        quote = None
        if self.channel == "email" and kind != "impatient" and self.rng.random() < 0.3:
            replied = [e for e in self.timeline.entries if e.role == "agent" and e.public]
            quote = (replied[-1].at, replied[-1].pieces) if replied else None
        return customer_reply(self.rng, self.labels, kind, self.ctx, chat, key, quote)

    def _no_reply(self, agent: SupportAgent, asked: datetime) -> None:
        """The customer never answers: a reminder, then the automation solves the ticket."""
        tl = self.timeline
        reminder = agent_reply(self.rng, self.labels, "reminder", self.ctx, agent, False)
        tl.say(asked + timedelta(days=3), AuthorRole.system, None, reminder)
        tl.set("status", "solved", SYSTEM, asked + timedelta(days=7))
        self._after_solve(agent, tl.cursor, chat=False, automatic=True)

    def _chat(self, start: datetime) -> None:
        rng, tl = self.rng, self.timeline

        def minutes(low: float, high: float) -> timedelta:
            return timedelta(seconds=rng.uniform(low * 60, high * 60))

        agent, at = self._first_touch(start + minutes(0.5, 4))
        if rng.random() < 0.45 and (at - start).total_seconds() > 40:
            extra = "detail" if self.labels.language == "en" else "impatient"
            self._customer(start + (at - start) / 2, self._from_customer(extra, chat=True))
        tl.set("status", "open", agent.external_id, at)
        path, key = self._path()
        sorry = self.labels.sentiment == "negative"
        greet = True
        if path == "ask":
            at = self._agent(at, agent, "ask", chat=True, apologise=sorry, key=key)
            at = self._customer(at + minutes(0.5, 3), self._from_customer("provide", key, True))
            greet = sorry = False
        if path == "investigate" or rng.random() < 0.5:
            at = self._agent(
                at + minutes(0.3, 1.5), agent, "checking", chat=True, greet=greet, apologise=sorry
            )
            greet = sorry = False
        if path == "investigate":
            at = self._agent(at + minutes(1, 4), agent, "holding", chat=True, greet=False)
            tl.set(
                "status", "hold" if self.kind in WAITS_ON_THIRD_PARTY else "open", agent.external_id
            )
            at = self._agent(self._business(at, 600, 0.6), agent, "resolve")
        else:
            at = self._agent(
                at + minutes(1, 4), agent, "resolve", chat=True, greet=greet, apologise=sorry
            )
            if rng.random() < 0.6:
                at = self._customer(at + minutes(0.3, 2), self._from_customer("thanks", chat=True))
        tl.set("status", "solved", agent.external_id, at)
        self._after_solve(agent, at, chat=True)

    def _after_solve(
        self, agent: SupportAgent, solved: datetime, chat: bool, automatic: bool = False
    ) -> None:
        rng, tl, me = self.rng, self.timeline, self.person.external_id
        reopen_rate = REOPEN.get(self.kind, REOPEN.get(self.labels.intent, 0.05))
        reopen_rate += 0.1 if self.labels.frustrated else 0.0
        if not automatic and rng.random() < reopen_rate:
            when = solved + timedelta(days=rng.uniform(1, 3.5))
            when = self._customer(when, self._from_customer("reopen"))
            tl.set("status", "open", me)
            solved = self._agent(self._business(when, 120, 0.9), agent, "reopened")
            tl.set("status", "solved", agent.external_id)
            self.reopened = True
        elif not chat and not automatic and rng.random() < 0.3:
            when = solved + timedelta(minutes=lognormal_minutes(rng, 60, 1.0))
            when = self._customer(when, self._from_customer("thanks"))
            tl.set("status", "open", me)
            solved = self._business(when, 30, 0.8)
            tl.set("status", "solved", agent.external_id, solved)
        if rng.random() < 0.3:
            good = 0.94
            good -= 0.2 if self.labels.sentiment == "negative" else 0.0
            good -= 0.15 if self.labels.frustrated else 0.0
            good -= 0.25 if self.reopened else 0.0
            good -= 0.2 if automatic else 0.0
            rating = "good" if rng.random() < max(0.05, good) else "bad"
            tl.set("satisfaction", rating, me, solved + timedelta(hours=rng.uniform(1, 72)))
        tl.set("status", "closed", SYSTEM, solved + timedelta(days=4))
