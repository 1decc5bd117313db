"""Route a ticket: rules first, then the queue model, then the default queue.

The router is pure — facts in, a decision out, no database and no network —
so the pipeline, the API, `casework triage` and a config dry run all get the
same answer for the same facts, config and model. Each decision names what
decided (`rule:<id>`, `model:<version>` or `default`), with its confidence and
reasons in words, and carries the escalation and the automation level.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from casework.config.schema import AutomationLevel, WorkspaceConfig
from casework.routing.automation import decide_automation
from casework.routing.escalation import Escalation, decide_escalation
from casework.routing.facts import RoutingFacts
from casework.routing.queue_model import QueueRecommendation, recommend_many
from casework.routing.rules import RuleOutcome, RuleSet, apply_rules
from casework.triage.model_store import StoredModel


@dataclass
class RoutingDecision:
    """Where the ticket goes, who must look at it, how far automation may go — and why."""

    queue: str
    priority: str
    tags: list[str]
    assignee_group: str | None
    decided_by: str
    confidence: float
    reasons: list[str]
    escalation: Escalation
    automation_level: AutomationLevel
    config_version: int
    model_version: str | None
    """The queue model's version when one was loaded (it was consulted or could have been)."""
    rules_fired: list[str] = field(default_factory=list)
    automation_reasons: list[str] = field(default_factory=list)
    triage_model_version: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: plain strings, numbers, lists and dicts only."""
        return {
            "queue": self.queue,
            "priority": self.priority,
            "tags": list(self.tags),
            "assignee_group": self.assignee_group,
            "decided_by": self.decided_by,
            "confidence": round(self.confidence, 4),
            "reasons": list(self.reasons),
            "rules_fired": list(self.rules_fired),
            "escalation": self.escalation.to_dict(),
            "automation_level": self.automation_level.value,
            "automation_reasons": list(self.automation_reasons),
            "config_version": self.config_version,
            "model_version": self.model_version,
            "triage_model_version": self.triage_model_version,
        }


class Router:
    """One config version (rules compiled once) and at most one queue model."""

    def __init__(
        self,
        config: WorkspaceConfig,
        config_version: int = 0,
        queue_model: StoredModel | None = None,
    ) -> None:
        self.config = config
        self.config_version = config_version
        self.queue_model = queue_model
        self.rules = RuleSet.from_config(config)
        self.queue_keys = {q.key for q in config.queues}

    @property
    def model_version(self) -> str | None:
        return self.queue_model.version if self.queue_model is not None else None

    def route(self, facts: RoutingFacts) -> RoutingDecision:
        return self.route_many([facts])[0]

    def route_many(self, facts: Sequence[RoutingFacts]) -> list[RoutingDecision]:
        """Route a batch; the queue model runs once over the tickets no rule placed."""
        outcomes = [apply_rules(self.rules, f) for f in facts]
        asks = [
            i for i, (f, o) in enumerate(zip(facts, outcomes, strict=True))
            if o.queue is None and self.queue_model is not None and f.text.strip()
        ]  # fmt: skip
        recommendations: dict[int, QueueRecommendation] = {}
        if asks and self.queue_model is not None:
            found = recommend_many(self.queue_model.model, [facts[i].text for i in asks], top=6)
            recommendations = dict(zip(asks, found, strict=True))
        return [
            self._decide(f, o, recommendations.get(i))
            for i, (f, o) in enumerate(zip(facts, outcomes, strict=True))
        ]

    def _queue(
        self, outcome: RuleOutcome, rec: QueueRecommendation | None
    ) -> tuple[str, str, float, list[str]]:
        """(queue, decided_by, confidence, reasons) from the rules, the model or the default."""
        if outcome.queue is not None and outcome.queue_rule is not None:
            return outcome.queue, f"rule:{outcome.queue_rule}", 1.0, []
        default = self.config.default_queue
        if rec is None:
            why = "no rule set a queue and no queue model is trained"
            return default, "default", 0.0, [f"{why}: default queue {default}"]
        threshold = self.config.routing_model_min_confidence
        others = ", ".join(f"{q} {p:.2f}" for q, p in rec.alternatives[1:3])
        if rec.confidence >= threshold and rec.queue in self.queue_keys:
            reason = (
                f"queue model {self.model_version} recommends {rec.queue} with confidence "
                f"{rec.confidence:.2f} (threshold {threshold:.2f}; next: {others})"
            )
            return rec.queue, f"model:{self.model_version}", rec.confidence, [reason]
        if rec.queue not in self.queue_keys:
            why = f"queue model recommends {rec.queue}, which is not a configured queue"
        else:
            why = (
                f"queue model's best guess {rec.queue} ({rec.confidence:.2f}) is below the "
                f"{threshold:.2f} needed"
            )
        p_default = next((p for q, p in rec.alternatives if q == default), 0.0)
        return default, "default", p_default, [f"{why}: default queue {default}"]

    def _decide(
        self, facts: RoutingFacts, outcome: RuleOutcome, rec: QueueRecommendation | None
    ) -> RoutingDecision:
        queue, decided_by, confidence, queue_reasons = self._queue(outcome, rec)
        escalation = decide_escalation(self.config, facts, queue=queue, rules=outcome)
        automation = decide_automation(
            self.config, facts, escalation, outcome.automation_levels.items()
        )
        priority = outcome.priority or facts.urgency
        reasons = [*outcome.reasons, *queue_reasons]
        if outcome.priority is None:
            reasons.append(f"priority {priority} from triage urgency")
        return RoutingDecision(
            queue=queue,
            priority=priority,
            tags=list(outcome.tags),
            assignee_group=outcome.assignee_group,
            decided_by=decided_by,
            confidence=float(confidence),
            reasons=reasons,
            escalation=escalation,
            automation_level=automation.level,
            config_version=self.config_version,
            model_version=self.model_version,
            rules_fired=list(outcome.fired),
            automation_reasons=automation.reasons,
            triage_model_version=facts.triage_model_version,
        )
