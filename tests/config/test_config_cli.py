"""`casework config …` as a script sees it: exit codes, JSON, and nothing applied on error."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from casework.cli import app
from casework.config.loader import default_config_text

runner = CliRunner()


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, "utf-8")
    return path


def test_validate_exits_0_for_a_good_file_and_1_listing_problems(tmp_path: Path) -> None:
    good = write(tmp_path, "good.yaml", default_config_text())
    result = runner.invoke(app, ["config", "validate", str(good)])
    assert result.exit_code == 0, result.output
    assert "is valid: 6 queues" in result.output
    bad = write(tmp_path, "bad.yaml", default_config_text().replace("owner: Ravi", "ownr: Ravi"))
    result = runner.invoke(app, ["config", "validate", str(bad), "--json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    line = bad.read_text("utf-8").splitlines().index("    ownr: Ravi Shah") + 1
    assert report["valid"] is False
    assert [(e["line"], e["path"]) for e in report["errors"]] == [(line, "queues[1].ownr")]
    human = runner.invoke(app, ["config", "validate", str(bad)])
    assert human.exit_code == 1 and f"{bad}:{line}: queues[1].ownr: unknown key" in human.output


def test_validate_of_a_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["config", "validate", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2


def test_apply_show_and_history(tmp_path: Path) -> None:
    ws = str(tmp_path / "ws")
    text = default_config_text().replace("\n      amount: {gte: 500}", "\n      amount: {gte: 750}")
    new = write(tmp_path, "new.yaml", text)
    result = runner.invoke(
        app, ["config", "apply", str(new), "--author", "ada", "-w", ws, "--json"]
    )
    assert result.exit_code == 0, result.output
    applied = json.loads(result.stdout)
    assert (applied["applied"], applied["version"], applied["author"]) == (True, 1, "ada")
    assert (applied["lines_added"], applied["lines_removed"]) == (1, 1)
    again = runner.invoke(app, ["config", "apply", str(new), "-w", ws])
    assert again.exit_code == 0 and "No change" in again.output

    broken = write(
        tmp_path, "broken.yaml", text.replace("default_queue: orders-delivery", "default_queue: x")
    )
    refused = runner.invoke(app, ["config", "apply", str(broken), "-w", ws, "--json"])
    assert refused.exit_code == 1
    report = json.loads(refused.stdout)
    assert report["applied"] is False and report["active_version"] == 1
    assert report["errors"][0]["path"] == "default_queue"

    shown = runner.invoke(app, ["config", "show", "-w", ws])
    assert shown.exit_code == 0 and shown.stdout == text
    diff = runner.invoke(app, ["config", "show", "--diff", "-w", ws])
    assert "+      amount: {gte: 750}" in diff.stdout
    as_json = json.loads(runner.invoke(app, ["config", "show", "--json", "-w", ws]).stdout)
    assert as_json["version"] == 1 and as_json["config"]["default_queue"] == "orders-delivery"
    history = json.loads(runner.invoke(app, ["config", "history", "--json", "-w", ws]).stdout)
    assert [(v["version"], v["author"]) for v in history["versions"]] == [(1, "ada")]
    missing = runner.invoke(app, ["config", "show", "--version", "5", "-w", ws])
    assert missing.exit_code == 2 and "no config version 5" in missing.output


def test_schema_is_json_schema_of_the_whole_file() -> None:
    result = runner.invoke(app, ["config", "schema"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert {"queues", "rules", "escalation", "automation"} <= set(schema["properties"])
    assert schema["additionalProperties"] is False
