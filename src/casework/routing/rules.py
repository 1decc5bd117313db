"""Ordered routing rules: where the business has a rule, the rule decides.

Rules run in the order the config lists them. The first match wins and stops,
unless it says `stop: false`: then later rules may still add tags, escalate or
lower the automation level, but never take over a queue, priority or assignee
group an earlier rule already set. Order is the only precedence, so a reader
of the config can predict the outcome without running anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from casework.config.schema import AutomationLevel, Rule, WorkspaceConfig
from casework.routing.conditions import compile_condition
from casework.routing.facts import RoutingFacts
from casework.routing.predicates import Condition


@dataclass(frozen=True)
class CompiledRule:
    rule: Rule
    condition: Condition


@dataclass(frozen=True)
class RuleSet:
    """A config's rules with their conditions compiled once."""

    rules: tuple[CompiledRule, ...]

    @classmethod
    def from_config(cls, config: WorkspaceConfig) -> RuleSet:
        """Compile every condition; a `ConditionError` carries the path from the file's root."""
        return cls(tuple(
            CompiledRule(rule, compile_condition(rule.when, ("rules", i, "when")))
            for i, rule in enumerate(config.rules)
        ))  # fmt: skip


@dataclass
class RuleOutcome:
    """What the rules decided for one ticket, and why, in words."""

    fired: list[str] = field(default_factory=list)
    queue: str | None = None
    queue_rule: str | None = None
    priority: str | None = None
    assignee_group: str | None = None
    tags: list[str] = field(default_factory=list)
    escalate: bool = False
    escalated_by: list[str] = field(default_factory=list)
    automation_levels: dict[str, AutomationLevel] = field(default_factory=dict)
    """Rule id → the level it asks for; levels only ever lower the intent's level."""
    reasons: list[str] = field(default_factory=list)

    @property
    def decided_by(self) -> str | None:
        return f"rule:{self.queue_rule}" if self.queue_rule else None


def _actions(rule: Rule, outcome: RuleOutcome) -> list[str]:
    """Apply one rule's actions to the outcome; returns what it changed, in words."""
    then, done = rule.then, []
    for name in ("queue", "priority", "assignee_group"):
        wanted = getattr(then, name)
        if wanted is None:
            continue
        if getattr(outcome, name) is None:
            setattr(outcome, name, wanted)
            if name == "queue":
                outcome.queue_rule = rule.id
            done.append(f"{name.replace('_', ' ')} {wanted}")
        else:
            done.append(
                f"{name.replace('_', ' ')} {wanted} ignored: already "
                f"{getattr(outcome, name)} from an earlier rule"
            )
    new_tags = [t for t in then.add_tags if t not in outcome.tags]
    if new_tags:
        outcome.tags.extend(new_tags)
        done.append("tags " + ", ".join(new_tags))
    if then.escalate:
        outcome.escalate = True
        outcome.escalated_by.append(rule.id)
        done.append("escalate")
    if then.automation_level is not None:
        outcome.automation_levels[rule.id] = then.automation_level
        done.append(f"automation at most {then.automation_level.value}")
    return done


def apply_rules(rules: RuleSet | WorkspaceConfig, facts: RoutingFacts) -> RuleOutcome:
    """Run the rules in order for one ticket (compile a `RuleSet` once to run many)."""
    ruleset = rules if isinstance(rules, RuleSet) else RuleSet.from_config(rules)
    outcome = RuleOutcome()
    for compiled in ruleset.rules:
        if not compiled.condition(facts):
            continue
        rule = compiled.rule
        outcome.fired.append(rule.id)
        done = _actions(rule, outcome)
        label = f"rule {rule.id}" + (f" ({rule.description})" if rule.description else "")
        outcome.reasons.append(
            f"{label}: {compiled.condition.explain(facts)} → {'; '.join(done) or 'no action'}"
        )
        if rule.stop:
            break
    return outcome


def apply_many(ruleset: RuleSet, facts: Sequence[RoutingFacts]) -> list[RuleOutcome]:
    return [apply_rules(ruleset, f) for f in facts]
