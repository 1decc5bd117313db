"""People decide: accept, override or rate a route; approve, edit or reject a draft.

Each action calls `casework.routing.review` with an audit hook that records the
key (`key:<id>`) as the actor, in the same transaction as the change.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field
from sqlalchemy import select

from casework.api.deps import Caller, RowId, require
from casework.api.errors import ApiError
from casework.routing import review
from casework.store.tables import DraftRow, RoutingDecisionRow
from casework.writeback import enqueue_decision, enqueue_draft

router = APIRouter(tags=["review"])
Reviewer = Annotated[Caller, Depends(require("review:write"))]


class OverrideIn(BaseModel):
    queue: str = Field(min_length=1, max_length=128, description="The queue it should go to.")


class FeedbackIn(BaseModel):
    rating: Literal["useful", "incomplete", "wrong", "unsafe"]
    comment: str | None = Field(default=None, max_length=5_000)


class DraftReviewIn(BaseModel):
    action: Literal["approve", "edit", "reject"]
    text: str | None = Field(
        default=None, max_length=50_000, description="The edited reply; required for `edit`."
    )


def _exists(caller: Caller, table: type[RoutingDecisionRow] | type[DraftRow], id_: int) -> str:
    """404 for an unknown id; otherwise the row's state before the action."""
    with caller.ws.session() as session:
        state = session.scalar(select(table.state).where(table.id == id_))
        if state is None:
            kind = "routing decision" if table is RoutingDecisionRow else "draft"
            field = "decision_id" if table is RoutingDecisionRow else "draft_id"
            raise ApiError(404, f"no {kind} with id {id_}", field)
        return state


@router.post("/routes/{decision_id}/accept")
def accept_route(decision_id: RowId, caller: Reviewer) -> dict[str, Any]:
    """Confirm the proposed route; 409 if it was already reviewed."""
    _exists(caller, RoutingDecisionRow, decision_id)
    try:
        with caller.ws.session() as s:
            result = review.accept(
                s,
                decision_id,
                caller.actor,
                caller.audit_hook("routing_decision"),
                enqueue_decision,
            )
    except review.ReviewError as exc:
        raise ApiError(409, str(exc), "decision_id") from exc
    return vars(result)


@router.post("/routes/{decision_id}/override")
def override_route(decision_id: RowId, body: OverrideIn, caller: Reviewer) -> dict[str, Any]:
    """Send the ticket to another queue; the correction trains the next queue model."""
    from casework.config.versions import active_config

    _exists(caller, RoutingDecisionRow, decision_id)
    known = {q.key for q in active_config(caller.ws)[1].queues}
    hook = caller.audit_hook("routing_decision")
    try:
        with caller.ws.session() as s:
            result = review.override(
                s, decision_id, caller.actor, body.queue, known, hook, enqueue_decision
            )
    except review.ReviewError as exc:
        raise ApiError(422, str(exc), "queue") from exc
    return vars(result)


@router.post("/routes/{decision_id}/feedback")
def route_feedback(decision_id: RowId, body: FeedbackIn, caller: Reviewer) -> dict[str, Any]:
    """Say what a suggestion was worth; the comment is stored, never audited."""
    _exists(caller, RoutingDecisionRow, decision_id)
    hook = caller.audit_hook("routing_decision")
    try:
        with caller.ws.session() as s:
            row = review.give_feedback(
                s, "routing", decision_id, body.rating, caller.actor, body.comment, hook
            )
            feedback_id = row.id
    except review.ReviewError as exc:
        raise ApiError(422, str(exc), "rating") from exc
    return {"feedback_id": feedback_id, "decision_id": decision_id, "rating": body.rating}


@router.post("/drafts/{draft_id}/review")
def review_draft(draft_id: RowId, body: DraftReviewIn, caller: Reviewer) -> dict[str, Any]:
    """Approve as written, approve with edits (edit distance kept), or reject."""
    state = _exists(caller, DraftRow, draft_id)
    try:
        with caller.ws.session() as s:
            row = review.review_draft(
                s,
                draft_id,
                caller.actor,
                body.action,
                body.text,
                caller.audit_hook("draft"),
                enqueue_draft,
            )
            result = {"draft_id": row.id, "state": row.state, "edit_distance": row.edit_distance}
    except review.ReviewError as exc:
        if state != "proposed":
            raise ApiError(409, str(exc), "draft_id") from exc
        raise ApiError(422, str(exc), "text") from exc
    return result
