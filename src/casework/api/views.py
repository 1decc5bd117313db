"""Stored rows as JSON, redacted unless the caller may see raw personal data.

Formatting only: which fields a response carries, and that free text (message
bodies, subjects, drafts) goes through the egress guard (`casework.privacy.egress`,
channel `api`) for callers without `tickets:raw`. Requesters are omitted entirely for them.
"""

from __future__ import annotations

from typing import Any

from casework.privacy.egress import EgressBlocked, guard_text
from casework.store.tables import (
    AuditEventRow,
    DraftRow,
    RoutingDecisionRow,
    TicketRow,
    TriageResultRow,
)
from casework.store.trail import Trail, triage_summary
from casework.text.pii import Redactor


class Shown:
    """Free text as this caller may see it; one Redactor per response keeps placeholders apart."""

    def __init__(self, raw: bool) -> None:
        self.raw = raw
        self._redactor = None if raw else Redactor()

    def __call__(self, text: str | None) -> str | None:
        if text is None or self._redactor is None:
            return text
        try:
            return guard_text(text, "api", redactor=self._redactor)
        except EgressBlocked:  # privacy.egress.api: block — the field is withheld, not the page
            return "[withheld: personal data]"


def ticket_summary(t: TicketRow, shown: Shown) -> dict[str, Any]:
    return {
        "id": t.id,
        "source": t.source,
        "external_id": t.external_id,
        "subject": shown(t.subject),
        "status": t.status,
        "priority": t.priority,
        "queue": t.queue.key if t.queue else None,
        "channel": t.channel,
        "created_at": t.created_at.isoformat(),
    }


def ticket_detail(
    t: TicketRow, triage: TriageResultRow | None, trail: Trail, shown: Shown
) -> dict[str, Any]:
    requester = None
    if shown.raw and t.requester is not None:
        requester = {"name": t.requester.name, "email": t.requester.email, "tier": t.requester.tier}
    return {
        **ticket_summary(t, shown),
        "redacted": not shown.raw,
        "tags": list(t.tags),
        "assignee": t.assignee.name if t.assignee else None,
        "requester": requester,
        "solved_at": t.solved_at.isoformat() if t.solved_at else None,
        "messages": [
            {
                "author_role": m.author_role,
                "author_name": m.author_name if shown.raw or m.author_role == "agent" else None,
                "public": m.public,
                "created_at": m.created_at.isoformat(),
                "body": shown(m.body),
            }
            for m in t.messages
        ],
        "triage": triage_summary(triage),
        "routing_decisions": [decision(d) for d in trail.decisions],
        "drafts": [draft(d, shown) for d in trail.drafts],
        "audit_events": [event(e) for e in trail.events],
    }


def decision(d: RoutingDecisionRow) -> dict[str, Any]:
    return {
        "id": d.id,
        "queue": d.queue,
        "priority": d.priority,
        "decided_by": d.decided_by,
        "confidence": d.confidence,
        "reasons": d.reasons,
        "escalate": d.escalate,
        "escalation_reasons": d.escalation_reasons,
        "escalation_owner": d.escalation_owner,
        "summary": d.summary,
        "automation_level": d.automation_level,
        "state": d.state,
        "override_queue": d.override_queue,
        "reviewed_by": d.reviewed_by,
        "config_version": d.config_version,
        "model_version": d.model_version,
        "created_at": d.created_at.isoformat(),
    }


def draft(d: DraftRow, shown: Shown) -> dict[str, Any]:
    return {
        "id": d.id,
        "routing_decision_id": d.routing_decision_id,
        "method": d.method,
        "state": d.state,
        "text": shown(d.text),
        "final_text": shown(d.final_text),
        "confidence": d.confidence,
        "citations": d.citations,
        "context_used": d.context_used,
        "low_confidence_reasons": d.low_confidence_reasons,
        "warnings": d.warnings,
        "machine_written": d.machine_written,
        "edit_distance": d.edit_distance,
        "reviewed_by": d.reviewed_by,
    }


def event(e: AuditEventRow) -> dict[str, Any]:
    """Audit events hold ids and keyed hashes only: safe for every role."""
    return {
        "seq": e.seq,
        "occurred_at": e.occurred_at.isoformat(),
        "actor": e.actor,
        "action": e.action,
        "object_type": e.object_type,
        "object_id": e.object_id,
        "versions": e.versions,
        "details": e.details,
    }
