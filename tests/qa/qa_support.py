"""Hand-built conversations for the QA tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from casework.config.rubric import QACriterion
from casework.config.versions import default_version
from casework.qa.conversation import Conversation, Msg, ScoringContext
from casework.qa.scorers import SCORERS, Score
from casework.qa.scoring import rubric_of

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday, inside business hours
CONFIG = default_version().config
RUBRIC = rubric_of(CONFIG)


def conv(*turns: tuple[str, str], minutes: int = 10, **kw: object) -> Conversation:
    """Messages `minutes` apart from START; role is customer, agent or note (internal)."""
    messages = [
        Msg(i, "agent" if role == "note" else role, body, START + timedelta(minutes=minutes * i),
            role != "note")
        for i, (role, body) in enumerate(turns)
    ]  # fmt: skip
    fields: dict[str, object] = {"status": "solved", "priority": "normal", **kw}
    return Conversation(1, "T-1", START, messages=messages, **fields)  # type: ignore[arg-type]


def criterion(name: str) -> QACriterion:
    return next(c for c in RUBRIC.criteria if c.scorer == name)


def run(name: str, conversation: Conversation, ctx: ScoringContext | None = None) -> Score:
    return SCORERS[name](conversation, criterion(name), ctx or ScoringContext(CONFIG))
