"""Who is in the demo helpdesk: customers, the support team and its queues."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import accumulate

from casework.demo import pii
from casework.demo.clock import REFERENCE_DATE
from casework.demo.names import AGENTS, COUNTRIES, Country
from casework.domain import Agent, Customer, Queue

COMPANY = "Nordhaven"
COMPANY_DOMAIN = "nordhaven.example"

QUEUES: tuple[tuple[str, str, str], ...] = (
    ("orders-delivery", "Orders & Delivery", "Order status, shipping, delivery problems, changes."),
    ("billing", "Billing", "Invoices, payments, double charges, promo codes and gift cards."),
    ("returns-refunds", "Returns & Refunds", "Return labels, refunds, exchanges."),
    ("account", "Account", "Logins, password resets, account deletion and data requests."),
    ("technical", "Technical", "Website and app bugs, checkout errors."),
    ("complaints", "Complaints", "Complaints, escalations, legal and press threats."),
)
QUEUE_NAMES = {key: name for key, name, _ in QUEUES}


@dataclass(frozen=True)
class Person:
    """A demo customer with what the generator needs beyond the stored record."""

    external_id: str
    first_name: str
    last_name: str
    email: str
    phone_forms: tuple[str, ...]  # one number, several ways of writing it; last is E.164
    country: Country
    language: str
    tier: str
    since_days: int

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def home_address(self) -> str:
        """Stable per customer: derived from the id, not from the shared random stream."""
        return pii.address(random.Random(self.external_id), self.country)

    def record(self) -> Customer:
        since = (REFERENCE_DATE - timedelta(days=self.since_days)).date().isoformat()
        return Customer(
            external_id=self.external_id,
            name=self.name,
            email=self.email,
            phone=self.phone_forms[-1],
            tier=self.tier,
            language=self.language,
            attributes={"country": self.country.code, "customer_since": since},
        )


@dataclass(frozen=True)
class SupportAgent:
    external_id: str
    name: str
    queue: str
    lead: bool

    @property
    def first_name(self) -> str:
        return self.name.split(" ")[0]

    def record(self) -> Agent:
        slug = pii.ascii_slug(self.name).replace(" ", ".")
        return Agent(
            external_id=self.external_id,
            name=self.name,
            email=f"{slug}@{COMPANY_DOMAIN}",
            queue=self.queue,
        )


@dataclass
class Team:
    agents: list[SupportAgent]
    by_queue: dict[str, list[SupportAgent]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for agent in self.agents:
            self.by_queue.setdefault(agent.queue, []).append(agent)

    def lead(self, queue: str) -> SupportAgent:
        return self.by_queue[queue][0]

    def pick(self, rng: random.Random, queue: str) -> SupportAgent:
        """Leads take fewer tickets than the rest of their team."""
        members = self.by_queue[queue]
        weights = [0.5 if a.lead else 1.0 for a in members]
        return rng.choices(members, weights=weights)[0]

    def queues(self) -> list[Queue]:
        return [
            Queue(key=key, name=name, description=text, owner=self.lead(key).name)
            for key, name, text in QUEUES
        ]


def build_team() -> Team:
    agents: list[SupportAgent] = []
    seen: set[str] = set()
    for n, (name, queue) in enumerate(AGENTS, start=1):
        agents.append(SupportAgent(f"agent-{n:02d}", name, queue, lead=queue not in seen))
        seen.add(queue)
    return Team(agents)


def build_customers(rng: random.Random, count: int) -> list[Person]:
    countries = list(COUNTRIES)
    weights = [c.share for c in countries]
    people: list[Person] = []
    for n in range(1, count + 1):
        country = rng.choices(countries, weights=weights)[0]
        first, last = rng.choice(country.first_names), rng.choice(country.last_names)
        language = country.language if rng.random() < country.native_share else "en"
        tier = rng.choices(("standard", "plus", "vip"), weights=(80, 15, 5))[0]
        people.append(
            Person(
                external_id=f"cust-{n:05d}",
                first_name=first,
                last_name=last,
                email=pii.email(rng, first, last, country.code),
                phone_forms=pii.phone_formats(rng, country),
                country=country,
                language=language,
                tier=tier,
                since_days=rng.randint(20, 2200),
            )
        )
    return people


class RequesterPicker:
    """Draws requesters so that most write once and a few write again and again."""

    def __init__(self, rng: random.Random, people: list[Person]) -> None:
        self._rng = rng
        self._people = people
        weights = [min(6.0, rng.paretovariate(1.6)) for _ in people]
        self._cumulative = list(accumulate(weights))

    def pick(self) -> Person:
        return self._rng.choices(self._people, cum_weights=self._cumulative)[0]
