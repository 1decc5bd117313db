"""The automation level for one ticket: configured per intent, then only ever lowered.

The config sets the ceiling (`automation:` per intent, else `default_automation`);
risk can only take it down — an escalation caps it at `suggest`, a rule may
cap it further, and `auto` (sending without a person) survives only for a
confident, calm, non-sensitive ticket. Nothing here can raise the level, so a
mistake in a rule or a model can never make casework act more on its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from casework.config.schema import AutomationLevel, WorkspaceConfig
from casework.routing.escalation import Escalation, sensitive_topics_in
from casework.routing.facts import RoutingFacts

AUTO_MIN_CONFIDENCE = 0.9
ESCALATED_CAP = AutomationLevel.suggest


@dataclass(frozen=True)
class AutomationDecision:
    level: AutomationLevel
    reasons: list[str] = field(default_factory=list)


def _auto_blockers(config: WorkspaceConfig, facts: RoutingFacts) -> list[str]:
    """Why a ticket whose intent is configured `auto` may still not be sent unattended."""
    blockers = []
    if facts.intent_confidence < AUTO_MIN_CONFIDENCE:
        blockers.append(
            f"intent confidence {facts.intent_confidence:.2f} is below {AUTO_MIN_CONFIDENCE:.2f}"
        )
    if facts.sentiment == "negative":
        blockers.append("the customer's sentiment is negative")
    topics = sensitive_topics_in(config, facts)
    if topics:
        blockers.append("it touches a sensitive topic: " + "; ".join(topics))
    return blockers


def decide_automation(
    config: WorkspaceConfig,
    facts: RoutingFacts,
    escalation: Escalation | None = None,
    rule_levels: Iterable[tuple[str, AutomationLevel]] = (),
) -> AutomationDecision:
    """The level with a reason for every step down from the configured one."""
    level = config.automation_for(facts.intent)
    reasons = [f"configured level for '{facts.intent}': {level.value}"]

    def cap(limit: AutomationLevel, why: str) -> None:
        nonlocal level
        if limit.rank < level.rank:
            reasons.append(f"lowered to {limit.value}: {why}")
            level = limit

    if level is AutomationLevel.auto:
        blockers = _auto_blockers(config, facts)
        if blockers:
            cap(AutomationLevel.draft, "; ".join(blockers))
    if escalation is not None and escalation.escalate:
        cap(ESCALATED_CAP, "escalated to a person")
    for rule_id, limit in rule_levels:
        cap(limit, f"rule {rule_id}")
    return AutomationDecision(level, reasons)


def automation_level(
    config: WorkspaceConfig,
    facts: RoutingFacts,
    escalation: Escalation | None = None,
    rule_levels: Iterable[tuple[str, AutomationLevel]] = (),
) -> AutomationLevel:
    """The level alone (see `decide_automation` for the reasons)."""
    return decide_automation(config, facts, escalation, rule_levels).level
