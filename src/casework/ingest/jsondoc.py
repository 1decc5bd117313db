"""Read a whole JSON export while keeping each record's line and what came before a break.

`json.load` gives all or nothing and no positions. This walks the top level
itself (stdlib `raw_decode` for each value), so a ticket's line number is
known for error messages, and a truncated file still yields every record that
was complete before the break. Several documents one after another (saved API
pages, pretty-printed or not) are read as one.

The text is held in memory: this is for exports up to a few hundred MB. Big
exports should be JSON lines, which the importers stream.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

_SPACE = re.compile(r"[ \t\n\r]*")


@dataclass
class Document:
    """`records`: (line, value) of each element of the record arrays; `sections`:
    every other top-level key, lists from several documents concatenated."""

    records: list[tuple[int, Any]] = field(default_factory=list)
    sections: dict[str, Any] = field(default_factory=dict)
    error: json.JSONDecodeError | None = None


def read_document(text: str, record_keys: frozenset[str]) -> Document:
    """Parse `text`, collecting the elements of any top-level key in `record_keys`
    (or of a top-level array) as records, and stopping at the first syntax error."""
    reader = _Reader(text, record_keys)
    try:
        reader.read_all()
    except json.JSONDecodeError as exc:
        reader.doc.error = exc
    return reader.doc


class _Reader:
    def __init__(self, text: str, record_keys: frozenset[str]) -> None:
        self.text = text
        self.keys = record_keys
        self.decode = json.JSONDecoder().raw_decode
        self.doc = Document()
        self._line, self._counted_to = 1, 0

    def read_all(self) -> None:
        pos = self._skip(0)
        if pos == len(self.text):
            raise json.JSONDecodeError("Expecting a JSON object or array; the file is empty", "", 0)
        while pos < len(self.text):
            if self.text.startswith("[", pos):
                pos = self._records(pos)
            elif self.text.startswith("{", pos):
                pos = self._object(pos)
            else:
                raise json.JSONDecodeError("Expecting a JSON object or array", self.text, pos)
            pos = self._skip(pos)

    def _object(self, pos: int) -> int:
        pos = self._skip(pos + 1)
        if self.text.startswith("}", pos):
            return pos + 1
        while True:
            key, pos = self.decode(self.text, pos)
            if not isinstance(key, str):
                raise json.JSONDecodeError("Expecting a property name", self.text, pos)
            pos = self._skip(self._expect(":", self._skip(pos)))
            if key in self.keys and self.text.startswith("[", pos):
                pos = self._records(pos)
            else:
                start = pos
                value, pos = self.decode(self.text, pos)
                if key in self.keys and isinstance(value, dict):  # {"ticket": {...}}
                    self.doc.records.append((self._line_at(start), value))
                elif isinstance(value, list) and isinstance(self.doc.sections.get(key), list):
                    self.doc.sections[key].extend(value)
                else:
                    self.doc.sections[key] = value
            pos = self._skip(pos)
            if self.text.startswith("}", pos):
                return pos + 1
            pos = self._skip(self._expect(",", pos))

    def _records(self, pos: int) -> int:
        pos = self._skip(pos + 1)
        if self.text.startswith("]", pos):
            return pos + 1
        while True:
            start = pos
            value, pos = self.decode(self.text, pos)
            self.doc.records.append((self._line_at(start), value))
            pos = self._skip(pos)
            if self.text.startswith("]", pos):
                return pos + 1
            pos = self._skip(self._expect(",", pos))

    def _expect(self, char: str, pos: int) -> int:
        if not self.text.startswith(char, pos):
            raise json.JSONDecodeError(f"Expecting {char!r}", self.text, pos)
        return pos + 1

    def _skip(self, pos: int) -> int:
        match = _SPACE.match(self.text, pos)
        return match.end() if match else pos

    def _line_at(self, pos: int) -> int:
        """Line of `pos`; positions only grow, so counting is linear overall."""
        self._line += self.text.count("\n", self._counted_to, pos)
        self._counted_to = pos
        return self._line
