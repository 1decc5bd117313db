"""Importers by format name: built-ins and plug-ins go through the same door.

A third party adds a format either by calling `register_importer(MyImporter())`
or, without any code running first, through an entry point in its package:

    [project.entry-points."casework.importers"]
    helpscout = "casework_helpscout:HelpScoutImporter"

The entry point names an `Importer` instance, class or zero-argument factory.
Entry points are loaded the first time the registry is consulted; a plug-in
that fails to load is logged and left out, so it can never break the
built-in formats.
"""

from __future__ import annotations

import logging
from importlib.metadata import entry_points
from typing import Any

from casework.ingest.base import Importer

ENTRY_POINT_GROUP = "casework.importers"

log = logging.getLogger(__name__)

_importers: dict[str, Importer] = {}
_entry_points_loaded = False


class UnknownFormatError(ValueError):
    """An import format nobody registered; the message lists the known ones."""


def register_importer(importer: Importer, *, replace: bool = False) -> Importer:
    """Make `importer` available as `--format importer.name`.

    Registering the same object twice is harmless; a different importer under
    a taken name is refused unless `replace=True`, so a plug-in cannot
    silently shadow a built-in.
    """
    if isinstance(importer, type) or not isinstance(importer, Importer):
        raise TypeError(f"{importer!r} does not implement casework.ingest.Importer")
    current = _importers.get(importer.name)
    if current is not None and current is not importer and not replace:
        raise ValueError(f"an importer named {importer.name!r} is already registered")
    _importers[importer.name] = importer
    return importer


def load_entry_points() -> None:
    """Register the importers other installed packages declare (once per process)."""
    global _entry_points_loaded
    if _entry_points_loaded:
        return
    _entry_points_loaded = True
    for point in entry_points(group=ENTRY_POINT_GROUP):
        try:
            obj: Any = point.load()
            if isinstance(obj, type) or (callable(obj) and not isinstance(obj, Importer)):
                obj = obj()  # a class or a factory
            importer: Importer = obj
            if _importers.get(str(getattr(importer, "name", ""))) is importer:
                continue
            register_importer(importer)
        except Exception:  # a broken plug-in must not break the built-ins
            log.exception("could not load importer entry point %r", point.value)


def get_importer(name: str) -> Importer:
    load_entry_points()
    try:
        return _importers[name]
    except KeyError:
        raise UnknownFormatError(
            f"unknown import format {name!r}; choose one of {', '.join(formats())}"
        ) from None


def formats() -> tuple[str, ...]:
    """Registered format names, built-ins first, in registration order."""
    load_entry_points()
    return tuple(_importers)
