"""The work done through the API: pages, triage, review, config, insights, audit."""

from __future__ import annotations

from api_support import Served
from sqlalchemy import func, select

from casework.config.loader import default_config_text
from casework.store.tables import AuditEventRow, DraftRow, RoutingDecisionRow, TicketRow


def test_the_cursor_walks_every_ticket_exactly_once(served: Served) -> None:
    seen: list[int] = []
    after = None
    with served.client("assistant") as http:
        while True:
            params = {"limit": 37, **({"after": after} if after else {})}
            page = http.get("/tickets", params=params).json()
            seen += [t["id"] for t in page["tickets"]]
            after = page["next_after"]
            if after is None:
                break
    with served.ws.session() as session:
        stored = set(session.scalars(select(TicketRow.id)))
    assert len(seen) == len(set(seen)) == len(stored)
    assert set(seen) == stored and seen == sorted(seen, reverse=True)


def test_filters_narrow_the_list(served: Served) -> None:
    with served.client("analyst") as http:
        solved = http.get("/tickets", params={"status": "solved", "limit": 200}).json()
        bad = http.get("/tickets", params={"status": "sleeping"})
    assert solved["tickets"] and all(t["status"] == "solved" for t in solved["tickets"])
    assert bad.status_code == 422 and bad.json()["field"] == "status"


def test_triage_returns_intent_route_and_escalation(served: Served) -> None:
    text = "I was charged twice for order 12345678 and nobody answers. I want a refund now!"
    with served.client("assistant") as http:
        result = http.post("/triage", json={"text": text}).json()
        empty = http.post("/triage", json={"text": ""})
    assert result["intent"]["label"] and 0 <= result["intent"]["confidence"] <= 1
    assert result["route"]["queue"] and result["route"]["reasons"]
    assert isinstance(result["escalation"]["escalate"], bool)
    assert result["automation_level"] in ("off", "suggest", "draft", "auto")
    assert empty.status_code == 422 and empty.json()["field"] == "text"


def test_ticket_view_carries_the_decision_trail(served: Served) -> None:
    with served.ws.session() as session:
        ticket_id = session.scalar(select(func.min(DraftRow.ticket_id)))
    with served.client("lead") as http:
        ticket = http.get(f"/tickets/{ticket_id}").json()
    assert ticket["triage"]["intent"]
    assert ticket["routing_decisions"] and ticket["drafts"]
    assert {"triage", "route"} <= {e["action"] for e in ticket["audit_events"]}


def test_an_override_is_stored_and_audited_as_the_key(served: Served) -> None:
    with served.ws.session() as session:
        decision = session.scalars(
            select(RoutingDecisionRow).where(RoutingDecisionRow.state == "proposed")
        ).first()
        assert decision is not None
    target = "billing" if decision.queue != "billing" else "returns-refunds"
    key = served.keys["agent"][0]
    with served.client("agent") as http:
        done = http.post(f"/routes/{decision.id}/override", json={"queue": target})
        unknown = http.post(f"/routes/{decision.id}/override", json={"queue": "nowhere"})
        missing = http.post("/routes/999999/override", json={"queue": target})
        trail = http.get(f"/tickets/{decision.ticket_id}").json()["audit_events"]
    assert done.status_code == 200, done.text
    assert done.json() == {
        "decision_id": decision.id,
        "state": "overridden",
        "queue": target,
        "reviewed_by": f"key:{key.id}",
    }
    assert unknown.status_code == 422 and unknown.json()["field"] == "queue"
    assert missing.status_code == 404 and missing.json()["field"] == "decision_id"
    with served.ws.session() as session:
        row = session.get(RoutingDecisionRow, decision.id)
        assert row is not None and (row.state, row.override_queue) == ("overridden", target)
        event = session.scalars(
            select(AuditEventRow).where(
                AuditEventRow.action == "review.override",
                AuditEventRow.object_id == str(decision.id),
            )
        ).one()
    assert event.actor == f"key:{key.id}"
    assert event.details == {"from": decision.queue, "to": target}
    assert any(e["actor"] == f"key:{key.id}" for e in trail)


def test_accepting_twice_is_a_conflict_and_drafts_are_reviewed(served: Served) -> None:
    with served.ws.session() as session:
        decision_id = session.scalars(
            select(RoutingDecisionRow.id)
            .where(RoutingDecisionRow.state == "proposed")
            .order_by(RoutingDecisionRow.id.desc())
        ).first()
        draft_id = session.scalars(select(DraftRow.id).where(DraftRow.state == "proposed")).first()
    with served.client("agent") as http:
        assert http.post(f"/routes/{decision_id}/accept").status_code == 200
        again = http.post(f"/routes/{decision_id}/accept")
        rated = http.post(f"/routes/{decision_id}/feedback", json={"rating": "useful"})
        bad_rating = http.post(f"/routes/{decision_id}/feedback", json={"rating": "meh"})
        no_text = http.post(f"/drafts/{draft_id}/review", json={"action": "edit"})
        edited = http.post(
            f"/drafts/{draft_id}/review", json={"action": "edit", "text": "Hello, it ships today."}
        )
    assert again.status_code == 409
    assert rated.status_code == 200 and bad_rating.json()["field"] == "rating"
    assert no_text.status_code == 422 and no_text.json()["field"] == "text"
    assert edited.json()["state"] == "edited" and edited.json()["edit_distance"] > 0


