"""Data-subject requests: find lists every place, export hands it over, erase leaves nothing
of the person anywhere — every table and text column, the indexes, the embedding store,
every workspace file — and the audit chain still verifies."""

from __future__ import annotations

import json

import pytest
from privacy_support import busiest_customer, search_everywhere
from sqlalchemy import func, select

from casework import Workspace
from casework.audit import verify
from casework.insights.report import build_weekly_report, to_markdown
from casework.knowledge.index_store import index_store
from casework.privacy.erase import erase
from casework.privacy.requests import export, find
from casework.privacy.subject import SubjectError, SubjectQuery
from casework.store.tables import AuditEventRow, PrivacyErasureRow, TicketRow
from casework.text.pii import detect_pii


def test_find_lists_every_place_by_email_phone_or_customer(
    helpdesk: Workspace,
) -> None:
    ws = helpdesk
    person = busiest_customer(ws)
    by_email = find(ws, SubjectQuery(email=person.email.upper()))  # case does not matter
    by_phone = find(ws, SubjectQuery(phone=person.phone))
    by_id = find(ws, SubjectQuery(customer=str(person.id)))
    for found in (by_email, by_phone, by_id):
        assert found.customer_ids == [person.id]
        assert len(found.ticket_ids) >= person.tickets
    places = {p.name: p for p in by_email.places}
    for name in ("customers", "tickets", "messages", "triage_results", "routing_decisions",
                 "drafts", "qa_scores", "orders", "audit_events", "lexical index (bm25)",
                 "semantic index (vectors)", "LLM request logs", "workspace files"):  # fmt: skip
        assert name in places, name
    with ws.session() as s:
        own = s.scalars(select(TicketRow.id).where(TicketRow.requester_id == person.id)).all()
    assert set(own) <= set(places["tickets"].ids)
    assert places["messages"].count >= len(own)


def test_find_refuses_a_request_that_names_nobody(sqlite_workspace: Workspace) -> None:
    with pytest.raises(SubjectError, match="--email"):
        SubjectQuery()
    with pytest.raises(SubjectError, match="not an email"):
        SubjectQuery(email="nobody")
    with pytest.raises(SubjectError, match="no customer"):
        find(sqlite_workspace, SubjectQuery(customer="c-404"))


def test_export_holds_the_persons_records(helpdesk: Workspace) -> None:
    ws = helpdesk
    person = busiest_customer(ws)
    path, _ = export(ws, SubjectQuery(email=person.email), request_id="dsr-1")
    archive = json.loads(path.read_text())
    assert path.stat().st_mode & 0o777 == 0o600
    assert archive["request_id"] == "dsr-1"
    assert [c["email"] for c in archive["data"]["customers"]] == [person.email]
    assert {t["requester_id"] for t in archive["data"]["tickets"]} >= {person.id}
    assert archive["data"]["messages"] and archive["data"]["triage_results"]


def test_erase_leaves_nothing_of_the_person_anywhere(helpdesk: Workspace) -> None:
    ws = helpdesk
    person = busiest_customer(ws)
    needles = [person.email, person.phone, person.name]
    # Places outside the database that quote the person: an access export, a written
    # report, a hand-made note, and a knowledge article (so the indexes hold them too).
    export(ws, SubjectQuery(email=person.email))
    (ws.path / "notes.md").write_text(f"Call {person.name} back on {person.phone}.\n")
    (ws.path / "weekly.md").write_text(to_markdown(build_weekly_report(ws)))
    _plant_article(ws, f"Escalations go to {person.email}.")
    assert search_everywhere(ws, needles), "the fixture should quote the person somewhere"
    with ws.session() as s:
        events_before = s.scalar(select(func.count()).select_from(AuditEventRow))
        tickets_before = s.scalar(select(func.count()).select_from(TicketRow))

    report = erase(ws, SubjectQuery(email=person.email), requested_by="dpo", request_id="r-7")

    assert search_everywhere(ws, needles) == []
    assert report.files_deleted and "notes.md" in report.files_scrubbed
    assert report.index_rebuilt  # the article quoting them was re-indexed
    chain = verify(ws)
    assert chain.ok, chain.reason
    with ws.session() as s:
        assert s.scalar(select(func.count()).select_from(TicketRow)) == tickets_before
        assert s.scalar(select(func.count()).select_from(AuditEventRow)) == events_before + 1
        event = s.scalars(select(AuditEventRow).order_by(AuditEventRow.seq.desc())).first()
        record = s.scalars(select(PrivacyErasureRow)).one()
    assert event is not None and event.action == "privacy.erase" and event.object_id == "r-7"
    assert event.actor == "privacy:dpo" and record.request_id == "r-7"
    again = find(ws, SubjectQuery(email=person.email))
    assert again.customer_ids == [] and again.ticket_ids == []
    with pytest.raises(SubjectError):
        erase(ws, SubjectQuery(email=person.email), requested_by="dpo")


def _plant_article(ws: Workspace, sentence: str) -> None:
    from datetime import UTC, datetime

    from casework.audit import load_key
    from casework.domain import Article
    from casework.knowledge.index_store import approved_documents
    from casework.privacy.index import index_articles
    from casework.store.repository import upsert_articles

    now = datetime.now(UTC)
    article = Article(source="kb", external_id="contact-escalations", title="Escalations",
                      body=f"How escalations work. {sentence}", status="approved",
                      language="en", created_at=now, updated_at=now)  # fmt: skip
    with ws.session() as s:
        upsert_articles(s, [article])
        index_articles(s, load_key(ws))
    index_store(ws, "static").update(approved_documents(ws))


def test_audit_events_hold_no_personal_data(helpdesk: Workspace) -> None:
    """Every event writer (pipeline, QA, context reads, erasure) writes ids and hashes only."""
    ws = helpdesk
    erase(ws, SubjectQuery(email=busiest_customer(ws).email), requested_by="dpo")
    with ws.session() as s:
        events = s.scalars(select(AuditEventRow)).all()
    assert len(events) > 80
    for e in events:
        text = json.dumps([e.actor, e.object_id, e.fields_read, e.details, e.versions])
        found = [p for p in detect_pii(text) if p.type in ("EMAIL", "PHONE", "CARD", "IBAN")]
        assert not found, (e.action, found)
