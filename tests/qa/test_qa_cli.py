"""`casework qa` on a tiny workspace: score, summary, calibrate and a refused CSV."""

from __future__ import annotations

import json
from pathlib import Path

from test_qa_storage import add_ticket
from typer.testing import CliRunner

from casework import Workspace
from casework.cli import app
from casework.store.tables import AgentRow, TicketRow

runner = CliRunner()


def test_qa_commands(sqlite_workspace: Workspace, tmp_path: Path) -> None:
    add_ticket(sqlite_workspace, "A", "Hi Ana,\n\nDone.\n\nBest regards,\nSam")
    with sqlite_workspace.session() as session:
        agent = AgentRow(source="test", external_id="sam", name="Sam")
        session.add(agent)
        session.flush()
        for ticket in session.query(TicketRow):
            ticket.assignee_id = agent.id
    folder = str(sqlite_workspace.path)
    scored = runner.invoke(app, ["qa", "score", "--json", "-w", folder])
    assert scored.exit_code == 0, scored.output
    assert json.loads(scored.stdout)["scored"] == 1
    summary = runner.invoke(app, ["qa", "summary", "--json", "-w", folder])
    assert json.loads(summary.stdout)["agents"][0]["agent"] == "Sam"
    reviews = tmp_path / "r.csv"
    reviews.write_text("ticket_external_id,criterion,score,reviewer\nA,greeting_closing,2,M\n")
    good = runner.invoke(app, ["qa", "calibrate", str(reviews), "--json", "-w", folder])
    assert json.loads(good.stdout)["criteria"][0]["exact"] == 1.0
    reviews.write_text("ticket_external_id,criterion,score,reviewer\nA,greeting_closing,9,M\n")
    bad = runner.invoke(app, ["qa", "calibrate", str(reviews), "-w", folder])
    assert bad.exit_code == 1
    assert f"{reviews}:2: score: 9 is outside 0..2" in bad.output.replace("\n", "")
