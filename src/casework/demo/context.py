"""The facts one ticket's messages can mention, made the first time they are used.

A conversation fills many templates; every `{card}` in it must be the same
card number and every `{order}` the same order. `TicketContext` is the
mapping templates are filled from: values are created lazily (an order only
exists if some message refers to it) and then kept for the whole ticket.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from decimal import Decimal

from casework.demo import pii
from casework.demo.fragments import Piece
from casework.demo.orders import PRODUCTS
from casework.demo.people import COMPANY, Person
from casework.domain import Order

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip
COUNTRY_NAMES = {"DE": "Germany", "GB": "the UK", "FR": "France", "NL": "the Netherlands",
                 "ES": "Spain", "IT": "Italy", "AT": "Austria", "BE": "Belgium",
                 "IE": "Ireland", "SE": "Sweden"}  # fmt: skip
LOCAL_COUNTRY_NAMES = {"de": "Deutschland", "fr": "France", "es": "España", "it": "Italia",
                       "nl": "Nederland"}  # fmt: skip
PROMO_CODES = ("WELCOME10", "AUTUMN20", "NORD15", "FREESHIP", "BLACKWEEK25", "THANKYOU5",
               "NEWSLETTER10", "HOME20")  # fmt: skip
DEVICES = ("iPhone 13", "iPhone 15", "Samsung Galaxy S22", "Pixel 7", "iPad Air",
           "Xiaomi Redmi Note 12", "OnePlus 11")  # fmt: skip
BROWSERS = ("Chrome", "Firefox", "Safari", "Edge")
GIFT_AMOUNTS = ("25", "30", "50", "75", "100")


SLOTS = frozenset(
    {
        "name", "first_name", "email", "phone", "address", "new_address", "card", "iban", "ip",
        "order", "tracking", "carrier", "days", "order_date", "ship_date", "amount", "product",
        "gift_amount", "invoice", "code", "device", "browser", "app_version", "country_name",
        "company", "previous_ticket", "agent_name", "agent_first", "queue",
    }
)  # fmt: skip
"""Every `{slot}` a template may use."""


def format_amount(rng: random.Random, value: Decimal, language: str) -> str:
    text = f"{value:.2f}"
    if language == "en":
        return rng.choice((f"{text} EUR", f"€{text}", f"EUR {text}", f"{text} euros"))
    comma = text.replace(".", ",")
    return rng.choice((f"{comma} €", f"{comma} EUR", f"€{comma}"))


def format_date(moment: datetime, language: str) -> str:
    if language == "en":
        return f"{moment.day} {MONTHS[moment.month - 1]}"
    if language in ("de", "nl"):
        return f"{moment:%d.%m.}"
    return f"{moment:%d/%m}"


class TicketContext(Mapping[str, Piece]):
    """Slot name → value piece for every template of one ticket."""

    def __init__(
        self,
        rng: random.Random,
        person: Person,
        language: str,
        created_at: datetime,
        make_order: Callable[[], Order],
        previous_ticket: str | None = None,
    ) -> None:
        self._rng = rng
        self.person = person
        self.language = language
        self.created_at = created_at
        self._make_order = make_order
        self.order: Order | None = None
        self._values: dict[str, Piece] = {}
        self._extra: dict[str, Piece] = {"previous_ticket": Piece(previous_ticket or "")}

    def ensure_order(self) -> Order:
        if self.order is None:
            self.order = self._make_order()
        return self.order

    def set_plain(self, **values: str) -> None:
        """Per-message wording such as the replying agent's name."""
        self._extra.update({k: Piece(v) for k, v in values.items()})

    def __getitem__(self, key: str) -> Piece:
        if key in self._extra:
            return self._extra[key]
        if key not in self._values:
            self._values[key] = self._make(key)
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def _make(self, key: str) -> Piece:
        rng, person = self._rng, self.person
        if key == "name":
            return Piece(person.name, "person")
        if key == "first_name":
            return Piece(person.first_name, "person")
        if key == "email":
            return Piece(person.email, "email")
        if key == "phone":
            return Piece(rng.choice(person.phone_forms), "phone")
        if key == "address":
            return Piece(person.home_address, "address")
        if key == "new_address":
            moved = pii.address(rng, person.country)
            while moved == person.home_address:
                moved = pii.address(rng, person.country)
            return Piece(moved, "address")
        if key == "card":
            return Piece(pii.card_number(rng), "card_number")
        if key == "iban":
            return Piece(pii.iban(rng, person.country.code), "iban")
        if key == "ip":
            return Piece(pii.ip_address(rng), "ip_address")
        if key in ("order", "tracking", "carrier", "days", "order_date", "ship_date", "amount"):
            return self._order_fact(key)
        if key == "product":
            order = self.order
            return Piece(order.items[0]["name"] if order else rng.choice(PRODUCTS)[0])
        if key == "gift_amount":
            value = rng.choice(GIFT_AMOUNTS)
            return Piece(format_amount(rng, Decimal(value), self.language), "amount")
        if key == "invoice":
            return Piece(f"INV-2026-{rng.randint(100000, 999999)}", "invoice_number")
        if key == "code":
            return Piece(rng.choice(PROMO_CODES))
        if key == "device":
            return Piece(rng.choice(DEVICES))
        if key == "browser":
            return Piece(rng.choice(BROWSERS))
        if key == "app_version":
            return Piece(f"4.{rng.randint(8, 14)}.{rng.randint(0, 3)}")
        if key == "country_name":
            local = LOCAL_COUNTRY_NAMES.get(self.language)
            return Piece(local or COUNTRY_NAMES.get(person.country.code, "Germany"))
        if key == "company":
            return Piece(COMPANY)
        raise KeyError(key)

    def _order_fact(self, key: str) -> Piece:
        order = self.ensure_order()
        if key == "order":
            return Piece(order.order_number, "order_number")
        if key == "tracking":
            # A return parcel or a not-yet-shipped order still gets a plausible number.
            number = order.tracking_number or f"SP{self._rng.randint(10**11, 10**12 - 1)}"
            return Piece(number, "tracking_number")
        if key == "carrier":
            return Piece(order.carrier or "Parcelo")
        if key == "days":
            return Piece(str(max(1, (self.created_at - order.created_at).days)))
        if key == "order_date":
            return Piece(format_date(order.created_at, self.language))
        if key == "ship_date":
            return Piece(format_date(order.shipped_at or order.created_at, self.language))
        total = order.total_amount or Decimal("49.90")
        return Piece(format_amount(self._rng, total, self.language), "amount")
