"""Who a data-subject request is about: from what the person gave to ids and keyed hashes.

A request names an email, a phone or a customer id. The personal-data index turns the
first two into customer records and texts that mention them; the customer records add
the identifiers the person did not give (their phone when they gave their email), so one
request reaches everything that belongs to them. Only ids and hashes leave this module,
plus the raw identifiers the caller already holds (`needles`), kept in memory for
scrubbing and never written anywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from casework.privacy.hashing import hash_of, normalise, value_hash
from casework.store.tables import CustomerRow, PiiIndexRow, TicketRow


class SubjectError(ValueError):
    """The request names nobody, or names them in a form that cannot be looked up."""


@dataclass(frozen=True)
class SubjectQuery:
    email: str | None = None
    phone: str | None = None
    customer: str | None = None
    """A customer's database id or their `external_id` from the helpdesk."""

    def __post_init__(self) -> None:
        if not any(v and v.strip() for v in (self.email, self.phone, self.customer)):
            raise SubjectError("give --email, --phone or --customer")
        if self.email is not None and "@" not in self.email:
            raise SubjectError(f"--email {self.email!r} is not an email address")
        if self.phone is not None and len(re.sub(r"\D", "", self.phone)) < 6:
            raise SubjectError(f"--phone {self.phone!r} has too few digits for a phone number")


@dataclass
class Subject:
    """Everything a request resolved to: ids, hashes and (in memory only) raw values."""

    hashes: dict[str, str] = field(default_factory=dict)
    """value_hash -> kind, for every identifier of the person."""
    customer_ids: set[int] = field(default_factory=set)
    ticket_ids: set[int] = field(default_factory=set)
    message_ids: set[int] = field(default_factory=set)
    """Messages whose text mentions one of the person's identifiers (index hits)."""
    emails: set[str] = field(default_factory=set)
    phones: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)

    @property
    def found(self) -> bool:
        return bool(self.customer_ids or self.ticket_ids or self.message_ids)


def resolve(session: Session, key: bytes, query: SubjectQuery) -> Subject:
    """Look the person up by hash (twice: their records add identifiers they did not give)."""
    subject = Subject()
    if query.email:
        subject.emails.add(query.email.strip())
        subject.hashes[hash_of(key, "EMAIL", query.email)] = "EMAIL"
    if query.phone:
        subject.phones.add(query.phone.strip())
        subject.hashes[hash_of(key, "PHONE", query.phone)] = "PHONE"
    if query.customer:
        subject.customer_ids |= _customers_by_id(session, query.customer.strip())
        if not subject.customer_ids:
            raise SubjectError(f"no customer with id or external id {query.customer!r}")
    for _round in range(2):
        _lookup(session, subject)
        before = len(subject.hashes)
        _add_customer_identifiers(session, key, subject)
        if len(subject.hashes) == before:
            break
    _lookup(session, subject)
    if subject.customer_ids:
        subject.ticket_ids |= set(
            session.scalars(
                select(TicketRow.id).where(TicketRow.requester_id.in_(sorted(subject.customer_ids)))
            )
        )
    return subject


def _customers_by_id(session: Session, given: str) -> set[int]:
    cond = CustomerRow.external_id == given
    if given.isdigit() and int(given) < 2**31:
        cond = or_(cond, CustomerRow.id == int(given))
    return set(session.scalars(select(CustomerRow.id).where(cond)))


def _lookup(session: Session, subject: Subject) -> None:
    if not subject.hashes:
        return
    rows = session.execute(
        select(
            PiiIndexRow.object_type, PiiIndexRow.object_id, PiiIndexRow.ticket_id, PiiIndexRow.kind
        ).where(PiiIndexRow.value_hash.in_(sorted(subject.hashes)))
    )
    for object_type, object_id, ticket_id, kind in rows:
        if object_type == "customer":
            if kind != "NAME":  # a shared name alone does not make two people one
                subject.customer_ids.add(object_id)
        elif object_type == "message":
            subject.message_ids.add(object_id)
        if ticket_id is not None:
            subject.ticket_ids.add(ticket_id)


def _add_customer_identifiers(session: Session, key: bytes, subject: Subject) -> None:
    if not subject.customer_ids:
        return
    rows = session.execute(
        select(CustomerRow.email, CustomerRow.phone, CustomerRow.name).where(
            CustomerRow.id.in_(sorted(subject.customer_ids))
        )
    )
    for email, phone, name in rows:
        for kind, value, bucket in (
            ("EMAIL", email, subject.emails),
            ("PHONE", phone, subject.phones),
        ):
            if value and value.strip():
                bucket.add(value.strip())
                subject.hashes.setdefault(hash_of(key, kind, value), kind)
        if name and name.strip():
            subject.names.add(" ".join(name.split()))
            # Kept for the record of what was searched; _lookup ignores NAME hits.
            subject.hashes.setdefault(value_hash(key, "NAME", normalise("NAME", name)), "NAME")
