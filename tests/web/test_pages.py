"""The dashboard's pages through FastAPI's TestClient: sign-in, CSRF, roles, masking,
escaping, and verdicts recorded exactly as the API records them."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from web_support import SCRIPT_BODY, Site, csrf_of, sign_in

from casework.store.tables import (
    ArticleRow,
    AuditEventRow,
    DraftRow,
    FeedbackRow,
    RoutingDecisionRow,
)
from casework.web.review_queue import PRIORITY_RANK

AsRole = Callable[[str], TestClient]
PAGES = [
    "/dashboard/review",
    "/dashboard/insights",
    "/dashboard/knowledge",
    "/dashboard/quality",
    "/dashboard/reports",
    "/dashboard/settings",
    "/dashboard/jobs",
]


def _waiting_drafts(site: Site) -> list[DraftRow]:
    with site.ws.session() as s:
        rows = s.scalars(select(DraftRow).where(DraftRow.state == "proposed").order_by(DraftRow.id))
        return list(rows)


def _proposed(site: Site) -> list[RoutingDecisionRow]:
    with site.ws.session() as s:
        query = select(RoutingDecisionRow).where(RoutingDecisionRow.state == "proposed")
        return list(s.scalars(query.order_by(RoutingDecisionRow.id.desc())))


def _events(site: Site, object_type: str, object_id: int) -> list[AuditEventRow]:
    with site.ws.session() as s:
        query = select(AuditEventRow).where(
            AuditEventRow.object_type == object_type, AuditEventRow.object_id == str(object_id)
        )
        return list(s.scalars(query.order_by(AuditEventRow.seq)))


@pytest.mark.parametrize("path", PAGES)
def test_every_page_renders_for_an_admin(as_role: AsRole, path: str) -> None:
    client = as_role("admin")
    response = client.get(path)
    assert response.status_code == 200, response.text[-2000:]
    assert "<h1>" in response.text and "Sign out" in response.text


def test_pages_send_a_signed_out_browser_to_sign_in(site: Site) -> None:
    client = site.client()
    response = client.get("/dashboard/insights?x=1", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/dashboard/login?next=/dashboard/insights%3Fx%3D1"
    assert client.get("/", follow_redirects=False).headers["location"] == "/dashboard/"


def test_an_unknown_key_does_not_sign_in(site: Site) -> None:
    client = site.client()
    form = client.get("/dashboard/login")
    response = client.post(
        "/dashboard/login", data={"key": "cwk_nope", "csrf_token": csrf_of(form.text)}
    )
    assert response.status_code == 401
    assert "Unknown or revoked API key" in response.text
    assert client.get("/dashboard/review", follow_redirects=False).status_code == 303


def test_sign_in_without_the_form_token_is_refused(site: Site) -> None:
    client = site.client()
    client.get("/dashboard/login")
    response = client.post("/dashboard/login", data={"key": site.keys["admin"][1]})
    assert response.status_code == 403
    assert client.get("/dashboard/review", follow_redirects=False).status_code == 303


def test_a_tampered_cookie_is_a_signed_out_session(site: Site) -> None:
    client = site.signed_in("admin")
    cookie = client.cookies["casework_session"]
    payload, _, signature = cookie.rpartition(".")
    client.cookies.clear()
    client.cookies.set("casework_session", payload + "." + "0" * len(signature))
    assert client.get("/dashboard/review", follow_redirects=False).status_code == 303


def test_a_verdict_without_the_csrf_token_changes_nothing(site: Site, as_role: AsRole) -> None:
    decision = _proposed(site)[0]
    client = as_role("agent")
    forged = client.post(f"/dashboard/routes/{decision.id}/accept", data={"next": "/dashboard/"})
    wrong = client.post(f"/dashboard/routes/{decision.id}/accept", data={"csrf_token": "guess"})
    assert forged.status_code == wrong.status_code == 403
    assert "nothing was changed" in forged.text
    assert _proposed(site)[0].state == "proposed"
    assert not _events(site, "routing_decision", decision.id)[1:]  # only the route event


def test_approving_a_draft_is_recorded_as_the_api_records_it(site: Site, as_role: AsRole) -> None:
    draft = _waiting_drafts(site)[0]
    client = as_role("agent")
    page = client.get("/dashboard/review")
    response = client.post(
        f"/dashboard/drafts/{draft.id}/review",
        data={"action": "approve", "csrf_token": csrf_of(page.text), "next": "/dashboard/review"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert "flash=Draft" in response.headers["location"]
    key_id = site.keys["agent"][0].id
    with site.ws.session() as s:
        row = s.get(DraftRow, draft.id)
        assert row is not None
        assert (row.state, row.reviewed_by, row.final_text) == (
            "approved",
            f"key:{key_id}",
            row.text,
        )
    events = _events(site, "draft", draft.id)
    assert [(e.actor, e.action) for e in events][-1] == (f"key:{key_id}", "draft.approve")


def test_editing_a_draft_keeps_the_text_and_the_edit_distance(site: Site, as_role: AsRole) -> None:
    draft = _waiting_drafts(site)[1]
    client = as_role("lead")
    token = csrf_of(client.get("/dashboard/review").text)
    edited = "Hello, thanks for waiting. Your parcel is on its way."
    client.post(
        f"/dashboard/drafts/{draft.id}/review",
        data={"action": "edit", "text": edited, "csrf_token": token},
    )
    with site.ws.session() as s:
        row = s.get(DraftRow, draft.id)
        assert row is not None and row.state == "edited" and row.final_text == edited
        assert row.edit_distance and row.edit_distance > 0
    assert _events(site, "draft", draft.id)[-1].details == {"edit_distance": row.edit_distance}


def test_override_and_feedback_are_recorded_and_shown_in_the_trail(
    site: Site, as_role: AsRole
) -> None:
    decision = _proposed(site)[1]
    target = "billing" if decision.queue != "billing" else "orders-delivery"
    client = as_role("agent")
    token = csrf_of(client.get(f"/dashboard/tickets/{decision.ticket_id}").text)
    client.post(
        f"/dashboard/routes/{decision.id}/override", data={"queue": target, "csrf_token": token}
    )
    client.post(
        f"/dashboard/routes/{decision.id}/feedback", data={"rating": "wrong", "csrf_token": token}
    )
    with site.ws.session() as s:
        row = s.get(RoutingDecisionRow, decision.id)
        assert row is not None and (row.state, row.override_queue) == ("overridden", target)
        ratings = s.scalars(select(FeedbackRow.rating).where(FeedbackRow.object_id == decision.id))
        assert list(ratings) == ["wrong"]
    page = client.get(f"/dashboard/tickets/{decision.ticket_id}").text
    assert "review.override" in page and "feedback" in page
    assert f"key:{site.keys['agent'][0].id}" in page


def test_an_unknown_queue_is_refused_with_the_reason(site: Site, as_role: AsRole) -> None:
    decision = _proposed(site)[2]
    client = as_role("agent")
    token = csrf_of(client.get("/dashboard/review").text)
    response = client.post(
        f"/dashboard/routes/{decision.id}/override",
        data={"queue": "nowhere", "csrf_token": token},
    )
    assert "unknown queue &#39;nowhere&#39;" in response.text
    assert _proposed(site)[2].state == "proposed"


def test_roles_see_only_their_pages_and_actions(site: Site, as_role: AsRole) -> None:
    analyst, agent, lead = as_role("analyst"), as_role("agent"), as_role("lead")
    assert analyst.get("/dashboard/insights").status_code == 200
    assert agent.get("/dashboard/insights").status_code == 403
    denied = agent.get("/dashboard/settings")
    assert denied.status_code == 403 and "config:read" in denied.text
    review = analyst.get("/dashboard/review").text
    assert "Accept route" not in review and 'href="/dashboard/settings"' not in review
    decision = _proposed(site)[3]
    token = csrf_of(review)
    refused = analyst.post(f"/dashboard/routes/{decision.id}/accept", data={"csrf_token": token})
    assert refused.status_code == 403 and "review:write" in refused.text
    assert _proposed(site)[3].state == "proposed"
    assert '<section id="keys">' not in lead.get("/dashboard/settings").text
    assert '<section id="keys">' in as_role("admin").get("/dashboard/settings").text


def test_personal_data_is_masked_for_roles_without_raw_access(site: Site, as_role: AsRole) -> None:
    ticket = f"/dashboard/tickets/{site.script_ticket}"
    assert "x@example.com" in as_role("agent").get(ticket).text
    masked = as_role("analyst").get(ticket).text
    assert "x@example.com" not in masked and "personal data masked" in masked


def test_a_script_in_a_ticket_is_shown_as_text(site: Site, as_role: AsRole) -> None:
    page = as_role("agent").get(f"/dashboard/tickets/{site.script_ticket}").text
    assert "<script>alert" not in page and "<b>bold</b>" not in page
    assert "&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt;" in page
    assert SCRIPT_BODY.split("</script>")[1].strip() in page


def test_the_queue_is_sorted_by_escalation_priority_and_age_and_filters(
    site: Site, as_role: AsRole
) -> None:
    client = as_role("lead")
    page = client.get("/dashboard/review").text
    ids = [int(i) for i in re.findall(r'id="decision-(\d+)"', page)]
    with site.ws.session() as s:
        rows = {r.id: r for r in s.scalars(select(RoutingDecisionRow))}
    keys = [(not rows[i].escalate, PRIORITY_RANK.get(rows[i].priority or "normal", 2)) for i in ids]
    assert ids and keys == sorted(keys)
    queue = rows[ids[-1]].queue
    filtered = client.get("/dashboard/review", params={"queue": queue}).text
    shown = [int(i) for i in re.findall(r'id="decision-(\d+)"', filtered)]
    assert shown and all(rows[i].queue == queue for i in shown)
    nothing = client.get("/dashboard/review", params={"sentiment": "no-such"}).text
    assert "Nothing waits for a person" in nothing


def test_approving_a_draft_article_publishes_it(site: Site, as_role: AsRole) -> None:
    with site.ws.session() as s:
        article = s.scalars(select(ArticleRow).where(ArticleRow.status == "draft")).first()
    if article is None:
        pytest.skip("the seeded knowledge base has no draft article")
    page = f"/dashboard/knowledge/articles/{article.id}"
    assert "Approve and publish" not in as_role("agent").get(page).text
    lead = as_role("lead")
    token = csrf_of(lead.get(page).text)
    lead.post(f"{page}/approve", data={"csrf_token": token})
    with site.ws.session() as s:
        row = s.get(ArticleRow, article.id)
        assert row is not None and row.status == "approved" and row.version == article.version + 1
    assert _events(site, "article", article.id)[-1].action == "kb.article.approve"


def test_a_revoked_key_signs_its_sessions_out(site: Site) -> None:
    from casework.api.keys import create_key, revoke_key

    key, token = create_key(site.ws, "short-lived", "agent", "user:test")
    client = site.client()
    sign_in(client, token)
    assert client.get("/dashboard/review").status_code == 200
    revoke_key(site.ws, key.id, "user:test")
    assert client.get("/dashboard/review", follow_redirects=False).status_code == 303


def test_redirects_stay_inside_the_dashboard(site: Site, as_role: AsRole) -> None:
    client = site.client()
    form = client.get("/dashboard/login")
    response = client.post(
        "/dashboard/login",
        data={
            "key": site.keys["agent"][1],
            "csrf_token": csrf_of(form.text),
            "next": "https://evil.example/",
        },
        follow_redirects=False,
    )
    assert response.headers["location"].startswith("/dashboard/?")


def test_settings_dry_run_reports_what_would_change(site: Site, as_role: AsRole) -> None:
    client = as_role("lead")
    page = client.get("/dashboard/settings").text
    invalid = client.post(
        "/dashboard/settings/dry-run",
        data={"config": "queues: 7\n", "csrf_token": csrf_of(page)},
    )
    assert invalid.status_code == 422 and "Not a valid config" in invalid.text
    config = re.search(r'<textarea id="config"[^>]*>(.*?)</textarea>', page, re.S)
    assert config
    import html

    same = client.post(
        "/dashboard/settings/dry-run",
        data={"config": html.unescape(config[1]), "csrf_token": csrf_of(page)},
    )
    assert same.status_code == 200 and "<b>0</b> would change" in same.text


def test_admins_create_and_revoke_keys(site: Site, as_role: AsRole) -> None:
    admin = as_role("admin")
    token = csrf_of(admin.get("/dashboard/settings").text)
    created = admin.post(
        "/dashboard/settings/keys",
        data={"name": "from-page", "role": "analyst", "csrf_token": token},
    )
    match = re.search(r'<code id="new-key">(cwk_[^<]+)</code>', created.text)
    assert match
    fresh = site.client()
    sign_in(fresh, match[1])
    assert fresh.get("/dashboard/insights").status_code == 200
    lead = as_role("lead")
    denied = lead.post(
        "/dashboard/settings/keys",
        data={
            "name": "x",
            "role": "admin",
            "csrf_token": csrf_of(lead.get("/dashboard/settings").text),
        },
    )
    assert denied.status_code == 403


def test_the_cookie_is_http_only_and_secure_behind_https(site: Site) -> None:
    from fastapi.testclient import TestClient as Client

    from casework.api.app import create_app

    plain = site.client().get("/dashboard/login").headers["set-cookie"]
    assert "HttpOnly" in plain and "SameSite=lax" in plain and "Secure" not in plain
    with Client(create_app(site.ws, process_webhooks=False), base_url="https://testserver") as c:
        assert "Secure" in c.get("/dashboard/login").headers["set-cookie"]
