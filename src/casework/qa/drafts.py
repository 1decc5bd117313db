"""Casework's own words under the same rubric: grounded drafts and self-service answers.

A draft is scored as if it were the agent's reply appended to the customer's
opening message, so the criteria read it exactly as they read a person's
reply. Timing and outcome belong to whoever sends it, not to the draft, so
`sla` and `resolution_confirmed` do not apply. Draft scores are stored with
`subject='draft'`, apart from the agents' (`subject='agent'`), so the weekly
report can set the two side by side without mixing them.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

from sqlalchemy import func, select

from casework.config.versions import active_config
from casework.qa.conversation import Conversation, Msg, ScoringContext, conversation_of
from casework.qa.scoring import (
    BATCH,
    DRAFT,
    QAResult,
    ScoreRun,
    article_lookup,
    load_tickets,
    no_article,
    rubric_of,
    rubric_version,
    score_conversation,
)
from casework.store.tables import DraftRow, QAScoreRow, TicketRow
from casework.workspace import Workspace

NOT_A_DRAFTS_JOB = frozenset({"sla", "resolution_confirmed"})
"""Scorers judging what happens after a reply is sent: not the draft's doing."""


def draft_conversation(opening: Conversation, text: str, at: datetime) -> Conversation:
    """The customer's opening message followed by `text` as the one public agent reply."""
    first = next(iter(opening.customer()), None)
    messages = [Msg(0, "customer", first.body, first.created_at)] if first else []
    messages.append(Msg(len(messages), "agent", text, at))
    return Conversation(
        ticket_id=opening.ticket_id,
        external_id=opening.external_id,
        created_at=opening.created_at,
        status="open",
        messages=messages,
        priority=opening.priority,
        queue=opening.queue,
        intent=opening.intent,
        sentiment=opening.sentiment,
        sentiment_score=opening.sentiment_score,
        frustration=opening.frustration,
        language=opening.language,
    )


def score_answer(ctx: ScoringContext, question: str, answer: str) -> QAResult:
    """A self-service answer (not stored anywhere) scored like a draft to `question`."""
    now = datetime.now(UTC)
    asked = Conversation(0, "self-service", now, "open", [Msg(0, "customer", question, now)])
    conv = draft_conversation(asked, answer, now)
    return score_conversation(conv, rubric_of(ctx.config), ctx, NOT_A_DRAFTS_JOB)


def score_drafts(ws: Workspace, *, kb: bool = True, limit: int | None = None) -> ScoreRun:
    """Score the newest draft of every ticket not yet draft-scored with the rubric in force."""
    _, config = active_config(ws)
    rubric = rubric_of(config)
    version = rubric_version(rubric)
    ctx = ScoringContext(config, article_for=article_lookup(ws) if kb else no_article)
    started = time.perf_counter()
    scored = failed = 0
    totals = 0.0
    done_query = select(QAScoreRow.ticket_id).where(
        QAScoreRow.rubric_version == version, QAScoreRow.subject == DRAFT
    )
    newest = select(func.max(DraftRow.id)).group_by(DraftRow.ticket_id)
    with ws.session() as session:
        done = len(session.scalars(done_query).all())
        drafts = session.execute(
            select(DraftRow.ticket_id, DraftRow.text, DraftRow.created_at)
            .where(DraftRow.id.in_(newest), DraftRow.ticket_id.not_in(done_query))
            .order_by(DraftRow.ticket_id)
            .limit(limit)
        ).all()
    for at in range(0, len(drafts), BATCH):
        batch = {t: (text, created) for t, text, created in drafts[at : at + BATCH]}
        with ws.session() as session:
            rows = []
            for ticket, triage in load_tickets(session, list(batch)):
                text, created = batch[ticket.id]
                conv = draft_conversation(conversation_of(ticket, triage), text, created)
                result = score_conversation(conv, rubric, ctx, NOT_A_DRAFTS_JOB)
                scored += 1
                failed += result.auto_failed
                totals += result.total
                rows.append(_row(ticket, version, result))
            session.add_all(rows)
    seconds = time.perf_counter() - started
    mean = round(totals / scored, 1) if scored else None
    return ScoreRun(version, scored, done, seconds, mean, failed)


def _row(ticket: TicketRow, version: str, result: QAResult) -> QAScoreRow:
    return QAScoreRow(
        ticket_id=ticket.id,
        rubric_version=version,
        subject=DRAFT,
        total=result.total,
        auto_failed=result.auto_failed,
        scores=[s.to_dict() for s in result.scores],
        created_at=datetime.now(UTC),
    )
