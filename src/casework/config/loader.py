"""Load `casework.yaml`, or refuse it with every mistake named by file, line and field.

A config is accepted whole or not at all: the YAML is parsed with line numbers,
checked against the pydantic schema, every rule's `when` is compiled by the rule
engine's condition compiler, and names that must refer to something (queues,
rule ids) are checked. All problems are collected before anything is raised, so
an admin fixes the file in one pass rather than one error at a time.
"""

from __future__ import annotations

import difflib
import types
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from casework.config.schema import DEFER_REFERENCES, WorkspaceConfig, reference_problems
from casework.config.yamlsource import Loc, YamlSyntaxError, read_yaml

DEFAULT_CONFIG_NAME = "default.yaml"
_CLOSE = 0.6  # difflib similarity above which an unknown key is taken for a typo


@dataclass(frozen=True)
class ConfigProblem:
    """One mistake, in the `file:line: field: message` form editors and CI can jump to."""

    file: str
    line: int
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class ConfigError(ValueError):
    """The config was refused; `problems` lists every reason, in file order."""

    def __init__(self, problems: Sequence[ConfigProblem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.file, p.line, p.path))
        super().__init__("\n".join(str(p) for p in self.problems))


def format_path(loc: Loc) -> str:
    """`("rules", 2, "when", "amount", "gte")` → `rules[2].when.amount.gte`."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def load_config_text(text: str, filename: str) -> WorkspaceConfig:
    """Parse and validate a whole config; raise `ConfigError` naming every problem."""
    try:
        source = read_yaml(text)
    except YamlSyntaxError as exc:
        raise ConfigError([ConfigProblem(filename, exc.line, "", exc.message)]) from None
    problems: list[ConfigProblem] = []

    def add(loc: Loc, message: str, line: int | None = None) -> None:
        problems.append(
            ConfigProblem(filename, line or source.line_of(loc), format_path(loc), message)
        )

    for loc, line, first in source.duplicates:
        add(loc, f"key written twice (first on line {first}); remove one", line)
    if not isinstance(source.data, dict):
        got = "an empty file" if source.data is None else f"a {_type_name(source.data)}"
        add((), f"expected a mapping of settings (queues:, default_queue:, rules: …), got {got}")
        raise ConfigError(problems)
    for loc, message in _condition_problems(source.data):
        add(loc, message)
    config: WorkspaceConfig | None = None
    try:
        config = WorkspaceConfig.model_validate(source.data, context={DEFER_REFERENCES: True})
    except ValidationError as exc:
        for loc, message in _pydantic_problems(exc):
            add(loc, message)
    if config is not None:
        for loc, message in reference_problems(config):
            add(loc, message)
    if problems or config is None:
        raise ConfigError(problems)
    return config


def read_config_text(path: Path | str) -> str:
    """A config file's text; `ConfigError` if it is not UTF-8, `OSError` if unreadable."""
    raw = Path(path).read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problem = ConfigProblem(str(path), line, "", "not UTF-8 text; save the file as UTF-8")
        raise ConfigError([problem]) from None


def load_config_file(path: Path | str) -> WorkspaceConfig:
    """Read and validate a config file; `OSError` if it cannot be read at all."""
    return load_config_text(read_config_text(path), str(path))


def default_config_text() -> str:
    """The bundled default config, comments included (it doubles as a documented example)."""
    return resources.files("casework.config").joinpath(DEFAULT_CONFIG_NAME).read_text("utf-8")


@cache
def default_config() -> WorkspaceConfig:
    """The bundled default, parsed once; treat it as read-only, it is shared."""
    return load_config_text(default_config_text(), f"casework/config/{DEFAULT_CONFIG_NAME}")


