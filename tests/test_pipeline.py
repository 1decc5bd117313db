"""`casework process`: every ticket triaged once, resumable after a crash, no raw PII stored."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from casework import Workspace
from casework.demo import generate_demo
from casework.pipeline import process_pending
from casework.store.tables import TicketRow, TriageResultRow
from casework.triage.engine import Triager
from casework.triage.model_store import load_bundled


@pytest.fixture(scope="module")
def triager() -> Triager:
    return Triager(load_bundled("intent"))


def _count(ws: Workspace, table: type) -> int:
    with ws.session() as s:
        return int(s.scalar(select(func.count()).select_from(table)) or 0)


def test_process_triages_every_ticket_exactly_once(workspace: Workspace, triager: Triager) -> None:
    generate_demo(workspace, seed=3, tickets=120)
    first = process_pending(workspace, triager, batch_size=50)
    assert first.processed == 120 == _count(workspace, TriageResultRow)
    again = process_pending(workspace, triager, batch_size=50)
    assert (again.processed, again.already_done) == (0, 120)
    assert _count(workspace, TriageResultRow) == 120


def test_a_crash_mid_run_loses_one_batch_at_most_and_resumes(
    sqlite_workspace: Workspace, triager: Triager
) -> None:
    generate_demo(sqlite_workspace, seed=4, tickets=100)

    class Crashing(Triager):
        calls = 0

        def triage_many(self, requests):  # type: ignore[no-untyped-def]
            Crashing.calls += 1
            if Crashing.calls == 3:
                raise RuntimeError("worker died")
            return super().triage_many(requests)

    with pytest.raises(RuntimeError):
        process_pending(sqlite_workspace, Crashing(triager.intent_model), batch_size=30)
    assert _count(sqlite_workspace, TriageResultRow) == 60
    report = process_pending(sqlite_workspace, triager, batch_size=30)
    assert report.processed == 40 and report.already_done == 60
    with sqlite_workspace.session() as s:
        per_ticket = s.execute(
            select(TriageResultRow.ticket_id, func.count()).group_by(TriageResultRow.ticket_id)
        ).all()
    assert len(per_ticket) == _count(sqlite_workspace, TicketRow)
    assert all(n == 1 for _, n in per_ticket)


def test_stored_results_hold_no_planted_personal_data(
    sqlite_workspace: Workspace, triager: Triager
) -> None:
    generate_demo(sqlite_workspace, seed=5, tickets=150)
    process_pending(sqlite_workspace, triager)
    lines = (sqlite_workspace.path / "demo-truth.jsonl").read_text().splitlines()
    planted = {
        span["value"]
        for line in lines
        for span in json.loads(line)["pii"]
        if span["message"] == 0 and span["type"] in ("email", "card_number", "iban")
    }
    assert planted
    with sqlite_workspace.session() as s:
        stored = " ".join(s.scalars(select(TriageResultRow.redacted_text)))
        reasons = json.dumps(list(s.scalars(select(TriageResultRow.reasons))))
    leaked = [v for v in planted if v in stored or v in reasons]
    assert not leaked
