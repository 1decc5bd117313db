"""Freshdesk's ticket CSV export (Tickets → Export → CSV).

Columns are matched by their English header, ignoring case; an export with
translated or renamed headers is read with a mapping from the English name to
the actual one (`--map "Created time=Erstellt"`).

* Ticket ID (required) → external id; Subject, Type, Tags (comma-separated).
* Description → the first message, from the customer.
* Status: Open→open, Pending→pending, Resolved→solved, Closed→closed,
  Waiting on Customer→pending, Waiting on Third Party→hold.
* Priority: Low→low, Medium→normal, High→high, Urgent→urgent.
* Source → channel: Email and Outbound Email→email, Portal→web, Phone→phone,
  Chat→chat, Feedback Widget→web_widget, Mobihelp→mobile, others as a slug.
* Group → queue; Agent → assignee, whose external id is the name's slug.
* Created time (required), Last update time; Resolved time (else Closed
  time) → solved.
* Contact ID (else Email, lower-cased) → requester id, with Full name, Email,
  Phone (else Work phone, Mobile phone) and Company Name.
* Any other non-empty column → a custom field under its header.

Times without an offset are UTC. A status, priority or date Freshdesk would
not write is a row error, never a guess.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from casework.domain import AuthorRole, Priority, TicketStatus
from casework.ingest.base import ImportOptions, InputFile, Item, Row, RowError
from casework.ingest.records import Record, csv_mapped
from casework.ingest.values import RowBuilder

STATUSES = {
    "open": TicketStatus.open,
    "pending": TicketStatus.pending,
    "resolved": TicketStatus.solved,
    "closed": TicketStatus.closed,
    "waiting on customer": TicketStatus.pending,
    "waiting on third party": TicketStatus.hold,
}
PRIORITIES = {
    "low": Priority.low,
    "medium": Priority.normal,
    "high": Priority.high,
    "urgent": Priority.urgent,
}
CHANNELS = {
    "email": "email",
    "outbound email": "email",
    "portal": "web",
    "phone": "phone",
    "chat": "chat",
    "feedback widget": "web_widget",
    "mobihelp": "mobile",
}
COLUMNS = (
    "Ticket ID", "Subject", "Description", "Status", "Priority", "Source", "Type", "Group",
    "Agent", "Created time", "Resolved time", "Closed time", "Last update time", "Contact ID",
    "Full name", "Email", "Phone", "Work phone", "Mobile phone", "Tags", "Company Name",
)  # fmt: skip
REQUIRED = ("Ticket ID", "Created time")
NAMES = {
    "external_id": "Ticket ID",
    "subject": "Subject",
    "status": "Status",
    "priority": "Priority",
    "type": "Type",
    "channel": "Source",
    "queue": "Group",
    "assignee": "Agent",
    "requester": "Contact ID",
    "tags": "Tags",
    "messages": "Description",
    "created_at": "Created time",
    "updated_at": "Last update time",
    "solved_at": "Resolved time",
}


def slug(text: str) -> str:
    """`Tom Berg` → `tom-berg`: a stable id for people the export names but never numbers."""
    return re.sub(r"[^a-z0-9@.]+", "-", text.lower()).strip("-") or text


class FreshdeskImporter:
    name = "freshdesk"
    default_source = "freshdesk"
    fields: frozenset[str] | None = frozenset(COLUMNS)
    suffixes = (".csv",)

    def read(self, file: InputFile, options: ImportOptions) -> Iterator[Item]:
        wanted = {column: options.mapping.get(column, column) for column in COLUMNS}
        for entry in csv_mapped(file, wanted, REQUIRED, explicit=options.mapping):
            if isinstance(entry, RowError):
                yield Row(entry.line, errors=(entry,))
            else:
                yield self.row(file, *entry, options)

    def row(self, file: InputFile, line: int, rec: Record, options: ImportOptions) -> Row:
        names = {field: rec.name(column) for field, column in NAMES.items()}
        b = RowBuilder(file, line, names)

        def when(column: str, *, required: bool = False) -> Any:
            return b.when(rec.name(column), rec.get(column), required=required)

        created_at = when("Created time", required=True)
        requester = self._requester(b, rec)
        agent = b.text(rec.name("Agent"), rec.get("Agent"))
        source = b.text(rec.name("Source"), rec.get("Source"))
        description = b.text(rec.name("Description"), rec.get("Description"))
        messages = []
        if description and created_at:
            messages.append(
                {
                    "author_role": AuthorRole.customer,
                    "author_external_id": requester["external_id"] if requester else None,
                    "author_name": requester["name"] if requester else None,
                    "body": description,
                    "created_at": created_at,
                }
            )
        return b.build(
            {
                "source": options.source,
                "external_id": b.ident(rec.name("Ticket ID"), rec.get("Ticket ID"), required=True),
                "subject": b.text(rec.name("Subject"), rec.get("Subject")) or "",
                "status": b.choice(rec.name("Status"), rec.get("Status"), STATUSES)
                or TicketStatus.open,
                "priority": b.choice(rec.name("Priority"), rec.get("Priority"), PRIORITIES),
                "type": b.text(rec.name("Type"), rec.get("Type")),
                "channel": CHANNELS.get(source.strip().lower(), slug(source)) if source else None,
                "tags": b.tags(rec.name("Tags"), rec.get("Tags")),
                "queue": b.text(rec.name("Group"), rec.get("Group")),
                "assignee": {"external_id": slug(agent), "name": agent} if agent else None,
                "requester": requester,
                "created_at": created_at,
                "updated_at": when("Last update time"),
                "solved_at": when("Resolved time") or when("Closed time"),
                "custom_fields": rec.extras(),
                "messages": messages,
            }
        )

    def _requester(self, b: RowBuilder, rec: Record) -> dict[str, Any] | None:
        email = b.text(rec.name("Email"), rec.get("Email"))
        contact = b.ident(rec.name("Contact ID"), rec.get("Contact ID"))
        external_id = contact or (email.strip().lower() if email else None)
        if external_id is None:
            return None
        phones = (rec.get(column) for column in ("Phone", "Work phone", "Mobile phone"))
        return {
            "external_id": external_id,
            "name": b.text(rec.name("Full name"), rec.get("Full name")),
            "email": email,
            "phone": next((p for p in phones if p and p.strip()), None),
            "organization": b.text(rec.name("Company Name"), rec.get("Company Name")),
        }
