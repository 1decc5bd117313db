"""Knowledge gaps: weakly matched groups surface, and their drafts stay drafts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import cast

from sqlalchemy import select

from casework import Workspace
from casework.domain import Message, Ticket
from casework.insights.gaps import GAP_OWNER, GAP_SOURCE, agent_sentences, find_gaps
from casework.knowledge.retrieval import Retriever
from casework.store.repository import upsert_tickets
from casework.store.tables import ArticleRow, TicketRow, TriageResultRow

EMAIL = "jane.doe@example.com"
START = datetime(2026, 9, 1, 9, tzinfo=UTC)


@dataclass
class _Hit:
    semantic_score: float


class _KnowsRefunds:
    """Stands in for the retriever: refunds have an article, gift cards do not."""

    def search(self, text: str, k: int = 5, method: str = "hybrid") -> list[_Hit]:
        return [_Hit(0.1 if "gift card" in text else 0.9)]


def _store(ws: Workspace) -> None:
    tickets, intents = [], {}
    for i in range(60):
        gift = i % 3 == 0
        at = START + timedelta(hours=i)
        text = (
            "Can I pay part with a gift card and the rest by card?"
            if gift
            else "I would like a refund for the broken lamp and the lost parcel"
        )
        reply = (
            f"Hi Anna,\n\nEnter the gift card code first, then pay the rest by card or PayPal. "
            f"If it fails, write to {EMAIL} and we will fix it.\n\nBest regards,\nLucas"
            if gift
            else "Hello,\n\nYour refund was issued today and arrives in five days.\n\nBest,\nEva"
        )
        messages = [
            Message(author_role="customer", body=text, created_at=at),
            Message(
                author_role="agent",
                body="INTERNAL NOTE checked the account fully",
                public=False,
                created_at=at + timedelta(hours=1),
            ),
            Message(author_role="agent", body=reply, created_at=at + timedelta(hours=2)),
        ]
        ext = f"t{i}"
        tickets.append(
            Ticket(
                source="t",
                external_id=ext,
                created_at=at,
                messages=messages,
                status="solved",
                solved_at=at + timedelta(hours=3),
            )
        )
        intents[ext] = ("gift_card" if gift else "refund", text)
    with ws.session() as session:
        upsert_tickets(session, tickets)
        for row in session.query(TicketRow):
            intent, text = intents[row.external_id]
            session.add(
                TriageResultRow(
                    ticket_id=row.id,
                    model_version="m1",
                    language="en",
                    intent=intent,
                    intent_confidence=0.9,
                    urgency="normal",
                    sentiment="neutral",
                    sentiment_score=0.0,
                    redacted_text=text,
                    created_at=row.created_at,
                )
            )


def test_gap_draft_is_stored_as_draft_without_personal_data(workspace: Workspace) -> None:
    _store(workspace)
    retriever = cast(Retriever, _KnowsRefunds())
    with workspace.session() as session:
        gaps, threshold = find_gaps(session, retriever, draft_articles=True)
    assert threshold == 0.1
    assert [(g.group_kind, g.group_key, g.tickets) for g in gaps] == [("intent", "gift_card", 20)]
    assert gaps[0].agent_replies == 1.0 and gaps[0].handling_hours == 3.0
    assert "gift card" in gaps[0].terms
    with workspace.session() as session:
        article = session.scalars(select(ArticleRow).where(ArticleRow.source == GAP_SOURCE)).one()
    assert article.status == "draft" and article.owner == GAP_OWNER
    assert "Enter the gift card code first" in article.body
    assert EMAIL not in article.body and "INTERNAL NOTE" not in article.body
    assert "Lucas" not in article.body and "Gift card" in article.title


def test_a_reviewed_gap_article_is_not_overwritten(sqlite_workspace: Workspace) -> None:
    _store(sqlite_workspace)
    retriever = cast(Retriever, _KnowsRefunds())
    with sqlite_workspace.session() as session:
        find_gaps(session, retriever, draft_articles=True)
        row = session.scalars(select(ArticleRow)).one()
        row.status, row.body = "approved", "Edited by a person."
    with sqlite_workspace.session() as session:
        gaps, _ = find_gaps(session, retriever, draft_articles=True)
        row = session.scalars(select(ArticleRow)).one()
    assert (row.status, row.body, row.version) == ("approved", "Edited by a person.", 1)
    assert gaps[0].article_external_id is None


def test_since_window_counts_back_from_the_newest_ticket(sqlite_workspace: Workspace) -> None:
    _store(sqlite_workspace)
    retriever = cast(Retriever, _KnowsRefunds())
    with sqlite_workspace.session() as session:
        gaps, _ = find_gaps(session, retriever, since=timedelta(hours=29))
    assert gaps[0].tickets == 10


def test_agent_sentences_drop_greetings_quotes_and_signatures() -> None:
    body = (
        "Dear Erik,\n\nYou can combine a gift card with a card payment at checkout.\n\n"
        "> Quoted customer text that is long enough\nKind regards,\nLucas Meyer\nNordhaven Support"
    )
    assert agent_sentences(body) == ["You can combine a gift card with a card payment at checkout."]
