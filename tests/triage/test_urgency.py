"""Urgency: content cues in six languages, legal/fraud floors, tier bumps, features."""

from __future__ import annotations

import pytest

from casework.triage.urgency import LEVELS, level_for, urgency

URGENT = [
    ("en", "Our website is down and customers cannot check out!"),
    ("en", "I can't log in to my account since this morning"),
    ("en", "You charged me twice for the same order"),
    ("en", "The charger started smoking and caught fire"),
    ("de", "Ich kann mich nicht mehr anmelden, bitte helfen Sie"),
    ("de", "Sie haben den Betrag doppelt abgebucht"),
    ("fr", "Le site est en panne, plus rien ne fonctionne"),
    ("fr", "J'ai été prélevé deux fois pour la même commande"),
    ("es", "No puedo iniciar sesión en mi cuenta"),
    ("es", "La batería se sobrecalentó y salió humo, es peligroso"),
    ("it", "Non riesco ad accedere al mio account"),
    ("it", "Mi avete addebitato due volte lo stesso importo"),
    ("nl", "Ik kan niet inloggen op mijn account"),
    ("nl", "Het apparaat is ontploft, dit is gevaarlijk"),
]


@pytest.mark.parametrize(("language", "text"), URGENT)
def test_content_cues_make_it_urgent(language: str, text: str) -> None:
    result = urgency(text, language)
    assert result.level == "urgent", result.reasons
    assert result.score >= 0.75
    assert result.reasons and result.reasons[0] != "no urgency cues found"


@pytest.mark.parametrize(("language", "text"), [
    ("en", "I will forward this to my lawyer."),
    ("de", "Das ist Betrug, ich habe das nicht bestellt."),
    ("fr", "Je vais saisir le tribunal."),
    ("es", "Hay un cargo no autorizado en mi tarjeta."),
    ("it", "Mi rivolgerò a un avvocato."),
    ("nl", "Dit is oplichting."),
])
def test_legal_and_fraud_are_at_least_high(language: str, text: str) -> None:
    assert urgency(text, language).level in ("high", "urgent")


def test_time_pressure_on_top_of_fraud_is_urgent() -> None:
    result = urgency("Someone used my card, please block it today!", "en")
    assert result.level == "urgent"


@pytest.mark.parametrize(("language", "text"), [
    ("en", "How do I change my delivery address?"),
    ("de", "Wie kann ich meine Lieferadresse ändern?"),
    ("fr", "Comment puis-je changer mon adresse de livraison ?"),
    ("es", "¿Cómo puedo cambiar mi dirección de entrega?"),
    ("it", "Come posso cambiare il mio indirizzo di consegna?"),
    ("nl", "Hoe kan ik mijn bezorgadres wijzigen?"),
])
def test_plain_questions_are_low(language: str, text: str) -> None:
    assert urgency(text, language).level == "low"


def test_statement_without_cues_is_normal() -> None:
    result = urgency("I would like to update the invoice details on my account.", "en")
    assert result.level == "normal"
    assert result.reasons == ["no urgency cues found"]


@pytest.mark.parametrize(("text", "before", "after"), [
    ("How do I change my delivery address?", "low", "normal"),
    ("I would like to update the invoice details on my account.", "normal", "high"),
    ("I will forward this to my lawyer.", "high", "urgent"),
    ("Our website is down!", "urgent", "urgent"),
])
def test_vip_bumps_one_level(text: str, before: str, after: str) -> None:
    assert urgency(text, "en").level == before
    vip = urgency(text, "en", customer_tier="VIP")
    assert vip.level == after
    assert vip.features["tier_bump"] == 1.0
    if before != after:
        assert any("VIP" in reason for reason in vip.reasons)


def test_custom_tier_bumps() -> None:
    text = "I would like to update the invoice details on my account."
    assert urgency(text, "en", "free", tier_bumps={"free": -1}).level == "low"
    assert urgency(text, "en", "vip", tier_bumps={}).level == "normal"


def test_frustration_raises_priority() -> None:
    result = urgency("This is the third time I'm asking about my invoice.", "en")
    assert result.level == "high"
    assert result.features["frustration"] >= 0.5


def test_features_for_a_learnt_model() -> None:
    result = urgency("URGENT: our API is down", "en", customer_tier="vip")
    for key in ("cue_score", "cue_level", "tier_bump", "frustration", "question"):
        assert key in result.features
    assert result.features["cue_outage"] == 1.0
    assert level_for(result.score) == result.level
    assert [level_for(s) for s in (0.0, 0.3, 0.6, 0.99, 1.0)] == list(LEVELS) + ["urgent"]


def test_a_given_tone_is_the_one_used_and_matches_its_own() -> None:
    """Triage passes the tone it computed; the result must equal urgency's own."""
    from casework.triage.cues import scan
    from casework.triage.sentiment import SentimentResult, sentiment_of_scan

    text = "Where can I find my invoice?"
    own = sentiment_of_scan(scan(text, "en"))
    assert urgency(text, "en", tone=own) == urgency(text, "en")
    assert urgency(text, "en").level == "low"
    negative = SentimentResult("negative", -0.8, ["given"])
    assert urgency(text, "en", tone=negative).level == "normal"
