"""Roles and what each may do: the one permission table the API and the docs share.

Kept free of FastAPI so the CLI (`casework keys create --role …`) and the docs
test can read it without the web stack installed. `docs/api.md` must list every
(role, permission) pair below; `tests/api/test_api_docs.py` fails when it does not.
"""

from __future__ import annotations

from typing import Final

PERMISSION_HELP: Final[dict[str, str]] = {
    "tickets:read": "list and show tickets, their triage, routes, drafts and audit trail",
    "tickets:raw": "see message bodies, subjects and requesters unredacted",
    "tickets:write": "create tickets (source `api`)",
    "triage:run": "triage, route and escalate a text without storing it",
    "review:write": "accept, override and rate routes; approve, edit or reject drafts",
    "process:run": "run the pipeline over every pending ticket",
    "kb:read": "search the approved knowledge base",
    "kb:write": "approve a draft article (e.g. a knowledge-gap draft) so it is published",
    "answer:write": "answer a customer question (self-service), creating a hand-off ticket",
    "insights:read": "topics, spikes and weekly reports",
    "config:read": "validate a config and dry-run it on past tickets",
    "config:apply": "store a config as the next version in force",
    "audit:read": "verify the audit log's hash chain",
    "jobs:read": "workers' job counts, dead letters and Prometheus metrics",
}
PERMISSIONS_ALL: Final[frozenset[str]] = frozenset(PERMISSION_HELP)

PERMISSIONS: Final[dict[str, frozenset[str]]] = {
    # CX engineer: owns config and the audit log.
    "admin": PERMISSIONS_ALL,
    # Support lead: runs the team's work and proposes config (validate, dry-run),
    # but changing what is in force and auditing the log stay with the admin.
    "lead": PERMISSIONS_ALL - {"config:apply", "audit:read"},
    # Agent: works tickets and talks to customers, so sees them as written.
    "agent": frozenset(
        {
            "tickets:read",
            "tickets:raw",
            "tickets:write",
            "triage:run",
            "review:write",
            "kb:read",
            "answer:write",
        }
    ),
    # Analyst: aggregates and redacted tickets; no personal data, no writes.
    "analyst": frozenset({"tickets:read", "insights:read", "kb:read"}),
    # AI assistant (MCP, scripts): read-only and redacted.
    "assistant": frozenset({"tickets:read", "insights:read", "kb:read", "triage:run"}),
}
ROLES: Final[tuple[str, ...]] = tuple(PERMISSIONS)


def allows(role: str, permission: str) -> bool:
    """Unknown roles may do nothing: a typo in the database never grants access."""
    return permission in PERMISSIONS.get(role, frozenset())
