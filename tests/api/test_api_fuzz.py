"""OpenAPI-driven property test: schemathesis generates requests for every operation in the
schema and sends them, with an admin key, to the real app on loopback; none may get a 5xx.

Bounded: 15 examples per operation and no shrinking, so a backend takes well under a
minute. 4xx answers are fine — the point is that no input, however odd, crashes the
server. (schemathesis' own pytest plugin does not run under this pytest, so each
operation is a plain parametrized test driving the operation's hypothesis strategy.)
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from api_support import Served
from hypothesis import HealthCheck, Phase, given, settings

from casework import Workspace
from casework.api.app import create_app

MAX_EXAMPLES = 15
# The schema does not depend on the data: built once from an app over a workspace never opened.
SCHEMA = schemathesis.openapi.from_dict(create_app(Workspace("unused-fuzz")).openapi())
OPERATIONS = [
    (method.upper(), path)
    for path, methods in SCHEMA.raw_schema["paths"].items()
    for method in methods
]


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_no_operation_answers_5xx(served: Served, method: str, path: str) -> None:
    operation = SCHEMA[path][method]
    headers = {"Authorization": f"Bearer {served.keys['admin'][1]}"}

    @given(case=operation.as_strategy())
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],  # no shrinking: the message names the request
        suppress_health_check=list(HealthCheck),
        database=None,
        # The same cases on every CI run; CASEWORK_FUZZ_RANDOM=1 explores new ones.
        derandomize=not os.environ.get("CASEWORK_FUZZ_RANDOM"),
    )
    def check(case: Any) -> None:
        response = case.call(base_url=served.base_url, headers=headers, timeout=60)
        assert response.status_code < 500, (
            f"{case.method} {case.formatted_path} -> {response.status_code}: "
            f"{response.text[:500]}\n{case.as_curl_command()}"
        )

    check()


def test_regressions_the_fuzzer_found(served: Served) -> None:
    """Ids beyond INTEGER overflowed the database driver, and a NUL character is refused by
    PostgreSQL text columns: both were 500s, now 422s (a NUL is stored as is on SQLite)."""
    with served.client("admin") as http:
        for path in ("/tickets/4517496930585762084232032681984", "/tickets?after=2147483648"):
            response = http.get(path)
            assert response.status_code == 422, response.text
        huge = http.post("/drafts/1047707063653141839872/review", json={"action": "approve"})
        assert huge.status_code == 422 and huge.json()["field"] == "draft_id"
        nul = http.post("/answer", json={"question": "Where is my parcel?\x00"})
        expected = {200} if served.ws.is_sqlite else {422}
        assert nul.status_code in expected, nul.text
