"""A sample of human-like QA reviews for the demo helpdesk, to calibrate against.

This simulates human reviewers, so unlike any casework decision it *may* read
the demo's truth manifest: a careful reviewer knows what the customer felt,
whether the ticket came back, which priority it truly deserved and which
answers are wrong (the demo's gift-card answers contradict each other on
purpose). Each reviewer agrees with that "true quality" most of the time and
drifts by one step with a per-criterion probability (harder judgements drift
more); one reviewer is strict. The CSV has the columns `casework qa calibrate`
reads.
"""

from __future__ import annotations

import csv
import random
import re
import zlib
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from casework.config.versions import active_config
from casework.demo.manifest import read_truth
from casework.qa.conversation import ScoringContext, conversation_of
from casework.qa.scoring import FINISHED
from casework.store.tables import TicketRow
from casework.workspace import Workspace

FILE = "qa-reviews.csv"
NOISE = {
    "greeting_closing": 0.08, "empathy": 0.2, "answered": 0.25, "kb_correct": 0.1,
    "service_language": 0.1, "pii_exposure": 0.02, "sla": 0.1, "resolution_confirmed": 0.15,
    "back_and_forth": 0.05,
}  # fmt: skip
SUBJECTIVE = frozenset({"greeting_closing", "empathy", "answered", "service_language"})
"""Where a strict reviewer marks down; facts (PII, SLA, reopen) are not a matter of taste."""
SCALES = {"kb_correct": 1, "pii_exposure": 1, "back_and_forth": 1}
REVIEWERS = (("Mina (QA lead)", 0.0), ("Tomasz", 0.0), ("Grace (strict)", 0.12))
ASKS_EMAIL = re.compile(r"(e-?mail|correo|courriel)[^?]{0,60}\?", re.IGNORECASE)


def true_quality(truth: dict[str, Any], ticket: TicketRow, ctx: ScoringContext) -> dict[str, int]:
    """What a careful reviewer would score, from the generator's truth and the visible text."""
    conv = conversation_of(ticket, None)
    replies = conv.public_agent()
    quality = {
        "greeting_closing": 1 if truth["channel"] == "chat" else 2,
        "answered": 1 if truth["reopened"] else 2,
        "kb_correct": 0 if truth["intent"] == "gift_card" and _coin(truth["external_id"]) else 1,
        "service_language": 1,
        "resolution_confirmed": 1 if truth["reopened"] else 2,
    }
    if truth["sentiment"] == "negative":
        quality["empathy"] = 2  # demo agents apologise to upset customers in their first reply
    exposed = {p["message"] for p in truth["pii"] if p["type"].lower() in ("card", "iban")}
    quality["pii_exposure"] = 0 if exposed & {m.index for m in replies} else 1
    gave_email = any(p["type"].lower() == "email" and p["message"] == 0 for p in truth["pii"])
    asked = any(ASKS_EMAIL.search(m.body) for m in replies)
    quality["back_and_forth"] = 0 if gave_email and asked else 1
    target = ctx.config.sla.get(truth["priority"])  # the priority a careful lead would set
    if replies and target is not None:
        minutes = ctx.clock(conv.queue).minutes(conv.created_at, replies[0].created_at)
        ratio = minutes / target.first_reply_minutes
        quality["sla"] = 2 if ratio <= 1 else 1 if ratio <= 2 else 0
    return quality


def _coin(key: str) -> bool:
    """A stable half of the gift-card answers: the demo's agents disagree on split payment."""
    return zlib.crc32(key.encode()) % 2 == 1


def _review(rng: random.Random, criterion: str, true: int, strictness: float) -> int:
    scale = SCALES.get(criterion, 2)
    score = true
    if rng.random() < NOISE[criterion]:
        step = rng.choice((-1, 1))
        score = true + step if 0 <= true + step <= scale else true - step
    if criterion in SUBJECTIVE and strictness and score > 0 and rng.random() < strictness:
        score -= 1
    return max(0, min(scale, score))


def write_demo_reviews(ws: Workspace, n: int = 300, seed: int = 7, double: float = 0.2) -> Path:
    """Write `qa-reviews.csv` for `n` finished demo tickets; some get a second reviewer."""
    rng = random.Random(seed)
    _, truths = read_truth(ws.path)
    by_id = {t["external_id"]: t for t in truths}
    _, config = active_config(ws)
    ctx = ScoringContext(config)
    with ws.session() as session:
        ids = list(
            session.scalars(
                select(TicketRow.id).where(TicketRow.status.in_(FINISHED)).order_by(TicketRow.id)
            )
        )
        chosen = sorted(rng.sample(ids, min(n, len(ids))))
        tickets = session.scalars(
            select(TicketRow)
            .where(TicketRow.id.in_(chosen))
            .options(selectinload(TicketRow.messages), selectinload(TicketRow.changes))
            .order_by(TicketRow.id)
        ).all()
        rows: list[tuple[str, str, int, str]] = []
        for ticket in tickets:
            truth = by_id.get(ticket.external_id)
            if truth is None:
                continue
            people = rng.sample(REVIEWERS, 2 if rng.random() < double else 1)
            for criterion, true in true_quality(truth, ticket, ctx).items():
                for name, strictness in people:
                    score = _review(rng, criterion, true, strictness)
                    rows.append((ticket.external_id, criterion, score, name))
    path = ws.path / FILE
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(("ticket_external_id", "criterion", "score", "reviewer"))
        writer.writerows(rows)
    return path
