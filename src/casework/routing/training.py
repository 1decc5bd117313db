"""Train the queue model on where past tickets finally ended up.

The label is the ticket's final queue — after every transfer — or, when a
person overrode casework's proposed route, the queue they chose: overrides
are the most direct correction the model can get. Texts are redacted exactly
as triage redacts them, so the model learns what the router will later show it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from casework.routing.queue_model import KIND, queue_model_meta, train_queue_model
from casework.store.tables import RoutingDecisionRow, TicketRow
from casework.triage.datasets import LabelledTexts
from casework.triage.model_store import StoredModel, save_model
from casework.triage.training import redacted_opening
from casework.workspace import Workspace


def _batches(
    ws: Workspace, until: datetime | None, size: int
) -> Iterator[tuple[list[TicketRow], dict[int, str]]]:
    last_id = 0
    while True:
        with ws.session() as s:
            query = select(TicketRow).where(TicketRow.id > last_id)
            if until is not None:
                query = query.where(TicketRow.created_at < until)
            rows = list(
                s.scalars(
                    query.order_by(TicketRow.id)
                    .limit(size)
                    .options(selectinload(TicketRow.messages))
                ).unique()
            )
            if not rows:
                return
            last_id = rows[-1].id
            overrides = s.execute(
                select(RoutingDecisionRow.ticket_id, RoutingDecisionRow.override_queue)
                .where(
                    RoutingDecisionRow.ticket_id.in_([r.id for r in rows]),
                    RoutingDecisionRow.state == "overridden",
                    RoutingDecisionRow.override_queue.is_not(None),
                )
                .order_by(RoutingDecisionRow.reviewed_at, RoutingDecisionRow.id)
            ).all()
        yield rows, {ticket_id: str(queue) for ticket_id, queue in overrides}


def queue_history(ws: Workspace, until: datetime | None = None, batch: int = 1000) -> LabelledTexts:
    """Redacted opening texts and final queues (overrides win), streamed in batches."""
    texts, labels = [], []
    for rows, overrides in _batches(ws, until, batch):
        for ticket in rows:
            label = overrides.get(ticket.id) or (ticket.queue.key if ticket.queue else None)
            if not label:
                continue
            texts.append(redacted_opening(ticket))  # redacted as triage redacts it
            labels.append(label)
    return LabelledTexts(texts, labels)


def train_queue(ws: Workspace, until: datetime | None = None, mode: str = "static") -> StoredModel:
    """Train on the store's history (optionally only tickets created before `until`) and
    save it as the workspace's active queue model."""
    data = queue_history(ws, until)
    model = train_queue_model(data.texts, data.labels, embedder=mode)
    meta = queue_model_meta(
        model,
        data.labels,
        trained_on="workspace history (final queues, overrides win)",
        trained_until=until.isoformat() if until else None,
    )
    return save_model(ws.path / "models", KIND, model, meta)
