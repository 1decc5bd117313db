"""The record of processing activities (GDPR Art. 30 shape), generated from the config in force.

Why generated: a register written by hand drifts the day someone adds a context provider
or switches on an LLM. This one is built from the same objects that run: the pipeline's
own `fields_read` lists, the configured context providers and the fields each intent may
read, the LLM and write-back settings, the retention per data class, the egress policy
and the role table of `casework.api.auth`. A provider in the config is a row here.
"""

from __future__ import annotations

import html
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from casework.api.auth import PERMISSIONS
from casework.config.schema import WorkspaceConfig

DATA_SUBJECTS = "customers (requesters) of the helpdesk; support agents (as authors and assignees)"
DATA_CATEGORIES = (
    "contact data (name, email, phone); message content, which may hold any personal data "
    "the customer wrote (card numbers, IBANs, addresses, national ids are detected and redacted); "
    "order data from context providers; agent names and actions"
)
MEASURES = (
    "raw text stored once, access-controlled (`tickets:raw`); everything leaving the core "
    "passes the egress guard (redact/block per channel, recorded); audit log hash-chained "
    "with an HMAC key outside the database, holding ids and keyed hashes only; personal-data "
    "index of keyed hashes only; access tokens stored as SHA-256 hashes; erasure and export "
    "on request (`casework privacy erase|export`)"
)


@dataclass
class Activity:
    """One processing activity: a pipeline stage, a context provider or an external provider."""

    name: str
    kind: str
    purpose: str
    reads: list[str]
    retention: str
    leaves: str
    """What leaves casework in this activity, to whom, and in which form (raw or redacted)."""
    recipients: str = "none (inside casework)"


@dataclass
class Register:
    config_version: int
    generated_at: str
    data_subjects: str
    data_categories: str
    measures: str
    activities: list[Activity] = field(default_factory=list)
    raw_roles: list[str] = field(default_factory=list)
    redacted_roles: list[str] = field(default_factory=list)
    retention: dict[str, int | None] = field(default_factory=dict)
    egress: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def names(self) -> list[str]:
        return [a.name for a in self.activities]


def _days(days: int | None) -> str:
    return "until erased" if days is None else f"{days} days"


def build_register(config: WorkspaceConfig, version: int = 0) -> Register:
    from casework.pipeline.route_stage import ROUTE_FIELDS_READ
    from casework.pipeline.triage_stage import TRIAGE_FIELDS_READ

    r = config.privacy.retention
    egress = config.privacy.egress
    purposes = config.privacy.purposes
    raw_roles = sorted(role for role, perms in PERMISSIONS.items() if "tickets:raw" in perms)
    redacted = sorted(set(PERMISSIONS) - set(raw_roles))
    raw_text = (
        f"raw text {_days(r.raw_text_days)}, then redacted; redacted copies "
        f"{_days(r.redacted_text_days)}"
    )

    def purpose(name: str, default: str) -> str:
        return purposes.get(name, default)

    acts = [
        Activity(
            "intake (import, webhooks, API)",
            "stage",
            purpose("intake", "store the helpdesk's tickets, messages and requesters"),
            ["ticket.*", "messages.*", "customer.name", "customer.email", "customer.phone"],
            f"{raw_text}; customer records {_days(r.customer_records_days)} after the last ticket",
            "nothing",
        ),
        Activity(
            "protect (personal-data detection and index)",
            "stage",
            purpose(
                "protect",
                "detect personal data; index keyed hashes to answer data-subject requests",
            ),
            ["ticket.subject", "messages.body", "customer.email", "customer.phone"],
            f"index entries {_days(r.index_entries_days)}",
            "nothing",
        ),
        Activity(
            "triage",
            "stage",
            purpose("triage", "classify intent, urgency, sentiment, missing information"),
            list(TRIAGE_FIELDS_READ),
            f"redacted text {_days(r.redacted_text_days)}",
            "nothing",
        ),
        Activity(
            "route and escalate",
            "stage",
            purpose("route", "send each ticket to the right queue and person"),
            list(ROUTE_FIELDS_READ),
            f"summaries {_days(r.redacted_text_days)}",
            "nothing",
        ),
        Activity(
            "draft",
            "stage",
            purpose("draft", "propose a grounded reply for a person to approve"),
            [
                "triage_result.redacted_text",
                "context fields allowed per intent",
                "approved articles",
            ],
            f"drafts {_days(r.drafts_days)}",
            "to the LLM provider when one is configured (see below)",
        ),
        Activity(
            "quality assurance",
            "stage",
            purpose("qa", "score conversations against the rubric; coach agents"),
            ["messages.body", "messages.author_role", "ticket timestamps"],
            f"quoted evidence {_days(r.qa_evidence_days)}",
            "redacted conversation to the LLM provider for `llm` criteria only",
        ),
        Activity(
            "insights and reports",
            "stage",
            purpose("insights", "recurring issues, spikes, knowledge gaps, weekly metrics"),
            ["triage_result.redacted_text", "ticket timestamps and statuses"],
            "aggregates; topic examples " + _days(r.index_entries_days),
            f"reports: {egress.reports} (egress guard)",
        ),
        Activity(
            "MCP server (AI assistants)",
            "interface",
            purpose("mcp", "answer questions about the helpdesk for AI assistants"),
            ["tickets (redacted)", "aggregates"],
            "not stored",
            f"tool results, personal data {egress.mcp}ed",
            "the connected AI assistant",
        ),
        Activity(
            "REST API and dashboard",
            "interface",
            purpose("api", "work tickets, review drafts, read insights"),
            ["tickets", "drafts", "insights"],
            "not stored",
            f"raw to roles {', '.join(raw_roles)}; {egress.api}ed for {', '.join(redacted)}",
            "callers holding an access key",
        ),
    ]
    allow = config.context_allow
    for provider in config.context_providers:
        intents = sorted(
            i
            for i, fields in allow.items()
            if any(f.startswith(f"{provider.name}.") for f in fields)
        )
        allowed = sorted(
            {f for fields in allow.values() for f in fields if f.startswith(f"{provider.name}.")}
        )
        source = provider.options.get("url") or provider.options.get("path") or provider.kind
        leaves = (
            "the lookup key (" + provider.key + ") to " + str(source)
            if provider.kind == "http"
            else "nothing (read only)"
        )
        acts.append(
            Activity(
                f"context provider: {provider.name}",
                "context provider",
                purpose(
                    provider.name,
                    "look up customer context a reply needs "
                    f"({', '.join(intents) or 'no intent may read it yet'})",
                ),
                allowed
                or [f"{provider.name}.{f} (offered, no intent allowed)" for f in provider.fields],
                f"cached copies {_days(r.context_cache_days)}; not stored per ticket",
                leaves,
                f"{provider.kind} source {source}",
            )
        )
    llm = config.llm
    if llm.provider != "none":
        acts.append(
            Activity(
                f"LLM provider: {llm.provider} ({llm.model or 'model unset'})",
                "external provider",
                purpose(f"llm:{llm.provider}", "write draft replies and score `llm` QA criteria"),
                ["redacted ticket text", "allowed context fields", "approved article passages"],
                f"request logs {_days(r.llm_logs_days)} (casework keeps none)",
                f"prompts, personal data {egress.llm}ed by the egress guard",
                llm.base_url or f"{llm.provider} default endpoint",
            )
        )
    acts.append(
        Activity(
            "helpdesk write-back (Zendesk)",
            "external provider",
            purpose(
                "writeback",
                "write routing (tags, group, fields) and approved drafts back as internal notes",
            ),
            ["routing_decision", "approved draft text"],
            f"outbox {_days(r.drafts_days)}",
            f"tags, fields and notes, personal data {egress.writeback}ed"
            + (
                f" except {', '.join(egress.allow['writeback'])}"
                if egress.allow.get("writeback")
                else ""
            ),
            "the helpdesk named by CASEWORK_ZENDESK_URL (only when set)",
        )
    )
    return Register(
        config_version=version,
        generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
        data_subjects=DATA_SUBJECTS,
        data_categories=DATA_CATEGORIES,
        measures=MEASURES,
        activities=acts,
        raw_roles=raw_roles,
        redacted_roles=redacted,
        retention=r.model_dump(),
        egress={
            c: getattr(egress, c) for c in ("llm", "mcp", "api", "writeback", "logs", "reports")
        },
    )


