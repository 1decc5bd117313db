"""Drafts scored apart from agents, the coaching report, and the weekly report's QA section."""

from __future__ import annotations

import json
from datetime import timedelta

from qa_support import CONFIG
from test_qa_storage import START, add_ticket
from typer.testing import CliRunner

from casework import Workspace
from casework.cli import app
from casework.qa.coach import coaching_report
from casework.qa.conversation import ScoringContext
from casework.qa.drafts import score_answer, score_drafts
from casework.qa.report_section import qa_section
from casework.qa.scoring import score_pending
from casework.store.tables import (
    AgentRow,
    DraftRow,
    QAScoreRow,
    QueueRow,
    RoutingDecisionRow,
    TicketRow,
)

GOOD = "Hi Ana,\n\nI've checked: it is on its way.\n\nBest regards,\nSam"


def _setup(ws: Workspace) -> None:
    add_ticket(ws, "A", GOOD)
    add_ticket(ws, "B", "Calm down.")
    with ws.session() as session:
        agent = AgentRow(source="test", external_id="sam", name="Sam")
        queue = QueueRow(key="orders", name="Orders")
        session.add_all([agent, queue])
        session.flush()
        for ticket in session.query(TicketRow):
            ticket.assignee_id, ticket.queue_id = agent.id, queue.id
            decision = RoutingDecisionRow(
                ticket_id=ticket.id, config_version=1, model_version="m", queue="orders",
                decided_by="rules", confidence=1.0, automation_level="suggest", created_at=START,
            )  # fmt: skip
            session.add(decision)
            session.flush()
            session.add(
                DraftRow(
                    ticket_id=ticket.id, routing_decision_id=decision.id, method="extractive",
                    text="As per our policy it is on its way.", confidence=0.5, created_at=START,
                )
            )  # fmt: skip


def test_drafts_are_scored_apart_and_once(workspace: Workspace) -> None:
    _setup(workspace)
    assert score_pending(workspace).scored == 2
    run = score_drafts(workspace)
    assert run.scored == 2 and run.auto_failed == 2  # "As per our policy" is forbidden
    assert score_drafts(workspace).scored == 0
    assert score_pending(workspace).scored == 0  # drafts do not count as agent scores
    with workspace.session() as session:
        draft = session.query(QAScoreRow).filter_by(subject="draft").first()
        assert draft is not None
        by_id = {s["criterion"]: s for s in draft.scores}
        assert by_id["sla"]["score"] is None and by_id["resolution_confirmed"]["score"] is None
        assert by_id["service_language"]["evidence"][0]["message_index"] == 1


def test_a_self_service_answer_is_scored_like_a_draft() -> None:
    result = score_answer(ScoringContext(CONFIG), "Where is my parcel?", "Calm down.")
    assert result.auto_failed and result.total == 0


def test_coaching_report_per_agent_and_team_with_examples(workspace: Workspace) -> None:
    _setup(workspace)
    score_pending(workspace)
    report = coaching_report(workspace, since=timedelta(weeks=1))
    kinds = {(g.kind, g.name) for g in report.groups}
    assert kinds == {("agent", "Sam"), ("team", "orders")}
    sam = next(g for g in report.groups if g.kind == "agent")
    assert sam.conversations == 2 and sam.previous_total is None
    weak = {w.criterion: w for w in sam.weakest}
    assert "service_language" in weak
    first, second = weak["service_language"].examples  # two per weak criterion, worst first
    assert second["ticket"] == "A"
    example = first
    assert example["ticket"] == "B" and example["evidence"][0]["quote"] == "Calm down"
    assert coaching_report(workspace, team="billing").groups == []
    week = coaching_report(workspace, week=START.strftime("%G-W%V"), agent="Sam")
    assert [g.name for g in week.groups] == ["Sam", "orders"]


def test_weekly_report_section_sets_agents_beside_drafts(workspace: Workspace) -> None:
    _setup(workspace)
    empty = qa_section(workspace, START, START + timedelta(days=7))
    assert "run `casework qa score`" in empty.markdown
    score_pending(workspace)
    score_drafts(workspace)
    section = qa_section(workspace, START - timedelta(days=1), START + timedelta(days=7))
    assert "| agents | 2 | 41.6 | 1 |" in section.markdown  # (83.3 + 0) / 2
    assert "| casework's drafts | 2 | 0.0 | 2 |" in section.markdown
    assert "<table>" in section.html


def test_qa_report_command(sqlite_workspace: Workspace) -> None:
    _setup(sqlite_workspace)
    folder = str(sqlite_workspace.path)
    scored = CliRunner().invoke(app, ["qa", "score", "--json", "-w", folder])
    assert json.loads(scored.stdout)["drafts"]["scored"] == 2
    found = CliRunner().invoke(app, ["qa", "report", "--since", "2w", "--json", "-w", folder])
    assert found.exit_code == 0, found.output
    assert {g["kind"] for g in json.loads(found.stdout)["groups"]} == {"agent", "team"}
    text = CliRunner().invoke(app, ["qa", "report", "--agent", "Sam", "-w", folder])
    assert "agent Sam" in text.output and "Calm down" in text.output
