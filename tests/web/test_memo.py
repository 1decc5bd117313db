"""Slow analyses are kept while the data is unchanged, and recomputed when it changes."""

from __future__ import annotations

import re
from types import SimpleNamespace

from fastapi.testclient import TestClient
from sqlalchemy import select
from web_support import Site, csrf_of

from casework.store.tables import DraftRow
from casework.web import memo


def test_a_result_is_reused_until_the_fingerprint_or_its_age_changes() -> None:
    state = SimpleNamespace()
    calls: list[int] = []
    clock = [0.0]

    def compute() -> int:
        calls.append(1)
        return len(calls)

    def ask(fp: tuple[int, ...]) -> int:
        return memo.remember(state, "page", "k", fp, compute, now=lambda: clock[0])

    assert ask((1,)) == 1 and ask((1,)) == 1
    assert ask((2,)) == 2
    clock[0] = memo.MAX_AGE + 1
    assert ask((2,)) == 3
    assert memo.remember(state, "page", "other", (2,), compute) == 4


def test_a_review_changes_the_fingerprint(site: Site, as_role: object) -> None:
    before = memo.fingerprint(site.ws)
    assert memo.fingerprint(site.ws) == before
    client: TestClient = as_role("agent")  # type: ignore[operator]
    with site.ws.session() as s:
        draft = s.scalars(select(DraftRow).where(DraftRow.state == "proposed")).all()[-1]
    token = csrf_of(client.get("/dashboard/review").text)
    client.post(
        f"/dashboard/drafts/{draft.id}/review", data={"action": "reject", "csrf_token": token}
    )
    assert memo.fingerprint(site.ws) != before


def test_kept_quality_results_are_still_masked_per_role(site: Site, as_role: object) -> None:
    raw = as_role("admin").get("/dashboard/quality").text  # type: ignore[operator]
    masked = as_role("analyst").get("/dashboard/quality").text  # type: ignore[operator]
    again = as_role("admin").get("/dashboard/quality").text  # type: ignore[operator]
    quotes = re.compile(r"<q>(.*?)</q>", re.S)
    assert quotes.findall(masked) != quotes.findall(raw)  # the analyst's are redacted
    assert quotes.findall(again) == quotes.findall(raw)  # and the kept result is not
