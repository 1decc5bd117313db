"""`generate_demo`: a seeded 12-week helpdesk, written to a workspace's store.

Reference data (queues, agents, customers, background orders, articles) goes
in one transaction; tickets follow in transactions of `BATCH` tickets with the
orders they created, so a 5,000-ticket run streams instead of building one
huge transaction. The truth manifest is written next to the database (see
`casework.demo.manifest` for its format).
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from casework.demo import articles as kb
from casework.demo.clock import REFERENCE_DATE, period_start
from casework.demo.manifest import HEADER_FILE, ManifestWriter, TicketTruth
from casework.demo.orders import CarrierChange, OrderBook, background_orders
from casework.demo.people import RequesterPicker, build_customers, build_team
from casework.demo.plan import INTENTS, Patterns, patterns_for, plan_tickets
from casework.demo.tickets import SOURCE, TicketFactory
from casework.privacy.index import index_written
from casework.store import repository
from casework.workspace import Workspace

BATCH = 500
Progress = Callable[[int], None]
"""Called after each batch with the number of tickets written so far."""


@dataclass
class DemoSummary:
    tickets: int
    messages: int
    customers: int
    orders: int
    articles: int
    agents: int
    queues: int
    field_changes: int
    non_english_tickets: int
    pii_spans: int
    seed: int
    weeks: int
    reference_date: str
    truth_manifest: str
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def generate_demo(
    workspace: Workspace,
    seed: int = 7,
    weeks: int = 12,
    tickets: int = 5000,
    progress: Progress | None = None,
) -> DemoSummary:
    """Generate the demo helpdesk into `workspace` (source "demo") and its truth manifest.

    The same seed, weeks and ticket count give the same helpdesk, because every
    date is relative to the fixed `REFERENCE_DATE` and all randomness is seeded.
    """
    if tickets < 1:
        raise ValueError(f"tickets must be at least 1, got {tickets}")
    started = time.perf_counter()
    patterns = patterns_for(weeks)
    team = build_team()
    people = build_customers(random.Random(f"{seed}:people"), max(40, round(tickets * 0.7)))
    plans = plan_tickets(tickets, patterns, random.Random(f"{seed}:plan"))
    book = OrderBook(random.Random(f"{seed}:orders"), CarrierChange(patterns.carrier_change_at))
    background_orders(
        book,
        random.Random(f"{seed}:background"),
        people,
        tickets * 2,
        period_start(weeks) - timedelta(weeks=4),
    )
    articles = kb.build_articles()

    with workspace.session() as session:
        repository.upsert_queues(session, team.queues())
        repository.upsert_agents(session, SOURCE, [a.record() for a in team.agents])
        repository.upsert_customers(session, SOURCE, [p.record() for p in people])
        repository.upsert_orders(session, SOURCE, book.take_new())
        repository.upsert_articles(session, articles)

    factory = TicketFactory(
        seed, team, RequesterPicker(random.Random(f"{seed}:requesters"), people), book, patterns
    )
    writer = ManifestWriter(workspace.path)
    truths: list[TicketTruth] = []
    messages = changes = 0
    try:
        for start in range(0, len(plans), BATCH):
            batch, batch_truths = [], []
            for offset, plan in enumerate(plans[start : start + BATCH]):
                ticket, truth = factory.make(plan, str(100001 + start + offset))
                batch.append(ticket)
                batch_truths.append(truth)
                messages += len(ticket.messages)
                changes += len(ticket.changes)
            with workspace.session() as session:
                since = datetime.now(UTC)
                repository.upsert_tickets(session, batch)
                index_written(workspace, session, batch, since)  # personal-data index
                repository.upsert_orders(session, SOURCE, book.take_new())
            writer.add(batch_truths)
            truths += batch_truths
            if progress is not None:
                progress(start + len(batch))
    except BaseException:
        writer.abort()
        raise

    summary = DemoSummary(
        tickets=len(plans),
        messages=messages,
        customers=len(people),
        orders=len(book.orders),
        articles=len(articles),
        agents=len(team.agents),
        queues=len(team.queues()),
        field_changes=changes,
        non_english_tickets=sum(t.language != "en" for t in truths),
        pii_spans=sum(len(t.pii) for t in truths),
        seed=seed,
        weeks=weeks,
        reference_date=REFERENCE_DATE.isoformat(),
        truth_manifest=str(workspace.path / HEADER_FILE),
        seconds=0.0,
    )
    summary.seconds = round(time.perf_counter() - started, 2)
    writer.finish(_header(summary, patterns, truths))
    return summary


def _weekly(
    truths: list[TicketTruth], weeks: int, keep: Callable[[TicketTruth], bool]
) -> list[int]:
    counts = Counter(t.week for t in truths if keep(t))
    return [counts[w] for w in range(1, weeks + 1)]


def _header(summary: DemoSummary, patterns: Patterns, truths: list[TicketTruth]) -> dict[str, Any]:
    """The manifest header: counts, vocabulary and every planted pattern."""
    weeks = patterns.weeks
    change = CarrierChange(patterns.carrier_change_at)
    return {
        "seed": summary.seed,
        "weeks": weeks,
        "reference_date": summary.reference_date,
        "period_start": period_start(weeks).isoformat(),
        "counts": {
            key: value
            for key, value in summary.to_dict().items()
            if isinstance(value, int) and key not in ("seed", "weeks")
        },
        "labels": {
            "intent": [i.key for i in INTENTS],
            "topic": sorted({t.topic for t in truths if t.topic}),
            "priority": ["low", "normal", "high", "urgent"],
            "sentiment": ["negative", "neutral", "positive"],
            "language": sorted({t.language for t in truths}),
        },
        "patterns": {
            "order_status_spike": {
                "intent": "order_status",
                "spike_weeks": [patterns.spike_week, patterns.spike_week + 1],
                "carrier_change_at": change.at.isoformat(),
                "carrier_from": change.old,
                "carrier_to": change.new,
                "weekly_counts": _weekly(truths, weeks, lambda t: t.intent == "order_status"),
            },
            "recurring_issue": {
                "intent": "billing_question",
                "topic": "invoice_layout_vat",
                "description": (
                    "the new invoice layout moved the VAT line; customers ask where it went"
                ),
                "weekly_counts": _weekly(truths, weeks, lambda t: t.topic == "invoice_layout_vat"),
            },
            "knowledge_gap": {
                **kb.KNOWLEDGE_GAP,
                "weekly_counts": _weekly(
                    truths, weeks, lambda t: t.intent == kb.KNOWLEDGE_GAP["intent"]
                ),
            },
            "stale_articles": kb.stale_keys(),
        },
        "article_intents": {e.key: list(e.intents) for e in kb.ENTRIES},
        "weekly_intents": _weekly_intents(truths, weeks),
    }


def _weekly_intents(truths: list[TicketTruth], weeks: int) -> dict[str, list[int]]:
    counts = Counter((t.intent, t.week) for t in truths)
    return {i.key: [counts[(i.key, w)] for w in range(1, weeks + 1)] for i in INTENTS}
