"""The router: a rule beats the model, the model beats the default only when confident."""

from __future__ import annotations

import json
from pathlib import Path

from routing_support import FactsMaker, make_config

from casework.config.schema import AutomationLevel, WorkspaceConfig
from casework.routing.queue_model import KIND, recommend
from casework.routing.router import Router
from casework.triage.model_store import StoredModel, load_model, save_model


def test_a_rule_beats_the_model(
    config: WorkspaceConfig, queue_model: StoredModel, facts_for: FactsMaker
) -> None:
    router = Router(config, config_version=7, queue_model=queue_model)
    big = facts_for("I want a refund of 720 EUR for order ORD-1234567, the jacket was faulty.")
    small = facts_for("I want a refund of 120 EUR for order ORD-1234567, the jacket was faulty.")
    assert recommend(queue_model.model, big.text).queue == "returns-refunds"  # the model's view
    decision = router.route(big)
    assert (decision.queue, decision.decided_by) == ("managers", "rule:refund-above-500")
    assert decision.confidence == 1.0 and decision.rules_fired == ["refund-above-500"]
    assert decision.reasons[0].startswith(
        "rule refund-above-500: intent is refund_request and amount 720 EUR ≥ 500"
    )
    assert decision.tags == ["high-value"]
    assert decision.automation_level is not AutomationLevel.auto
    below = router.route(small)  # no rule: the model decides
    assert below.queue == "returns-refunds"
    assert below.decided_by == f"model:{queue_model.version}"
    assert (decision.config_version, decision.model_version) == (7, queue_model.version)


def test_the_model_falls_back_to_the_default_queue_below_its_threshold(
    queue_model: StoredModel, facts_for: FactsMaker
) -> None:
    unsure = Router(make_config(), 1, queue_model).route(facts_for("hello"))
    assert (unsure.queue, unsure.decided_by) == ("general", "default")
    assert unsure.reasons[0].startswith("queue model's best guess")
    facts = facts_for("Hello, my invoice 55123 shows the wrong VAT")
    rec = recommend(queue_model.model, facts.text)
    assert rec.queue == "billing" and rec.confidence < 0.99
    trusted = Router(
        make_config(routing_model_min_confidence=rec.confidence - 0.001), 1, queue_model
    ).route(facts)
    assert (trusted.queue, trusted.decided_by) == ("billing", f"model:{queue_model.version}")
    assert abs(trusted.confidence - rec.confidence) < 1e-9
    doubted = Router(
        make_config(routing_model_min_confidence=rec.confidence + 0.001), 1, queue_model
    ).route(facts)
    assert (doubted.queue, doubted.decided_by) == ("general", "default")
    assert "is below the" in doubted.reasons[0]


def test_without_a_model_the_default_queue_decides(
    config: WorkspaceConfig, facts_for: FactsMaker
) -> None:
    decision = Router(config).route(facts_for("Where is my parcel 12345?"))
    assert (decision.queue, decision.decided_by, decision.model_version) == (
        "general",
        "default",
        None,
    )


def test_a_model_queue_that_is_not_configured_is_not_used(
    queue_model: StoredModel, facts_for: FactsMaker
) -> None:
    config = make_config(
        queues=[{"key": k, "name": k, "owner": "x"} for k in ("general", "managers", "complaints")],
        routing_model_min_confidence=0.0,
        escalation={},
    )
    decision = Router(config, 1, queue_model).route(facts_for("Where is my parcel 12345?"))
    assert decision.queue == "general" and "not a configured queue" in decision.reasons[0]


def test_route_many_equals_route_one_by_one_and_is_json_ready(
    config: WorkspaceConfig, queue_model: StoredModel, facts_for: FactsMaker
) -> None:
    router = Router(config, 3, queue_model)
    facts = [
        facts_for(t)
        for t in (
            "My lawyer will sue you over order ORD-1234567.",
            "Please send a copy of invoice 88123",
            "where is my parcel 55555",
        )
    ]
    many = router.route_many(facts)
    assert [d.to_dict() for d in many] == [router.route(f).to_dict() for f in facts]
    legal = json.loads(json.dumps(many[0].to_dict()))
    assert legal["decided_by"] == "rule:legal-threat" and legal["priority"] == "urgent"
    assert legal["escalation"]["escalate"] and legal["escalation"]["owner"] == "head-of-care"
    assert legal["automation_level"] in ("off", "suggest")


def test_the_queue_model_round_trips_through_the_model_store(
    tmp_path: Path, queue_model: StoredModel
) -> None:
    saved = save_model(tmp_path, KIND, queue_model.model, queue_model.meta)
    loaded = load_model(tmp_path, KIND)
    assert loaded.version == saved.version and loaded.meta["classes"] == saved.meta["classes"]
    texts = ["where is my parcel 1", "refund please", "invoice copy", ""]
    assert [recommend(loaded.model, t) for t in texts] == [
        recommend(queue_model.model, t) for t in texts
    ]
    rec = recommend(loaded.model, "refund please")
    assert abs(sum(p for _, p in rec.alternatives) - 1.0) < 1e-9  # three classes: all listed