def _condition_problems(data: Mapping[str, Any]) -> list[tuple[Loc, str]]:
    """Compile each rule's `when` with the rule engine's compiler, if it is installed."""
    try:
        from casework.routing.conditions import ConditionError, compile_condition
    except ModuleNotFoundError as exc:
        if exc.name in ("casework.routing", "casework.routing.conditions"):
            return []  # the rule engine is not there yet: the schema alone decides
        raise
    rules = data.get("rules")
    if not isinstance(rules, list):
        return []
    problems: list[tuple[Loc, str]] = []
    for i, rule in enumerate(rules):
        when = rule.get("when") if isinstance(rule, dict) else None
        if not isinstance(when, Mapping):
            continue  # the schema reports a missing or non-mapping `when`
        prefix: Loc = ("rules", i, "when")
        try:
            compile_condition(when, prefix)
        except ConditionError as exc:
            loc = tuple(exc.path)
            problems.append((loc if loc[: len(prefix)] == prefix else prefix + loc, exc.message))
    return problems


def _pydantic_problems(exc: ValidationError) -> list[tuple[Loc, str]]:
    """Schema errors, without a "missing 'owner'" next to "unknown 'ownr' (did you mean…)"."""
    described = [(_describe(e), e["type"]) for e in exc.errors()]
    misspelt = {
        (loc[:-1], close)
        for (loc, _), kind in described
        if kind == "extra_forbidden" and loc
        for close in difflib.get_close_matches(str(loc[-1]), _fields_at(loc[:-1]), 1, _CLOSE)
    }
    return [
        (loc, message)
        for (loc, message), kind in described
        if not (kind == "missing" and loc and (loc[:-1], loc[-1]) in misspelt)
    ]


def _describe(error: Mapping[str, Any]) -> tuple[Loc, str]:
    """A pydantic error as (path in the file, message saying what was expected)."""
    raw_loc: Loc = tuple(error["loc"])
    is_key = "[key]" in raw_loc
    loc = tuple(p for p in raw_loc if not (isinstance(p, str) and "[" in p))  # drop pydantic tags
    kind, message, value = error["type"], str(error["msg"]), error.get("input")
    if kind == "extra_forbidden":
        return loc, _unknown_key(loc)
    if kind == "missing":
        return loc, f"required key {loc[-1]!r} is missing" if loc else "required key is missing"
    message = message.removeprefix("Value error, ")
    if is_key:
        return loc, f"key {value!r} is not allowed: {_lower_first(message)}"
    if kind == "time_parsing":
        message = "expected a time of day as HH:MM, e.g. '09:00'"
    if kind not in ("value_error", "assertion_error"):
        message += f" (got {_shown(value)})"
    return loc, message


def _unknown_key(loc: Loc) -> str:
    name = str(loc[-1]) if loc else "?"
    allowed = _fields_at(loc[:-1])
    if not allowed:
        return f"unknown key {name!r}"
    close = difflib.get_close_matches(name, allowed, 1, _CLOSE)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown key {name!r}{hint}; expected one of: {', '.join(allowed)}"


def _fields_at(loc: Loc) -> list[str]:
    """The keys the schema allows at `loc` (empty if that place is not a model)."""
    annotation: Any = WorkspaceConfig
    for part in loc:
        annotation = _unwrap_optional(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if not isinstance(part, str) or part not in annotation.model_fields:
                return []
            annotation = annotation.model_fields[part].annotation
        elif get_origin(annotation) is list:
            annotation = get_args(annotation)[0]
        elif get_origin(annotation) is dict:
            annotation = get_args(annotation)[1]
        else:
            return []
    annotation = _unwrap_optional(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return list(annotation.model_fields)
    return []


def _unwrap_optional(annotation: Any) -> Any:
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        return args[0] if len(args) == 1 else annotation
    return annotation


def _type_name(value: Any) -> str:
    names = {dict: "mapping", list: "list", str: "string", bool: "boolean", int: "number"}
    return names.get(type(value), type(value).__name__)


def _shown(value: Any) -> str:
    if isinstance(value, dict | list):
        return f"a {_type_name(value)}"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


__all__ = [
    "ConfigError",
    "ConfigProblem",
    "default_config",
    "default_config_text",
    "format_path",
    "load_config_file",
    "load_config_text",
    "read_config_text",
]
