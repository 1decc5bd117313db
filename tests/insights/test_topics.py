"""Topics: found from redacted text, named sensibly, and stable when data is appended."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import delete, select, update

from casework import Workspace
from casework.demo import generate_demo
from casework.insights.topics import discover_topics, refresh_topics, top_topics
from casework.pipeline import process_all
from casework.store.tables import MessageRow, TicketTopicRow, TopicRow, TriageResultRow
from casework.text.embedders import get_embedder
from casework.triage.engine import Triager
from casework.triage.model_store import load_bundled

GROUPS = {
    "password": [
        "I forgot my password and cannot log in",
        "password reset link never arrives",
        "how do I reset my password",
        "locked out, my password does not work",
        "the password reset email is missing",
        "can't sign in, password rejected",
    ],
    "refund": [
        "when will my refund arrive",
        "I am still waiting for my refund",
        "refund not received after return",
        "please refund my money for the order",
        "how long does a refund take",
        "my refund has not shown up on my card",
    ],
    "delivery": [
        "my parcel delivery is late",
        "the delivery driver never came",
        "parcel tracking shows no delivery",
        "where is my delivery, the parcel is lost",
        "delivery was missed, parcel returned",
        "the parcel delivery date keeps moving",
    ],
}
NOISE = [
    "do you sell garden furniture",
    "your website font is tiny",
    "happy new year team",
    "is the shop open on sundays",
    "I like the new logo",
    "what is your company address",
]


def _texts() -> tuple[list[str], list[str]]:
    rng = random.Random(3)
    texts, truth = [], []
    for group, phrases in GROUPS.items():
        for i in range(24):
            texts.append(f"{rng.choice(['Hi,', 'Hello,', ''])} {phrases[i % len(phrases)]}")
            truth.append(group)
    texts += NOISE
    truth += ["noise"] * len(NOISE)
    return texts, truth


def test_three_obvious_groups_are_found_and_named_by_their_terms() -> None:
    texts, truth = _texts()
    model = discover_topics(texts, get_embedder("static"))
    assert len(model.topics) == 3
    for topic in model.topics:
        members = {
            truth[i] for i, label in enumerate(model.labels) if label == model.topics.index(topic)
        }
        assert len(members - {"noise"}) == 1
        (group,) = members - {"noise"}
        assert group in topic.terms[:3]
        assert len(topic.representatives) == 3
        assert all(truth[i] == group for i in topic.representatives)


@pytest.fixture(scope="module")
def triaged(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """300 demo tickets triaged, 40 of them with a planted email address."""
    folder = tmp_path_factory.mktemp("topics")
    ws = Workspace(folder, f"sqlite:///{folder / 'casework.db'}").init()
    generate_demo(ws, seed=1, tickets=300)
    with ws.session() as session:
        session.execute(
            update(MessageRow)
            .where(MessageRow.ticket_id <= 40, MessageRow.position == 0)
            .values(body=MessageRow.body + " Write to zorbleflux.quimby@examplemail.com")
        )
    process_all(ws, Triager(load_bundled("intent")))
    return ws


def _assignments(ws: Workspace) -> dict[int, int]:
    with ws.session() as session:
        return {
            t: c
            for t, c in session.execute(select(TicketTopicRow.ticket_id, TicketTopicRow.topic_id))
        }


def test_refresh_is_stable_and_appended_tickets_join_without_moving_others(
    triaged: Workspace,
) -> None:
    ws = triaged
    with ws.session() as session:  # hold back the newest 60 tickets' triage: "not yet arrived"
        held = list(session.scalars(select(TriageResultRow).where(TriageResultRow.ticket_id > 240)))
        session.execute(delete(TriageResultRow).where(TriageResultRow.ticket_id > 240))
    first = refresh_topics(ws, recluster=True)
    assert first.mode == "recluster" and first.topics >= 2
    before = _assignments(ws)
    again = refresh_topics(ws, recluster=True)
    assert again.kept_ids == again.topics and again.new_topics == 0
    assert _assignments(ws) == before

    with ws.session() as session:
        session.add_all(
            TriageResultRow(
                **{c.name: getattr(r, c.name) for c in TriageResultRow.__table__.columns}
            )
            for r in held
        )
    later = refresh_topics(ws)
    assert later.mode == "incremental" and later.clustered == 0
    after = _assignments(ws)
    assert {t: after[t] for t in before} == before
    assert any(t > 240 for t in after)

    tops = top_topics(ws, limit=3)
    assert 0 < len(tops) <= 3 and tops[0].count >= tops[-1].count


def test_only_redacted_text_reaches_topics(triaged: Workspace) -> None:
    refresh_topics(triaged, recluster=True)
    with triaged.session() as session:
        topics = list(session.scalars(select(TopicRow)))
    words = " ".join(t.label + " " + " ".join(t.terms) for t in topics).lower()
    assert topics
    assert "zorbleflux" not in words and "quimby" not in words and "examplemail" not in words
