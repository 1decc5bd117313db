"""Routing in the pipeline: once per config and model, audited, replayable, correctable."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from casework import Workspace
from casework.audit import load_key, verify
from casework.config.loader import default_config_text, load_config_text
from casework.demo import generate_demo
from casework.pipeline import process_all
from casework.pipeline.dry_run import dry_run
from casework.routing.review import ReviewError, accept, give_feedback, override
from casework.routing.training import queue_history
from casework.store.tables import (
    AuditEventRow,
    ConfigVersionRow,
    FeedbackRow,
    RoutingDecisionRow,
    TriageResultRow,
)
from casework.triage.engine import Triager
from casework.triage.model_store import load_bundled


@pytest.fixture(scope="module")
def triager() -> Triager:
    return Triager(load_bundled("intent"))


def _counts(ws: Workspace) -> dict[str, int]:
    tables = (AuditEventRow, ConfigVersionRow, FeedbackRow, RoutingDecisionRow, TriageResultRow)
    with ws.session() as s:
        return {
            t.__tablename__: int(s.scalar(select(func.count()).select_from(t)) or 0) for t in tables
        }


def test_process_routes_every_ticket_once_with_an_intact_audit_trail(
    workspace: Workspace, triager: Triager
) -> None:
    generate_demo(workspace, seed=8, tickets=120)
    report = process_all(workspace, triager)
    assert report.routing.routed == 120
    counts = _counts(workspace)
    assert counts["routing_decisions"] == 120
    # one triage and one route event per ticket, one more per escalation
    with workspace.session() as s:
        actions = dict(
            s.execute(
                select(AuditEventRow.action, func.count()).group_by(AuditEventRow.action)
            ).all()
        )
    assert actions["triage"] == actions["route"] == 120
    assert actions.get("escalate", 0) == report.routing.escalated
    assert actions.get("draft", 0) == report.drafting.drafted
    assert verify(workspace).ok
    again = process_all(workspace, triager)
    assert again.routing.routed == 0 and again.triage.processed == 0
    assert _counts(workspace) == counts
    with workspace.session() as s:
        decided_by = set(s.scalars(select(RoutingDecisionRow.decided_by)))
    # no queue model trained here: every queue came from a rule or the default
    assert all(d == "default" or d.startswith("rule:") for d in decided_by)


def test_dry_run_reports_changes_and_writes_nothing(workspace: Workspace, triager: Triager) -> None:
    generate_demo(workspace, seed=9, tickets=120)
    process_all(workspace, triager)
    before = _counts(workspace)
    stricter = default_config_text().replace(
        "negative_sentiment_at: -0.7", "negative_sentiment_at: 0"
    )
    report = dry_run(workspace, load_config_text(stricter, "proposed.yaml"))
    assert report["tickets"] == 120
    assert report["escalation_changed"] > 0
    assert report["examples"] and report["examples"][0]["changed"]
    same = dry_run(workspace, load_config_text(default_config_text(), "same.yaml"))
    assert same["would_change"] == 0
    assert _counts(workspace) == before


def test_override_is_recorded_audited_and_becomes_the_training_label(
    sqlite_workspace: Workspace, triager: Triager
) -> None:
    ws = sqlite_workspace
    generate_demo(ws, seed=10, tickets=60)
    process_all(ws, triager)
    key = load_key(ws)
    events: list[str] = []

    def hook(session, actor, action, object_id, details):  # type: ignore[no-untyped-def]
        events.append(action)
        from casework.audit import AuditEvent, append

        append(session, key, AuditEvent(actor, action, "routing_decision", object_id))

    with ws.session() as s:
        decision = s.scalars(select(RoutingDecisionRow).order_by(RoutingDecisionRow.id)).first()
        assert decision is not None
        target = "complaints" if decision.queue != "complaints" else "billing"
        result = override(s, decision.id, "lena", target, {"complaints", "billing"}, hook)
        give_feedback(s, "routing", decision.id, "wrong", "lena", "belongs elsewhere", hook)
        ticket_id, decision_id = decision.ticket_id, decision.id
    assert result.state == "overridden"
    with ws.session() as s:
        row = s.get(RoutingDecisionRow, decision_id)
        assert row is not None and row.override_queue == target and row.reviewed_by == "lena"
        with pytest.raises(ReviewError):
            accept(s, decision_id, "lena")
        with pytest.raises(ReviewError, match="rating"):
            give_feedback(s, "routing", decision_id, "meh", "lena")
    assert events == ["review.override", "feedback"]
    assert verify(ws).ok
    # the next queue model learns the person's answer, not the ticket's old queue
    history = queue_history(ws)
    from casework.store.tables import TicketRow

    with ws.session() as s:
        ordered = list(s.scalars(select(TicketRow.id).order_by(TicketRow.id)))
    assert history.labels[ordered.index(ticket_id)] == target


def test_cli_dry_run_and_review(tmp_path: Path) -> None:
    import json

    from typer.testing import CliRunner

    from casework.cli import app

    runner = CliRunner()
    ws = str(tmp_path / "ws")
    assert (
        runner.invoke(app, ["demo", "--no-serve", "--json", "--tickets", "200", "-w", ws]).exit_code
        == 0
    )
    proposed = tmp_path / "proposed.yaml"
    proposed.write_text(default_config_text().replace("amount: {gte: 500}", "amount: {gte: 1}"))
    result = runner.invoke(app, ["config", "dry-run", str(proposed), "--json", "-w", ws])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["tickets"] == 200
    listed = json.loads(runner.invoke(app, ["review", "list", "--json", "-w", ws]).stdout)
    first = listed["decisions"][0]["id"]
    accepted = runner.invoke(
        app, ["review", "accept", str(first), "--actor", "ann", "--json", "-w", ws]
    )
    assert json.loads(accepted.stdout)["state"] == "accepted"
    again = runner.invoke(app, ["review", "accept", str(first), "-w", ws])
    assert again.exit_code == 1 and "already accepted" in again.output
    verified = runner.invoke(app, ["audit", "verify", "--json", "-w", ws])
    assert verified.exit_code == 0 and json.loads(verified.stdout)["ok"]


def test_drafts_only_where_the_level_allows_with_context_reads_audited(
    sqlite_workspace: Workspace, triager: Triager
) -> None:
    from casework.store.tables import DraftRow

    ws = sqlite_workspace
    generate_demo(ws, seed=12, tickets=150)
    report = process_all(ws, triager)
    with ws.session() as s:
        drafts = list(s.scalars(select(DraftRow)))
        levels = dict(
            s.execute(select(RoutingDecisionRow.id, RoutingDecisionRow.automation_level)).all()
        )
        reads = list(s.scalars(select(AuditEventRow).where(AuditEventRow.action == "context.read")))
        draft_events = s.scalar(
            select(func.count()).select_from(AuditEventRow).where(AuditEventRow.action == "draft")
        )
    assert drafts and report.drafting.drafted == len(drafts) == draft_events
    assert {levels[d.routing_decision_id] for d in drafts} <= {"draft", "auto"}
    assert len(drafts) < 150  # suggest/off tickets get no draft
    config = load_config_text(default_config_text(), "default.yaml")
    assert all(d.machine_written and config.knowledge.disclosure in d.text for d in drafts)
    with_context = [d for d in drafts if d.context_used]
    assert with_context and reads  # order data was read, and every read was audited
    allowed = {field for fields in config.context_allow.values() for field in fields}
    assert all(set(r.fields_read) <= allowed for r in reads)
    again = process_all(ws, triager)
    assert again.drafting.drafted == 0
    assert verify(ws).ok


def test_draft_review_keeps_the_edit_distance_and_refuses_a_second_verdict(
    sqlite_workspace: Workspace, triager: Triager
) -> None:
    from casework.routing.review import review_draft, word_edit_distance
    from casework.store.tables import DraftRow

    assert word_edit_distance("a b c d", "a x c d e") == 2
    ws = sqlite_workspace
    generate_demo(ws, seed=13, tickets=80)
    process_all(ws, triager)
    with ws.session() as s:
        first, second = list(s.scalars(select(DraftRow.id).order_by(DraftRow.id).limit(2)))
        draft = s.get(DraftRow, first)
        assert draft is not None
        # two words dropped, one replaced
        edited = draft.text.replace("Thank you for getting in touch.", "Thank you for writing.")
        row = review_draft(s, first, "lena", "edit", edited)
        assert row.state == "edited" and row.edit_distance == 3 and row.final_text == edited
        assert review_draft(s, second, "lena", "reject").state == "rejected"
        with pytest.raises(ReviewError, match="already"):
            review_draft(s, first, "lena", "approve")
