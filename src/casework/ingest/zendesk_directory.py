"""What a Zendesk export says besides tickets: users, groups, organizations,
and comments or audits side-loaded apart from their tickets.

Users, groups and organizations are kept for the whole file (they are few
next to tickets); side-loaded comments and audits are handed out once and
forgotten, so a paged export streams in bounded memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from casework.domain import Agent, AuthorRole
from casework.ingest.zendesk_events import audit_from_event

LIST_SECTIONS = ("users", "groups", "organizations", "comments", "audits")


def id_text(value: object) -> str:
    return "" if value is None else str(value)


@dataclass
class Directory:
    """What the export says besides tickets: people, groups, side-loaded comments."""

    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    groups: dict[str, str] = field(default_factory=dict)
    organizations: dict[str, str] = field(default_factory=dict)
    comments: dict[str, list[Any]] = field(default_factory=dict)
    audits: dict[str, list[Any]] = field(default_factory=dict)
    streaming: bool = False
    """Reading JSON lines: side-loaded comments and audits are forgotten once used."""

    def take(self, side_loads: dict[str, list[Any]], ticket_id: str | None) -> list[Any]:
        if self.streaming:
            return side_loads.pop(ticket_id or "", [])
        return side_loads.get(ticket_id or "", [])

    def absorb(self, page: dict[str, Any]) -> Iterator[Agent]:
        """Learn a page's side-loads; yield the agents it introduces."""
        lists = {name: objects(page.get(name)) for name in LIST_SECTIONS}
        for group in lists["groups"]:
            self.groups[id_text(group.get("id"))] = str(group.get("name") or group.get("id"))
        for org in lists["organizations"]:
            self.organizations[id_text(org.get("id"))] = str(org.get("name") or org.get("id"))
        for name, target in (("comments", self.comments), ("audits", self.audits)):
            for entry in lists[name]:
                target.setdefault(id_text(entry.get("ticket_id")), []).append(entry)
        for event in objects(page.get("ticket_events")):  # the incremental events export
            ticket_id = id_text(event.get("ticket_id"))
            audit, comments = audit_from_event(event)
            self.audits.setdefault(ticket_id, []).append(audit)
            if comments:
                self.comments.setdefault(ticket_id, []).extend(comments)
        for user in lists["users"]:
            user_id = id_text(user.get("id"))
            is_new = user_id not in self.users
            self.users[user_id] = user
            if is_new and user.get("role") in ("agent", "admin"):
                yield self.agent(user_id)

    def agent(self, user_id: str) -> Agent:
        user = self.users.get(user_id, {})
        name = str(user.get("name") or f"Zendesk user {user_id}")
        return Agent(external_id=user_id, name=name, email=text_or_none(user.get("email")))

    def customer(self, user_id: str, nested: object) -> dict[str, Any]:
        user = nested if isinstance(nested, dict) else self.users.get(user_id, {})
        org = self.organizations.get(id_text(user.get("organization_id")))
        return {
            "external_id": user_id,
            "name": text_or_none(user.get("name")),
            "email": text_or_none(user.get("email")),
            "phone": text_or_none(user.get("phone")),
            "organization": org,
        }

    def role(self, author_id: str | None, requester_id: str | None) -> AuthorRole:
        user = self.users.get(author_id or "")
        if user is not None and user.get("role") in ("agent", "admin"):
            return AuthorRole.agent
        if user is not None or author_id == requester_id:
            return AuthorRole.customer
        return AuthorRole.agent


def text_or_none(value: object) -> str | None:
    return None if value is None or value == "" else str(value)


def objects(value: object) -> list[dict[str, Any]]:
    return [x for x in value if isinstance(x, dict)] if isinstance(value, list) else []


def change_value(field_name: str, value: object, dirs: Directory) -> str | None:
    """An audit value as text; a group id becomes the group's name."""
    if value is None or value == "" or isinstance(value, list | dict):
        return None
    if field_name == "group":
        return dirs.groups.get(str(value), f"zendesk-group-{value}")
    return str(value)
