"""Zendesk ticket exports: the API's JSON (with side-loads) and JSON lines.

Accepted shapes, detected from the content:

* a JSON document `{"tickets": [...], "users": [...], "groups": [...],
  "organizations": [...], "comments": [...], "audits": [...]}` — an API
  response with side-loads, or several saved pages one after another;
  `comments`/`audits` at the top level are matched to tickets by `ticket_id`.
  Read whole (see `jsondoc`).
* JSON lines (`.jsonl`/`.ndjson`, or any file whose first line is a whole JSON
  value): one ticket per line as the full JSON export writes it, with nested
  `comments`, or one API page per line. Streamed.

Mapping: `id` → external id; `status` (`deleted` tickets are skipped);
`priority`; `type`; `tags`; `group_id` → queue name from `groups`
(`zendesk-group-<id>` when groups are absent); `requester_id`/`assignee_id` →
customer/agent with name, email and phone from `users`; `via.channel` →
channel (`voice` → `phone`); `satisfaction_rating.score` → `good`/`bad`/None;
`custom_fields` → custom fields by id. Comments become messages: an author
whose user `role` is `end-user` (or, without users, who is the requester) is
the customer, anyone else an agent. A ticket without comments gets its
`description` as the first customer message. Audit events of type
Create/Change on status, priority, assignee and group become field changes,
and the last change to `solved` sets `solved_at`. The incremental ticket-events
export (`ticket_events` with `child_events`, see `zendesk_events`) is read as
audits and comments, matched to tickets by `ticket_id`. A ticket with no history
at all gets an approximate one (new at creation, solved at
`metric_set.solved_at`), flagged `approximate`.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from typing import Any

from casework.domain import AuthorRole, Priority, TicketStatus
from casework.ingest.base import ImportOptions, InputFile, Item, Row, stem
from casework.ingest.jsondoc import read_document
from casework.ingest.records import NOT_UTF8, json_lines, not_an_object
from casework.ingest.values import RowBuilder
from casework.ingest.zendesk_directory import (
    Directory,
    change_value,
    id_text,
    objects,
    text_or_none,
)
from casework.ingest.zendesk_events import approximate_history

STATUSES = {s.value: s for s in TicketStatus}
PRIORITIES = {p.value: p for p in Priority}
CHANNELS = {"voice": "phone"}
CHANGE_FIELDS = {
    "status": "status",
    "priority": "priority",
    "assignee_id": "assignee",
    "group_id": "group",
}
NAMES = {
    "external_id": "id",
    "channel": "via.channel",
    "queue": "group_id",
    "requester": "requester_id",
    "assignee": "assignee_id",
    "messages": "comments",
    "changes": "audits",
    "satisfaction": "satisfaction_rating",
}


class ZendeskImporter:
    name = "zendesk"
    default_source = "zendesk"
    fields: frozenset[str] | None = None
    suffixes = (".json", ".jsonl", ".ndjson")
    reconstruct = True
    """Give a ticket without any history an approximate one (see `approximate_history`)."""

    def read(self, file: InputFile, options: ImportOptions) -> Iterator[Item]:
        directory = Directory()
        lines = file.lines()
        first = next(lines, "")
        if stem(file.path) in (".jsonl", ".ndjson") or _is_json_value(first):
            directory.streaming = True
            yield from self._read_lines(file, itertools.chain([first], lines), options, directory)
            return
        text = first + "".join(lines)
        if file.undecodable:
            message = f"{NOT_UTF8}; nothing was read from this file"
            yield Row(1, errors=(file.error(file.undecodable[0], "encoding", message),))
            return
        yield from self._read_document(file, text, options, directory)

    def _read_lines(
        self, file: InputFile, lines: Iterator[str], options: ImportOptions, directory: Directory
    ) -> Iterator[Item]:
        for entry in json_lines(file, lines):
            if not isinstance(entry, tuple):
                yield Row(entry.line, errors=(entry,))
                continue
            line, value = entry
            if not isinstance(value, dict):
                yield Row(line, errors=(not_an_object(file, line, value),))
            elif _is_page(value):
                yield from directory.absorb(value)
                tickets = value.get("tickets", [value["ticket"]] if "ticket" in value else [])
                if not isinstance(tickets, list):
                    yield Row(line, errors=(file.error(line, "tickets", "expected a list"),))
                    continue
                for ticket in tickets:
                    yield self.row(file, line, ticket, options, directory)
            else:
                yield self.row(file, line, value, options, directory)

    def _read_document(
        self, file: InputFile, text: str, options: ImportOptions, directory: Directory
    ) -> Iterator[Item]:
        doc = read_document(text, frozenset({"tickets", "ticket"}))
        del text  # the parsed records are all that is needed now
        if doc.error is not None:
            # A JSON document that does not parse whole cannot be trusted in
            # part: users, groups and comments are side-loaded after the
            # tickets, so a ticket read before the break may lack them. Store
            # nothing from it and say so; JSON Lines exports can be kept in part.
            message = f"{doc.error.msg} (column {doc.error.colno})"
            if not doc.error.doc.rstrip().endswith(("}", "]")):
                message += "; the file ends early (truncated?)"
            message += "; nothing from this file was stored"
            for line, _ in doc.records:
                yield Row(line, errors=(file.error(line, "ticket", "file is not valid JSON"),))
            yield Row(doc.error.lineno, errors=(file.error(doc.error.lineno, "json", message),))
            return
        yield from directory.absorb(doc.sections)
        for line, ticket in doc.records:
            yield self.row(file, line, ticket, options, directory)

    def row(
        self, file: InputFile, line: int, raw: object, options: ImportOptions, dirs: Directory
    ) -> Row:
        """One Zendesk ticket object → a validated row."""
        if not isinstance(raw, dict):
            return Row(line, errors=(not_an_object(file, line, raw),))
        if str(raw.get("status")).lower() == "deleted":
            return Row(line, skipped="deleted in Zendesk")
        b = RowBuilder(file, line, NAMES)
        ticket_id = b.ident("id", raw.get("id"), required=True)
        created_at = b.when("created_at", raw.get("created_at"), required=True)
        requester_id = b.ident("requester_id", raw.get("requester_id"))
        nested = raw.get("requester")
        if requester_id is None and isinstance(nested, dict):
            requester_id = id_text(nested.get("id")) or None
        assignee_id = b.ident("assignee_id", raw.get("assignee_id"))
        group_id = b.ident("group_id", raw.get("group_id"))
        via = raw.get("via")
        channel = b.text("via.channel", via.get("channel") if isinstance(via, dict) else None)
        changes = self._changes(b, raw, dirs.take(dirs.audits, ticket_id), dirs)
        solved = [
            c["changed_at"]
            for c in changes
            if c["field"] == "status" and c["new_value"] in ("solved", "closed")
        ]
        metrics = raw.get("metric_set")
        solved_at = b.when(
            "metric_set.solved_at", metrics.get("solved_at") if isinstance(metrics, dict) else None
        )
        if not changes and created_at is not None and self.reconstruct:
            changes = [c.model_dump() for c in approximate_history(created_at, solved_at)]
        data: dict[str, Any] = {
            "source": options.source,
            "external_id": ticket_id,
            "subject": b.text("subject", raw.get("subject") or raw.get("raw_subject")) or "",
            "status": b.choice("status", raw.get("status"), STATUSES) or TicketStatus.new,
            "priority": b.choice("priority", raw.get("priority"), PRIORITIES),
            "type": b.text("type", raw.get("type")),
            "channel": CHANNELS.get(channel, channel) if channel else None,
            "tags": b.tags("tags", raw.get("tags")),
            "queue": dirs.groups.get(group_id, f"zendesk-group-{group_id}") if group_id else None,
            "assignee": dirs.agent(assignee_id) if assignee_id else None,
            "requester": dirs.customer(requester_id, raw.get("requester"))
            if requester_id
            else None,
            "created_at": created_at,
            "updated_at": b.when("updated_at", raw.get("updated_at")),
            "solved_at": max(solved) if solved else solved_at,
            "satisfaction": _satisfaction(raw.get("satisfaction_rating")),
            "custom_fields": _custom_fields(raw.get("custom_fields")),
            "changes": changes,
        }
        comments = raw.get("comments")
        if not isinstance(comments, list):
            comments = dirs.take(dirs.comments, ticket_id)
        data["messages"] = self._messages(b, comments, requester_id, created_at, dirs)
        description = b.text("description", raw.get("description"))
        if not data["messages"] and description and created_at:
            first_message = {
                "author_role": AuthorRole.customer,
                "author_external_id": requester_id,
                "body": description,
                "created_at": created_at,
            }
            data["messages"] = [first_message]
        return b.build(data)

    def _messages(
        self,
        b: RowBuilder,
        comments: list[Any],
        requester_id: str | None,
        created_at: Any,
        dirs: Directory,
    ) -> list[dict[str, Any]]:
        messages = []
        for i, comment in enumerate(comments):
            where = f"comments[{i}]"
            if not isinstance(comment, dict):
                b.error(where, "expected a JSON object")
                continue
            author = b.ident(f"{where}.author_id", comment.get("author_id"))
            body = comment.get("body") or comment.get("plain_body") or comment.get("html_body")
            when = b.when(f"{where}.created_at", comment.get("created_at"))
            message = {
                "external_id": b.ident(f"{where}.id", comment.get("id")),
                "author_role": dirs.role(author, requester_id),
                "author_external_id": author,
                "author_name": text_or_none(dirs.users.get(author or "", {}).get("name")),
                "body": b.text(f"{where}.body", body) or "",
                "public": b.flag(f"{where}.public", comment.get("public"), True),
                "created_at": when or created_at,
            }
            messages.append(message)
        return messages

    def _changes(
        self, b: RowBuilder, raw: dict[str, Any], side_loaded: list[Any], dirs: Directory
    ) -> list[dict[str, Any]]:
        """Status/priority/assignee/group history from audits or bare events."""
        audits = raw.get("audits") if isinstance(raw.get("audits"), list) else side_loaded
        events: list[tuple[str, Any, Any, Any]] = []  # (where, event, time, actor)
        for i, audit in enumerate(objects(audits)):
            for j, event in enumerate(objects(audit.get("events"))):
                where = f"audits[{i}].events[{j}]"
                events.append((where, event, audit.get("created_at"), audit.get("author_id")))
        for j, event in enumerate(objects(raw.get("events"))):
            events.append((f"events[{j}]", event, None, event.get("author_id")))
        changes: dict[tuple[str, Any, str | None], dict[str, Any]] = {}
        for where, event, when, actor in events:
            name = CHANGE_FIELDS.get(str(event.get("field_name")))
            if name is None or event.get("type") not in ("Create", "Change"):
                continue
            at = b.when(f"{where}.created_at", event.get("created_at") or when, required=True)
            new = change_value(name, event.get("value"), dirs)
            if at is not None:
                changes[(name, at, new)] = {
                    "field": name,
                    "old_value": change_value(name, event.get("previous_value"), dirs),
                    "new_value": new,
                    "changed_at": at,
                    "actor": text_or_none(actor),
                }
        return list(changes.values())


def _is_page(value: dict[str, Any]) -> bool:
    """An API response (tickets and/or side-loads) rather than one ticket."""
    if "tickets" in value or "ticket" in value:
        return True
    sections = {"users", "groups", "organizations", "ticket_events"}
    return "id" not in value and bool(value.keys() & sections)


def _is_json_value(line: str) -> bool:
    try:
        json.loads(line)
    except ValueError:
        return False
    return bool(line.strip())


def _satisfaction(rating: object) -> str | None:
    """`good`/`bad` (with or without comment); offered/unoffered means no rating."""
    score = rating.get("score") if isinstance(rating, dict) else rating
    score = str(score or "").lower()
    return "good" if score.startswith("good") else "bad" if score.startswith("bad") else None


def _custom_fields(fields: object) -> dict[str, Any]:
    if not isinstance(fields, list):
        return {}
    return {
        str(f["id"]): f.get("value")
        for f in fields
        if isinstance(f, dict) and "id" in f and f.get("value") not in (None, "", [])
    }
