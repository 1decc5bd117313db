"""The `casework privacy` shell: parsing, exit codes and JSON; the core is tested apart."""

from __future__ import annotations

import json

from privacy_support import build_helpdesk, busiest_customer
from typer.testing import CliRunner

from casework import Workspace
from casework.cli import app

runner = CliRunner()


def test_find_erase_and_verify_from_the_command_line(sqlite_workspace: Workspace) -> None:
    build_helpdesk(sqlite_workspace, 60)
    person = busiest_customer(sqlite_workspace)
    sqlite_workspace.close()
    w = ["-w", str(sqlite_workspace.path)]

    found = runner.invoke(app, ["privacy", "find", "--phone", person.phone, "--json", *w])
    assert found.exit_code == 0, found.output
    data = json.loads(found.stdout)
    assert data["found"] and data["customer_ids"] == [person.id]
    assert person.email not in found.stdout  # places and ids, never the data

    erased = runner.invoke(app, ["privacy", "erase", "--email", person.email, "--by", "dpo",
                                 "--request-id", "r-1", "--json", *w])  # fmt: skip
    assert erased.exit_code == 0, erased.output
    assert json.loads(erased.stdout)["request_id"] == "r-1"
    assert runner.invoke(app, ["audit", "verify", *w]).exit_code == 0
    again = runner.invoke(app, ["privacy", "erase", "--email", person.email, *w])
    assert again.exit_code == 1 and "nobody" in again.output

    blocks = runner.invoke(app, ["privacy", "blocks", "--json", *w])
    assert blocks.exit_code == 0 and isinstance(json.loads(blocks.stdout), list)
    dry = runner.invoke(app, ["privacy", "purge", "--dry-run", "--json", *w])
    assert dry.exit_code == 0 and json.loads(dry.stdout)["dry_run"] is True


def test_a_request_naming_nobody_exits_2(sqlite_workspace: Workspace) -> None:
    w = ["-w", str(sqlite_workspace.path)]
    assert runner.invoke(app, ["privacy", "find", *w]).exit_code == 2
    bad = runner.invoke(app, ["privacy", "find", "--email", "not-an-address", *w])
    assert bad.exit_code == 2 and "not an email" in bad.output
