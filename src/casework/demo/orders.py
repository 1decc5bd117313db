"""Nordhaven's catalogue, carriers and orders — the context tickets refer to.

The planted carrier change lives here: standard parcels shipped from the
switch date on go with SwiftPost instead of Parcelo, and SwiftPost is slower
and loses more parcels, which is what drives the "where is my order" spike.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from casework.demo.clock import REFERENCE_DATE
from casework.demo.people import Person
from casework.domain import Order

PRODUCTS: tuple[tuple[str, str], ...] = (
    ("Oak Side Table", "149.00"), ("Linen Duvet Cover", "89.90"),
    ("Ceramic Pour-Over Set", "39.90"), ("Cast Iron Skillet 28cm", "54.95"),
    ("Wool Throw Blanket", "79.00"), ("Fjord Desk Lamp", "64.50"),
    ("Brio Espresso Machine", "329.00"), ("Bamboo Bath Towel Set", "45.00"),
    ("Stoneware Dinner Plates (6)", "59.90"), ("Trail Backpack 30L", "119.00"),
    ("Ventura Rain Jacket", "139.00"), ("Glass Storage Jars (3)", "24.90"),
    ("Smart LED Bulb 3-pack", "34.99"), ("Cotton Bathrobe", "69.00"),
    ("Knife Block Set", "189.00"), ("Vento Air Fryer", "129.99"),
    ("Standing Mirror Arc", "169.00"), ("Outdoor Lantern", "39.00"),
    ("Natural Rubber Yoga Mat", "59.00"), ("Kids' Rain Boots", "34.90"),
    ("Merino Base Layer", "74.00"), ("Canvas Chef's Apron", "29.90"),
    ("Nord Wall Clock", "49.00"), ("Rattan Laundry Basket", "44.90"),
    ("Stål Electric Kettle", "79.90"), ("Bolt Bluetooth Speaker", "89.00"),
    ("Velvet Cushion Cover", "19.90"), ("Mini Camping Stove", "49.90"),
    ("Thermal Flask 750ml", "27.50"), ("Walnut Cutting Board", "42.00"),
    ("Linen Curtains (pair)", "99.00"), ("Ergo Office Chair", "249.00"),
)  # fmt: skip

STANDARD_BEFORE = "Parcelo"
STANDARD_AFTER = "SwiftPost"
EXPRESS = "Expressa"
EXPRESS_SHARE = 0.12


@dataclass(frozen=True)
class CarrierChange:
    """The planted change: standard shipping moves to another carrier on `at`."""

    at: datetime
    old: str = STANDARD_BEFORE
    new: str = STANDARD_AFTER


def _transit_days(rng: random.Random, carrier: str) -> float | None:
    """Days on the road; None for a parcel that never arrives."""
    if carrier == EXPRESS:
        return rng.uniform(0.8, 2.0)
    if carrier == STANDARD_AFTER:
        roll = rng.random()
        if roll < 0.05:
            return None
        return rng.uniform(7, 15) if roll < 0.35 else rng.uniform(3, 6)
    if rng.random() < 0.01:
        return None
    return rng.uniform(5, 9) if rng.random() < 0.06 else rng.uniform(1.8, 4)


def _tracking(rng: random.Random, carrier: str) -> str:
    digits = "".join(rng.choice("0123456789") for _ in range(12))
    if carrier == STANDARD_BEFORE:
        return f"PCL{digits[:9]}EU"
    if carrier == STANDARD_AFTER:
        return f"SP{digits}"
    return f"EX{digits[:10]}"


class OrderBook:
    """Creates unique order numbers and remembers every order it made."""

    def __init__(self, rng: random.Random, change: CarrierChange) -> None:
        self._rng = rng
        self.change = change
        self.orders: list[Order] = []
        self._numbers: set[str] = set()
        self._pending: list[Order] = []

    def _number(self) -> str:
        while True:
            number = f"ORD-{self._rng.randint(4_100_000, 4_999_999)}"
            if number not in self._numbers:
                self._numbers.add(number)
                return number

    def carrier_for(self, shipped_at: datetime) -> str:
        if self._rng.random() < EXPRESS_SHARE:
            return EXPRESS
        return self.change.new if shipped_at >= self.change.at else self.change.old

    def create(
        self,
        person: Person,
        placed_at: datetime,
        *,
        shipped_after: float | None = None,
        transit_days: float | None | str = "auto",
        carrier: str | None = None,
        status: str | None = None,
        returned_share: float = 0.0,
        cancelled: bool = False,
    ) -> Order:
        """Make an order; timestamps after the reference date are left unset."""
        rng = self._rng
        placed_at = placed_at.replace(microsecond=0)
        lines = rng.choices(PRODUCTS, k=rng.choices((1, 2, 3), weights=(6, 3, 1))[0])
        quantities = [1 if rng.random() < 0.85 else 2 for _ in lines]
        items: list[dict[str, object]] = [
            {"name": name, "quantity": quantity, "unit_price": price}
            for (name, price), quantity in zip(lines, quantities, strict=True)
        ]
        total = sum(
            (Decimal(price) * q for (_, price), q in zip(lines, quantities, strict=True)),
            Decimal(0),
        )
        if total < Decimal("49"):
            total += Decimal("4.95")  # shipping below the free-shipping threshold
        lag = shipped_after if shipped_after is not None else rng.uniform(0.3, 2.0)
        shipped = (placed_at + timedelta(days=lag)).replace(microsecond=0)
        chosen = carrier or self.carrier_for(shipped)
        transit = _transit_days(rng, chosen) if transit_days == "auto" else transit_days
        delivered = None
        if isinstance(transit, float):
            delivered = (shipped + timedelta(days=transit)).replace(microsecond=0)
        if cancelled:
            shipped, delivered = REFERENCE_DATE + timedelta(days=1), None
        computed = "cancelled" if cancelled else _status(placed_at, shipped, delivered)
        if computed == "delivered" and rng.random() < returned_share:
            computed = "returned"
        order = Order(
            order_number=self._number(),
            customer_external_id=person.external_id,
            status=status or computed,
            carrier=chosen,
            tracking_number=_tracking(rng, chosen) if shipped <= REFERENCE_DATE else None,
            total_amount=total,
            currency="EUR",
            created_at=placed_at,
            shipped_at=shipped if shipped <= REFERENCE_DATE else None,
            delivered_at=delivered if delivered and delivered <= REFERENCE_DATE else None,
            items=items,
        )
        self.orders.append(order)
        self._pending.append(order)
        return order

    def take_new(self) -> list[Order]:
        """Orders made since the last call, for writing in the current batch."""
        new, self._pending = self._pending, []
        return new


def _status(placed: datetime, shipped: datetime, delivered: datetime | None) -> str:
    if delivered is not None and delivered <= REFERENCE_DATE:
        return "delivered"
    if shipped <= REFERENCE_DATE:
        return "shipped"
    return "processing" if placed <= REFERENCE_DATE else "pending"


def background_orders(
    book: OrderBook, rng: random.Random, people: list[Person], count: int, start: datetime
) -> None:
    """Orders nobody wrote in about: most orders never become a ticket."""
    span = (REFERENCE_DATE - start).total_seconds()
    for _ in range(count):
        placed = start + timedelta(seconds=rng.uniform(0, span))
        book.create(rng.choice(people), placed.replace(microsecond=0), returned_share=0.06)


DAY = timedelta(days=1)


def order_for_ticket(
    book: OrderBook,
    rng: random.Random,
    person: Person,
    intent: str,
    topic: str | None,
    created: datetime,
) -> Order:
    """An order whose timeline fits what the customer is writing about."""
    if intent == "order_status" and topic == "carrier_delay":
        shipped = max(
            book.change.at + rng.uniform(0.1, 1.0) * DAY, created - rng.uniform(4, 9) * DAY
        )
        shipped = min(shipped, created - 0.5 * DAY)
        lag = rng.uniform(0.3, 1.5)
        waited = (created - shipped) / DAY
        transit = None if rng.random() < 0.1 else waited + rng.uniform(1, 8)
        return book.create(
            person,
            shipped - lag * DAY,
            shipped_after=lag,
            transit_days=transit,
            carrier=book.change.new,
        )
    if intent == "order_status":
        lag = rng.uniform(0.3, 1.5)
        placed = created - rng.uniform(3.5, 10) * DAY
        waited = (created - placed) / DAY - lag
        transit = None if rng.random() < 0.04 else waited + rng.uniform(0.3, 4)
        return book.create(person, placed, shipped_after=lag, transit_days=transit)
    if intent in (
        "delivery_problem",
        "return_request",
        "refund_request",
        "billing_question",
        "complaint",
    ):
        ago = rng.uniform(0.1, 3) if intent == "delivery_problem" else rng.uniform(2, 25)
        lag, transit = rng.uniform(0.3, 1.5), rng.uniform(1.8, 5)
        placed = created - (ago + transit + lag) * DAY
        returned = intent == "refund_request" and rng.random() < 0.7
        return book.create(
            person,
            placed,
            shipped_after=lag,
            transit_days=transit,
            status="returned" if returned else None,
        )
    if intent in ("cancel_order", "change_address"):
        placed = created - rng.uniform(0.02, 0.8) * DAY
        cancelled = intent == "cancel_order" and rng.random() < 0.7
        return book.create(person, placed, shipped_after=rng.uniform(0.5, 2.0), cancelled=cancelled)
    return book.create(person, created - rng.uniform(0.05, 6) * DAY)
