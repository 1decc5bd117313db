"""One plug-in registry: built-ins and third parties register the same way.

A registry maps a name to a factory; names also come from an entry-point group,
loaded once on first use, so a package can add a context source or an LLM
provider without touching casework. A broken plug-in is logged and skipped so
it never takes the built-ins down with it.
"""

from __future__ import annotations

import logging
from importlib.metadata import entry_points
from typing import Generic, TypeVar

F = TypeVar("F")
log = logging.getLogger(__name__)


class Registry(Generic[F]):
    def __init__(self, what: str, entry_point_group: str) -> None:
        self.what = what
        self.entry_point_group = entry_point_group
        self._items: dict[str, F] = {}
        self._loaded = False

    def register(self, name: str, item: F, *, replace: bool = False) -> None:
        current = self._items.get(name)
        if current is not None and current is not item and not replace:
            raise ValueError(f"a {self.what} named {name!r} is already registered")
        self._items[name] = item

    def _load_entry_points(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        for point in entry_points(group=self.entry_point_group):
            try:
                self.register(point.name, point.load())
            except Exception:  # a broken plug-in must not break the built-ins
                log.exception("could not load %s entry point %r", self.what, point.value)

    def get(self, name: str) -> F | None:
        self._load_entry_points()
        return self._items.get(name)

    def names(self) -> tuple[str, ...]:
        self._load_entry_points()
        return tuple(self._items)
