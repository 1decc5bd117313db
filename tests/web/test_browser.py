"""End to end in a real headless Chromium (Playwright driving the system's browser):
sign in, approve a draft, edit another, override a route and watch the audit trail
grow, see the demo's planted spike on the insights page, and take screenshots.

`casework demo` builds a small workspace once (500 tickets: enough for the week-9
carrier spike to clear the spike test) and `casework serve` runs it as a subprocess
on a free port, as a user would. Playwright never downloads a browser: it launches
`CASEWORK_TEST_CHROMIUM` or `/usr/bin/chromium` (Debian's `chromium` package). No
browser: the tests skip (the pytest header says so); `CASEWORK_TEST_CHROMIUM` set
and the browser will not start: they fail. Screenshots go to `artifacts/screenshots/`.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

CHROMIUM_VAR = "CASEWORK_TEST_CHROMIUM"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
DEMO_TICKETS = 500


def chromium_path() -> str | None:
    """The browser to drive: the variable if set, else Debian's, else None (skip)."""
    path = os.environ.get(CHROMIUM_VAR)
    if path:
        return path
    return DEFAULT_CHROMIUM if Path(DEFAULT_CHROMIUM).exists() else None


def _cli() -> list[str]:
    script = Path(sys.executable).parent / "casework"
    return [str(script)] if script.exists() else [sys.executable, "-m", "casework.cli"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    def __init__(self, workspace: Path, token: str, key_id: int) -> None:
        self.workspace, self.token, self.key_id = workspace, token, key_id
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(workspace / "serve.log", "wb")  # noqa: SIM115 - closed in stop()
        command = [*_cli(), "serve", "--port", str(self.port), "--workspace", str(workspace)]
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(self.url + "/dashboard/login", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                log = (workspace / "serve.log").read_text(errors="replace")
                raise RuntimeError(f"casework serve did not start:\n{log[-3000:]}")
            time.sleep(0.2)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    path = chromium_path()
    if path is None:
        pytest.skip(f"no Chromium at {DEFAULT_CHROMIUM} and {CHROMIUM_VAR} unset")
    from playwright.sync_api import sync_playwright

    manager = sync_playwright().start()
    try:
        launched = manager.chromium.launch(executable_path=path, args=ARGS, headless=True)
    except Exception as exc:
        manager.stop()
        if os.environ.get(CHROMIUM_VAR):
            pytest.fail(f"{CHROMIUM_VAR}={path} is set but Chromium did not start: {exc}")
        pytest.skip(f"Chromium at {path} did not start: {exc}")
    try:
        yield launched
    finally:
        launched.close()
        manager.stop()


@pytest.fixture(scope="module")
def server(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A demo workspace behind `casework serve`, with an admin key (browser first: no
    browser, no 20-second demo)."""
    workspace = tmp_path_factory.mktemp("e2e") / "ws"
    demo = [*_cli(), "demo", "--no-serve", "--json", "--tickets", str(DEMO_TICKETS)]
    subprocess.run([*demo, "--workspace", str(workspace)], check=True, capture_output=True)
    create = [*_cli(), "keys", "create", "--role", "admin", "--name", "e2e", "--json"]
    out = subprocess.run(
        [*create, "--workspace", str(workspace)], check=True, capture_output=True, text=True
    )
    key = json.loads(out.stdout)
    served = Server(workspace, key["key"], key["id"])
    try:
        yield served
    finally:
        served.stop()


@pytest.fixture
def page(browser: Any, server: Server) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    opened.set_default_timeout(20_000)
    dialogs: list[str] = []
    opened.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    opened.dialogs = dialogs
    try:
        yield opened
    finally:
        context.close()


def shot(page: Any, name: str, full_page: bool = False) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=full_page)


def sign_in(page: Any, server: Server) -> None:
    page.goto(server.url + "/")
    assert "/dashboard/login" in page.url
    page.fill("#key", server.token)
    page.click("button:has-text('Sign in')")
    page.wait_for_url(re.compile(r"/dashboard/review"))


def flash(page: Any) -> str:
    return str(page.locator("p.flash").first.inner_text())


def test_review_work_in_a_real_browser(page: Any, server: Server) -> None:
    from playwright.sync_api import expect

    sign_in(page, server)
    expect(page.locator("h1")).to_contain_text("Review queue")
    assert page.locator("li.item").count() > 0
    page.keyboard.press("j")  # keyboard: the first item is focused and marked
    expect(page.locator("li.item.current")).to_have_count(1)
    shot(page, "review-queue.png")

    # Approve a draft: one click (escalations come first; filter to drafts).
    page.select_option("select[name='kind']", "draft")
    page.click("button:has-text('Filter')")
    page.wait_for_url(re.compile(r"kind=draft"))
    shot(page, "review-queue-drafts.png")
    drafts = page.locator("li.item", has=page.locator("button[value='approve']"))
    first = drafts.nth(0)
    first_id = first.get_attribute("id")
    first.locator("button[value='approve']").click()
    assert re.fullmatch(r"Draft \d+ approved\.", flash(page)), flash(page)
    expect(page.locator(f"#{first_id} button[value='approve']")).to_have_count(0)

    # Edit another: open the editor, change the text, approve with edits.
    second = page.locator("li.item", has=page.locator("button[value='approve']")).nth(0)
    second.locator("summary:has-text('Edit draft')").click()
    second.locator("textarea").fill("Thanks for waiting: your parcel left our warehouse today.")
    second.locator("button[value='edit']").click()
    assert re.fullmatch(r"Draft \d+ approved with edits\.", flash(page)), flash(page)

    # Override a route from the ticket view, and watch the audit trail grow.
    item = page.locator("li.item", has=page.locator("button:has-text('Override')")).nth(0)
    ticket = item.get_attribute("data-ticket")
    page.goto(f"{server.url}/dashboard/tickets/{ticket}")
    events_before = page.locator("section.audit tbody tr").count()
    decision = page.locator("div.decision", has=page.locator("button:has-text('Override')"))
    select = decision.locator("select[name='queue']").first
    current = select.input_value()
    options = [o for o in select.locator("option").all_inner_texts() if o != current]
    select.select_option(options[0])
    decision.locator("button:has-text('Override')").first.click()
    assert f"overridden to {options[0]}" in flash(page)
    rows = page.locator("section.audit tbody tr")
    expect(rows).to_have_count(events_before + 1)
    last = rows.nth(events_before).inner_text()
    assert "review.override" in last and f"key:{server.key_id}" in last
    expect(page.locator("div.decision .state").first).to_have_text("overridden")
    shot(page, "ticket-view.png", full_page=True)


def test_insights_show_the_planted_spike(page: Any, server: Server) -> None:
    from playwright.sync_api import expect

    sign_in(page, server)
    page.click("nav >> text=Insights")
    spike = page.locator(".alert.spike[data-series='intent:order_status']").first
    expect(spike).to_be_visible()
    assert "order_status" in spike.inner_text() and "Examples: #" in spike.inner_text()
    expect(page.locator("svg rect.alert-band").first).to_be_attached()
    shot(page, "insights.png", full_page=True)


def test_a_script_in_a_ticket_stays_text_in_the_browser(page: Any, server: Server) -> None:
    body = "<script>alert('pwned')</script><img src=x onerror=alert(2)> where is it?"
    created = httpx.post(
        server.url + "/tickets",
        json={"subject": "<b>hi</b>", "body": body},
        headers={"Authorization": f"Bearer {server.token}"},
    )
    assert created.status_code == 201, created.text
    sign_in(page, server)
    page.goto(f"{server.url}/dashboard/tickets/{created.json()['id']}")
    conversation = page.locator("section.conversation .msg .body").first
    assert conversation.inner_text() == body
    assert page.locator("section.conversation script, section.conversation img").count() == 0
    assert page.dialogs == []
