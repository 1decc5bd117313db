"""Read YAML while remembering where every key was written.

A config error is only useful if it points at a line, so the file is composed
into PyYAML's node tree (which carries marks) and indexed by path before it is
turned into plain data. Scalars follow YAML 1.2's core schema rather than
PyYAML's YAML 1.1 defaults: `off`, `no` and `yes` stay strings (an automation
level of `off` must not become `False`) and `17:00` stays a time of day instead
of the base-60 integer 1020.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

Loc = tuple[str | int, ...]

_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"


class _CoreLoader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 core-schema booleans and numbers."""


_CoreLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in (_BOOL, _INT, _FLOAT)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_CoreLoader.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_CoreLoader.add_implicit_resolver(
    _INT, re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)$"), list("-+0123456789")
)
_CoreLoader.add_implicit_resolver(
    _FLOAT,
    re.compile(
        r"^(?:[-+]?(?:[0-9][0-9_]*\.[0-9_]*|\.[0-9_]+)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)


@dataclass
class YamlSource:
    """A parsed document: its data, the line of every path, and structural problems."""

    data: Any
    lines: dict[Loc, int] = field(default_factory=dict)
    duplicates: list[tuple[Loc, int, int]] = field(default_factory=list)
    """(path, line of the repeat, line of the first occurrence)."""

    def line_of(self, loc: Loc) -> int:
        """Line of the longest prefix of `loc` that is written in the file."""
        for end in range(len(loc), -1, -1):
            line = self.lines.get(loc[:end])
            if line is not None:
                return line
        return 1


class YamlSyntaxError(Exception):
    """The text is not YAML; `line` is 1-based."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


def read_yaml(text: str) -> YamlSource:
    """Parse one YAML document, indexing the line of every mapping key and list item."""
    loader: _CoreLoader | None = None
    try:
        loader = _CoreLoader(text)
        node = loader.get_single_node()
        if node is None:
            return YamlSource(None)
        source = YamlSource(None, {(): node.start_mark.line + 1})
        _index(loader, node, (), source, frozenset())
        source.data = loader.construct_document(node)
        return source
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        parts = [p for p in (exc.context, exc.problem) if p]
        raise YamlSyntaxError(mark.line + 1 if mark else 1, ", ".join(parts) or str(exc)) from exc
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        character = chr(exc.character) if isinstance(exc.character, int) else exc.character
        raise YamlSyntaxError(line, f"character {character!r} is not allowed in YAML") from exc
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(1, str(exc)) from exc
    finally:
        if loader is not None:
            loader.dispose()


def _index(
    loader: _CoreLoader, node: yaml.Node, loc: Loc, source: YamlSource, above: frozenset[int]
) -> None:
    if id(node) in above:  # an alias of one of its own parents: already indexed
        return
    above = above | {id(node)}
    if isinstance(node, yaml.MappingNode):
        first_seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            if (
                not isinstance(key_node, yaml.ScalarNode)
                or key_node.tag == "tag:yaml.org,2002:merge"
            ):
                continue
            key = loader.construct_object(key_node)
            if not isinstance(key, str | int):
                key = str(key)
            line = key_node.start_mark.line + 1
            if key in first_seen:
                source.duplicates.append(((*loc, key), line, first_seen[key]))
                continue
            first_seen[key] = line
            source.lines[(*loc, key)] = line
            _index(loader, value_node, (*loc, key), source, above)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            source.lines[(*loc, i)] = item.start_mark.line + 1
            _index(loader, item, (*loc, i), source, above)
