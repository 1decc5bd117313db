"""Escalation reaches a person with its reasons; automation can only go down."""

from __future__ import annotations

import dataclasses

import pytest
from routing_support import FactsMaker, make_config

from casework.config.schema import AutomationLevel, WorkspaceConfig
from casework.routing.automation import automation_level, decide_automation
from casework.routing.escalation import Escalation, decide_escalation, first_sentences
from casework.routing.facts import RoutingFacts
from casework.routing.rules import apply_rules

CALM = RoutingFacts(
    intent="order_status", intent_confidence=0.97, urgency="normal", sentiment="neutral",
    sentiment_score=0.0, frustration=False, language="en",
    text="Order status\nWhere is my order ORD-1234567?", order_number="ORD-1234567",
)  # fmt: skip


def test_a_legal_threat_is_escalated_with_its_reasons(
    config: WorkspaceConfig, facts_for: FactsMaker
) -> None:
    facts = facts_for(
        "Order ORD-7654321 never arrived. My lawyer will sue you if I don't get my money back.",
        channel="email",
    )
    outcome = apply_rules(config, facts)
    escalation = decide_escalation(config, facts, queue=outcome.queue, rules=outcome)
    assert escalation.escalate
    assert any(r.startswith("legal threat (") and "'lawyer'" in r for r in escalation.reasons)
    assert "escalated by rule legal-threat" in escalation.reasons
    assert escalation.owner == "head-of-care"  # the complaints queue's owner
    assert "order ORD-7654321" in escalation.summary


def test_a_calm_clear_request_is_not_escalated(config: WorkspaceConfig) -> None:
    escalation = decide_escalation(config, CALM, queue="orders")
    assert escalation == Escalation(False, [], "duty-lead", escalation.summary)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"intent": "complaint"}, "sensitive intent 'complaint'"),
        (
            {"requests_human": True, "cues": {"human_request": ("speak to a human",)}},
            "customer asks for a human ('speak to a human')",
        ),
        ({"sentiment_score": -0.7, "sentiment": "negative"}, "negative sentiment -0.70"),
        (
            {"frustration": True, "frustration_reasons": ("repeated contact: 'third time'",)},
            "customer is frustrated (repeated contact: 'third time')",
        ),
        ({"intent_confidence": 0.3}, "low intent confidence 0.30"),
        ({"intent": "unknown"}, "intent unknown"),
        ({"fraud": True, "cues": {"fraud": ("stolen card",)}}, "possible fraud ('stolen card')"),
        ({"text": "I will file a chargeback"}, "sensitive topic 'chargeback'"),
        (
            {"cues": {"cancellation": ("cancel my order",)}, "frustration": True},
            "cancellation under tension ('cancel my order')",
        ),
    ],
)
def test_each_trigger_escalates_and_says_so(
    config: WorkspaceConfig, change: dict[str, object], reason: str
) -> None:
    escalation = decide_escalation(config, dataclasses.replace(CALM, **change))  # type: ignore[arg-type]
    assert escalation.escalate
    assert any(r.startswith(reason) for r in escalation.reasons), escalation.reasons


def test_policy_switches_turn_triggers_off() -> None:
    quiet = make_config(
        escalation={
            "escalate_on_negative_sentiment": False,
            "escalate_on_human_request": False,
            "min_confidence": 0.2,
        }
    )
    facts = dataclasses.replace(
        CALM, sentiment_score=-0.9, requests_human=True, intent_confidence=0.3
    )
    assert not decide_escalation(quiet, facts).escalate


def test_summary_is_short_and_from_the_redacted_text(
    config: WorkspaceConfig, facts_for: FactsMaker
) -> None:
    facts = facts_for(
        "Refund\nHi,\nI want a refund of 129.99 EUR for order ORD-1234567. "
        "Write to jane.doe@example.com or call +49 170 1234567. This is the third time!"
    )
    summary = decide_escalation(config, facts).summary
    assert "jane.doe@example.com" not in summary and "1234567." not in summary.replace(
        "ORD-1234567", ""
    )
    assert summary.splitlines()[0] == (
        "Wants: refund request — “I want a refund of 129.99 EUR for order ORD-1234567.”"
    )
    assert "amount 129.99 EUR" in summary and "frustrated" in summary
    assert first_sentences("Invoice\nDear team,\nThe VAT is wrong. Fix it.") == "The VAT is wrong."


def test_escalation_caps_automation_at_suggest(config: WorkspaceConfig) -> None:
    calm_level = automation_level(config, CALM, decide_escalation(config, CALM))
    assert calm_level is AutomationLevel.auto  # configured auto, confident, calm
    angry = dataclasses.replace(CALM, sentiment="negative", sentiment_score=-0.8)
    decision = decide_automation(config, angry, decide_escalation(config, angry))
    assert decision.level is AutomationLevel.suggest
    assert any(r.startswith("lowered to suggest: escalated") for r in decision.reasons)


def test_automation_is_never_raised(config: WorkspaceConfig) -> None:
    """Configured `off` stays off whatever the rules or a calm ticket ask for."""
    off = make_config(automation={"order_status": "off"})
    raising_rule = [("wants-auto", AutomationLevel.auto)]
    assert automation_level(off, CALM, None, raising_rule) is AutomationLevel.off
    draft = make_config(automation={"order_status": "draft"})
    assert automation_level(draft, CALM, Escalation(False), raising_rule) is AutomationLevel.draft
    lowering_rule = [("careful", AutomationLevel.off)]
    assert automation_level(config, CALM, None, lowering_rule) is AutomationLevel.off


@pytest.mark.parametrize(
    "change",
    [{"intent_confidence": 0.85}, {"sentiment": "negative"}, {"text": "about a chargeback"}],
)
def test_auto_needs_confidence_calm_and_no_sensitive_topic(
    config: WorkspaceConfig, change: dict[str, object]
) -> None:
    """Even with escalation switched off, `auto` drops to `draft` for a risky ticket."""
    facts = dataclasses.replace(CALM, **change)  # type: ignore[arg-type]
    assert automation_level(config, facts, None) is AutomationLevel.draft
