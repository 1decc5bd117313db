"""Customer context for a ticket: only the fields its intent is allowed to read, each read audited.

The workspace config lists context sources (`context_providers`) and, per intent,
the `provider.field` entries that intent may read (`context_allow`). An intent
that is not listed reads nothing. `ContextService` asks each provider for the
allowed fields only, so a field outside the allow-list is never requested from
the source, let alone returned; every read becomes a `context.read` audit event
naming the fields (never their values).

Source kinds come from a registry: the built-in `csv`, `sql` and `http` are
registered with `register_kind`, the call a plug-in makes too, directly or
through the `casework.context_providers` entry-point group naming a factory
`(ContextProviderConfig, Workspace | None) -> ContextProvider`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from casework.audit import AuditEvent
from casework.config.schema import ContextProviderConfig, WorkspaceConfig
from casework.knowledge.context_sources import (
    WORKSPACE_URL,
    ContextError,
    ContextProvider,
    CsvProvider,
    HttpJsonProvider,
    SqlProvider,
)
from casework.plugins import Registry
from casework.workspace import Workspace

__all__ = [
    "ContextError",
    "ContextProvider",
    "ContextRead",
    "ContextRefusal",
    "ContextResult",
    "ContextService",
    "CsvProvider",
    "DEMO_ORDERS",
    "HttpJsonProvider",
    "ProviderFactory",
    "SqlProvider",
    "build_provider",
    "demo_orders_provider",
    "provider_kinds",
    "register_kind",
]

log = logging.getLogger(__name__)
ACTOR = "system:context"
ENTRY_POINT_GROUP = "casework.context_providers"
AuditCallback = Callable[[AuditEvent], None]
ProviderFactory = Callable[[ContextProviderConfig, Workspace | None], ContextProvider]
_kinds: Registry[ProviderFactory] = Registry("context provider kind", ENTRY_POINT_GROUP)


def register_kind(kind: str, factory: ProviderFactory, *, replace: bool = False) -> None:
    """Make `kind:` in `context_providers` build its providers with `factory`."""
    _kinds.register(kind, factory, replace=replace)


def provider_kinds() -> tuple[str, ...]:
    return _kinds.names()


def build_provider(config: ContextProviderConfig, ws: Workspace | None = None) -> ContextProvider:
    """The provider a `context_providers` entry describes (nothing is read yet)."""
    factory = _kinds.get(config.kind)
    if factory is None:
        known = ", ".join(_kinds.names())
        raise ContextError(f"unknown context provider kind {config.kind!r}; known: {known}")
    return factory(config, ws)


register_kind("csv", CsvProvider.from_config)  # the built-ins, through the plug-in door
register_kind("sql", SqlProvider.from_config)
register_kind("http", HttpJsonProvider.from_config)

DEMO_ORDERS = ContextProviderConfig(
    name="orders",
    kind="sql",
    key="order_number",
    fields=["status", "carrier", "tracking_number", "shipped_at", "delivered_at", "created_at"],
    options={
        "url": WORKSPACE_URL,
        "query": (
            "SELECT status, carrier, tracking_number, shipped_at, delivered_at, created_at "
            "FROM orders WHERE order_number = UPPER(CAST(:key AS VARCHAR(64))) "
            "OR order_number = 'ORD-' || CAST(:key AS VARCHAR(64))"
        ),
    },
)
"""The demo's orders table as a context source; `default.yaml` carries the same entry.
Customers write "ORD-4169922", "ord-4169922" or "4169922": all three find the order."""


def demo_orders_provider(ws: Workspace) -> ContextProvider:
    """The orders provider over the workspace's own `orders` table."""
    return build_provider(DEMO_ORDERS, ws)


@dataclass(frozen=True, slots=True)
class ContextRead:
    """One lookup in one source: which fields were asked for and whether a record was found."""

    provider: str
    kind: str
    key_fact: str
    fields: tuple[str, ...]
    """`provider.field` names requested (all of them allowed for the intent)."""
    found: bool
    error: str | None = None


@dataclass(frozen=True, slots=True)
class ContextRefusal:
    """A `provider.field` that was not read, and why (not allowed, no key, unknown source)."""

    field: str
    reason: str


@dataclass(frozen=True, slots=True)
class ContextResult:
    values: dict[str, Any] = field(default_factory=dict)
    """`provider.field` → value, only for allowed fields of records that were found."""
    reads: list[ContextRead] = field(default_factory=list)
    refused: list[ContextRefusal] = field(default_factory=list)


def fact_value(facts: Mapping[str, Any], name: str) -> Any:
    """`order_number`, or a dotted path such as `customer.email` through nested mappings."""
    if name in facts:
        return facts[name]
    value: Any = facts
    for part in name.split("."):
        value = value.get(part) if isinstance(value, Mapping) else getattr(value, part, None)
        if value is None:
            return None
    return value


