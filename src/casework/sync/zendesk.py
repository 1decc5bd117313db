"""`casework sync zendesk`: tickets, people, comments and history from the incremental exports.

Two streams, each with its position in `sync_state` (source `zendesk`):

- `ticket_events`: the time-based incremental ticket-events export
  (`/api/v2/incremental/ticket_events.json?start_time=…&include=comment_events`),
  paged by each page's `end_time` until `end_of_stream`. It carries every
  status/priority/assignee/group change with its time and actor, and the
  comments. They are read first and kept in memory for the run, per ticket.
- `tickets`: the cursor-based incremental ticket export
  (`/api/v2/incremental/tickets/cursor.json?start_time=…` then `?cursor=…`,
  with `include=users,groups,organizations`), paged by `after_cursor` until
  `end_of_stream`. Each page's tickets, with the events gathered for them, go
  through the Zendesk file importer's own row reader (`ZendeskImporter.row`)
  and are stored with `repository.upsert_tickets`, in one transaction together
  with the cursor after the page.

Resuming: the ticket cursor is committed with each page, so an interrupted
sync continues after the last stored page. The events position is committed
only when the ticket stream has reached its end, so a resumed run reads the
events again from the old position (history rows and comments are keyed, so
nothing is stored twice). Comments already stored are kept: a ticket's
messages are the stored ones plus the new ones, by comment id.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from casework.domain import AuthorRole, Message, Ticket
from casework.ingest.base import ImportOptions, InputFile
from casework.ingest.zendesk import ZendeskImporter
from casework.ingest.zendesk_directory import Directory, id_text, objects
from casework.ingest.zendesk_events import audit_from_event
from casework.store import repository
from casework.store.tables import MessageRow, TicketRow
from casework.sync import state
from casework.sync.client import SyncError, ZendeskClient
from casework.workspace import Workspace

SOURCE = "zendesk"
TICKETS = "tickets"
EVENTS = "ticket_events"
TICKETS_PATH = "/api/v2/incremental/tickets/cursor.json"
EVENTS_PATH = "/api/v2/incremental/ticket_events.json"
SIDE_LOADS = "users,groups,organizations"


@dataclass
class SyncResult:
    """What one run did; `--json` prints it."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    skipped: int = 0
    ticket_pages: int = 0
    event_pages: int = 0
    events: int = 0
    resumed_from: str | None = None
    cursor: str | None = None
    events_position: str | None = None
    requests: int = 0
    retries: int = 0
    rate_limited: int = 0
    waited_seconds: float = 0.0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)


