"""The truth manifest describes the stored helpdesk exactly, and the store hides it."""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime, timedelta
from statistics import mean

from demo_support import DEMO_TICKETS, GeneratedDemo
from sqlalchemy import select

from casework.demo.clock import REFERENCE_DATE
from casework.demo.tickets import CONTACT_REASON_FIELD
from casework.store.tables import ArticleRow, CustomerRow, OrderRow

STATUS_ORDER = ("new", "open", "pending", "hold", "solved", "closed")


def luhn_is_valid(number: str) -> bool:
    digits = [int(c) for c in number if c.isdigit()]
    checksum = sum(digits[-1::-2]) + sum(sum(divmod(2 * d, 10)) for d in digits[-2::-2])
    return len(digits) >= 13 and checksum % 10 == 0


def iban_is_valid(iban: str) -> bool:
    compact = iban.replace(" ", "")
    rotated = compact[4:] + compact[:4]
    return int("".join(str(int(c, 36)) for c in rotated)) % 97 == 1


def test_every_pii_span_matches_the_stored_text(demo: GeneratedDemo) -> None:
    checked = Counter[str]()
    for truth in demo.truths:
        messages = demo.tickets[truth["external_id"]].messages
        for span in truth["pii"] + truth["entities"]:
            body = messages[span["message"]].body
            assert body[span["start"] : span["end"]] == span["value"], (truth["external_id"], span)
            checked[span["type"]] += 1
    assert {"email", "phone", "card_number", "iban", "address", "person"} <= set(checked)
    assert {"order_number", "amount"} <= set(checked)


def test_planted_cards_pass_luhn_and_ibans_pass_mod_97(demo: GeneratedDemo) -> None:
    spans = [span for truth in demo.truths for span in truth["pii"]]
    cards = [s["value"] for s in spans if s["type"] == "card_number"]
    ibans = [s["value"] for s in spans if s["type"] == "iban"]
    assert cards and ibans
    assert all(luhn_is_valid(card) for card in cards)
    assert all(iban_is_valid(iban) for iban in ibans)


def test_where_is_my_order_spikes_after_the_carrier_change(demo: GeneratedDemo) -> None:
    spike = demo.header["patterns"]["order_status_spike"]
    weekly = Counter(t["week"] for t in demo.truths if t["intent"] == "order_status")
    first, second = spike["spike_weeks"]
    baseline = mean(weekly[w] for w in range(1, first))
    assert weekly[first] >= 2 * baseline and weekly[second] >= 2 * baseline
    assert spike["weekly_counts"] == [weekly[w] for w in range(1, demo.header["weeks"] + 1)]
    # The orders table shows why: standard parcels switch carrier on the change date.
    with demo.workspace.session() as s:
        rows = s.execute(select(OrderRow.carrier, OrderRow.shipped_at)).all()
    change = datetime.fromisoformat(spike["carrier_change_at"])
    before = {c for c, shipped in rows if shipped is not None and shipped < change}
    after = {c for c, shipped in rows if shipped is not None and shipped >= change}
    assert spike["carrier_to"] not in before and spike["carrier_from"] not in after


def test_invoice_issue_is_steady_and_gift_cards_have_no_article(demo: GeneratedDemo) -> None:
    invoice_weeks = demo.header["patterns"]["recurring_issue"]["weekly_counts"]
    assert sum(1 for n in invoice_weeks if n > 0) >= len(invoice_weeks) - 2
    assert sum(t["intent"] == "gift_card" for t in demo.truths) >= DEMO_TICKETS * 0.02
    with demo.workspace.session() as s:
        approved = s.scalars(select(ArticleRow).where(ArticleRow.status == "approved")).all()
    assert len(approved) >= 30
    assert not [a.external_id for a in approved if "gift card" in (a.title + a.body).lower()]


def test_some_approved_articles_are_stale(demo: GeneratedDemo) -> None:
    with demo.workspace.session() as s:
        approved = s.scalars(select(ArticleRow).where(ArticleRow.status == "approved")).all()
        statuses = set(s.scalars(select(ArticleRow.status)))
    stale = [
        a for a in approved if a.reviewed_at and REFERENCE_DATE - a.reviewed_at > timedelta(180)
    ]
    assert 2 <= len(stale) < len(approved) / 2
    assert statuses == {"approved", "draft", "archived"}


