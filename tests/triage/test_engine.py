"""Triage as an agent sees it: one result with every signal, and no raw personal data."""

from __future__ import annotations

import pytest

from casework.triage.engine import Triager, TriageRequest
from casework.triage.intent import UNKNOWN, IntentClassifier
from casework.triage.model_store import StoredModel, load_bundled


@pytest.fixture(scope="module")
def bundled() -> Triager:
    return Triager(load_bundled("intent"))


def test_bundled_model_triages_a_demo_style_ticket(bundled: Triager) -> None:
    result = bundled.triage(
        "Where is my parcel? I ordered two weeks ago and the tracking shows nothing."
    ).to_dict()
    assert result["intent"]["label"] == "order_status"
    assert 0 < result["intent"]["confidence"] <= 1
    assert len(result["intent"]["alternatives"]) == 3
    assert result["language"] == "en"
    assert result["missing"] == [
        {"field": "order_number", "question": result["missing"][0]["question"]}
    ]
    assert result["model_version"].startswith("intent-")


def test_personal_data_is_redacted_before_anything_reads_it(bundled: Triager) -> None:
    text = "Refund please. Card 4111 1111 1111 1111, mail me at jane.doe@example.com"
    result = bundled.triage(text)
    assert "4111" not in result.redacted_text and "jane.doe" not in result.redacted_text
    assert "<CARD_1>" in result.redacted_text and "<EMAIL_1>" in result.redacted_text
    payload = result.to_dict()
    assert {p["type"] for p in payload["pii"]} == {"CARD", "EMAIL"}
    assert "jane.doe@example.com" not in str(payload)


def test_angry_customer_asking_for_a_human_is_flagged(bundled: Triager) -> None:
    result = bundled.triage(
        TriageRequest(
            "This is the THIRD time I write. Nothing works!!! I want to speak to a real person.",
            prior_contacts=2,
        )
    )
    assert result.frustration.flag
    assert result.sentiment.label == "negative"
    assert any("human" in reason for reason in result.frustration.reasons)


def test_vip_tier_raises_urgency(bundled: Triager) -> None:
    plain = bundled.triage(TriageRequest("Can you tell me the shipping cost to Spain?"))
    vip = bundled.triage(
        TriageRequest("Can you tell me the shipping cost to Spain?", customer_tier="vip")
    )
    order = ["low", "normal", "high", "urgent"]
    assert order.index(vip.urgency.level) == order.index(plain.urgency.level) + 1


def test_language_the_model_never_saw_gets_unknown(
    trained_intent_model: IntentClassifier,
) -> None:
    english_only = Triager(
        StoredModel("intent", "test-1", trained_intent_model, {"languages": ["en"]})
    )
    result = english_only.triage("Wo ist meine Bestellung 12345? Sie ist noch nicht angekommen.")
    assert result.language.code == "de"
    assert result.intent.label == UNKNOWN
    assert any("not trained on" in reason for reason in result.intent.reasons)
    assert english_only.triage("where is my order 12345").intent.label == "order_status"


def test_learnt_priority_moves_the_cue_level_only_when_confident() -> None:
    from casework.triage.priority import combine
    from casework.triage.urgency import urgency

    cue = urgency("Can you tell me the shipping cost to Spain?", "en")
    assert cue.level == "low"
    raised = combine(cue, {"low": 0.1, "normal": 0.1, "high": 0.75, "urgent": 0.05}, "p-1")
    assert raised.level == "high" and "p-1" in raised.reasons[-1]
    unsure = combine(cue, {"low": 0.3, "normal": 0.2, "high": 0.45, "urgent": 0.05}, "p-1")
    assert unsure.level == "low"
    outage = urgency("Your whole site is down, nobody can pay!", "en")
    assert outage.level == "urgent"
    assert combine(
        outage, {"low": 0.9, "normal": 0.1, "high": 0.0, "urgent": 0.0}, "p-1"
    ).level == ("urgent")
