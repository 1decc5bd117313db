"""Language detection on hand-written support messages, and "und" when there is too little."""

from __future__ import annotations

import pytest

from casework.text.language import (
    DEFAULT_LANGUAGES,
    MAX_CHARS,
    LanguageGuess,
    LanguageIdentifier,
    default_identifier,
    detect_language,
)

SENTENCES = {
    "en": [
        "Hi, my package still hasn't arrived and the tracking page hasn't changed in a week.",
        "I was charged twice for the same order, can you refund one of the payments?",
        "Please cancel my subscription before the next billing date.",
    ],
    "de": [
        "Hallo, mein Paket ist immer noch nicht angekommen, obwohl es letzte Woche "
        "verschickt wurde.",
        "Ich wurde für dieselbe Bestellung zweimal belastet, bitte erstatten Sie mir das Geld.",
        "Bitte kündigen Sie mein Abonnement zum nächstmöglichen Termin.",
    ],
    "fr": [
        "Bonjour, mon colis n'est toujours pas arrivé et le suivi ne bouge plus depuis lundi.",
        "J'ai été débité deux fois pour la même commande, pouvez-vous me rembourser ?",
        "Je voudrais annuler mon abonnement avant le prochain prélèvement.",
    ],
    "es": [
        "Hola, mi paquete todavía no ha llegado y el seguimiento no se actualiza desde hace días.",
        "Me han cobrado dos veces el mismo pedido, ¿pueden devolverme uno de los pagos?",
        "Quiero darme de baja de la suscripción antes de la próxima factura.",
    ],
    "it": [
        "Buongiorno, il mio pacco non è ancora arrivato e il tracciamento è fermo da giorni.",
        "Mi avete addebitato due volte lo stesso ordine, potete rimborsarmi?",
        "Vorrei disdire il mio abbonamento prima del prossimo rinnovo.",
    ],
    "nl": [
        "Hallo, mijn pakket is nog steeds niet aangekomen en de track en trace staat stil.",
        "Ik ben twee keer gefactureerd voor dezelfde bestelling, kunt u één betaling "
        "terugstorten?",
        "Ik wil mijn abonnement opzeggen voor de volgende betaling.",
    ],
}


@pytest.mark.parametrize(
    ("code", "text"), [(code, text) for code, texts in SENTENCES.items() for text in texts]
)
def test_detects_support_messages(code: str, text: str) -> None:
    guess = detect_language(text)
    assert guess.code == code
    assert 0.5 < guess.confidence <= 1.0


@pytest.mark.parametrize(
    "text", ["", "   ", "ok", "Hi", "?!", "12345", "#58213377", "<EMAIL_1>", "https://x.io/a/b"]
)
def test_too_little_text_is_undetermined(text: str) -> None:
    assert detect_language(text) == LanguageGuess("und", 0.0)


def test_noise_is_ignored() -> None:
    text = "Bitte an <EMAIL_1> schicken, Bestellung {{Order Number}} https://shop.example/x/1"
    assert detect_language(text).code == "de"


def test_detector_is_built_once_per_configuration() -> None:
    assert default_identifier() is default_identifier()
    a = LanguageIdentifier(["de", "en"])
    b = LanguageIdentifier(["EN", "de"])
    assert a.languages == b.languages == ("de", "en")
    assert a._model is b._model


def test_restricted_language_set() -> None:
    only = LanguageIdentifier(["en", "de"])
    assert only.detect(SENTENCES["fr"][0]).code in {"en", "de"}  # French is not a candidate
    assert detect_language(SENTENCES["de"][1], languages=["en", "de"]).code == "de"
    with pytest.raises(ValueError):
        LanguageIdentifier(["en"])


def test_min_confidence_turns_weak_guesses_into_und() -> None:
    strict = LanguageIdentifier(DEFAULT_LANGUAGES, min_confidence=0.99)
    assert strict.detect("edit order 00123842").code == "und"
    assert strict.detect(SENTENCES["de"][2]).code == "de"


def test_batch_matches_single_calls() -> None:
    texts = [t for ts in SENTENCES.values() for t in ts] + ["", "ok", "edit order 00123842"]
    ident = default_identifier()
    assert ident.detect_batch(texts) == [ident.detect(t) for t in texts]
    assert ident.detect_batch([]) == []


def test_only_the_opening_is_read() -> None:
    """The language a ticket opens in decides: a long quoted reply below does not."""
    opening = (
        "Hello, my order has not arrived yet and the tracking page has not changed "
        "for a week. Could you please check with the carrier and tell me when it will come? "
    )
    quoted = (
        "Sehr geehrte Kundin, vielen Dank für Ihre Nachricht. Wir haben Ihre Bestellung "
        "geprüft und das Paket ist unterwegs. "
    ) * 6
    assert len(opening) < MAX_CHARS < len(opening + quoted)
    assert detect_language(opening + quoted).code == "en"
    assert detect_language(quoted).code == "de"
