"""Missing information: field extraction and clarifying questions."""

from __future__ import annotations

import pytest

from casework.triage.missing import (
    DEFAULT_REQUIRED,
    QUESTIONS,
    extract_fields,
    missing_information,
    question_for,
)


@pytest.mark.parametrize(("text", "order_number"), [
    ("Where is my order ORD-1234567?", "ORD-1234567"),
    ("order #12345678 has not arrived", "12345678"),
    ("My order number 58213377 is late", "58213377"),
    ("Order no. 4455667: wrong size", "4455667"),
    ("Bestellnummer 123456 ist nicht angekommen", "123456"),
    ("Meine Bestellung Nr. 7788990 fehlt", "7788990"),
    ("Ma commande n° 123456 est en retard", "123456"),
    ("Mi pedido número 246810 no ha llegado", "246810"),
    ("L'ordine n. 135791 non è arrivato", "135791"),
    ("Mijn bestelnummer is 998877", "998877"),
])
def test_order_numbers_are_extracted(text: str, order_number: str) -> None:
    assert extract_fields(text)["order_number"] == order_number


@pytest.mark.parametrize("text", [
    "Where is my order?",
    "My order from 2024-03-12 has not arrived",
    "I ordered 3 items. Call me on 0612345678",
    "Order 12 boxes please",
])
def test_no_order_number_without_one(text: str) -> None:
    assert "order_number" not in extract_fields(text)


@pytest.mark.parametrize(("text", "amount"), [
    ("I was charged 129.99 EUR", "129.99 EUR"),
    ("It cost €49", "49 EUR"),
    ("refund the $20 please", "20 USD"),
    ("Ich habe 1.299,00 € bezahlt", "1299.00 EUR"),
    ("£5.5 fee", "5.5 GBP"),
    ("ze kostten 35 euro", "35 EUR"),
])
def test_amounts_with_currency(text: str, amount: str) -> None:
    assert extract_fields(text)["amount"] == amount


def test_email_and_tracking_number() -> None:
    fields = extract_fields("Tracking number 1Z999AA10123456784, email jane.doe+x@example.co.uk, "
                            "order 4455667")
    assert fields["tracking_number"] == "1Z999AA10123456784"
    assert fields["email"] == "jane.doe+x@example.co.uk"
    assert fields["order_number"] == "4455667"
    assert extract_fields("Sendungsnummer JJD0123456789012")["tracking_number"] \
        == "JJD0123456789012"


def test_redacted_email_counts_as_present() -> None:
    assert extract_fields("my email is <EMAIL_1>")["email"] == "<EMAIL_1>"
    assert not missing_information("I can't log in, my address is <EMAIL_1>", "account_access")


def test_missing_order_number_for_order_status_asks_for_it() -> None:
    missing = missing_information("Hi, where is my order? It has not arrived.", "order_status")
    assert [m.field for m in missing] == ["order_number"]
    assert "order number" in missing[0].question
    assert missing[0].question == QUESTIONS["order_number"]["en"]


def test_present_order_number_is_not_asked_for() -> None:
    assert missing_information("Where is order ORD-1234567?", "order_status") == []


@pytest.mark.parametrize("intent", sorted(DEFAULT_REQUIRED))
def test_default_requirements(intent: str) -> None:
    missing = missing_information("Hello, I need help please.", intent)
    assert [m.field for m in missing] == list(DEFAULT_REQUIRED[intent])


def test_refund_amount_is_optional_and_account_access_needs_email() -> None:
    assert [m.field for m in missing_information("Refund order 12345678", "refund_request")] \
        == []
    assert [m.field for m in missing_information("I cannot log in", "account_access")] \
        == ["email"]
    assert missing_information("I cannot log in", "account_access",
                               known={"email": "jane@example.com"}) == []


@pytest.mark.parametrize(("language", "word"), [
    ("de", "Bestellnummer"), ("fr", "numéro de commande"), ("es", "número de pedido"),
    ("it", "numero d'ordine"), ("nl", "bestelnummer"), ("en-GB", "order number"),
    ("pt", "order number"),
])
def test_questions_in_the_customers_language(language: str, word: str) -> None:
    missing = missing_information("?", "order_status", language=language)
    assert word in missing[0].question


def test_custom_requirements_and_unknown_intents() -> None:
    required = {"warranty_claim": ["order_number", "serial_number"]}
    missing = missing_information("Order 12345678 broke", "warranty_claim", required)
    assert [m.field for m in missing] == ["serial_number"]
    assert missing[0].question == "Could you please tell us your serial number?"
    assert missing_information("anything", "small_talk") == []
    assert question_for("email", "nl").startswith("Kunt u")
