"""Generic CSV and JSON lines: any helpdesk or spreadsheet, through a column mapping.

Each field is read from the column (CSV) or key (JSON lines) of the same name,
unless a mapping says otherwise: `mapping={"body": "Message"}` on the Python
side, `--map body=Message` on the command line. Header names match ignoring
case.

Fields (`*`: required):

* `external_id`* — the ticket's id in its source (text or number).
* `created_at`* — ISO 8601 date and time; without an offset it is UTC.
* `subject`, `channel` (e.g. email, web, phone, chat), `queue`, `type` — text.
* `body` — the first message, written by the customer.
* `status` — new (the default), open, pending, hold (on-hold), solved
  (resolved), closed.
* `priority` — low, normal (medium), high, urgent.
* `tags` — a JSON list, or text separated by `,` or `|`.
* `updated_at`, `solved_at` — as `created_at`.
* `customer_id` (else `customer_email`, lower-cased, is the id),
  `customer_email`, `customer_name`, `customer_phone` — the requester.
* `assignee` — the agent's name; its slug is the agent's id.
* `satisfaction` — good or bad.
* `messages` — JSON lines only: the conversation, used instead of `body`.

A message object has `author_role` (customer, agent, bot, system; required),
`body` (required), `created_at` (default: the ticket's), `public` (default
true), and optionally `id`, `author_id`, `author_name`. Columns that no field
maps to are kept as the ticket's custom fields. A row with a missing or
unreadable required value, an unknown status/priority/role or a value of the
wrong type is refused whole and reported with its line and column.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from casework.domain import AuthorRole, Priority, TicketStatus
from casework.ingest.base import ImportOptions, InputFile, Item, Row, RowError
from casework.ingest.freshdesk import slug
from casework.ingest.records import Record, csv_mapped, json_lines, not_an_object
from casework.ingest.values import RowBuilder

FIELDS = (
    "external_id", "created_at", "subject", "body", "status", "priority", "channel", "queue",
    "type", "tags", "updated_at", "solved_at", "customer_id", "customer_email", "customer_name",
    "customer_phone", "assignee", "satisfaction",
)  # fmt: skip
REQUIRED = ("external_id", "created_at")
STATUSES = {s.value: s for s in TicketStatus} | {
    "on-hold": TicketStatus.hold,
    "on hold": TicketStatus.hold,
    "resolved": TicketStatus.solved,
}
PRIORITIES = {p.value: p for p in Priority} | {"medium": Priority.normal}
ROLES = {r.value: r for r in AuthorRole} | {"end-user": AuthorRole.customer}
SATISFACTION = {"good": "good", "bad": "bad"}


class GenericCsvImporter:
    name = "csv"
    default_source = "csv"
    fields: frozenset[str] | None = frozenset(FIELDS)
    suffixes = (".csv",)

    def read(self, file: InputFile, options: ImportOptions) -> Iterator[Item]:
        wanted = {field: options.mapping.get(field, field) for field in FIELDS}
        for entry in csv_mapped(file, wanted, REQUIRED, explicit=options.mapping):
            if isinstance(entry, RowError):
                yield Row(entry.line, errors=(entry,))
            else:
                yield ticket_row(file, *entry, options)


class GenericJsonlImporter:
    name = "jsonl"
    default_source = "jsonl"
    fields: frozenset[str] | None = frozenset((*FIELDS, "messages"))
    suffixes = (".jsonl", ".ndjson")

    def read(self, file: InputFile, options: ImportOptions) -> Iterator[Item]:
        columns = {field: options.mapping.get(field, field) for field in self.fields or ()}
        used = frozenset(columns.values())
        for entry in json_lines(file):
            if isinstance(entry, RowError):
                yield Row(entry.line, errors=(entry,))
            elif not isinstance(entry[1], dict):
                yield Row(entry[0], errors=(not_an_object(file, *entry),))
            else:
                yield ticket_row(file, entry[0], Record(entry[1], columns, used), options)


def ticket_row(file: InputFile, line: int, rec: Record, options: ImportOptions) -> Row:
    """One mapped record → a validated row."""
    names = {
        "external_id": rec.name("external_id"),
        "requester": rec.name("customer_id"),
        "satisfaction": rec.name("satisfaction"),
    }
    names |= {f: rec.name(f) for f in ("subject", "status", "priority", "channel", "queue")}
    names |= {f: rec.name(f) for f in ("type", "tags", "created_at", "updated_at", "solved_at")}
    names |= {"messages": rec.name("messages") if rec.get("messages") else rec.name("body")}
    b = RowBuilder(file, line, names)

    def text(field: str) -> str | None:
        return b.text(rec.name(field), rec.get(field))

    def when(field: str, *, required: bool = False) -> Any:
        return b.when(rec.name(field), rec.get(field), required=required)

    created_at = when("created_at", required=True)
    requester = _requester(b, rec)
    assignee = text("assignee")
    raw_messages = rec.get("messages")
    if raw_messages not in (None, []):
        messages = _messages(b, rec.name("messages"), raw_messages, created_at)
    else:
        body = text("body")
        author = requester["external_id"] if requester else None
        messages = []
        if body:
            messages.append(
                {
                    "author_role": AuthorRole.customer,
                    "author_external_id": author,
                    "body": body,
                    "created_at": created_at,
                }
            )
    return b.build(
        {
            "source": options.source,
            "external_id": b.ident(rec.name("external_id"), rec.get("external_id"), required=True),
            "subject": text("subject") or "",
            "status": b.choice(rec.name("status"), rec.get("status"), STATUSES) or TicketStatus.new,
            "priority": b.choice(rec.name("priority"), rec.get("priority"), PRIORITIES),
            "channel": text("channel"),
            "queue": text("queue"),
            "type": text("type"),
            "tags": b.tags(rec.name("tags"), rec.get("tags")),
            "created_at": created_at,
            "updated_at": when("updated_at"),
            "solved_at": when("solved_at"),
            "requester": requester,
            "assignee": {"external_id": slug(assignee), "name": assignee} if assignee else None,
            "satisfaction": b.choice(
                rec.name("satisfaction"), rec.get("satisfaction"), SATISFACTION
            ),
            "custom_fields": rec.extras(),
            "messages": messages,
        }
    )


def _requester(b: RowBuilder, rec: Record) -> dict[str, Any] | None:
    email = b.text(rec.name("customer_email"), rec.get("customer_email"))
    customer_id = b.ident(rec.name("customer_id"), rec.get("customer_id"))
    external_id = customer_id or (email.strip().lower() if email else None)
    if external_id is None:
        return None
    return {
        "external_id": external_id,
        "name": b.text(rec.name("customer_name"), rec.get("customer_name")),
        "email": email,
        "phone": b.text(rec.name("customer_phone"), rec.get("customer_phone")),
    }


def _messages(b: RowBuilder, name: str, raw: object, created_at: Any) -> list[dict[str, Any]]:
    if not isinstance(raw, list):
        b.error(name, "expected a list of message objects")
        return []
    messages = []
    for i, item in enumerate(raw):
        where = f"{name}[{i}]"
        if not isinstance(item, Mapping):
            b.error(where, "expected a JSON object")
            continue
        role = b.choice(f"{where}.author_role", item.get("author_role"), ROLES)
        if role is None and not b.has_error(f"{where}.author_role"):
            b.error(f"{where}.author_role", "missing; one of customer, agent, bot, system")
        body = b.text(f"{where}.body", item.get("body"))
        if body is None and not b.has_error(f"{where}.body"):
            b.error(f"{where}.body", "missing; a message needs a body")
        messages.append(
            {
                "external_id": b.ident(f"{where}.id", item.get("id")),
                "author_role": role,
                "author_external_id": b.ident(f"{where}.author_id", item.get("author_id")),
                "author_name": b.text(f"{where}.author_name", item.get("author_name")),
                "body": body,
                "public": b.flag(f"{where}.public", item.get("public"), True),
                "created_at": b.when(f"{where}.created_at", item.get("created_at")) or created_at,
            }
        )
    return messages