class _Page(InputFile):
    """Names an API page in row errors the way a file name would."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.path = Path(name)
        self.size = 0
        self.undecodable = []
        self._raw = None
        self._stream = None


@dataclass
class _Events:
    """Audits and comments per ticket id, gathered from the ticket-events export."""

    audits: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    comments: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def add(self, event: dict[str, Any]) -> None:
        ticket_id = id_text(event.get("ticket_id"))
        audit, comments = audit_from_event(event)
        self.audits.setdefault(ticket_id, []).append(audit)
        self.comments.setdefault(ticket_id, []).extend(comments)


Progress = Callable[[SyncResult], None]


class ZendeskSync:
    """One sync of one Zendesk account into a workspace."""

    def __init__(
        self,
        workspace: Workspace,
        client: ZendeskClient,
        *,
        source: str = SOURCE,
        progress: Progress | None = None,
        max_pages: int | None = None,
    ) -> None:
        self.workspace = workspace
        self.client = client
        self.source = source
        self.progress = progress
        self.max_pages = max_pages
        self.importer = ZendeskImporter()
        self.importer.reconstruct = False  # history is what the events say, never a guess

    def run(self, start_time: int | None = None) -> SyncResult:
        """Pull everything changed since the stored positions (or `start_time`, Unix seconds).

        `start_time` only applies to a stream that has no stored position yet.
        `max_pages` (tests, trial runs) stops after that many ticket pages, as
        an interruption would.
        """
        started = time.perf_counter()
        result = SyncResult()
        with self.workspace.session() as session:
            cursor = state.position(session, self.source, TICKETS)
            events_at = state.position(session, self.source, EVENTS)
        result.resumed_from = cursor
        events, events_end = self._events(int(events_at or start_time or 0), result)
        finished = self._tickets(cursor, start_time or 0, events, result)
        if finished:
            with self.workspace.session() as session:
                state.save(session, self.source, EVENTS, str(events_end))
            result.events_position = str(events_end)
        stats = self.client.stats
        result.requests, result.retries = stats.requests, stats.retries
        result.rate_limited, result.waited_seconds = stats.rate_limited, stats.waited_seconds
        result.seconds = time.perf_counter() - started
        return result

    def _events(self, start: int, result: SyncResult) -> tuple[_Events, int]:
        events = _Events()
        params = {"start_time": start, "include": "comment_events"}
        while True:
            page = self.client.get(EVENTS_PATH, params)
            result.event_pages += 1
            for event in objects(page.get("ticket_events")):
                events.add(event)
                result.events += 1
            end = page.get("end_time")
            if not isinstance(end, int) or isinstance(end, bool):
                raise SyncError(f"{EVENTS_PATH}: a page without an integer end_time")
            if page.get("end_of_stream") or end <= start:
                return events, end
            start = end
            params = {"start_time": start, "include": "comment_events"}

    def _tickets(
        self, cursor: str | None, start_time: int, events: _Events, result: SyncResult
    ) -> bool:
        """Page through the ticket export; True when it reached `end_of_stream`."""
        while True:
            if self.max_pages is not None and result.ticket_pages >= self.max_pages:
                return False
            params: dict[str, Any] = {"include": SIDE_LOADS}
            if cursor:
                params["cursor"] = cursor
            else:
                params["start_time"] = start_time
            page = self.client.get(TICKETS_PATH, params)
            result.ticket_pages += 1
            after = page.get("after_cursor")
            self._store(page, events, result, str(after) if after else cursor)
            result.cursor = str(after) if after else cursor
            if self.progress is not None:
                self.progress(result)
            if page.get("end_of_stream") or not after:
                return True
            cursor = str(after)

    def _store(
        self, page: dict[str, Any], events: _Events, result: SyncResult, cursor: str | None
    ) -> None:
        directory = Directory()
        agents = list(directory.absorb(page))
        where = _Page(f"{TICKETS_PATH} page {result.ticket_pages}")
        options = ImportOptions(self.source)
        tickets: list[Ticket] = []
        for i, raw in enumerate(objects(page.get("tickets")), 1):
            ticket_id = id_text(raw.get("id"))
            raw = {
                **raw,
                "audits": events.audits.pop(ticket_id, []),
                "comments": events.comments.pop(ticket_id, []),
            }
            row = self.importer.row(where, i, raw, options, directory)
            if row.skipped:
                result.skipped += 1
            elif row.ticket is None:
                result.failed += 1
                result.errors.extend(str(e) for e in row.errors[:5])
            else:
                tickets.append(row.ticket)
        with self.workspace.session() as session:
            if agents:
                repository.upsert_agents(session, self.source, agents)
            tickets = self._with_stored_messages(session, tickets)
            stats = repository.upsert_tickets(session, tickets)
            state.save(session, self.source, TICKETS, cursor, {"page": result.ticket_pages})
        result.created += stats.created
        result.updated += stats.updated
        result.unchanged += stats.unchanged

    def _with_stored_messages(self, session: Any, tickets: list[Ticket]) -> list[Ticket]:
        """Each ticket's stored messages plus the ones this run brought, by id, in time order.

        The events export only carries comments made since its start time;
        the ticket's earlier messages are already stored and must stay. The
        description stand-in (`pos-0`) gives way once real comments exist.
        """
        if not tickets:
            return tickets
        rows = session.execute(
            select(TicketRow.external_id, MessageRow)
            .join(MessageRow, MessageRow.ticket_id == TicketRow.id)
            .where(
                TicketRow.source == self.source,
                TicketRow.external_id.in_([t.external_id for t in tickets]),
            )
            .order_by(MessageRow.position)
        ).all()
        stored: dict[str, list[Message]] = {}
        for external_id, m in rows:
            stored.setdefault(external_id, []).append(
                Message(
                    external_id=m.external_id,
                    author_role=AuthorRole(m.author_role),
                    author_external_id=m.author_external_id,
                    author_name=m.author_name,
                    body=m.body,
                    public=m.public,
                    created_at=m.created_at,
                )
            )
        merged = []
        for ticket in tickets:
            old = stored.get(ticket.external_id, [])
            new = [m for m in ticket.messages if m.external_id is not None]
            if not old:
                merged.append(ticket)
                continue
            by_id = {m.external_id: m for m in old}
            by_id.update({m.external_id: m for m in new})
            if len(by_id) > 1:
                by_id.pop("pos-0", None)
            messages = sorted(
                by_id.values(), key=lambda m: (m.created_at.astimezone(UTC), m.external_id or "")
            )
            merged.append(ticket.model_copy(update={"messages": messages}))
        return merged


def parse_start_time(value: str) -> int:
    """`--start-time`: Unix seconds or an ISO date/time (UTC when no offset)."""
    text = value.strip()
    if text.isdigit():
        return int(text)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"--start-time: expected Unix seconds or a date such as 2024-01-31, got {value!r}"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())


__all__ = ["SyncResult", "ZendeskSync", "parse_start_time"]
