"""docs/config.md describes every key the schema accepts."""

from __future__ import annotations

import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel

from casework.config.schema import WorkspaceConfig

DOCS = Path(__file__).parents[2] / "docs" / "config.md"


def key_paths(model: type[BaseModel], prefix: str = "") -> Iterator[str]:
    """`queues[].business_hours.start`, `sla.*.resolution_hours`… for every field."""
    for name, field in model.model_fields.items():
        path = f"{prefix}{name}"
        yield path
        annotation: Any = field.annotation
        if get_origin(annotation) in (Union, types.UnionType):
            annotation = next(a for a in get_args(annotation) if a is not type(None))
        if get_origin(annotation) is list:
            annotation, path = get_args(annotation)[0], f"{path}[]"
        elif get_origin(annotation) is dict:
            annotation, path = get_args(annotation)[1], f"{path}.*"
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            yield from key_paths(annotation, f"{path}.")


def test_every_config_key_is_documented() -> None:
    docs = DOCS.read_text("utf-8")
    paths = list(key_paths(WorkspaceConfig))
    assert "queues[].business_hours.timezone" in paths and "sla.*.resolution_hours" in paths
    missing = [path for path in paths if f"| `{path}` |" not in docs]
    assert not missing, f"add these keys to docs/config.md: {missing}"
