"""One Fivetran Zendesk row → the values casework stages, or why it cannot be.

Each reader checks one table's row the way the ticket importers check a
ticket (required values, dates, known statuses, what the store's columns can
hold, no NUL characters, which PostgreSQL text cannot contain) and returns a
tuple in its staging table's column order, or the row's errors naming the
file, line and column. They are plain functions over plain dicts because the
ticket-field-history table of a big account has tens of millions of rows:
every microsecond here is ten seconds of import.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from casework.domain import Priority, TicketStatus
from casework.ingest.base import RowError
from casework.ingest.records import NOT_UTF8
from casework.ingest.values import parse_datetime
from casework.ingest.zendesk import CHANGE_FIELDS, CHANNELS
from casework.store.repository import queue_key
from casework.store.tables import AgentRow, CustomerRow, FieldChangeRow, TicketRow

STATUSES = frozenset(s.value for s in TicketStatus)
PRIORITIES = frozenset(p.value for p in Priority)
HISTORY_STATUSES = STATUSES | {"deleted"}
"""A ticket's history may end in `deleted` (the ticket itself is then skipped)."""
TRUE = frozenset({"true", "t", "1", "yes", "y"})
FALSE = frozenset({"false", "f", "0", "no", "n"})


def _length(table: Any, column: str) -> int:
    return int(table.__table__.columns[column].type.length)


ID_MAX = _length(TicketRow, "external_id")
TYPE_MAX = _length(TicketRow, "type")
CHANNEL_MAX = _length(TicketRow, "channel")
NAME_MAX = _length(CustomerRow, "name")
EMAIL_MAX = _length(CustomerRow, "email")
PHONE_MAX = _length(CustomerRow, "phone")
AGENT_NAME_MAX = _length(AgentRow, "name")
VALUE_MAX = _length(FieldChangeRow, "new_value")


class Problems:
    """The errors of one row, named as the input names its columns."""

    __slots__ = ("errors", "label", "line")

    def __init__(self, label: str, line: int) -> None:
        self.label = label
        self.line = line
        self.errors: list[RowError] = []

    def add(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.label, self.line, column, message))

    def text(self, row: Mapping[str, str], column: str, limit: int | None = None) -> str | None:
        value = row.get(column)
        if not value:
            return None
        if "\x00" in value:
            self.add(column, "contains a NUL character, which the database cannot store")
            return None
        if "\ufffd" in value:
            self.add(column, NOT_UTF8)
            return None
        if limit is not None and len(value) > limit:
            self.add(column, f"{len(value)} characters; at most {limit} can be stored")
            return None
        return value

    def ident(self, row: Mapping[str, str], column: str, *, required: bool = False) -> str | None:
        before = len(self.errors)
        value = self.text(row, column, ID_MAX)
        value = value.strip() if value else None
        if value and value.endswith(".0") and value[:-2].isdigit():
            value = value[:-2]  # a warehouse that wrote an integer id as a float
        if value is None and required and len(self.errors) == before:
            self.add(column, "missing; every row needs one")
        return value

    def when(self, row: Mapping[str, str], column: str, *, required: bool = False) -> Any:
        value = row.get(column)
        if not value or not value.strip():
            if required:
                self.add(column, "missing; a date and time is required")
            return None
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            try:
                moment = parse_datetime(value)
            except ValueError as exc:
                self.add(column, str(exc))
                return None
        if moment.tzinfo is None:
            return moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC)

    def flag(self, row: Mapping[str, str], column: str, default: bool) -> bool:
        value = (row.get(column) or "").strip().lower()
        if not value:
            return default
        if value in TRUE:
            return True
        if value in FALSE:
            return False
        self.add(column, f"expected true or false, got {row[column]!r}")
        return default

    def choice(self, row: Mapping[str, str], column: str, known: frozenset[str]) -> str | None:
        value = (row.get(column) or "").strip().lower()
        if not value:
            return None
        if value not in known:
            choices = ", ".join(sorted(known))
            self.add(column, f"unknown value {row[column]!r}; expected one of: {choices}")
            return None
        return value


def deleted(row: Mapping[str, str]) -> bool:
    """Fivetran keeps rows deleted in Zendesk, flagged `_fivetran_deleted`."""
    return (row.get("_fivetran_deleted") or "").strip().lower() in TRUE


def named_thing(label: str, line: int, row: Mapping[str, str]) -> tuple[str, str] | Problems:
    """A `group` or `organization` row → (id, name)."""
    p = Problems(label, line)
    ident = p.ident(row, "id", required=True)
    name = p.text(row, "name", NAME_MAX)
    if p.errors or ident is None:
        return p
    return ident, name or ident


def user(
    label: str, line: int, row: Mapping[str, str], organizations: Mapping[str, str]
) -> tuple[Any, ...] | Problems:
    """A `user` row → (line, id, name, email, phone, role, organization name)."""
    p = Problems(label, line)
    ident = p.ident(row, "id", required=True)
    name = p.text(row, "name", min(NAME_MAX, AGENT_NAME_MAX))
    email = p.text(row, "email", EMAIL_MAX)
    phone = p.text(row, "phone", PHONE_MAX)
    role = (row.get("role") or "").strip().lower() or None
    org = p.ident(row, "organization_id")
    if p.errors:
        return p
    return (line, ident, name, email, phone, role, organizations.get(org) if org else None)


