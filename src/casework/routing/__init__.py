"""Routing: deterministic rules, then the queue model, then escalation and automation level.

AI proposes, rules constrain, people decide where the risk is: the workspace's
rules decide wherever the business has one, the queue model recommends where
it has none, and the escalation policy and automation levels keep a person in
charge of anything sensitive. Everything here is pure — facts in, decision out.

Names are imported lazily, so validating a config (which compiles conditions)
does not load scikit-learn or the models.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from casework.routing.automation import (
        AutomationDecision,
        automation_level,
        decide_automation,
    )
    from casework.routing.conditions import ConditionError, compile_condition
    from casework.routing.escalation import Escalation, decide_escalation
    from casework.routing.facts import RoutingFacts, facts_from, facts_from_stored
    from casework.routing.predicates import Condition
    from casework.routing.queue_model import QueueRecommendation, recommend, train_queue_model
    from casework.routing.router import Router, RoutingDecision
    from casework.routing.rules import RuleOutcome, RuleSet, apply_rules

_EXPORTS = {
    "AutomationDecision": "automation", "automation_level": "automation",
    "decide_automation": "automation",
    "ConditionError": "conditions", "compile_condition": "conditions",
    "Condition": "predicates",
    "Escalation": "escalation", "decide_escalation": "escalation",
    "RoutingFacts": "facts", "facts_from": "facts", "facts_from_stored": "facts",
    "QueueRecommendation": "queue_model", "recommend": "queue_model",
    "train_queue_model": "queue_model",
    "Router": "router", "RoutingDecision": "router",
    "RuleOutcome": "rules", "RuleSet": "rules", "apply_rules": "rules",
}  # fmt: skip
__all__ = [
    "AutomationDecision", "Condition", "ConditionError", "Escalation", "QueueRecommendation",
    "Router", "RoutingDecision", "RoutingFacts", "RuleOutcome", "RuleSet", "apply_rules",
    "automation_level", "compile_condition", "decide_automation", "decide_escalation",
    "facts_from", "facts_from_stored", "recommend", "train_queue_model",
]  # fmt: skip


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'casework.routing' has no attribute {name!r}")
    return getattr(import_module(f"casework.routing.{_EXPORTS[name]}"), name)
