"""The queue model learns final queues from the store, and a person's override wins."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import select

from casework import Workspace
from casework.demo import generate_demo
from casework.routing.queue_model import KIND, recommend
from casework.routing.training import queue_history, train_queue
from casework.store.tables import QueueRow, RoutingDecisionRow, TicketRow
from casework.triage.model_store import load_model

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")


def test_final_queues_are_the_labels_and_an_override_wins(workspace: Workspace) -> None:
    generate_demo(workspace, seed=5, tickets=80)
    with workspace.session() as s:
        ticket = s.scalars(select(TicketRow).order_by(TicketRow.id).limit(1)).one()
        final = ticket.queue.key if ticket.queue else None
        other = s.scalars(select(QueueRow.key).where(QueueRow.key != final).limit(1)).one()
        s.add(RoutingDecisionRow(
            ticket_id=ticket.id, config_version=1, model_version="none", queue=final or "x",
            decided_by="default", confidence=0.0, automation_level="suggest",
            state="overridden", reviewed_by="lead", reviewed_at=datetime.now(UTC),
            override_queue=other, created_at=datetime.now(UTC),
        ))  # fmt: skip
        queues = dict(s.execute(select(TicketRow.id, QueueRow.key).join(TicketRow.queue)).all())
    data = queue_history(workspace)
    assert len(data.texts) == len(queues) and data.labels[0] == other
    assert data.labels[1:] == [queues[i] for i in sorted(queues)][1:]
    assert not any(EMAIL.search(t) for t in data.texts)  # redacted, like triage

    stored = train_queue(workspace, until=datetime.now(UTC))
    loaded = load_model(workspace.path / "models", KIND)
    assert loaded.version == stored.version and loaded.meta["trained_until"]
    assert recommend(loaded.model, data.texts[5]).queue in set(data.labels)