def group_queue(group_id: str | None, groups: Mapping[str, str]) -> tuple[str | None, str | None]:
    """(queue key, queue name) of a Zendesk group, as the Zendesk importer names it."""
    if not group_id:
        return None, None
    name = groups.get(group_id, f"zendesk-group-{group_id}")
    return queue_key(name), name


def ticket(
    label: str, line: int, row: Mapping[str, str], groups: Mapping[str, str]
) -> tuple[Any, ...] | Problems | None:
    """A `ticket` row → its staging tuple; None for a ticket deleted in Zendesk.

    Columns: `id`, `created_at` (required), `updated_at`, `subject`,
    `description`, `status`, `priority`, `type`, `requester_id`,
    `assignee_id`, `group_id`, `via_channel`. The tuple ends with a hash of
    every stored value, so an unchanged ticket is recognised without reading
    its stored row.
    """
    if deleted(row):
        return None
    p = Problems(label, line)
    ident = p.ident(row, "id", required=True)
    created = p.when(row, "created_at", required=True)
    updated = p.when(row, "updated_at")
    status = p.choice(row, "status", STATUSES | {"deleted"}) or "new"
    if status == "deleted":
        return None
    priority = p.choice(row, "priority", PRIORITIES)
    subject = p.text(row, "subject") or ""
    description = p.text(row, "description")
    kind = p.text(row, "type", TYPE_MAX)
    channel = p.text(row, "via_channel", CHANNEL_MAX)
    requester = p.ident(row, "requester_id")
    assignee = p.ident(row, "assignee_id")
    key, queue = group_queue(p.ident(row, "group_id"), groups)
    if p.errors:
        return p
    channel = CHANNELS.get(channel, channel) if channel else None
    values = (ident, subject, description, status, priority, kind, channel, key, queue)
    people = (requester, assignee, created, updated)
    digest = hashlib.sha256(repr(values + people).encode()).hexdigest()
    return (line, *values, *people, digest)


def history(
    label: str, line: int, row: Mapping[str, str], groups: Mapping[str, str]
) -> tuple[Any, ...] | Problems | None:
    """A `ticket_field_history` row → (line, ticket_id, field, value, changed_at, actor).

    Only status, priority, assignee and group changes are history casework
    keeps (None for the other fields, which are not errors). A group id
    becomes the group's name, as in the Zendesk importer.
    """
    name = CHANGE_FIELDS.get((row.get("field_name") or "").strip())
    if name is None:
        return None
    p = Problems(label, line)
    ticket_id = p.ident(row, "ticket_id", required=True)
    changed_at = p.when(row, "updated", required=True)
    value = row.get("value") or None
    if value is not None:
        if name == "status":
            value = p.choice(row, "value", HISTORY_STATUSES)
        elif name == "priority":
            value = p.choice(row, "value", PRIORITIES)
        else:
            value = p.ident(row, "value")
            if name == "group" and value:
                value = groups.get(value, f"zendesk-group-{value}")
            elif value and len(value) > VALUE_MAX:
                p.add("value", f"{len(value)} characters; at most {VALUE_MAX} can be stored")
    actor = p.ident(row, "user_id")
    if p.errors:
        return p
    return (line, ticket_id, name, value, changed_at, actor)


def history_reader(header: list[str]) -> Callable[[int, list[str]], tuple[Any, ...] | None]:
    """The fast path of `history` for a table with this header: well-formed rows only.

    Returns the staging tuple for a row that is plainly valid (numeric ids, an
    ISO date and time, a known status or priority, or a numeric assignee id),
    and None for anything else, which the caller hands to `history` for the
    full checks and their messages (or to be ignored, for other fields). Ten
    million history rows make the difference worth it.
    """
    i_field, i_ticket = header.index("field_name"), header.index("ticket_id")
    i_updated, i_value = header.index("updated"), header.index("value")
    i_user = header.index("user_id") if "user_id" in header else None
    fromisoformat = datetime.fromisoformat
    utc = UTC
    statuses, priorities = HISTORY_STATUSES, PRIORITIES

    def read(line: int, values: list[str]) -> tuple[Any, ...] | None:
        field = values[i_field]
        value = values[i_value]
        if field == "status":
            if value not in statuses:
                return None
            name = "status"
        elif field == "assignee_id":
            if not value.isdigit():
                return None
            name = "assignee"
        elif field == "priority":
            if value not in priorities:
                return None
            name = "priority"
        else:
            return None  # group names, blanks, other fields: the full reader decides
        ticket_id = values[i_ticket]
        actor = values[i_user] if i_user is not None else ""
        if not ticket_id.isdigit() or not (actor.isdigit() or actor == ""):
            return None
        try:
            moment = fromisoformat(values[i_updated])
        except ValueError:
            return None
        moment = moment.replace(tzinfo=utc) if moment.tzinfo is None else moment.astimezone(utc)
        return (line, ticket_id, name, value, moment, actor or None)

    return read


def comment(label: str, line: int, row: Mapping[str, str]) -> tuple[Any, ...] | Problems | None:
    """A `ticket_comment` row → (line, id, ticket_id, user_id, body, public, created)."""
    if deleted(row):
        return None
    p = Problems(label, line)
    ident = p.ident(row, "id", required=True)
    ticket_id = p.ident(row, "ticket_id", required=True)
    created = p.when(row, "created", required=True)
    author = p.ident(row, "user_id")
    body = p.text(row, "body") or ""
    public = p.flag(row, "public", True)
    if p.errors:
        return p
    return (line, ident, ticket_id, author, body, public, created)
