"""`casework keys …`: the key is printed once, stored hashed, listed without it, revocable."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select
from typer.testing import CliRunner

from casework import Workspace
from casework.api.keys import authenticate, hash_token
from casework.cli import app
from casework.store.tables import ApiKeyRow, AuditEventRow

runner = CliRunner()


def test_keys_create_list_revoke(tmp_path: Path) -> None:
    folder = str(tmp_path / "ws")
    created = runner.invoke(
        app, ["keys", "create", "--role", "analyst", "--name", "bi", "-w", folder, "--json"]
    )
    assert created.exit_code == 0, created.output
    key = json.loads(created.output)
    token = key["key"]
    assert token.startswith(key["prefix"]) and key["role"] == "analyst"

    listed = runner.invoke(app, ["keys", "list", "-w", folder, "--json"])
    assert token not in listed.output and key["prefix"] in listed.output

    with Workspace(folder) as ws, ws.session() as session:
        row = session.scalars(select(ApiKeyRow)).one()
        assert row.key_hash == hash_token(token) and token not in row.key_hash
        assert authenticate(session, token) is not None

    revoked = runner.invoke(app, ["keys", "revoke", str(key["id"]), "-w", folder])
    assert revoked.exit_code == 0
    with Workspace(folder) as ws, ws.session() as session:
        assert authenticate(session, token) is None
        actions = list(session.scalars(select(AuditEventRow.action).order_by(AuditEventRow.seq)))
    assert actions == ["api_key.create", "api_key.revoke"]


def test_an_unknown_role_or_key_fails_clearly(tmp_path: Path) -> None:
    folder = str(tmp_path / "ws")
    bad = runner.invoke(app, ["keys", "create", "--role", "boss", "--name", "x", "-w", folder])
    assert bad.exit_code == 2 and "expected one of admin, lead" in bad.output
    missing = runner.invoke(app, ["keys", "revoke", "42", "-w", folder])
    assert missing.exit_code == 1 and "no API key with id 42" in missing.output
