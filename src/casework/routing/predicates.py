"""Compiled conditions: small predicate objects over `RoutingFacts` that explain themselves.

Built by `casework.routing.conditions.compile_condition`; kept apart from the
compiler so the validation rules and the wording of reasons each stay readable.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from casework.routing.facts import RoutingFacts

SYMBOLS = {"eq": "is", "ne": "is not", "gt": ">", "gte": "≥", "lt": "<", "lte": "≤"}
BOOL_WORDS = {
    "legal_threat": ("legal threat", "legal"),
    "fraud": ("fraud signal", "fraud"),
    "requests_human": ("customer asks for a human", "human_request"),
    "frustration": ("frustration flagged", "frustration"),
}
"""Yes/no fields in words, with the cue kind whose phrases are quoted as evidence."""


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, (list, tuple)):
        return ", ".join(_show(v) for v in value) or "(none)"
    return "(none)" if value is None else str(value)


class Condition:
    """A compiled predicate over `RoutingFacts` that can explain itself."""

    def __call__(self, facts: RoutingFacts) -> bool:
        raise NotImplementedError

    def describe(self) -> str:
        """The condition in words, independent of any ticket."""
        raise NotImplementedError

    def explain(self, facts: RoutingFacts) -> str:
        """Why the condition holds (or what it saw) for this ticket, in words."""
        return self.describe()


@dataclass(frozen=True)
class Always(Condition):
    def __call__(self, facts: RoutingFacts) -> bool:
        return True

    def describe(self) -> str:
        return "always"


@dataclass(frozen=True)
class AllOf(Condition):
    parts: tuple[Condition, ...]

    def __call__(self, facts: RoutingFacts) -> bool:
        return all(part(facts) for part in self.parts)

    def describe(self) -> str:
        return " and ".join(_group(p.describe(), p) for p in self.parts)

    def explain(self, facts: RoutingFacts) -> str:
        return " and ".join(_group(p.explain(facts), p) for p in self.parts)


@dataclass(frozen=True)
class AnyOf(Condition):
    parts: tuple[Condition, ...]

    def __call__(self, facts: RoutingFacts) -> bool:
        return any(part(facts) for part in self.parts)

    def describe(self) -> str:
        return " or ".join(_group(p.describe(), p) for p in self.parts)

    def explain(self, facts: RoutingFacts) -> str:
        held = [_group(p.explain(facts), p) for p in self.parts if p(facts)]
        return " or ".join(held) if held else f"none of: {self.describe()}"


@dataclass(frozen=True)
class Not(Condition):
    part: Condition

    def __call__(self, facts: RoutingFacts) -> bool:
        return not self.part(facts)

    def describe(self) -> str:
        return f"not ({self.part.describe()})"


def _group(text: str, part: Condition) -> str:
    return f"({text})" if isinstance(part, (AllOf, AnyOf)) and len(part.parts) > 1 else text


@dataclass(frozen=True)
class FieldTest(Condition):
    """One field, one operator, one value: the leaf of every condition."""

    field: str
    op: str
    value: Any
    test: Callable[[Any], bool]
    pattern: re.Pattern[str] | None = None

    def __call__(self, facts: RoutingFacts) -> bool:
        try:
            return self.test(facts.value(self.field))
        except TypeError:  # an attribute of another type than the rule expects
            return False

    def describe(self) -> str:
        if self.op in ("contains", "contains_any"):
            verb = "mentions" if self.field == "text" else "includes"
            return f"{self.field} {verb} {_quoted(self.value)}"
        if self.op == "matches":
            return f"{self.field} matches /{self.value}/"
        if self.op in ("in", "not_in"):
            negation = "not " if self.op == "not_in" else ""
            return f"{self.field} is {negation}one of {_show(self.value)}"
        return f"{self.field} {SYMBOLS[self.op]} {_show(self.value)}"

    def explain(self, facts: RoutingFacts) -> str:
        actual = facts.value(self.field)
        if self.field in BOOL_WORDS and self.op == "eq" and self.value is True and actual:
            words, cue = BOOL_WORDS[self.field]
            quotes = facts.cues.get(cue, ())
            return words + (f" ({_quoted(quotes)})" if quotes else "")
        if self.op in ("contains", "contains_any", "matches"):
            found = _found(self, actual)
            if not found:
                return self.describe()
            if self.op == "matches":
                return f"{self.describe()} ({_quoted(found)})"
            return f"{self.field} {'mentions' if self.field == 'text' else 'includes'} " + (
                _quoted(found)
            )
        shown = _show(actual)
        if self.field == "amount" and actual is not None and facts.currency:
            shown = f"{actual} {facts.currency}"
        if self.op in ("gt", "gte", "lt", "lte"):
            return f"{self.field} {shown} {SYMBOLS[self.op]} {_show(self.value)}"
        if self.op == "in":
            return f"{self.field} is {shown}, one of {_show(self.value)}"
        if self.op in ("ne", "not_in"):
            return f"{self.field} is {shown}, not {'one of ' * (self.op == 'not_in')}" + _show(
                self.value
            )
        return f"{self.field} is {shown}"


def _quoted(values: Any) -> str:
    items = values if isinstance(values, (list, tuple)) else [values]
    return ", ".join(f"'{v}'" for v in items)


def _found(test: FieldTest, actual: Any) -> list[str]:
    """What a text or list test actually found, to quote it back."""
    if test.pattern is not None and isinstance(actual, str):
        return [m.group(0) for m in test.pattern.finditer(actual)][:3]
    if test.pattern is not None and isinstance(actual, (list, tuple)):
        return [str(v) for v in actual if test.pattern.search(str(v))]
    wanted = test.value if isinstance(test.value, list) else [test.value]
    return [str(v) for v in wanted if isinstance(actual, (list, tuple)) and v in actual]


def regex_test(rx: re.Pattern[str], actual: Any) -> bool:
    """A regex test on a string, or on any element of a list (tags, missing fields)."""
    if isinstance(actual, (list, tuple)):
        return any(rx.search(str(v)) for v in actual)
    return isinstance(actual, str) and rx.search(actual) is not None
