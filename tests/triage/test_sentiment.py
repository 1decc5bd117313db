"""Sentiment (negation, intensifiers, politeness formulas) and the frustration flag."""

from __future__ import annotations

import pytest

from casework.triage.sentiment import frustration, lexicon, sentiment


@pytest.mark.parametrize(("language", "positive", "negated"), [
    ("en", "I am happy with the service.", "I am not happy with the service."),
    ("de", "Ich bin zufrieden mit dem Service.", "Ich bin nicht zufrieden mit dem Service."),
    ("fr", "Je suis satisfait du service.", "Je ne suis pas satisfait du service."),
    ("es", "Estoy contento con el servicio.", "No estoy contento con el servicio."),
    ("it", "Sono soddisfatto del servizio.", "Non sono soddisfatto del servizio."),
    ("nl", "Ik ben tevreden over de service.", "Ik ben niet tevreden over de service."),
])
def test_negation_flips_positive_words(language: str, positive: str, negated: str) -> None:
    assert sentiment(positive, language).label == "positive"
    result = sentiment(negated, language)
    assert result.label == "negative"
    assert any("negated" in reason for reason in result.reasons)


def test_negation_does_not_cross_punctuation() -> None:
    assert sentiment("No. I am happy now, great work", "en").label == "positive"


def test_negated_negative_is_only_faintly_positive() -> None:
    bad, not_bad = sentiment("The food was bad", "en"), sentiment("The food was not bad", "en")
    assert bad.label == "negative"
    assert 0 < not_bad.score < sentiment("The food was good", "en").score


def test_intensifier_strengthens_and_diminisher_softens() -> None:
    plain = sentiment("The delivery was bad", "en").score
    assert sentiment("The delivery was really very bad", "en").score < plain
    assert sentiment("The delivery was a bit bad", "en").score > plain


@pytest.mark.parametrize(("text", "language"), [
    ("Great service, thank you so much!", "en"),
    ("Vielen Dank, der Service war hervorragend!", "de"),
    ("Merci beaucoup, service impeccable !", "fr"),
    ("¡Muchas gracias, excelente servicio!", "es"),
    ("Grazie mille, servizio eccellente!", "it"),
    ("Hartelijk dank, uitstekende service!", "nl"),
])
def test_praise_is_positive(text: str, language: str) -> None:
    assert sentiment(text, language).label == "positive"


@pytest.mark.parametrize("text", [
    "Hello, could you tell me your opening hours? Kind regards, Anna",
    "Please update my billing address. Best regards",
])
def test_closing_formulas_are_not_sentiment(text: str) -> None:
    assert sentiment(text, "en").label == "neutral"


def test_complaint_outweighs_politeness() -> None:
    result = sentiment("Thanks for the reply, but my parcel is still missing.", "en")
    assert result.label == "negative"
    assert -1.0 <= result.score < 0


def test_language_unknown_uses_every_lexicon() -> None:
    assert sentiment("C'est vraiment nul, je suis très déçu", None).label == "negative"
    assert sentiment("", None).label == "neutral"


def test_modifiers_come_from_the_cue_files() -> None:
    assert lexicon("de").before("negators", ["das", "ist", "nicht"], 3) == 1
    assert lexicon("xx").before("negators", ["not"], 1) == 0


FRUSTRATED = [
    ("en", "This is the third time I'm writing and it still isn't fixed."),
    ("de", "Ich schreibe Ihnen zum dritten Mal, das ist eine Frechheit."),
    ("fr", "C'est la troisième fois que je vous écris, j'en ai marre."),
    ("es", "Es la tercera vez que escribo, estoy harto."),
    ("it", "È la terza volta che scrivo, è una vergogna."),
    ("nl", "Dit is de derde keer dat ik mail, belachelijk."),
]


@pytest.mark.parametrize(("language", "text"), FRUSTRATED)
def test_frustration_in_each_language(language: str, text: str) -> None:
    result = frustration(text, language)
    assert result.flag and result.score >= 0.5
    assert any(reason.startswith("repeated contact") for reason in result.reasons)


@pytest.mark.parametrize(("language", "text"), [
    ("en", "Hi, can you tell me when my order will ship? Thanks"),
    ("de", "Hallo, wann wird meine Bestellung versendet? Danke"),
    ("fr", "Bonjour, quand ma commande sera-t-elle expédiée ? Merci"),
    ("es", "Hola, ¿cuándo se enviará mi pedido? Gracias"),
    ("it", "Buongiorno, quando verrà spedito il mio ordine? Grazie"),
    ("nl", "Hallo, wanneer wordt mijn bestelling verzonden? Bedankt"),
])
def test_calm_messages_are_not_frustrated(language: str, text: str) -> None:
    result = frustration(text, language)
    assert not result.flag and result.score < 0.5


def test_human_request_reason_is_readable() -> None:
    result = frustration("I want to speak to a real person", "en")
    assert "asks for a human: 'speak to a real person'" in result.reasons
    assert not result.flag  # a polite request alone is not frustration


def test_signals_add_up() -> None:
    text = "I WANT TO SPEAK TO A REAL PERSON NOW!!!"
    result = frustration(text, "en")
    assert result.flag
    assert {"human_request", "shouting", "exclamations"} <= set(result.signals)


def test_shouting_needs_enough_words() -> None:
    assert "shouting" not in frustration("ORD-1234 status?", "en").signals
    assert "shouting" in frustration("WHERE IS MY ORDER", "en").signals


def test_history_counts() -> None:
    calm = "Any news on my refund?"
    assert not frustration(calm, "en").flag
    assert frustration(calm, "en", prior_contacts=2).flag
    assert "long_thread" in frustration(calm, "en", message_count=6).signals


@pytest.mark.parametrize(("text", "signal"), [
    ("If this isn't solved I'm going to a competitor.", "churn"),
    ("I'll be contacting my lawyer about this.", "legal"),
    ("This isn't helping at all.", "not_helping"),
    ("This is absolutely ridiculous.", "anger"),
])
def test_single_strong_signals_flag(text: str, signal: str) -> None:
    result = frustration(text, "en")
    assert result.flag and signal in result.signals
