"""Triage and route one text without storing anything: what `casework triage`, the API's
`POST /triage` and the MCP `triage_text` tool all answer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from casework.config.loader import default_config
from casework.config.versions import active_config
from casework.pipeline.route_stage import queue_model
from casework.routing.facts import facts_from
from casework.routing.router import Router
from casework.triage.engine import Triager, TriageRequest
from casework.workspace import Workspace


def router_or_default(workspace_path: Path | None) -> Router:
    """The workspace's config and queue model, or the bundled default config without one."""
    if workspace_path is not None and workspace_path.exists():
        with Workspace(workspace_path) as ws:
            ws.init()
            version, config = active_config(ws)
        return Router(config, version, queue_model(workspace_path))
    return Router(default_config(), 0, None)


def assess_text(
    triager: Triager, router: Router, text: str, customer_tier: str | None = None
) -> dict[str, Any]:
    """Triage, route, escalation and automation level for `text`; JSON-ready, redacted."""
    triaged = triager.triage(TriageRequest(text, customer_tier=customer_tier))
    decision = router.route(facts_from(triaged, customer_tier=customer_tier))
    return {
        **triaged.to_dict(),
        "route": decision.to_dict(),
        "escalation": decision.escalation.to_dict(),
        "automation_level": decision.automation_level.value,
    }
