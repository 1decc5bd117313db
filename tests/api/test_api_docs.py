"""docs/api.md cannot drift from the code: the permission table and the endpoint list."""

from __future__ import annotations

import re
from pathlib import Path

from casework.api.auth import PERMISSION_HELP, PERMISSIONS

DOCS = Path(__file__).parents[2] / "docs" / "api.md"


def _permission_table() -> dict[str, set[str]]:
    """role → permissions ticked in the docs table."""
    lines = DOCS.read_text(encoding="utf-8").splitlines()
    header = next(line for line in lines if line.startswith("| permission |"))
    roles = [cell.strip() for cell in header.strip("|").split("|")][1:]
    ticked: dict[str, set[str]] = {role: set() for role in roles}
    for line in lines:
        match = re.match(r"\| `([a-z]+:[a-z]+)` \|", line)
        if not match:
            continue
        cells = [cell.strip() for cell in line.strip("|").split("|")][1:]
        for role, cell in zip(roles, cells, strict=False):
            if cell == "✓":
                ticked[role].add(match[1])
    return ticked


def test_every_role_permission_is_in_the_docs_table_and_no_more() -> None:
    documented = _permission_table()
    for role, permissions in PERMISSIONS.items():
        assert role in documented, f"role {role} has no column in docs/api.md"
        assert documented[role] == set(permissions), role


def test_every_permission_has_a_row() -> None:
    text = DOCS.read_text(encoding="utf-8")
    assert all(f"| `{name}` |" in text for name in PERMISSION_HELP)


def test_every_endpoint_is_documented() -> None:
    from casework import Workspace
    from casework.api.app import create_app

    text = DOCS.read_text(encoding="utf-8")
    spec = create_app(Workspace("unused", "sqlite://")).openapi()
    missing = [
        f"{method.upper()} {path}"
        for path, operations in spec["paths"].items()
        for method in operations
        if f"`{method.upper()} {path}`" not in text
    ]
    assert not missing
