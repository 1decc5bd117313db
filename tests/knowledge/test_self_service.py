"""Self-service answers only when safe, and otherwise hands over without losing a word."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from casework import Workspace
from casework.audit import verify
from casework.config.loader import default_config
from casework.demo import generate_demo
from casework.knowledge.self_service import HUMAN_OPTION, SelfService
from casework.routing.router import Router
from casework.store.tables import ArticleRow, TicketRow
from casework.triage.engine import Triager
from casework.triage.model_store import load_bundled


@pytest.fixture
def service(sqlite_workspace: Workspace) -> Iterator[SelfService]:
    generate_demo(sqlite_workspace, seed=2, tickets=200)
    from casework.knowledge.index_store import workspace_retriever

    config = default_config()
    # shipping questions are answered automatically in the default config
    yield SelfService(
        sqlite_workspace,
        Triager(load_bundled("intent")),
        Router(config, 0, None),
        workspace_retriever(sqlite_workspace, "static"),
    )


def test_a_simple_question_is_answered_with_citations_disclosure_and_a_way_to_a_person(
    service: SelfService,
) -> None:
    result = service.decide("How much does standard shipping cost?")
    assert result.kind == "answer", result.reasons
    assert result.draft is not None and result.draft.citations
    # the answer cites approved articles only
    with service.ws.session() as s:
        statuses = {
            s.scalar(select(ArticleRow.status).where(ArticleRow.id == c.article_id))
            for c in result.draft.citations
        }
    assert statuses == {"approved"}
    assert default_config().knowledge.disclosure in result.text
    assert result.text.rstrip().endswith(HUMAN_OPTION)


def test_a_frustrated_customer_is_handed_over_with_a_ticket(service: SelfService) -> None:
    question = (
        "This is the THIRD time I ask how much shipping costs!!! Nobody answers. "
        "I want to talk to a real person now."
    )
    result = service.answer(question, customer_email="jo@example.com")
    assert result.kind == "handoff"
    assert any("human" in r or "frustrated" in r for r in result.reasons)
    assert result.ticket_reference and result.ticket_reference in result.text
    with service.ws.session() as s:
        ticket = s.scalar(select(TicketRow).where(TicketRow.external_id == result.ticket_reference))
        assert ticket is not None and ticket.source == "self-service"
        assert ticket.messages[0].body == question  # the customer never repeats themselves
    assert verify(service.ws).ok


def test_a_question_nobody_documented_is_handed_over(service: SelfService) -> None:
    result = service.decide("Can I split a payment across two gift cards and PayPal?")
    assert result.kind == "handoff"
