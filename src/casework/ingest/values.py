"""Converting raw values into a ticket, with errors a person can act on.

Every importer needs the same things: dates that may or may not carry an
offset, enumerations spelt five ways, identifiers that are numbers in one
export and text in another, and pydantic's verdict phrased in the input's own
column names. Each row collects all of its problems before it is refused, so a
user fixes a file in one pass rather than one error per run.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, TypeVar

from pydantic import ValidationError

from casework.domain import Ticket
from casework.ingest.base import InputFile, Row, RowError

T = TypeVar("T")

_OFFSET_AFTER_SPACE = re.compile(r"\s+(?=[+-]\d{2}:?\d{2}$)")
_UTC_SUFFIX = re.compile(r"\s*(?:UTC|GMT)$", re.IGNORECASE)
_TAG_SEPARATORS = re.compile(r"[,|]")


def parse_datetime(value: object) -> datetime:
    """An aware UTC datetime from ISO 8601 text, `2024-03-05 14:22:10 +0530`, or epoch seconds.

    Times without an offset are taken as UTC, which is what helpdesk exports
    write unless told otherwise.
    """
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        moment = datetime.fromtimestamp(value, UTC)
    elif isinstance(value, str):
        text = _UTC_SUFFIX.sub("", _OFFSET_AFTER_SPACE.sub("", value.strip()))
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(
                f"not a date and time: {value!r} "
                "(expected e.g. 2024-03-05 14:22:10 or 2024-03-05T14:22:10+01:00)"
            ) from None
    else:
        raise ValueError(f"expected a date and time, got {type(value).__name__}")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class RowBuilder:
    """Turns one record's raw values into a `Row`, naming fields as the input does.

    `names` maps a `Ticket` field to what the input calls it (`created_at` →
    `Created time`), so pydantic's errors point at a column the user can find.
    """

    def __init__(self, file: InputFile, line: int, names: Mapping[str, str] | None = None) -> None:
        self.file = file
        self.line = line
        self.names = names or {}
        self.errors: list[RowError] = []

    def error(self, field: str, message: str) -> None:
        self.errors.append(self.file.error(self.line, field, message))

    def has_error(self, field: str) -> bool:
        return any(e.field == field for e in self.errors)

    def text(self, field: str, value: object) -> str | None:
        """Text as given; numbers are accepted as their text, blanks become None."""
        if is_blank(value):
            return None
        if isinstance(value, str):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        self.error(field, f"expected text, got {type(value).__name__}")
        return None

    def ident(self, field: str, value: object, *, required: bool = False) -> str | None:
        """An identifier: Zendesk's integers and everyone else's strings alike."""
        result = self.text(field, value)
        result = result.strip() if result else None
        if result is None and required and not self.has_error(field):
            self.error(field, "missing; every row needs one")
        return result

    def when(self, field: str, value: object, *, required: bool = False) -> datetime | None:
        if is_blank(value):
            if required:
                self.error(field, "missing; a date and time is required")
            return None
        try:
            return parse_datetime(value)
        except ValueError as exc:
            self.error(field, str(exc))
            return None

    def choice(self, field: str, value: object, choices: Mapping[str, T]) -> T | None:
        """Look a value up case-insensitively; an unknown one is an error, not a guess."""
        if is_blank(value):
            return None
        key = str(value).strip().lower()
        if key in choices:
            return choices[key]
        known = ", ".join(sorted({k for k in choices if k}))
        self.error(field, f"unknown value {value!r}; expected one of: {known}")
        return None

    def tags(self, field: str, value: object) -> list[str]:
        """A list, or text separated by commas or `|`."""
        if is_blank(value):
            return []
        if isinstance(value, list) and all(isinstance(tag, str) for tag in value):
            items: list[str] = value
        elif isinstance(value, str):
            items = _TAG_SEPARATORS.split(value)
        else:
            self.error(field, "expected a list of text or comma-separated text")
            return []
        return [tag.strip() for tag in items if tag.strip()]

    def flag(self, field: str, value: object, default: bool) -> bool:
        if is_blank(value):
            return default
        if isinstance(value, bool):
            return value
        key = str(value).strip().lower()
        if key in ("true", "yes", "1", "y", "t"):
            return True
        if key in ("false", "no", "0", "n", "f"):
            return False
        self.error(field, f"expected true or false, got {value!r}")
        return default

    def build(self, data: dict[str, Any]) -> Row:
        """Validate the whole ticket; a row is stored complete or not at all."""
        try:
            ticket = Ticket.model_validate(data)
        except ValidationError as exc:
            reported = {e.field.split("[")[0] for e in self.errors}
            for problem in exc.errors(include_url=False):
                if self._name(problem["loc"][:1]) not in reported:  # not already explained
                    self.error(self._name(problem["loc"]), problem["msg"])
            return Row(self.line, errors=tuple(self.errors))
        if self.errors:
            return Row(self.line, errors=tuple(self.errors))
        return Row(self.line, ticket=ticket)

    def _name(self, loc: tuple[int | str, ...]) -> str:
        if not loc:
            return "row"
        head, *rest = loc
        name = self.names.get(str(head), str(head))
        for part in rest:
            name += f"[{part}]" if isinstance(part, int) else f".{part}"
        return name
