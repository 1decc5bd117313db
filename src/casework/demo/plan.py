"""How many tickets of which kind arrive in which week.

Volumes are allocated exactly (largest-remainder rounding of expected
counts), not sampled, so the planted week-9 spike of "where is my order" is
there at any size and the manifest can state precisely what was planted.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from casework.demo.clock import arrival_in_week, is_open, period_start

MIN_WEEKS = 6


@dataclass(frozen=True)
class Intent:
    key: str
    queue: str
    share: float  # of a normal week's tickets
    topics: tuple[tuple[str, float], ...]  # (topic, weight); "*" when there is only one kind
    negative: float  # chance the customer is unhappy before any other cue
    frustration: float  # chance the customer is openly frustrated
    ticket_type: str  # Zendesk type an agent would pick
    order: bool  # whether the conversation is about a specific order


INTENTS: tuple[Intent, ...] = (
    Intent("order_status", "orders-delivery", 0.15, (("where_is_order", 1.0),), 0.25, 0.12,
           "question", True),
    Intent("delivery_problem", "orders-delivery", 0.08,
           (("damaged_item", 0.4), ("wrong_item", 0.2), ("missing_item", 0.15),
            ("not_received", 0.25)), 0.45, 0.18, "incident", True),
    Intent("return_request", "returns-refunds", 0.10, (("*", 1.0),), 0.1, 0.04, "task", True),
    Intent("refund_request", "returns-refunds", 0.08, (("*", 1.0),), 0.4, 0.2, "task", True),
    Intent("cancel_order", "orders-delivery", 0.05, (("*", 1.0),), 0.1, 0.05, "task", True),
    Intent("change_address", "orders-delivery", 0.03, (("*", 1.0),), 0.05, 0.03, "task", True),
    Intent("shipping_cost", "orders-delivery", 0.03, (("*", 1.0),), 0.08, 0.03, "question",
           False),
    Intent("billing_question", "billing", 0.07,
           (("invoice_layout_vat", 0.55), ("invoice_copy", 0.45)), 0.2, 0.06, "question", True),
    Intent("payment_failed", "billing", 0.06,
           (("payment_declined", 0.5), ("charged_twice", 0.5)), 0.4, 0.18, "incident", True),
    Intent("discount_code", "billing", 0.04, (("*", 1.0),), 0.15, 0.05, "question", True),
    Intent("gift_card", "billing", 0.04, (("split_payment", 0.75), ("balance", 0.25)), 0.1,
           0.04, "question", False),
    Intent("account_access", "account", 0.06,
           (("password_reset", 0.85), ("suspicious_login", 0.15)), 0.25, 0.1, "incident", False),
    Intent("account_delete", "account", 0.02,
           (("delete_account", 0.7), ("data_request", 0.3)), 0.2, 0.05, "task", False),
    Intent("technical_issue", "technical", 0.05, (("*", 1.0),), 0.35, 0.12, "problem", False),
    Intent("product_question", "orders-delivery", 0.09, (("*", 1.0),), 0.02, 0.01, "question",
           False),
    Intent("complaint", "complaints", 0.04, (("service", 0.7), ("quality", 0.3)), 1.0, 0.55,
           "incident", True),
)  # fmt: skip
INTENT_BY_KEY = {i.key: i for i in INTENTS}

CHANNELS = (("email", 0.38), ("web", 0.27), ("chat", 0.2), ("phone", 0.08), ("social", 0.07))


@dataclass(frozen=True)
class Patterns:
    """What is planted, with the weeks it happens in (1-based)."""

    weeks: int
    spike_week: int
    carrier_change_at: datetime  # standard shipping moves to the new carrier (mid week before)
    # "where is my order" volume multiplier per week (relative to a normal week)
    order_status_multiplier: dict[int, float]
    delivery_problem_multiplier: dict[int, float]


def patterns_for(weeks: int) -> Patterns:
    if weeks < MIN_WEEKS:
        raise ValueError(f"the demo needs at least {MIN_WEEKS} weeks, got {weeks}")
    spike = weeks - 3  # week 9 of 12: a baseline before, a recovery after
    change_at = period_start(weeks) + timedelta(weeks=spike - 1, days=-5)
    order_status = {spike: 2.6, spike + 1: 2.3, spike + 2: 1.4, spike + 3: 1.15}
    delivery = {spike: 1.4, spike + 1: 1.4, spike + 2: 1.15}
    return Patterns(weeks, spike, change_at, order_status, delivery)


@dataclass(frozen=True)
class TicketPlan:
    week: int
    intent: Intent
    topic: str
    channel: str
    created_at: datetime


def weekly_counts(total: int, patterns: Patterns, rng: random.Random) -> dict[tuple[int, str], int]:
    """Exact ticket counts per (week, intent) that add up to `total`."""
    weeks = patterns.weeks
    volume = {w: (1 + 0.012 * (w - 1)) * rng.uniform(0.95, 1.05) for w in range(1, weeks + 1)}
    weights: dict[tuple[int, str], float] = {}
    for w in range(1, weeks + 1):
        for intent in INTENTS:
            factor = 1.0
            if intent.key == "order_status":
                factor = patterns.order_status_multiplier.get(w, 1.0)
            elif intent.key == "delivery_problem":
                factor = patterns.delivery_problem_multiplier.get(w, 1.0)
            weights[(w, intent.key)] = volume[w] * intent.share * factor
    scale = total / sum(weights.values())
    exact = {key: value * scale for key, value in weights.items()}
    counts = {key: int(value) for key, value in exact.items()}
    short = total - sum(counts.values())
    by_remainder = sorted(exact, key=lambda k: (exact[k] - counts[k], k), reverse=True)
    for key in by_remainder[:short]:
        counts[key] += 1
    return counts


def plan_tickets(total: int, patterns: Patterns, rng: random.Random) -> list[TicketPlan]:
    """Every ticket's week, intent, topic, channel and arrival, in arrival order."""
    plans: list[TicketPlan] = []
    channels = [name for name, _ in CHANNELS]
    channel_weights = [weight for _, weight in CHANNELS]
    for (week, key), count in sorted(weekly_counts(total, patterns, rng).items()):
        intent = INTENT_BY_KEY[key]
        topics = [topic for topic, _ in intent.topics]
        topic_weights = [weight for _, weight in intent.topics]
        for _ in range(count):
            topic = rng.choices(topics, weights=topic_weights)[0]
            if key == "order_status" and patterns.order_status_multiplier.get(week):
                # The extra volume in spike weeks is the new carrier's delays.
                extra = 1 - 1 / patterns.order_status_multiplier[week]
                topic = "carrier_delay" if rng.random() < extra + 0.15 else topic
            created = arrival_in_week(rng, week, patterns.weeks)
            channel = rng.choices(channels, weights=channel_weights)[0]
            if channel == "chat" and not is_open(created):
                channel = "web"  # chat is offline: the widget turns into a contact form
            plans.append(TicketPlan(week, intent, topic, channel, created))
    plans.sort(key=lambda p: p.created_at)
    return plans
