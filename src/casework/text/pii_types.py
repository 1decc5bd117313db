"""What every personal-data recognizer yields and implements (kept apart so recognizers
in their own modules need not import the detector that runs them)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class PiiSpan:
    """One detected piece of personal data; `normalized` keys placeholder reuse."""

    type: str
    start: int
    end: int
    text: str
    normalized: str = field(default="", compare=False, repr=False)


@runtime_checkable
class Recognizer(Protocol):
    """What a deployment implements to add a type; lower `priority` runs first, wins overlaps."""

    type: str
    priority: int

    def find(self, text: str) -> Iterable[PiiSpan]: ...
