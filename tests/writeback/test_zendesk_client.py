"""Write-back against a local HTTP server speaking Zendesk's Update Ticket wire format."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from casework import Workspace
from casework.api.webhooks import zendesk_row
from casework.cli import app
from casework.pipeline import process_all
from casework.routing import review
from casework.store.repository import upsert_tickets
from casework.store.tables import RoutingDecisionRow, WritebackRow
from casework.triage.engine import Triager
from casework.triage.model_store import load_bundled
from casework.writeback import (
    Changes,
    WritebackError,
    ZendeskClient,
    enqueue_decision,
    run_due,
    status,
)
from fake_zendesk import FakeZendesk


def client_for(fake: FakeZendesk, **kwargs: Any) -> ZendeskClient:
    return ZendeskClient(
        fake.url,
        "agent@example.com",
        "tok123",
        group_ids={"billing": 42},
        field_ids={"queue": 360001},
        **kwargs,
    )


def test_request_shape_and_auth(zendesk: FakeZendesk) -> None:
    changes = Changes(
        tags=["casework"], fields={"queue": "billing", "unmapped": 1}, group="billing", note="hi"
    )
    client_for(zendesk).apply("4711", changes)
    (request,) = zendesk.requests
    assert request["path"] == "/api/v2/tickets/4711.json"
    expected = base64.b64encode(b"agent@example.com/token:tok123").decode()
    assert request["headers"]["Authorization"] == f"Basic {expected}"
    assert request["body"] == {
        "ticket": {
            "additional_tags": ["casework"],
            "custom_fields": [{"id": 360001, "value": "billing"}],
            "group_id": 42,
            "comment": {"body": "hi", "public": False},
        }
    }


def test_the_protocol_methods_each_send_one_update(zendesk: FakeZendesk) -> None:
    client = client_for(zendesk)
    client.add_internal_note("7", "note")
    client.set_group("7", "zendesk-group-99")  # an imported group maps to itself
    assert [r["body"]["ticket"] for r in zendesk.requests] == [
        {"comment": {"body": "note", "public": False}},
        {"group_id": 99},
    ]


def test_a_500_is_retried_once_then_succeeds(zendesk: FakeZendesk) -> None:
    zendesk.script = [(500, {})]
    sleeps: list[float] = []
    client_for(zendesk, backoff=0.25, sleep=sleeps.append).add_tags("8", ["x"])
    assert len(zendesk.requests) == 2 and sleeps == [0.25]


def test_a_429_waits_as_long_as_retry_after_says(zendesk: FakeZendesk) -> None:
    zendesk.script = [(429, {"Retry-After": "1"})]
    started = time.monotonic()
    client_for(zendesk, backoff=0.01).add_tags("9", ["x"])
    assert time.monotonic() - started >= 0.95
    assert len(zendesk.requests) == 2


def test_a_refused_request_is_not_retried(zendesk: FakeZendesk) -> None:
    zendesk.script = [(422, {})]
    with pytest.raises(WritebackError) as caught:
        client_for(zendesk, backoff=0.01).add_tags("10", ["x"])
    assert caught.value.status == 422 and not caught.value.transient
    assert len(zendesk.requests) == 1


def test_failed_write_back_stays_visible_and_is_retried_by_run(
    zendesk: FakeZendesk, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    row = zendesk_row(
        {
            "ticket": {
                "id": 4711,
                "subject": "Where is my parcel?",
                "description": "My order has not arrived.",
                "created_at": "2026-11-20T09:00:00Z",
            }
        }
    )
    assert row.ticket is not None
    with workspace.session() as session:
        upsert_tickets(session, [row.ticket])
    process_all(workspace, Triager(load_bundled("intent")))
    with workspace.session() as session:
        decision_id = session.scalars(select(RoutingDecisionRow.id)).one()
        review.accept(session, decision_id, "agent:ana", on_reviewed=enqueue_decision)
    with pytest.raises(review.ReviewError), workspace.session() as session:
        review.accept(session, decision_id, "agent:ana", on_reviewed=enqueue_decision)
    assert status(workspace)["counts"]["pending"] == 1

    zendesk.script = [(422, {})]  # permanent: refused by Zendesk
    client = client_for(zendesk, backoff=0.01)
    report = run_due(workspace, {"zendesk": client})
    assert (report.sent, report.failed) == (0, 1)
    (failed,) = status(workspace)["failed"]
    assert failed["attempts"] == 1 and "HTTP 422" in failed["last_error"]
    # Not due yet: a plain run leaves it alone, and nothing is dropped.
    assert run_due(workspace, {"zendesk": client}).failed == 0
    assert status(workspace)["counts"]["failed"] == 1

    if workspace.is_sqlite:  # the CLI opens the workspace by folder
        monkeypatch.setenv("CASEWORK_ZENDESK_URL", zendesk.url)
        monkeypatch.setenv("CASEWORK_ZENDESK_EMAIL", "agent@example.com")
        monkeypatch.setenv("CASEWORK_ZENDESK_API_TOKEN", "tok123")
        result = CliRunner().invoke(
            app, ["writeback", "run", "--retry-failed", "--json", "-w", str(workspace.path)]
        )
        assert result.exit_code == 0, result.output
        assert json.loads(result.output)["sent"] == 1
    else:
        assert run_due(workspace, {"zendesk": client}, retry_failed=True).sent == 1
    with workspace.session() as session:
        (sent,) = session.scalars(select(WritebackRow)).all()
        assert (sent.state, sent.attempts, sent.last_error) == ("sent", 2, None)
    assert zendesk.requests[-1]["path"] == "/api/v2/tickets/4711.json"
    assert zendesk.requests[-1]["body"]["ticket"]["comment"]["public"] is False
    # Sent once: running again writes nothing back.
    assert run_due(workspace, {"zendesk": client}, retry_failed=True).sent == 0
