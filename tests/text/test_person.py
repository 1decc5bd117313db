"""Names found by their place in a message, in the six languages support teams write."""

from __future__ import annotations

import time

import pytest

from casework.text import person
from casework.text.pii import Redactor, detect_pii


def names(text: str) -> list[str]:
    return [s.text for s in detect_pii(text) if s.type == "PERSON"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Hi Anna,\n\nmy parcel is late.\n\nKind regards,\nAnna Schmidt",
            ["Anna", "Anna Schmidt"],
        ),
        ("Where is my order?\nThanks,\nJean-Luc O'Brien\n+49 30 1234567", ["Jean-Luc O'Brien"]),
        ("Refund please. Cheers, Conor McCarthy", ["Conor McCarthy"]),
        ("Hello, my name is Priya Patel and my card was charged twice.", ["Priya Patel"]),
        ("Voicemail transcript: Hello, Tom Baker here. Call me back.", ["Tom Baker"]),
        # German: a title before the name is not part of it
        (
            "Sehr geehrte Frau Müller,\n\ndanke.\n\nMit freundlichen Grüßen\nJan van der Berg",
            ["Müller", "Jan van der Berg"],
        ),
        ("Hallo, ich heiße Lukas Steiner und warte auf mein Paket.", ["Lukas Steiner"]),
        (
            "Bonjour Marie,\nmerci pour votre aide.\nCordialement,\nPierre Dupont",
            ["Marie", "Pierre Dupont"],
        ),
        ("Hola, soy Lucía Navarro. No puedo pagar.\nSaludos,\nLucía", ["Lucía Navarro", "Lucía"]),
        (
            "Buongiorno, mi chiamo Marco Rossi.\nCordiali saluti,\nMarco Rossi",
            ["Marco Rossi", "Marco Rossi"],
        ),
        (
            "Beste Sanne,\nuw pakket is onderweg.\nMet vriendelijke groet,\nSanne de Vries",
            ["Sanne", "Sanne de Vries"],
        ),
    ],
)
def test_names_after_greetings_closings_and_introductions(text: str, expected: list[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Hello Team,\nwhere is my parcel?\nBest Regards",
        "Dear Sir or Madam,\nplease cancel order ORD-1234567.\nThanks",
        "Hi there,\nthe app crashes on my iPhone 15.\nCheers",
        "Sehr geehrte Damen und Herren,\nmeine Bestellung fehlt.\nViele Grüße",
        "Je suis très déçu. Sono molto arrabbiato.",
        "Gentile servizio clienti,\nil pacco non è arrivato.",
        "This is Microsoft Teams crashing again. Microsoft support never answers.",
        "Hier ist Ihre Bestellnummer: 4711. Ihre Rechnung fehlt.",
        "Soy Cliente Premium desde 2019",
        "Hallo Zusammen,\nZusammen mit der Rechnung kam nichts.",
        "Liebes Support-Team,\ndie Lieferung fehlt.\nViele Grüße\nIhr Kundenservice-Team",
        "Merci,\nBonne Journée",
        "Danke!\nGesendet von Outlook",
        "Best regards,\nHead Office",
        "Dear Hiring Manager,",
        # after a greeting, "I am / it's / ich bin" + a capitalised word is rarely a name
        "Hello, it's Amazon again. Amazon lost my parcel.",
        "Hallo, ich bin Kunde seit 2019. Als Kunde erwarte ich mehr.",
        "Hello, I am German and my German bank card fails.",
        "Hi, it's Monday and still nothing.",
    ],
)
def test_greetings_teams_and_ordinary_capitalised_words_are_not_names(text: str) -> None:
    assert names(text) == []


def test_a_found_name_is_redacted_everywhere_in_the_text_with_one_placeholder() -> None:
    text = (
        "Thanks for your help!\n\nBest,\nAnna Schmidt\n\n"
        "> Hi Anna,\n> your refund was sent. Anna Schmidt's account is updated."
    )
    redacted, spans = Redactor().redact(text)
    assert "Anna" not in redacted
    assert redacted.count("<PERSON_1>") == 2  # the full name, both times
    assert redacted.count("<PERSON_2>") == 1  # the first name alone
    assert [s.type for s in spans] == ["PERSON"] * 3


def test_a_deployment_adds_its_company_name_to_the_not_names() -> None:
    text = "Hello Brightwave,\nmy invoice is wrong."
    assert names(text) == ["Brightwave"]
    person.add_not_names(["Brightwave"])
    try:
        assert names(text) == []
    finally:
        person._EXTRA_NOT_NAMES.discard("brightwave")


def test_a_name_in_running_prose_without_a_cue_is_not_found() -> None:
    # the documented limit of a cue-based finder without an entity model
    assert names("I spoke to Anna on the phone yesterday.") == []


def test_other_personal_data_wins_over_a_name() -> None:
    spans = detect_pii("Thanks,\nanna.schmidt@example.com")
    assert [s.type for s in spans] == ["EMAIL"]


def test_windows_line_endings_do_not_hide_a_signature() -> None:
    assert names("Thanks.\r\n\r\nKind regards,\r\nBob Jones\r\n") == ["Bob Jones"]


def test_a_span_is_the_text_as_written_even_with_a_lone_carriage_return() -> None:
    text = "Hi Anna\rSchmidt,\rthanks"
    (span,) = detect_pii(text)
    assert span.text == text[span.start : span.end] == "Anna\rSchmidt"
    assert span.normalized == "Anna Schmidt"


def test_a_name_that_is_also_a_word_is_redacted_only_where_a_cue_shows_it() -> None:
    redacted, _ = Redactor().redact("Hi Will,\nWill the refund arrive?\nThanks,\nWill")
    assert redacted == "Hi <PERSON_1>,\nWill the refund arrive?\nThanks,\n<PERSON_1>"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kind regards,\nDr. Anna Schmidt", ["Anna Schmidt"]),
        ("Kind regards,\n\n\nAnna", ["Anna"]),
        ("Kind regards\n-- \nAnna Schmidt", ["Anna Schmidt"]),
        ("Hello, this is Anna Berg calling about my order.", ["Anna Berg"]),
        ("Bonjour, c'est Julie Roux. Où en est ma commande ?", ["Julie Roux"]),
        # another person's hyphenated name is not cut in half
        ("Kind regards,\nAnna Schmidt\n\n> Anna-Maria wrote:", ["Anna Schmidt"]),
    ],
)
def test_signature_and_spoken_forms(text: str, expected: list[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "A." * 10_000 + " 1",
        "A-" * 10_000 + " 1",
        "Hi" + " " * 20_000,  # a greeting, then blanks: 40 s with "[ \t]*[,!]?[ \t]+"
        "Hi" + "\r" * 20_000,
        "Thanks" + " " * 20_000 + "\nAnna",
    ],
)
def test_long_adversarial_texts_are_scanned_in_linear_time(text: str) -> None:
    # a guard against catastrophic backtracking, not a speed target: they take under 0.1 s;
    # before the word-length bounds "A-"*10000 took 20 s and "A."*10000 3.6 s
    started = time.perf_counter()
    detect_pii(text)
    assert time.perf_counter() - started < 2.0
