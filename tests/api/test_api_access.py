"""Who may call what: keys, roles, redaction, and the shape of errors."""

from __future__ import annotations

from collections.abc import Iterator

from api_support import Served, first_ticket_with_pii

from casework.api.keys import create_key, revoke_key
from casework.text.pii import detect_pii


def test_openapi_and_docs_are_served_without_a_key(served: Served) -> None:
    with served.client() as http:
        spec = http.get("/openapi.json")
        assert spec.status_code == 200
        paths = spec.json()["paths"]
        assert {"/tickets", "/tickets/{ticket_id}", "/triage", "/config/apply"} <= set(paths)
        assert "Authorization" in str(spec.json()["components"]["securitySchemes"]) or (
            "HTTPBearer" in spec.json()["components"]["securitySchemes"]
        )
        docs = http.get("/docs")
        assert docs.status_code == 200 and "swagger" in docs.text.lower()


def test_a_request_without_a_valid_key_is_401_in_json(served: Served) -> None:
    with served.client() as http:
        missing = http.get("/tickets")
        wrong = http.get("/tickets", headers={"Authorization": "Bearer cwk_not-a-real-key"})
    assert missing.status_code == 401
    assert missing.json()["field"] == "Authorization"
    assert "casework keys create" in missing.json()["detail"]
    assert missing.headers["www-authenticate"] == "Bearer"
    assert wrong.status_code == 401 and wrong.json()["detail"] == "unknown or revoked API key"


def test_the_x_api_key_header_works_like_bearer(served: Served) -> None:
    with served.client("analyst", header="x-api-key") as http:
        assert http.get("/tickets", params={"limit": 1}).status_code == 200


def test_a_revoked_key_is_refused_at_once(served: Served) -> None:
    key, token = create_key(served.ws, "short-lived", "agent", "user:test")
    headers = {"X-API-Key": token}
    with served.client() as http:
        assert http.get("/tickets", headers=headers, params={"limit": 1}).status_code == 200
        revoke_key(served.ws, key.id, "user:test")
        assert http.get("/tickets", headers=headers, params={"limit": 1}).status_code == 401


def test_a_role_without_the_permission_gets_403_naming_it(served: Served) -> None:
    refused = [
        ("analyst", "post", "/process", None),
        ("analyst", "post", "/routes/1/accept", None),
        ("assistant", "post", "/answer", {"question": "where is my order?"}),
        ("agent", "get", "/audit/verify", None),
        ("agent", "get", "/insights/topics", None),
        ("lead", "post", "/config/apply", None),
    ]
    for role, method, path, body in refused:
        with served.client(role) as http:
            response = http.request(method, path, json=body)
        assert response.status_code == 403, (role, path, response.text)
        assert "lacks the" in response.json()["detail"], (role, path)


def test_analyst_sees_redacted_bodies_while_agent_sees_raw(served: Served) -> None:
    ticket_id, raw_body = first_ticket_with_pii(served)
    with served.client("analyst") as http:
        seen = http.get(f"/tickets/{ticket_id}").json()
    with served.client("agent") as http:
        raw = http.get(f"/tickets/{ticket_id}").json()
    bodies = [m["body"] for m in seen["messages"]]
    assert raw_body in [m["body"] for m in raw["messages"]]
    assert raw_body not in bodies
    for span in detect_pii(raw_body):
        assert all(span.text not in body for body in bodies), span.type
    assert seen["redacted"] is True and seen["requester"] is None
    assert raw["redacted"] is False and raw["requester"] is not None


def test_unknown_ticket_and_bad_query_name_the_field(served: Served) -> None:
    with served.client("agent") as http:
        missing = http.get("/tickets/999999")
        too_many = http.get("/tickets", params={"limit": 201})
    assert missing.status_code == 404 and missing.json()["field"] == "ticket_id"
    assert too_many.status_code == 422 and too_many.json()["field"] == "limit"


def test_an_oversized_body_is_413_declared_or_streamed(served: Served) -> None:
    big = b'{"text": "' + b"a" * (80 * 1024) + b'"}'

    def stream() -> Iterator[bytes]:
        for start in range(0, len(big), 8192):
            yield big[start : start + 8192]

    with served.client("agent") as http:
        declared = http.post("/triage", content=big, headers={"Content-Type": "application/json"})
        streamed = http.post(
            "/triage", content=stream(), headers={"Content-Type": "application/json"}
        )
    for response in (declared, streamed):
        assert response.status_code == 413
        assert response.json()["field"] == "body"