COLUMNS = (
    "activity",
    "kind",
    "purpose",
    "data read",
    "retention",
    "what leaves, in which form",
    "recipients",
)


def _cells(a: Activity) -> list[str]:
    return [a.name, a.kind, a.purpose, ", ".join(a.reads), a.retention, a.leaves, a.recipients]


def to_markdown(reg: Register) -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    out = [
        "# Record of processing activities",
        "",
        f"Generated {reg.generated_at} from workspace config version {reg.config_version} "
        "(`casework privacy register`).",
        "",
        f"- **Data subjects:** {reg.data_subjects}",
        f"- **Categories of personal data:** {reg.data_categories}",
        f"- **Roles that may see raw data:** {', '.join(reg.raw_roles)}; all other roles "
        f"({', '.join(reg.redacted_roles)}) see redacted text only",
        f"- **Security measures:** {reg.measures}",
        "",
        "## Activities",
        "",
        "| " + " | ".join(COLUMNS) + " |",
        "|" + "---|" * len(COLUMNS),
    ]
    out += ["| " + " | ".join(cell(c) for c in _cells(a)) + " |" for a in reg.activities]
    out += ["", "## Retention", "", "| data class | kept |", "|---|---|"]
    out += [f"| {k.removesuffix('_days')} | {_days(v)} |" for k, v in reg.retention.items()]
    out += ["", "## Egress guard", "", "| channel | personal data |", "|---|---|"]
    out += [f"| {k} | {v} |" for k, v in reg.egress.items()]
    return "\n".join(out) + "\n"


def to_html(reg: Register) -> str:
    esc = html.escape
    head = "".join(f"<th>{esc(c)}</th>" for c in COLUMNS)
    rows = "".join(
        "<tr>" + "".join(f"<td>{esc(c)}</td>" for c in _cells(a)) + "</tr>" for a in reg.activities
    )
    retention = "".join(
        f"<tr><td>{esc(k.removesuffix('_days'))}</td><td>{esc(_days(v))}</td></tr>"
        for k, v in reg.retention.items()
    )
    egress = "".join(f"<tr><td>{esc(k)}</td><td>{esc(v)}</td></tr>" for k, v in reg.egress.items())
    return (
        '<section class="processing-register"><h2>Record of processing activities</h2>'
        f"<p>Generated {esc(reg.generated_at)} from config version {reg.config_version}.</p>"
        f"<ul><li><strong>Data subjects:</strong> {esc(reg.data_subjects)}</li>"
        f"<li><strong>Categories:</strong> {esc(reg.data_categories)}</li>"
        f"<li><strong>Raw data:</strong> {esc(', '.join(reg.raw_roles))}; redacted for "
        f"{esc(', '.join(reg.redacted_roles))}</li>"
        f"<li><strong>Measures:</strong> {esc(reg.measures)}</li></ul>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
        f"<h3>Retention</h3><table><tbody>{retention}</tbody></table>"
        f"<h3>Egress guard</h3><table><tbody>{egress}</tbody></table></section>\n"
    )
