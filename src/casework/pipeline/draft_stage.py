"""The drafting stage: a grounded reply for every routed ticket whose level allows drafts.

Tickets at `draft` or `auto` get one draft per routing decision: retrieval over
approved articles, the context the intent may read (each read audited), and
the reply written by the configured model or extractively. A person approves,
edits or rejects it in the review queue; nothing here sends anything.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session, aliased

from casework.audit import AuditEvent, append_many, dedup_key_for
from casework.config.schema import WorkspaceConfig
from casework.knowledge.articles import is_stale
from casework.knowledge.compose import draft_reply
from casework.knowledge.context import ContextService
from casework.knowledge.drafting import Draft
from casework.knowledge.index_store import workspace_retriever
from casework.knowledge.retrieval import Retriever
from casework.llm.base import LLMProvider
from casework.llm.factory import provider_from
from casework.store.bulk import append_rows
from casework.store.tables import ArticleRow, DraftRow, RoutingDecisionRow, TriageResultRow
from casework.triage.missing import extract_fields
from casework.workspace import Workspace

DRAFTABLE = ("draft", "auto")


@dataclass
class DraftReport:
    drafted: int
    low_confidence: int


def _pending(
    session: Session,
    config_version: int,
    model_version: str,
    after_id: int,
    size: int,
    ticket_ids: Collection[int] | None = None,
) -> list[Any]:
    done = aliased(DraftRow)
    query = (
        select(RoutingDecisionRow, TriageResultRow)
        .join(TriageResultRow, TriageResultRow.id == RoutingDecisionRow.triage_id)
        .outerjoin(done, and_(done.routing_decision_id == RoutingDecisionRow.id))
        .where(
            done.id.is_(None),
            RoutingDecisionRow.config_version == config_version,
            RoutingDecisionRow.model_version == model_version,
            RoutingDecisionRow.automation_level.in_(DRAFTABLE),
            RoutingDecisionRow.id > after_id,
        )
        .order_by(RoutingDecisionRow.id)
        .limit(size)
    )
    if ticket_ids is not None:
        query = query.where(RoutingDecisionRow.ticket_id.in_(list(ticket_ids)))
    return list(session.execute(query).all())


def _stale_ids(session: Session, config: WorkspaceConfig) -> set[int]:
    now = datetime.now(UTC)
    window = config.knowledge.review_window_days
    return {a.id for a in session.scalars(select(ArticleRow)) if is_stale(a, window, now)}


def draft_row(decision: RoutingDecisionRow, draft: Draft, now: datetime) -> dict[str, Any]:
    return {
        "ticket_id": decision.ticket_id,
        "routing_decision_id": decision.id,
        "method": draft.method[:160],
        "text": draft.text,
        "confidence": draft.confidence,
        "citations": [vars(c) for c in draft.citations],
        "context_used": draft.context_used,
        "low_confidence_reasons": draft.low_confidence_reasons,
        "warnings": draft.warnings,
        "machine_written": True,
        "state": "proposed",
        "created_at": now,
    }


def draft_pending(
    ws: Workspace,
    config: WorkspaceConfig,
    config_version: int,
    model_version: str,
    audit_key: bytes,
    retriever: Retriever | None = None,
    provider: LLMProvider | None = None,
    batch_size: int = 200,
    progress: Callable[[int], None] | None = None,
    ticket_ids: Collection[int] | None = None,
    on_batch: Callable[[Session, list[int]], None] | None = None,
) -> DraftReport:
    """Draft for every ticket routed by this config and queue model at a draftable level.

    `ticket_ids`: only these. `on_batch(session, ids)` runs in each batch's transaction.
    """
    retriever = retriever or workspace_retriever(ws, fallback="static")
    provider = provider or provider_from(config.llm)
    context = ContextService(config, ws)
    drafted = low = after_id = 0
    while True:
        with ws.session() as s:
            pairs = _pending(s, config_version, model_version, after_id, batch_size, ticket_ids)
            if not pairs:
                break
            after_id = pairs[-1][0].id
            stale = _stale_ids(s, config)
            events: list[AuditEvent] = []
            rows = []
            now = datetime.now(UTC)
            for decision, triage in pairs:
                text = triage.redacted_text
                found = context.context_for(
                    triage.intent,
                    extract_fields(text),
                    audit=events.append,
                    ticket_id=decision.ticket_id,
                )
                draft = draft_reply(
                    text, retriever.search(text, k=3), found.values, config, provider, stale
                )
                rows.append(draft_row(decision, draft, now))
                low += bool(draft.low_confidence_reasons)
                versions = {"routing_decision": decision.id, "method": draft.method}
                events.append(
                    AuditEvent(
                        actor="system:pipeline",
                        action="draft",
                        object_type="ticket",
                        object_id=str(decision.ticket_id),
                        versions=versions,
                        fields_read=["triage_result.redacted_text", *draft.context_used],
                        details={
                            "confidence": round(draft.confidence, 4),
                            "citations": [f"{c.external_id}@v{c.version}" for c in draft.citations],
                        },
                        dedup_key=dedup_key_for(
                            "draft", "ticket", str(decision.ticket_id), versions
                        ),
                    )
                )
            append_rows(s, DraftRow, rows)
            append_many(s, audit_key, events)
            if on_batch is not None:
                on_batch(s, [d.ticket_id for d, _ in pairs])
        drafted += len(pairs)
        if progress:
            progress(drafted)
    return DraftReport(drafted, low)
