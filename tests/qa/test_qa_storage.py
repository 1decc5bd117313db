"""Scores are stored once per conversation and rubric version; calibration reads them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from casework import Workspace
from casework.config.versions import apply_config, default_config_text
from casework.qa.calibration import ReviewsError, calibrate
from casework.qa.scoring import score_pending
from casework.store.tables import MessageRow, QAScoreRow, TicketRow

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def add_ticket(ws: Workspace, external_id: str, reply: str, status: str = "solved") -> None:
    with ws.session() as session:
        ticket = TicketRow(
            source="test", external_id=external_id, subject="parcel", status=status,
            priority="normal", created_at=START, content_hash=external_id, imported_at=START,
        )  # fmt: skip
        ticket.messages = [
            MessageRow(external_id="m0", position=0, author_role="customer",
                       body="Where is my parcel?", created_at=START),
            MessageRow(external_id="m1", position=1, author_role="agent", body=reply,
                       created_at=START + timedelta(minutes=20)),
        ]  # fmt: skip
        session.add(ticket)


def test_scores_are_stored_once_per_rubric_version(workspace: Workspace) -> None:
    add_ticket(workspace, "A", "Hi Ana,\n\nI've checked: it is on its way.\n\nBest regards,\nSam")
    add_ticket(workspace, "B", "Calm down.")
    add_ticket(workspace, "C", "Hello", status="open")  # unfinished: not scored
    first = score_pending(workspace)
    assert first.scored == 2 and first.auto_failed == 1
    again = score_pending(workspace)
    assert again.scored == 0 and again.already == 2
    with workspace.session() as session:
        rows = session.scalars(select(QAScoreRow).order_by(QAScoreRow.ticket_id)).all()
        assert [r.auto_failed for r in rows] == [False, True] and rows[1].total == 0
        forbidden = next(s for s in rows[1].scores if s["criterion"] == "service_language")
        assert forbidden["evidence"][0]["quote"] == "Calm down"
    changed = default_config_text().replace("weight: 3\n", "weight: 4\n", 1)
    apply_config(workspace, changed, author="lead", filename="casework.yaml")
    third = score_pending(workspace)
    assert third.scored == 2 and third.rubric_version != first.rubric_version
    with workspace.session() as session:
        assert session.scalar(select(func.count()).select_from(QAScoreRow)) == 4


def test_calibration_pairs_reviews_with_stored_scores(
    sqlite_workspace: Workspace, tmp_path: Path
) -> None:
    add_ticket(sqlite_workspace, "A", "Hi Ana,\n\nDone.\n\nBest regards,\nSam")
    add_ticket(sqlite_workspace, "B", "Done.")
    score_pending(sqlite_workspace)
    reviews = tmp_path / "reviews.csv"
    reviews.write_text(
        "ticket_external_id,criterion,score,reviewer\n"
        "A,greeting_closing,2,Mina\nB,greeting_closing,0,Mina\nB,empathy,2,Mina\n"
    )
    report = calibrate(sqlite_workspace, reviews)
    greeting = next(a for a in report.criteria if a.criterion == "greeting_closing")
    assert (greeting.n, greeting.exact, greeting.kappa) == (2, 1.0, 1.0)
    assert report.unmatched == 1  # empathy does not apply: the customer is calm


def test_a_bad_review_row_names_file_line_and_field(
    sqlite_workspace: Workspace, tmp_path: Path
) -> None:
    reviews = tmp_path / "reviews.csv"
    reviews.write_text(
        "ticket_external_id,criterion,score,reviewer\n"
        "A,greeting_closing,2,Mina\n"
        "B,greeting_closing,three,Mina\n"
        "C,politeness,1,Mina\n"
        "D,pii_exposure,2,\n"
    )
    with pytest.raises(ReviewsError) as caught:
        calibrate(sqlite_workspace, reviews)
    found = [(p.line, p.field) for p in caught.value.problems]
    assert found == [(3, "score"), (4, "criterion"), (5, "reviewer"), (5, "score")]
    assert str(caught.value.problems[0]).startswith(f"{reviews}:3: score: expected a whole number")
