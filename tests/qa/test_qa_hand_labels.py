"""Agreement of the automatic scorers with 44 demo conversations labelled by hand.

`data/conversations.jsonl` holds the conversations exported redacted from a demo
workspace; `data/hand_labels.csv` holds the labels a reviewer gave by reading
each one (criteria that did not apply are left out, kb_correct was not
labelled: it needs the knowledge base beside the conversation). Placeholders
are refilled with well-known test values, so the PII scorer sees a card number
where the agent would have written one.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from datetime import datetime
from pathlib import Path

from qa_support import CONFIG, RUBRIC

from casework.qa.calibration import Agreement, agreement, read_reviews
from casework.qa.conversation import Conversation, Msg, ScoringContext
from casework.qa.scoring import score_conversation

DATA = Path(__file__).parent / "data"
FILL = {
    "CARD": "4111 1111 1111 1111",
    "IBAN": "DE89 3704 0044 0532 0130 00",
    "EMAIL": "customer@example.com",
    "PHONE": "+49 30 1234567",
    "ADDRESS": "Hauptstraße 1, 10115 Berlin",
    "IP": "192.0.2.1",
}
PLACEHOLDER = re.compile(r"<([A-Z]+)_\d+>")


def _text(body: str) -> str:
    return PLACEHOLDER.sub(lambda m: FILL.get(m.group(1), m.group(0)), body)


def load_conversations() -> list[Conversation]:
    out = []
    for line in (DATA / "conversations.jsonl").read_text(encoding="utf-8").splitlines():
        c = json.loads(line)
        messages = [
            Msg(i, m["role"], _text(m["body"]), datetime.fromisoformat(m["created_at"]),
                m["public"])
            for i, m in enumerate(c["messages"])
        ]  # fmt: skip
        out.append(
            Conversation(
                ticket_id=len(out) + 1,
                external_id=c["external_id"],
                created_at=datetime.fromisoformat(c["created_at"]),
                status=c["status"],
                messages=messages,
                priority=c["priority"],
                queue=c["queue"],
                status_changes=[(datetime.fromisoformat(a), s) for a, s in c["status_changes"]],
                intent=c["intent"],
                sentiment=c["sentiment"],
                sentiment_score=c["sentiment_score"],
                frustration=c["frustration"],
                language=c["language"],
            )
        )
    return out


def hand_agreement() -> dict[str, Agreement]:
    scales = {c.id: c.scale for c in RUBRIC.criteria}
    reviews = read_reviews(DATA / "hand_labels.csv", scales)
    ctx = ScoringContext(CONFIG)
    auto = {
        c.external_id: {s.criterion: s.score for s in score_conversation(c, RUBRIC, ctx).scores}
        for c in load_conversations()
    }
    pairs: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for r in reviews:
        mine = auto[r.ticket_external_id].get(r.criterion)
        if mine is not None:
            pairs[r.criterion].append((mine, r.score))
    return {c: agreement(c, pairs[c], scales[c]) for c in scales if c in pairs}


def test_hand_labelled_set_is_big_enough() -> None:
    conversations = load_conversations()
    scales = {c.id: c.scale for c in RUBRIC.criteria}
    labelled = {r.ticket_external_id for r in read_reviews(DATA / "hand_labels.csv", scales)}
    assert len(conversations) >= 40
    assert labelled == {c.external_id for c in conversations}


def test_agreement_with_hand_labels() -> None:
    """Printed with -s; sla is arithmetic (must agree), pii must never disagree."""
    found = hand_agreement()
    for a in found.values():
        print(f"{a.criterion:22} n={a.n:3} kappa={a.kappa} exact={a.exact} adjacent={a.adjacent}")
    assert {"sla", "pii_exposure", "greeting_closing", "answered"} <= set(found)
    assert found["sla"].kappa is not None and found["sla"].kappa >= 0.6
    assert found["pii_exposure"].exact is not None and found["pii_exposure"].exact >= 0.95
