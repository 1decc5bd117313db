"""The CLI as a script sees it: exit codes and JSON; as a newcomer sees it: help and docs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from casework.cli import app

runner = CliRunner()
DOCS = Path(__file__).parents[1] / "docs" / "cli.md"


def _commands(group: Any, prefix: str = "") -> list[str]:
    names = []
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            names += _commands(command, f"{prefix}{name} ")
        else:
            names.append(f"{prefix}{name}")
    return names


def test_every_command_is_documented() -> None:
    docs = DOCS.read_text()
    group = typer.main.get_command(app)
    missing = [name for name in _commands(group) if f"`casework {name}" not in docs]
    assert not missing


def test_help_tells_a_newcomer_where_to_start() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "casework demo" in result.output


@pytest.fixture(scope="module")
def demo_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli") / "ws"
    result = runner.invoke(
        app, ["demo", "--no-serve", "--json", "--tickets", "300", "--workspace", str(folder)]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    for key in ("tickets", "messages", "customers", "orders", "articles"):
        assert isinstance(summary[key], int)
    assert summary["tickets"] == 300 == summary["triaged"] == summary["ticket_metrics"]
    return folder


def test_tickets_list_and_show_as_json(demo_workspace: Path) -> None:
    listed = runner.invoke(
        app, ["tickets", "list", "--limit", "5", "--json", "-w", str(demo_workspace)]
    )
    assert listed.exit_code == 0
    page = json.loads(listed.stdout)
    assert len(page["tickets"]) == 5 and page["next_after"] == page["tickets"][-1]["id"]
    first = page["tickets"][0]["id"]
    shown = runner.invoke(app, ["tickets", "show", str(first), "--json", "-w", str(demo_workspace)])
    ticket = json.loads(shown.stdout)
    assert ticket["messages"] and ticket["triage"]["intent"]
    missing = runner.invoke(app, ["tickets", "show", "999999", "-w", str(demo_workspace)])
    assert missing.exit_code == 1 and "no ticket" in missing.output


def test_triage_explains_itself_in_words() -> None:
    result = runner.invoke(app, ["triage", "I want my money back for the broken kettle"])
    assert result.exit_code == 0, result.output
    assert "alternatives:" in result.output
    assert "words that pointed to it:" in result.output
    assert "nearest training texts of" in result.output
    assert "  like “" in result.output


def test_triage_json_has_the_documented_fields() -> None:
    text = "Where is my parcel? Call me on +44 7911 123456"
    result = runner.invoke(app, ["triage", text, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    for key in (
        "language",
        "intent",
        "urgency",
        "sentiment",
        "frustration",
        "missing",
        "pii",
        "redacted_text",
    ):
        assert key in data
    assert {"label", "confidence", "alternatives", "terms", "examples"} <= set(data["intent"])
    assert data["intent"]["examples"]  # the bundled model quotes its nearest training texts
    assert {"label", "score"} <= set(data["sentiment"])
    assert {"queue", "decided_by", "reasons"} <= set(data["route"])
    assert {"escalate", "reasons"} <= set(data["escalation"])
    start = text.index("+44")
    assert data["pii"] == [{"type": "PHONE", "start": start, "end": len(text)}]
    assert "7911" not in data["redacted_text"]


def test_eval_triage_scores_the_demo(demo_workspace: Path) -> None:
    result = runner.invoke(app, ["eval", "triage", "--json", "-w", str(demo_workspace)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["triaged"] == 300
    assert report["pii"]["EMAIL"]["recall"] == 1.0
    person = report["pii"]["PERSON"]  # customers' names, planted in greetings and signatures
    assert person["recall"] >= 0.95 and person["precision"] >= 0.9
    assert person["staff_names_found"] > 0  # agents' signatures: found, counted apart


def test_eval_intents_on_small_csvs(tmp_path: Path) -> None:
    rows = []
    for i in range(30):
        rows.append(f'"where is my order {i}, it has not arrived",order_status')
        rows.append(f'"I want my money back for item {i}",refund_request')
        rows.append(f'"I cannot log in, password {i} fails",account_access')
    (tmp_path / "train.csv").write_text("text,category\n" + "\n".join(rows[:72]) + "\n")
    (tmp_path / "test.csv").write_text("text,category\n" + "\n".join(rows[72:]) + "\n")
    result = runner.invoke(
        app,
        [
            "eval",
            "intents",
            "--train",
            str(tmp_path / "train.csv"),
            "--test",
            str(tmp_path / "test.csv"),
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    for key in ("accuracy", "macro_f1", "train_seconds", "predict_per_second", "n_train", "n_test"):
        assert key in report
    assert report["mode"] == "static" and report["n_test"] == 18
    assert report["accuracy"] > 0.9


def test_eval_intents_lets_the_unknown_gate_spend_more_accuracy(tmp_path: Path) -> None:
    templates = {
        "order_status": "where is my order {i}, it has not arrived",
        "refund_request": "I want my money back for item {i}",
        "account_access": "I cannot log in, password {i} fails",
        "shipping_cost": "how much is delivery to city {i}",
        "discount_code": "coupon code SAVE{i} is rejected at checkout",
        "change_address": "please ship order {i} to my new street instead",
    }
    rows = [f'"{t.format(i=i)}",{label}' for i in range(30) for label, t in templates.items()]
    (tmp_path / "train.csv").write_text("text,category\n" + "\n".join(rows[:150]) + "\n")
    (tmp_path / "test.csv").write_text("text,category\n" + "\n".join(rows[150:]) + "\n")
    args = ["eval", "intents", "--train", str(tmp_path / "train.csv"), "--test",
            str(tmp_path / "test.csv"), "--hold-out-intents", "2", "--json"]  # fmt: skip
    reports = []
    for cost in ("0", "0.5"):
        result = runner.invoke(app, [*args, "--max-in-scope-cost", cost])
        assert result.exit_code == 0, result.output
        reports.append(json.loads(result.stdout))
    assert [r["max_in_scope_cost"] for r in reports] == [0.0, 0.5]
    assert reports[1]["unknown_threshold"] >= reports[0]["unknown_threshold"]
    assert reports[1]["unknown_recall"] >= reports[0]["unknown_recall"]
    bad = runner.invoke(app, [*args, "--max-in-scope-cost", "2"])
    assert bad.exit_code == 2


def test_eval_intents_reports_a_bad_file_with_its_column(tmp_path: Path) -> None:
    (tmp_path / "bad.csv").write_text("utterance,label\nhello,greet\n")
    result = runner.invoke(
        app,
        [
            "eval",
            "intents",
            "--train",
            str(tmp_path / "bad.csv"),
            "--test",
            str(tmp_path / "bad.csv"),
        ],
    )
    assert result.exit_code == 2
    assert "bad.csv:1" in result.output and "text" in result.output


def test_import_reports_bad_rows_keeps_good_ones_and_reimport_is_a_noop(tmp_path: Path) -> None:
    csv_file = tmp_path / "tickets.csv"
    csv_file.write_text(
        "external_id,subject,body,status,created_at\n"
        "1,Parcel late,Where is my parcel?,open,2026-03-01T10:00:00Z\n"
        "2,Refund,Please refund me,lost,2026-03-01T11:00:00Z\n"
        "3,Login,I cannot log in,new,2026-03-02T09:00:00Z\n"
    )
    ws = str(tmp_path / "ws")
    first = runner.invoke(app, ["import", str(csv_file), "--format", "csv", "--json", "-w", ws])
    assert first.exit_code == 1
    report = json.loads(first.stdout)
    assert (report["created"], report["failed"]) == (2, 1)
    assert report["errors"] == [report["errors"][0]]
    assert report["errors"][0].startswith(f"{csv_file}:3: status")
    again = runner.invoke(app, ["import", str(csv_file), "--format", "csv", "--json", "-w", ws])
    assert json.loads(again.stdout)["unchanged"] == 2 and json.loads(again.stdout)["created"] == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["import", "missing.csv"], "no such file"),
        (["import", "{file}", "--format", "xml"], "unknown --format"),
        (["import", "{file}", "--map", "nonsense"], "field=column"),
        (["tickets", "list", "--status", "bogus"], "bogus"),
    ],
)
def test_bad_arguments_exit_2_with_a_message(tmp_path: Path, args: list[str], message: str) -> None:
    existing = tmp_path / "t.csv"
    existing.write_text("external_id,subject\n")
    argv = [a.replace("{file}", str(existing)) for a in args] + ["-w", str(tmp_path / "ws")]
    result = runner.invoke(app, argv)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_unusable_workspace_or_database_fails_clearly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a_file = tmp_path / "afile"
    a_file.write_text("x")
    result = runner.invoke(app, ["init", "-w", str(a_file)])
    assert result.exit_code == 2 and "cannot use" in result.output
    monkeypatch.setenv("CASEWORK_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/nothing")
    result = runner.invoke(app, ["init", "-w", str(tmp_path / "ws")])
    assert result.exit_code == 2 and "cannot use the database" in result.output
    monkeypatch.setenv("CASEWORK_DATABASE_URL", "mysql://a@b/c")
    result = runner.invoke(app, ["init", "-w", str(tmp_path / "ws")])
    assert result.exit_code == 2 and "unsupported database" in result.output
