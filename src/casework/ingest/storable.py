"""Values the database would refuse, caught before a batch is written.

SQLite keeps a 300-character name in a VARCHAR(255) column; PostgreSQL refuses
it, and the whole batch with it. Checking the store's own column limits (read
from the tables, never copied), NUL characters (PostgreSQL text cannot hold
them) and unpaired surrogates (no driver can encode them) here means both
backends accept and refuse exactly the same rows, and the error names the
field instead of quoting a driver message.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from sqlalchemy import String

from casework.domain import Agent, Customer, FieldChange, Message, Queue, Ticket
from casework.store.repository import queue_key
from casework.store.tables import (
    AgentRow,
    Base,
    CustomerRow,
    FieldChangeRow,
    MessageRow,
    QueueRow,
    TicketRow,
)


def _limits(table: type[Base], model: type[BaseModel]) -> dict[str, int | None]:
    """Text columns that `model` fills → maximum length (None: unbounded, NUL check only)."""
    columns: Any = table.__table__.columns
    return {
        c.name: c.type.length
        for c in columns
        if isinstance(c.type, String) and c.name in model.model_fields
    }


TICKET = _limits(TicketRow, Ticket)
CUSTOMER = _limits(CustomerRow, Customer)
AGENT = _limits(AgentRow, Agent)
MESSAGE = _limits(MessageRow, Message)
CHANGE = _limits(FieldChangeRow, FieldChange)
QUEUE = _limits(QueueRow, Queue)


def storage_problems(ticket: Ticket) -> list[tuple[str, str]]:
    """(field, message) for every value of `ticket` that a backend would refuse."""
    problems: list[tuple[str, str]] = []
    _check(problems, "", ticket, TICKET)
    for i, tag in enumerate(ticket.tags):
        _check_value(problems, f"tags[{i}]", tag, None)
    for name, value in ticket.custom_fields.items():
        if isinstance(value, str):
            _check_value(problems, f"custom_fields.{name}", value, None)
    if ticket.queue:
        _check_value(problems, "queue", ticket.queue, QUEUE["name"])
        _check_value(problems, "queue", queue_key(ticket.queue), QUEUE["key"])
    if ticket.requester:
        _check(problems, "requester.", ticket.requester, CUSTOMER)
    if ticket.assignee:
        _check(problems, "assignee.", ticket.assignee, AGENT)
    for i, message in enumerate(ticket.messages):
        _check(problems, f"messages[{i}].", message, MESSAGE)
    for i, change in enumerate(ticket.changes):
        _check(problems, f"changes[{i}].", change, CHANGE)
    return problems


def _check(
    problems: list[tuple[str, str]], prefix: str, record: BaseModel, limits: dict[str, int | None]
) -> None:
    values = record.__dict__  # pydantic keeps field values here; getattr is much slower
    for name, limit in limits.items():
        value = values[name]
        if isinstance(value, str):
            _check_value(problems, prefix + name, value, limit)


def _check_value(
    problems: list[tuple[str, str]], field: str, value: str, limit: int | None
) -> None:
    if (limit is None or len(value) <= limit) and value.isascii() and "\x00" not in value:
        return  # the common case, decided in C
    if limit is not None and len(value) > limit:
        problems.append((field, f"{len(value)} characters; at most {limit} can be stored"))
    if "\x00" in value:
        problems.append((field, "contains a NUL character, which the database cannot store"))
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:  # e.g. "\ud800" escaped in JSON: not a character at all
            problems.append((field, "contains an unpaired surrogate, which is not valid text"))
