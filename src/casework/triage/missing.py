"""Missing information: what the intent needs that the customer did not give.

An order-status request without an order number cannot be answered; asking for it in
the first reply saves a round trip.  Fields are found by pattern (order numbers with a
keyword or an ``ORD-`` style prefix, email addresses, amounts with a currency, tracking
numbers), in six languages' wording, and also when the text was already redacted
(``<EMAIL_1>`` counts as an email being present).  Each missing field comes with a
polite clarifying question in the customer's language (English by default).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

ORDER_INTENTS = (
    "order_status",
    "delivery_problem",
    "return_request",
    "refund_request",
    "cancel_order",
    "change_address",
)
DEFAULT_REQUIRED: Mapping[str, tuple[str, ...]] = {
    **{intent: ("order_number",) for intent in ORDER_INTENTS},
    "account_access": ("email",),
}
# Useful but never asked for: a refund can be handled without the customer's figure.
DEFAULT_OPTIONAL: Mapping[str, tuple[str, ...]] = {"refund_request": ("amount",)}

QUESTIONS: Mapping[str, Mapping[str, str]] = {
    "order_number": {
        "en": "Could you please tell us your order number? You'll find it in your order "
        "confirmation email.",
        "de": "Könnten Sie uns bitte Ihre Bestellnummer mitteilen? Sie finden sie in Ihrer "
        "Bestellbestätigung.",
        "fr": "Pourriez-vous nous indiquer votre numéro de commande ? Il figure dans votre "
        "e-mail de confirmation.",
        "es": "¿Podría indicarnos su número de pedido? Lo encontrará en el correo de confirmación.",
        "it": "Potrebbe indicarci il numero d'ordine? Lo trova nell'e-mail di conferma.",
        "nl": "Kunt u ons uw bestelnummer laten weten? U vindt het in de "
        "bevestigingsmail van uw bestelling.",
    },
    "email": {
        "en": "Could you please tell us the email address linked to your account?",
        "de": "Könnten Sie uns bitte die E-Mail-Adresse Ihres Kontos nennen?",
        "fr": "Pourriez-vous nous indiquer l'adresse e-mail associée à votre compte ?",
        "es": "¿Podría indicarnos el correo electrónico asociado a su cuenta?",
        "it": "Potrebbe indicarci l'indirizzo e-mail associato al suo account?",
        "nl": "Kunt u ons het e-mailadres laten weten dat aan uw account gekoppeld is?",
    },
    "amount": {
        "en": "Could you tell us the amount concerned, including the currency?",
        "de": "Um welchen Betrag (mit Währung) geht es bitte?",
        "fr": "Pourriez-vous préciser le montant concerné, avec la devise ?",
        "es": "¿Podría indicarnos el importe, con la moneda?",
        "it": "Potrebbe indicarci l'importo, con la valuta?",
        "nl": "Om welk bedrag (met valuta) gaat het?",
    },
    "tracking_number": {
        "en": "Could you please share the tracking number from your shipping confirmation?",
        "de": "Könnten Sie uns bitte die Sendungsnummer aus Ihrer Versandbestätigung senden?",
        "fr": "Pourriez-vous nous transmettre le numéro de suivi de votre colis ?",
        "es": "¿Podría enviarnos el número de seguimiento del envío?",
        "it": "Potrebbe inviarci il numero di tracking della spedizione?",
        "nl": "Kunt u ons de track-and-trace-code van uw zending sturen?",
    },
}
_GENERIC = "Could you please tell us your {field}?"

_ORDER_WORD = (
    r"(?:order|orders|bestellung|bestellnummer|bestellnr|auftrag|auftragsnummer"
    r"|commande|cde|pedido|ordine|bestelling|bestelnummer|ordernummer|ordernr)"
)
_SENTENCE_END = r"(?!\.\s+(?-i:[A-Z]))"
_ORDER_KEYWORD = re.compile(
    rf"\b{_ORDER_WORD}\b(?:{_SENTENCE_END}[^\d\n?!]){{0,30}}?"
    r"#?\s*((?:[A-Z]{1,4}[-_]?)?\d[\d-]{3,}\d)\b",
    re.I,
)
_ORDER_PREFIXED = re.compile(r"\b((?:ORD|ORDER|BST|CMD|PED)[-_#]?\d{4,})\b", re.I)
_TRACKING_WORD = (
    r"(?:tracking|track(?:ing)?\s*(?:&|and|n)\s*trace|sendungs(?:nummer|nr)"
    r"|trackingnummer|suivi|seguimiento|spedizione|tracciamento|zendingnummer"
    r"|barcode|colis|paket(?:nummer)?|parcel|shipment)"
)
_TRACKING_KEYWORD = re.compile(
    rf"\b{_TRACKING_WORD}\b(?:{_SENTENCE_END}[^\d\n?!]){{0,30}}?"
    r"#?\s*([A-Z0-9]{0,4}\d[A-Z0-9]{7,30})\b",
    re.I,
)
_TRACKING_FORMATS = re.compile(
    r"\b(1Z[0-9A-Z]{16}|[A-Z]{2}\d{9}[A-Z]{2}|JJD\d{10,}|00\d{18}|9[2-5]\d{20})\b"
)
_EMAIL = re.compile(r"(?<![\w.+%-])[\w.+%-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,24}\b")
_EMAIL_PLACEHOLDER = re.compile(r"<EMAIL(?:_\d+)?>|\[EMAIL(?:_\d+)?\]", re.I)
_CURRENCIES = {
    "€": "EUR",
    "$": "USD",
    "£": "GBP",
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "usd": "USD",
    "dollar": "USD",
    "dollars": "USD",
    "gbp": "GBP",
    "pound": "GBP",
    "pounds": "GBP",
    "chf": "CHF",
    "fr.": "CHF",
}
_NUMBER = r"\d{1,3}(?:[.,\s]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?"
_AMOUNT = re.compile(
    rf"(?P<sym>[€$£]|\b(?:EUR|USD|GBP|CHF)\b)\s?(?P<num>{_NUMBER})(?![\d.,]*\d)"
    rf"|(?<![\w.,])(?P<num2>{_NUMBER})\s?(?P<cur>[€$£]|(?:EUR|USD|GBP|CHF|euros?|dollars?"
    r"|pounds?)\b)",
    re.I,
)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class MissingField:
    """A required field the message lacks and the question that asks for it."""

    field: str
    question: str


def _amount(text: str) -> str | None:
    """First amount as "<number> <ISO code>", e.g. "€49" → "49 EUR"."""
    for m in _AMOUNT.finditer(text):
        raw = (m.group("num") or m.group("num2")).replace(" ", "")
        currency = _CURRENCIES.get(
            (m.group("sym") or m.group("cur")).lower(), (m.group("sym") or m.group("cur")).upper()
        )
        last = max(raw.rfind("."), raw.rfind(","))
        decimals = last >= 0 and len(raw) - last - 1 in (1, 2)
        whole = raw[:last] if decimals else raw
        number = re.sub(r"[.,]", "", whole) + ("." + raw[last + 1 :] if decimals else "")
        try:
            return f"{Decimal(number)} {currency}"
        except InvalidOperation:
            continue
    return None


def extract_fields(text: str) -> dict[str, str]:
    """Order number, email, amount and tracking number found in ``text`` (first of each)."""
    return dict(_extract_fields(text))  # a copy: callers may add to it


@lru_cache(maxsize=1024)  # triage and routing both ask, about the same texts
def _extract_fields(text: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    tracking = _TRACKING_FORMATS.search(text) or _TRACKING_KEYWORD.search(text)
    if tracking:
        fields["tracking_number"] = tracking.group(1)
    for pattern in (_ORDER_PREFIXED, _ORDER_KEYWORD):
        for m in pattern.finditer(text):
            value = m.group(1)
            if value != fields.get("tracking_number") and not _DATE.match(value):
                fields["order_number"] = value
                break
        if "order_number" in fields:
            break
    email = _EMAIL.search(text) or _EMAIL_PLACEHOLDER.search(text)
    if email:
        fields["email"] = email.group(0)
    amount = _amount(text)
    if amount:
        fields["amount"] = amount
    return fields


def question_for(field_name: str, language: str | None = None) -> str:
    """The clarifying question for one field, in ``language`` when we have it."""
    code = (language or "en").lower().replace("_", "-").split("-")[0]
    texts = QUESTIONS.get(field_name)
    if texts is None:
        return _GENERIC.format(field=field_name.replace("_", " "))
    return texts.get(code, texts["en"])


def missing_information(
    text: str,
    intent: str,
    required: Mapping[str, Sequence[str]] | None = None,
    *,
    language: str | None = None,
    known: Mapping[str, object] | None = None,
) -> list[MissingField]:
    """Required fields for ``intent`` that neither the text nor ``known`` context supply.

    ``known`` holds what the pipeline already has (the requester's email, an order id
    from the helpdesk form), so the customer is never asked for it again.
    """
    needed = (DEFAULT_REQUIRED if required is None else required).get(intent, ())
    if not needed:
        return []
    present = extract_fields(text)
    have = {name for name, value in (known or {}).items() if value}
    return [
        MissingField(name, question_for(name, language))
        for name in needed
        if name not in present and name not in have
    ]