def test_no_label_leaks_into_stored_fields(demo: GeneratedDemo) -> None:
    labels = {t["intent"] for t in demo.truths} | {t["topic"] for t in demo.truths if t["topic"]}
    with demo.workspace.session() as s:
        attributes = [str(a) for a in s.scalars(select(CustomerRow.attributes))]
    for row in demo.tickets.values():
        # contact_reason is the agents' own (noisy) filing, checked below.
        fields = {k: v for k, v in row.custom_fields.items() if k != CONTACT_REASON_FIELD}
        stored = [*row.tags, row.type or "", *map(str, fields), *map(str, fields.values())]
        assert not [v for v in stored for label in labels if label in v.lower()], row.external_id
    assert not [a for a in attributes for label in labels if label in a]
    # Compound labels never appear verbatim anywhere, not even in internal notes.
    compound = {label for label in labels if "_" in label}
    bodies = [m.body for row in demo.tickets.values() for m in row.messages]
    assert not [b for b in bodies for label in compound if label in b]


def test_conversations_are_ordered_and_start_with_the_customer(demo: GeneratedDemo) -> None:
    for ext, row in demo.tickets.items():
        messages = row.messages
        assert messages[0].author_role == "customer" and messages[0].created_at == row.created_at
        times = [m.created_at for m in messages]
        assert times == sorted(times) and times[-1] <= REFERENCE_DATE, ext
        changes = sorted(row.changes, key=lambda c: c.id)
        assert [c.changed_at for c in changes] == sorted(c.changed_at for c in changes), ext
        assert all(row.created_at <= c.changed_at <= REFERENCE_DATE for c in changes), ext
        statuses = [c for c in changes if c.field == "status"]
        assert [c.old_value for c in statuses[1:]] == [c.new_value for c in statuses[:-1]], ext
        assert statuses[-1].new_value == row.status
        assert (row.solved_at is not None) == (row.status in ("solved", "closed")), ext
        groups = [c for c in changes if c.field == "group"]
        assert groups[-1].new_value == (row.queue.name if row.queue else None)
        assert all(c.actor for c in changes if c.field in ("status", "assignee", "group"))


def test_the_helpdesk_looks_lived_in(demo: GeneratedDemo) -> None:
    truths = demo.truths
    statuses = Counter(row.status for row in demo.tickets.values())
    last_days = [
        row.status
        for row in demo.tickets.values()
        if REFERENCE_DATE - row.created_at < timedelta(days=2)
    ]
    assert {"new", "open", "pending"} & set(last_days) and statuses["closed"] > len(truths) / 2
    assert 0.03 < sum(t["language"] != "en" for t in truths) / len(truths) < 0.15
    assert {t["sentiment"] for t in truths} == {"negative", "neutral", "positive"}
    assert any(t["frustrated"] for t in truths) and any(t["requests_human"] for t in truths)
    assert any(t["legal_threat"] for t in truths) and any(t["reopened"] for t in truths)
    assert any(t["repeat_of"] for t in truths) and any(t["transferred"] for t in truths)
    assert {row.satisfaction for row in demo.tickets.values()} == {None, "good", "bad"}
    assert any(not m.public for row in demo.tickets.values() for m in row.messages)
    assert len({row.assignee.name for row in demo.tickets.values() if row.assignee}) >= 12
    assert {row.channel for row in demo.tickets.values()} == {
        "email",
        "web",
        "chat",
        "phone",
        "social",
    }


def test_subjects_carry_no_personal_data(demo: GeneratedDemo) -> None:
    values = {span["value"] for truth in demo.truths for span in truth["pii"]}
    pattern = re.compile("|".join(rf"\b{re.escape(v)}\b" for v in sorted(values)))
    assert not [row.subject for row in demo.tickets.values() if pattern.search(row.subject)]


def test_agents_file_a_noisy_contact_reason_on_solved_tickets(demo: GeneratedDemo) -> None:
    truth = {t["external_id"]: t["intent"] for t in demo.truths}
    filed = {
        ext: row.custom_fields[CONTACT_REASON_FIELD]
        for ext, row in demo.tickets.items()
        if CONTACT_REASON_FIELD in row.custom_fields
    }
    assert all(demo.tickets[ext].status in ("solved", "closed") for ext in filed)
    assert len(filed) > len(demo.tickets) / 2
    agreement = sum(filed[ext] == truth[ext] for ext in filed) / len(filed)
    assert 0.85 < agreement < 1.0  # labelled history, not the truth
