"""The record of one ticket's life: messages and field changes in time order.

`Timeline` only records; deciding what happens next is `ConversationBuilder`'s
job. It guarantees what helpdesk audits guarantee: nothing goes back in time,
messages never share an instant, and a field changes at most once per instant.
`cut` keeps what happened up to the reference date and replays the field
changes into the state a snapshot at that moment would show.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from casework.demo.fragments import Piece
from casework.demo.people import Person, SupportAgent
from casework.domain import AuthorRole


@dataclass
class Entry:
    at: datetime
    role: AuthorRole
    author_id: str | None
    author_name: str | None
    pieces: list[Piece]
    public: bool = True


@dataclass
class Change:
    at: datetime
    field: str
    old: str | None
    new: str | None
    actor: str


@dataclass
class Conversation:
    """What happened up to the reference date, and the state it left."""

    entries: list[Entry]
    changes: list[Change]
    state: dict[str, str | None]
    reopened: bool
    transferred: bool

    @property
    def solved_at(self) -> datetime | None:
        if self.state["status"] not in ("solved", "closed"):
            return None
        return max(c.at for c in self.changes if c.field == "status" and c.new == "solved")

    @property
    def updated_at(self) -> datetime:
        return max([e.at for e in self.entries] + [c.at for c in self.changes])


@dataclass
class Timeline:
    cursor: datetime
    entries: list[Entry] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    state: dict[str, str | None] = field(
        default_factory=lambda: dict.fromkeys(
            ("status", "group", "assignee", "priority", "satisfaction")
        )
    )

    def _at(self, moment: datetime | None) -> datetime:
        self.cursor = max(self.cursor, moment or self.cursor).replace(microsecond=0)
        return self.cursor

    def say(
        self,
        moment: datetime,
        role: AuthorRole,
        who: Person | SupportAgent | None,
        pieces: list[Piece],
        public: bool = True,
    ) -> datetime:
        at = self._at(moment)
        if self.entries and at <= self.entries[-1].at:
            at = self._at(self.entries[-1].at + timedelta(seconds=20))
        author_id = who.external_id if who else None
        author_name = who.name if who else "Nordhaven Support"
        self.entries.append(Entry(at, role, author_id, author_name, pieces, public))
        return at

    def set(self, name: str, value: str, actor: str, moment: datetime | None = None) -> None:
        if self.state[name] == value:
            return
        at = self._at(moment)
        same = [c for c in self.changes if c.field == name and c.at == at]
        if same:  # one value per field and instant, as helpdesk audits record it
            at = self._at(at + timedelta(seconds=1))
        self.changes.append(Change(at, name, self.state[name], value, actor))
        self.state[name] = value

    def cut(self, now: datetime, reopened: bool, transferred: bool) -> Conversation:
        entries = [e for e in self.entries if e.at <= now]
        changes = [c for c in self.changes if c.at <= now]
        state: dict[str, str | None] = dict.fromkeys(self.state)
        for change in changes:
            state[change.field] = change.new
        return Conversation(entries, changes, state, reopened, transferred)
