"""The processing register is built from the config in force: every configured provider is
a row, with what it reads, what leaves and in which form, and the roles that see raw data."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml
from typer.testing import CliRunner

from casework import Workspace
from casework.api.auth import PERMISSIONS
from casework.cli import app
from casework.config.loader import default_config_text, load_config_text
from casework.privacy.register import build_register, to_html, to_markdown

runner = CliRunner()


def _config_with_providers() -> str:
    data = yaml.safe_load(default_config_text())
    data["context_providers"] += [
        {"name": "crm", "kind": "http", "key": "customer.email", "fields": ["plan", "since"],
         "options": {"url": "https://crm.example/api/customers/{key}"}},
        {"name": "loyalty", "kind": "csv", "key": "customer.email", "fields": ["points"],
         "options": {"path": "loyalty.csv", "key_column": "email"}},
    ]  # fmt: skip
    data["context_allow"]["billing_question"] = ["crm.plan"]
    data["llm"] = {"provider": "openai", "model": "gpt-test", "base_url": "http://llm.local/v1"}
    data["privacy"]["egress"]["writeback"] = "block"
    return yaml.safe_dump(data)


def test_register_lists_every_configured_provider() -> None:
    config = load_config_text(_config_with_providers(), "casework.yaml")
    register = build_register(config, version=3)
    names = register.names()
    for provider in ("context provider: orders", "context provider: crm",
                     "context provider: loyalty", "LLM provider: openai (gpt-test)",
                     "helpdesk write-back (Zendesk)"):  # fmt: skip
        assert provider in names, provider
    by_name = {a.name: a for a in register.activities}
    crm = by_name["context provider: crm"]
    assert crm.reads == ["crm.plan"] and "customer.email" in crm.leaves
    assert "crm.example" in crm.recipients
    assert "redacted" in by_name["LLM provider: openai (gpt-test)"].leaves
    assert "blocked" in by_name["helpdesk write-back (Zendesk)"].leaves
    raw = sorted(r for r, perms in PERMISSIONS.items() if "tickets:raw" in perms)
    assert register.raw_roles == raw and "analyst" in register.redacted_roles
    assert register.retention["raw_text_days"] == 365
    md, page = to_markdown(register), to_html(register)
    for name in names:
        assert name in md and name.replace("&", "&amp;") in page


def test_register_without_an_llm_has_no_llm_row() -> None:
    config = load_config_text(default_config_text(), "casework.yaml")
    assert not [n for n in build_register(config).names() if n.startswith("LLM provider")]


def test_register_command_reads_the_workspace_config(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / "casework.yaml").write_text(_config_with_providers())
    result = runner.invoke(app, ["privacy", "register", "--format", "json", "-w", str(ws)])
    assert result.exit_code == 0, result.output
    names = [a["name"] for a in json.loads(result.stdout)["activities"]]
    assert "context provider: crm" in names and "LLM provider: openai (gpt-test)" in names
    html_out = tmp_path / "register.html"
    result = runner.invoke(app, ["privacy", "register", "--format", "html", "--out",
                                 str(html_out), "-w", str(ws)])  # fmt: skip
    assert result.exit_code == 0 and "context provider: loyalty" in html_out.read_text()


def test_dashboard_settings_page_shows_the_register(sqlite_workspace: Workspace) -> None:
    from fastapi.testclient import TestClient

    from casework.api.app import create_app
    from casework.api.keys import create_key

    sqlite_workspace.init()
    _, token = create_key(sqlite_workspace, "dpo", "lead", "user:test")
    with TestClient(create_app(sqlite_workspace, process_webhooks=False)) as client:
        form = client.get("/dashboard/login")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
        assert csrf is not None
        client.post("/dashboard/login", data={"key": token, "csrf_token": csrf[1],
                                              "next": "/dashboard/settings"})  # fmt: skip
        page = client.get("/dashboard/settings")
    assert page.status_code == 200
    assert "Record of processing activities" in page.text
    assert "context provider: orders" in page.text and "helpdesk write-back" in page.text