class ContextService:
    """Reads context for tickets under one config; providers are built on first use.

    `providers` replaces configured providers by name (a test double, a provider built
    in code); its config entry still decides the key and the fields it offers."""

    def __init__(
        self,
        config: WorkspaceConfig,
        ws: Workspace | None = None,
        *,
        providers: Mapping[str, ContextProvider] | None = None,
    ) -> None:
        self.config, self.ws = config, ws
        self._configs = {p.name: p for p in config.context_providers}
        self._providers: dict[str, ContextProvider] = dict(providers or {})

    def allowed(self, intent: str) -> tuple[str, ...]:
        """The `provider.field` entries `intent` may read, as configured."""
        return tuple(dict.fromkeys(self.config.context_allow.get(intent, ())))

    def provider(self, name: str) -> ContextProvider:
        found = self._providers.get(name)
        if found is None:
            found = self._providers[name] = build_provider(self._configs[name], self.ws)
        return found

    def _plan(
        self, intent: str, wanted: Sequence[str] | None
    ) -> tuple[dict[str, list[str]], list[ContextRefusal]]:
        """Provider → allowed fields to ask for, and the entries that will not be read."""
        allowed = self.allowed(intent)
        refused = [
            ContextRefusal(w, f"not allowed for intent {intent!r}")
            for w in (wanted or ())
            if w not in allowed
        ]
        plan: dict[str, list[str]] = {}
        for entry in allowed:
            if wanted is not None and entry not in wanted:
                continue
            name, dot, fname = entry.partition(".")
            source = self._configs.get(name)
            if not dot or source is None:
                refused.append(ContextRefusal(entry, f"no context provider named {name!r}"))
            elif fname not in source.fields:
                refused.append(ContextRefusal(entry, f"{name!r} does not offer field {fname!r}"))
            else:
                plan.setdefault(name, []).append(fname)
        return plan, refused

    def context_for(
        self,
        intent: str,
        facts: Mapping[str, Any],
        audit: AuditCallback | None = None,
        *,
        ticket_id: int | str | None = None,
        wanted: Sequence[str] | None = None,
    ) -> ContextResult:
        """Read what `intent` may read about the ticket described by `facts`.

        `wanted` narrows the read to some `provider.field` entries (others allowed are
        skipped; any not allowed are refused). `audit` receives one event per read, after
        it, whether it found a record, found none or failed; an error from the callback
        propagates, so a read is never kept without its audit event."""
        plan, refused = self._plan(intent, wanted)
        result = ContextResult(refused=refused)
        for name, fields in plan.items():
            source = self._configs[name]
            names = tuple(f"{name}.{f}" for f in fields)
            key = fact_value(facts, source.key)
            if key is None or str(key).strip() == "":
                result.refused.extend(
                    ContextRefusal(n, f"the ticket has no {source.key}") for n in names
                )
                continue
            record, error = self._fetch(name, str(key).strip(), fields)
            read = ContextRead(name, source.kind, source.key, names, record is not None, error)
            result.reads.append(read)
            if record is not None:
                result.values.update({f"{name}.{f}": record.get(f) for f in fields})
            if audit is not None:
                audit(self._event(read, intent, ticket_id))
        return result

    def _fetch(
        self, name: str, key: str, fields: list[str]
    ) -> tuple[dict[str, Any] | None, str | None]:
        """The provider's answer cut to `fields`; a failing source is an error, not a crash."""
        try:
            record = self.provider(name).fetch(key, fields)
        except ContextError as exc:
            log.warning("context provider %s failed: %s", name, exc)
            return None, str(exc)
        except Exception as exc:  # a source's own error text may quote the key: class only
            log.warning("context provider %s failed: %s", name, type(exc).__name__)
            return None, f"{name}: {type(exc).__name__}"
        if record is None:
            return None, None
        return {f: record[f] for f in fields if f in record}, None

    def _event(self, read: ContextRead, intent: str, ticket_id: int | str | None) -> AuditEvent:
        details: dict[str, Any] = {
            "provider": read.provider,
            "kind": read.kind,
            "intent": intent,
            "key_fact": read.key_fact,
            "found": read.found,
        }
        if read.error:
            details["error"] = read.error[:200]
        return AuditEvent(
            actor=ACTOR,
            action="context.read",
            object_type="ticket" if ticket_id is not None else "intent",
            object_id=str(ticket_id) if ticket_id is not None else intent[:64],
            versions={"context_provider": f"{read.provider}:{read.kind}"},
            fields_read=list(read.fields),
            details=details,
        )
