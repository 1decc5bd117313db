"""Self-service: answer from the help centre when it is safe, else hand over to a person.

An answer goes straight to the customer, so it needs what `auto` needs: the
intent's automation level allows it, nothing escalates (sensitive topic,
negative sentiment, frustration, a request for a person, low confidence), and
the grounded draft is confident. Anything else is a hand-off: a ticket is
created with the summary, so the customer never has to repeat themselves.
Either way the way to a person is offered.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from casework.audit import AuditEvent, append, load_key
from casework.config.schema import AutomationLevel
from casework.domain import AuthorRole, Customer, Message, Ticket
from casework.knowledge.compose import draft_reply
from casework.knowledge.context import ContextService
from casework.knowledge.drafting import Draft
from casework.knowledge.index_store import workspace_retriever
from casework.knowledge.retrieval import Retriever
from casework.pipeline.route_stage import router_for
from casework.routing.facts import facts_from
from casework.routing.router import Router
from casework.store import repository
from casework.triage.engine import Triager
from casework.triage.missing import extract_fields
from casework.workspace import Workspace

HUMAN_OPTION = "Not what you needed? Reply “person” and a colleague will take over."
HANDOFF_TEXT = (
    "Thank you — a person from our team will reply to you. Your reference is {ref}; "
    "everything you wrote is with them, so you won't need to repeat it."
)


@dataclass
class SelfServiceResult:
    kind: Literal["answer", "handoff"]
    text: str
    intent: str
    confidence: float
    reasons: list[str] = field(default_factory=list)
    draft: Draft | None = None
    ticket_reference: str | None = None
    human_option: str = HUMAN_OPTION

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "text": self.text,
            "intent": self.intent,
            "confidence": round(self.confidence, 4),
            "reasons": self.reasons,
            "citations": [vars(c) for c in self.draft.citations] if self.draft else [],
            "ticket_reference": self.ticket_reference,
            "human_option": self.human_option,
        }


@dataclass
class SelfService:
    """Loaded once (models, index, config), then asked many questions."""

    ws: Workspace
    triager: Triager
    router: Router
    retriever: Retriever

    @classmethod
    def for_workspace(cls, ws: Workspace) -> SelfService:
        return cls(ws, Triager.for_workspace(ws.path), router_for(ws), workspace_retriever(ws))

    def decide(self, question: str) -> SelfServiceResult:
        """The answer or the reasons to hand over, without writing anything."""
        triaged = self.triager.triage(question)
        decision = self.router.route(facts_from(triaged))
        config = self.router.config
        hits = self.retriever.search(triaged.redacted_text, k=3)
        facts = {**extract_fields(triaged.redacted_text)}
        context = ContextService(config, self.ws).context_for(triaged.intent.label, facts).values
        draft = draft_reply(triaged.redacted_text, hits, context, config)
        reasons: list[str] = []
        if decision.automation_level != AutomationLevel.auto:
            reasons.append(
                f"automation for '{triaged.intent.label}' is {decision.automation_level.value}: "
                + ("; ".join(decision.automation_reasons[:2]) or "a person answers these")
            )
        if decision.escalation.escalate:
            reasons += decision.escalation.reasons
        if draft.confidence < config.knowledge.min_answer_confidence:
            reasons.append(
                f"answer confidence {draft.confidence:.2f} is below "
                f"{config.knowledge.min_answer_confidence:.2f}"
            )
        if not draft.citations and not draft.context_used:
            reasons.append("no approved article or order data answers this")
        kind: Literal["answer", "handoff"] = "handoff" if reasons else "answer"
        text = f"{draft.text}\n\n{HUMAN_OPTION}" if kind == "answer" else ""
        return SelfServiceResult(kind, text, triaged.intent.label, draft.confidence, reasons, draft)

    def answer(self, question: str, customer_email: str | None = None) -> SelfServiceResult:
        """Decide, then either answer or create the hand-off ticket; both are audited."""
        result = self.decide(question)
        key = load_key(self.ws)
        now = datetime.now(UTC)
        with self.ws.session() as session:
            if result.kind == "handoff":
                ref = f"SS-{uuid.uuid4().hex[:10].upper()}"
                summary = "; ".join(result.reasons[:4])
                handoff = _handoff_ticket(question, ref, customer_email, summary, now)
                repository.upsert_tickets(session, [handoff])
                result.ticket_reference = ref
                result.text = HANDOFF_TEXT.format(ref=ref)
            append(
                session,
                key,
                AuditEvent(
                    actor="system:self-service",
                    action=f"self_service.{result.kind}",
                    object_type="question",
                    object_id=result.ticket_reference or "-",
                    fields_read=["question", *(result.draft.context_used if result.draft else [])],
                    details={
                        "intent": result.intent,
                        "confidence": round(result.confidence, 4),
                        "citations": [c.external_id for c in result.draft.citations]
                        if result.draft
                        else [],
                    },
                ),
            )
        return result


def _handoff_ticket(
    question: str, ref: str, email: str | None, summary: str, now: datetime
) -> Ticket:
    """The ticket a person picks up: the question as the customer wrote it, and why."""
    first_line = question.strip().splitlines()[0][:120] if question.strip() else ""
    return Ticket(
        source="self-service",
        external_id=ref,
        subject=first_line,
        channel="web",
        requester=Customer(external_id=email.lower(), email=email) if email else None,
        created_at=now,
        tags=["self-service-handoff"],
        custom_fields={"handoff_reasons": summary},
        messages=[Message(author_role=AuthorRole.customer, body=question, created_at=now)],
    )
