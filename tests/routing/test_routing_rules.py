"""Rule order: the first match wins, `stop: false` lets later rules add but not take over."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from routing_support import make_config

from casework.config.schema import AutomationLevel
from casework.routing.conditions import ConditionError
from casework.routing.facts import RoutingFacts
from casework.routing.rules import RuleSet, apply_rules

FACTS = RoutingFacts(
    intent="refund_request", intent_confidence=0.9, urgency="normal", sentiment="neutral",
    sentiment_score=0.0, frustration=False, language="en", text="refund of 720 EUR please",
    customer_tier="vip", amount=Decimal("720"), currency="EUR",
)  # fmt: skip

RULES = [
    {"id": "vip", "when": {"customer.tier": "vip"}, "stop": False,
     "then": {"add_tags": ["vip"], "priority": "high"}},
    {"id": "big-refund", "when": {"intent": "refund_request", "amount": {"gte": 500}},
     "stop": False,
     "then": {"queue": "managers", "add_tags": ["high-value"], "automation_level": "draft"}},
    {"id": "any-refund", "when": {"intent": "refund_request"},
     "then": {"queue": "returns-refunds", "priority": "low", "escalate": True,
              "automation_level": "suggest"}},
    {"id": "never-reached", "when": {}, "then": {"add_tags": ["late"]}},
]  # fmt: skip


def test_first_matching_rule_with_stop_ends_the_search() -> None:
    config = make_config(rules=[RULES[2], RULES[3]])
    outcome = apply_rules(config, FACTS)
    assert outcome.fired == ["any-refund"]
    assert outcome.queue == "returns-refunds" and outcome.decided_by == "rule:any-refund"
    assert "late" not in outcome.tags


def test_stop_false_lets_later_rules_add_but_not_override() -> None:
    outcome = apply_rules(make_config(rules=RULES), FACTS)
    assert outcome.fired == ["vip", "big-refund", "any-refund"]
    # the queue and priority set first stay; tags, escalation and levels accumulate
    assert outcome.queue == "managers" and outcome.queue_rule == "big-refund"
    assert outcome.priority == "high"
    assert outcome.tags == ["vip", "high-value"]
    assert outcome.escalate and outcome.escalated_by == ["any-refund"]
    assert outcome.automation_levels == {
        "big-refund": AutomationLevel.draft,
        "any-refund": AutomationLevel.suggest,
    }
    assert "late" not in outcome.tags  # any-refund stops the search
    assert any("queue returns-refunds ignored: already managers" in r for r in outcome.reasons)


def test_reasons_name_the_rule_and_what_matched() -> None:
    outcome = apply_rules(make_config(rules=[RULES[1]]), FACTS)
    assert outcome.reasons == [
        "rule big-refund: intent is refund_request and amount 720 EUR ≥ 500 → queue managers; "
        "tags high-value; automation at most draft"
    ]


def test_no_rule_matches() -> None:
    small = dataclasses.replace(FACTS, amount=Decimal("20"), customer_tier=None)
    outcome = apply_rules(make_config(rules=RULES[:2]), small)
    assert outcome.fired == [] and outcome.queue is None and outcome.decided_by is None


def test_a_bad_condition_is_reported_from_the_config_root() -> None:
    bad = make_config(
        rules=[
            RULES[0],
            {"id": "x", "when": {"amount": {"gte": "lots"}}, "then": {"add_tags": ["x"]}},
        ]
    )
    with pytest.raises(ConditionError) as caught:
        RuleSet.from_config(bad)
    assert caught.value.path == ("rules", 1, "when", "amount", "gte")
