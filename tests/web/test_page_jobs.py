"""The dashboard's Jobs page: queue counts, dead letters with their error, retry."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import select
from web_support import Site, csrf_of

from casework.jobs.outbox import enqueue_tickets
from casework.jobs.runner import park
from casework.store.tables import DeadLetterRow, JobRow, TicketRow

AsRole = Callable[[str], TestClient]


def test_dead_letters_are_shown_and_retried_by_a_lead(site: Site, as_role: AsRole) -> None:
    with site.ws.session() as s:
        ticket = s.scalars(select(TicketRow.id).order_by(TicketRow.id)).first()
        assert ticket is not None
        enqueue_tickets(s, [ticket], 1)
        job = s.scalars(select(JobRow).order_by(JobRow.id.desc())).first()
        assert job is not None
        job_id = job.id
    park(site.ws, {"id": job_id, "kind": "process"}, "ValueError: <b>bad</b> row", [ticket])
    lead, analyst = as_role("lead"), as_role("analyst")
    page = lead.get("/dashboard/jobs")
    assert page.status_code == 200
    assert "ValueError: &lt;b&gt;bad&lt;/b&gt; row" in page.text and f"#{ticket}" in page.text
    assert analyst.get("/dashboard/jobs").status_code == 403
    with site.ws.session() as s:
        dead = s.scalars(select(DeadLetterRow).where(DeadLetterRow.job_id == job_id)).one()
    done = lead.post(
        f"/dashboard/jobs/dead-letters/{dead.id}/retry",
        data={"csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert done.status_code == 303 and "queued+again" in done.headers["location"]
    with site.ws.session() as s:
        again = s.get(DeadLetterRow, dead.id)
        assert again is not None and again.retried_at is not None
        queued = s.get(JobRow, again.retry_job_id)
        assert queued is not None and queued.ticket_ids == [ticket] and queued.state == "pending"
    assert "No dead letters." in lead.get("/dashboard/jobs").text
