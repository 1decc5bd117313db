"""Helpers shared by the routing tests: a small config and tiny training texts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from casework.config.schema import WorkspaceConfig
from casework.routing.facts import RoutingFacts

FactsMaker = Callable[..., RoutingFacts]
"""Facts for a text through the real triage, with ticket data as keywords."""

QUEUES = ["general", "orders", "returns-refunds", "billing", "managers", "complaints"]


def config_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "queues": [{"key": k, "name": k.title(), "owner": f"lead-{k}"} for k in QUEUES],
        "default_queue": "general",
        "rules": [
            {"id": "refund-above-500", "when": {"intent": "refund_request", "amount": {"gte": 500}},
             "then": {"queue": "managers", "add_tags": ["high-value"],
                      "automation_level": "suggest"}},
            {"id": "legal-threat", "when": {"legal_threat": True},
             "then": {"queue": "complaints", "priority": "urgent", "escalate": True}},
        ],
        "escalation": {"owners": {"complaints": "head-of-care"}, "default_owner": "duty-lead"},
        "automation": {"order_status": "auto", "refund_request": "draft"},
        "sensitive_topics": ["chargeback", "allergic reaction"],
        "routing_model_min_confidence": 0.4,
    }  # fmt: skip
    data.update(overrides)
    return data


def make_config(**overrides: Any) -> WorkspaceConfig:
    return WorkspaceConfig.model_validate(config_data(**overrides))


TEMPLATES = {
    "orders": ["where is my parcel {n}", "my order {n} has not arrived yet",
               "tracking for order {n} shows nothing", "when will order {n} be delivered",
               "still waiting for delivery of {n}", "has my order {n} shipped"],
    "returns-refunds": ["I want a refund for order {n}", "please refund the {n} euros",
                        "how do I return item {n}", "I sent back {n} and got no refund",
                        "return label for order {n} please", "money back for {n} please"],
    "billing": ["invoice {n} shows the wrong VAT", "please send a copy of invoice {n}",
                "I was charged twice for {n}", "my card payment {n} was declined",
                "the invoice {n} lists the wrong company", "why was I billed {n} twice"],
}  # fmt: skip