def test_an_invalid_config_is_422_with_line_and_field(served: Served) -> None:
    broken = default_config_text().replace("    owner: Ravi Shah", "    ownr: Ravi Shah")
    line = broken.splitlines().index("    ownr: Ravi Shah") + 1
    with served.client("lead") as http:
        refused = http.post("/config/validate", content=broken)
        valid = http.post("/config/validate", content=default_config_text())
        dry = http.post("/config/dry-run", content=default_config_text())
    assert refused.status_code == 422
    body = refused.json()
    assert body["field"] == "queues[1].ownr" and body["line"] == line
    assert "did you mean 'owner'" in body["detail"]
    assert valid.json()["valid"] is True
    assert dry.status_code == 200, dry.text


def test_admin_applies_config_and_verifies_the_audit_log(served: Served) -> None:
    admin = served.keys["admin"][0]
    with served.client("admin") as http:
        applied = http.post("/config/apply", content=default_config_text())
        refused = http.post("/config/apply", content="queues: 3\n")
        verified = http.get("/audit/verify").json()
    assert applied.status_code == 200 and applied.json()["version"] >= 1
    assert refused.status_code == 422 and refused.json()["line"] == 1
    assert verified["ok"] is True and verified["checked"] > 0
    with served.ws.session() as session:
        actors = set(
            session.scalars(
                select(AuditEventRow.actor).where(AuditEventRow.action.like("%config.apply"))
            )
        )
    assert f"key:{admin.id}" in actors


def test_process_runs_for_a_lead_and_is_audited(served: Served) -> None:
    with served.client("lead") as http:
        report = http.post("/process")
    assert report.status_code == 200 and report.json()["triaged"] == 0
    with served.ws.session() as session:
        actor = session.scalar(
            select(AuditEventRow.actor).where(AuditEventRow.action == "api.process")
        )
    assert actor == f"key:{served.keys['lead'][0].id}"


def test_knowledge_and_insights_answer_in_json(served: Served) -> None:
    with served.client("agent") as http:
        hits = http.get("/kb/search", params={"q": "where is my parcel"}).json()["hits"]
        answer = http.post("/answer", json={"question": "How do I return an item?"}).json()
    with served.client("analyst") as http:
        topics = http.get("/insights/topics", params={"since": "4w"})
        bad_since = http.get("/insights/topics", params={"since": "soon"})
        spikes = http.get("/insights/spikes")
        bad_week = http.get("/insights/spikes", params={"week": "2026-W99"})
        report = http.get("/reports/weekly")
    assert hits and {"title", "external_id", "score"} <= set(hits[0])
    assert answer["kind"] in ("answer", "handoff") and answer["human_option"]
    assert topics.status_code == 200 and "topics" in topics.json()
    assert bad_since.status_code == 422 and bad_since.json()["field"] == "since"
    assert spikes.status_code == 200 and "alerts" in spikes.json()
    assert bad_week.status_code == 422 and bad_week.json()["field"] == "week"
    assert report.headers["content-type"].startswith("text/markdown")
    assert report.text.startswith("# Weekly support report")


def test_create_ticket_articles_and_metrics(served: Served) -> None:
    payload = {"subject": "Parcel late", "body": "Where is my parcel?", "external_id": "x-77"}
    with served.client("agent") as http:
        created = http.post("/tickets", json=payload)
        again = http.post("/tickets", json=payload)
        articles = http.get("/kb/articles", params={"status": "approved"}).json()["articles"]
    with served.client("analyst") as http:
        refused = http.post("/tickets", json=payload)
        metrics = http.get("/metrics").json()
    assert created.status_code == 201 and created.json()["created"] is True
    assert again.json()["id"] == created.json()["id"] and again.json()["created"] is False
    assert refused.status_code == 403
    with served.ws.session() as session:
        row = session.get(TicketRow, created.json()["id"])
        assert row is not None and row.source == "api" and row.messages[0].body == payload["body"]
    assert articles and all(a["status"] == "approved" for a in articles)
    assert {"stale", "version", "reviewed_at"} <= set(articles[0])
    # the new ticket makes this week the newest: it is counted in the default week's metrics
    assert metrics["week"] and metrics["metrics"]["groups"]["all"]["all"]["created"] >= 1
    assert {"backlog", "queue_age", "start", "end"} <= set(metrics["metrics"])
