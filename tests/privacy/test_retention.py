"""Retention: a dry run counts per class and changes nothing; a purge replaces and drops
what is past retention while every metric stays exactly as it was."""

from __future__ import annotations

from datetime import timedelta

from privacy_support import dump_all, search_everywhere
from sqlalchemy import func, select, update

from casework import Workspace
from casework.config.schema import RetentionSettings
from casework.insights.metrics import compute_metrics
from casework.privacy.retention import purge
from casework.store.tables import (
    CustomerRow,
    DraftRow,
    MessageRow,
    OrderRow,
    PiiIndexRow,
    QAScoreRow,
    TicketRow,
)
from casework.text.pii import detect_pii

CLASSES = ("raw_text", "redacted_text", "customer_records", "context_caches", "drafts",
           "qa_evidence", "index_entries")  # fmt: skip


def _plant_in_a_draft(ws: Workspace) -> None:
    """Drafts are written from redacted text; one a person edited may still quote data."""
    with ws.session() as s:
        draft_id = s.scalars(select(DraftRow.id).order_by(DraftRow.id).limit(1)).one()
        s.execute(update(DraftRow).where(DraftRow.id == draft_id)
                  .values(final_text="Sent to ana.lopez@example.com as asked."))  # fmt: skip


def _window(ws: Workspace) -> tuple:
    with ws.session() as s:
        first, last = s.execute(select(func.min(TicketRow.created_at),
                                       func.max(TicketRow.created_at))).one()  # fmt: skip
    return first, last + timedelta(days=1)


def test_dry_run_counts_every_class_and_changes_nothing(
    helpdesk: Workspace,
) -> None:
    ws = helpdesk
    _plant_in_a_draft(ws)
    _, end = _window(ws)
    before = dump_all(ws)
    report = purge(ws, RetentionSettings(), dry_run=True, now=end + timedelta(days=4000))
    assert dump_all(ws) == before
    counts = {c.name: c.count for c in report.classes}
    for name in CLASSES:
        assert counts[name] > 0, name


def test_purge_keeps_every_metric_identical(helpdesk: Workspace) -> None:
    ws = helpdesk
    _plant_in_a_draft(ws)
    start, end = _window(ws)
    as_of = end + timedelta(days=1)
    metrics_before = compute_metrics(ws, start, end, as_of=as_of).to_dict()
    with ws.session() as s:
        rows_before = {t.__tablename__: s.scalar(select(func.count()).select_from(t))
                       for t in (TicketRow, MessageRow, QAScoreRow)}  # fmt: skip
        emails = [e for e in s.scalars(select(CustomerRow.email)) if e][:20]
        emails.append("ana.lopez@example.com")

    report = purge(ws, RetentionSettings(), now=end + timedelta(days=4000))

    assert compute_metrics(ws, start, end, as_of=as_of).to_dict() == metrics_before
    with ws.session() as s:
        for table in (TicketRow, MessageRow, QAScoreRow):
            assert (
                s.scalar(select(func.count()).select_from(table))
                == rows_before[table.__tablename__]
            )
        assert s.scalar(select(func.count()).select_from(OrderRow)) == 0
        assert s.scalar(select(func.count()).select_from(PiiIndexRow)) == 0
        bodies = s.scalars(select(MessageRow.body)).all()
        quotes = [e.get("quote") for row in s.scalars(select(QAScoreRow.scores))
                  for c in row for e in c.get("evidence", [])]  # fmt: skip
    assert not any(detect_pii(b) for b in bodies)  # raw text replaced by its redacted form
    assert quotes and not any(quotes)
    # Dormant customers pseudonymised, the planted draft redacted (files are not retention's).
    assert search_everywhere(ws, emails, files=False) == []
    assert report.count("raw_text") > 0
    again = purge(ws, RetentionSettings(), dry_run=True, now=end + timedelta(days=4000))
    assert all(c.count == 0 for c in again.classes)  # nothing left to purge


def test_retention_null_keeps_a_class(helpdesk: Workspace) -> None:
    ws = helpdesk
    _, end = _window(ws)
    keep = RetentionSettings(raw_text_days=None, context_cache_days=None)
    report = purge(ws, keep, dry_run=True, now=end + timedelta(days=4000))
    kept = {c.name: c for c in report.classes}
    assert kept["raw_text"].count == 0 and kept["raw_text"].action == "kept"
    assert kept["context_caches"].count == 0
