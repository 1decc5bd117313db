"""The `llm` scorer against a local server speaking OpenAI chat completions (127.0.0.1 only)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from pydantic import ValidationError
from qa_support import CONFIG, conv

from casework.config.rubric import QACriterion
from casework.config.schema import LLMSettings
from casework.qa.conversation import ScoringContext
from casework.qa.scorers import SCORERS

CARD = "4111 1111 1111 1111"
OWNERSHIP = QACriterion(
    id="ownership",
    description="The agent takes ownership: says what they did themselves, not 'the team'.",
    scorer="llm",
)


class Fake:
    """Answers every POST with `status` and `reply` (as the assistant's content); records bodies."""

    def __init__(self) -> None:
        self.status, self.reply, self.seen = 200, "", []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                fake.seen.append(self.rfile.read(int(self.headers.get("Content-Length", 0))))
                body = {"model": "gpt-test-1", "choices": [{"message": {"content": fake.reply}}]}
                payload = json.dumps(body).encode()
                self.send_response(fake.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"


@pytest.fixture
def fake() -> Iterator[Fake]:
    server = Fake()
    thread = threading.Thread(target=server.server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()


def ctx(url: str, provider: str = "openai") -> ScoringContext:
    settings = LLMSettings(provider=provider, base_url=url, model="gpt-test", max_retries=0)  # type: ignore[arg-type]
    return ScoringContext(CONFIG.model_copy(update={"llm": settings}))


CONVERSATION = conv(
    ("customer", f"I was charged twice on card {CARD}. Please fix it."),
    ("agent", "Hi Ana,\n\nI've refunded the second charge myself just now.\n\nBest, Sam"),
)


def test_score_and_evidence_come_from_the_model(fake: Fake) -> None:
    fake.reply = json.dumps(
        {
            "score": 2,
            "evidence_quote": "I've refunded the second charge myself",
            "reason": "owns it",
        }
    )
    score = SCORERS["llm"](CONVERSATION, OWNERSHIP, ctx(fake.url))
    assert score.score == 2 and score.reason.startswith("owns it [qa_criterion.v1")
    [ev] = score.evidence
    body = CONVERSATION.messages[1].body
    assert ev.message_index == 1 and body[ev.start : ev.end] == ev.quote
    assert ev.quote.startswith("I've refunded")
    sent = fake.seen[0].decode()
    assert CARD not in sent and "<CARD_1>" in sent  # only redacted text leaves
    assert "takes ownership" in json.loads(sent)["messages"][0]["content"]


def test_a_quote_with_a_placeholder_is_found_in_the_original(fake: Fake) -> None:
    fake.reply = (
        'Sure: {"score": 0, "evidence_quote": "charged twice on card <CARD_1>", "reason": "x"}'
    )
    score = SCORERS["llm"](CONVERSATION, OWNERSHIP, ctx(fake.url))
    assert score.score == 0 and score.evidence[0].message_index == 0
    assert score.evidence[0].quote.endswith(CARD)


@pytest.mark.parametrize(
    ("status", "reply", "why"),
    [
        (500, "", "not scored"),
        (200, "I think it is fine.", "not a JSON object"),
        (200, '{"score": 7, "evidence_quote": "", "reason": "x"}', "not a whole number in 0..2"),
        (200, '{"score": "2", "reason": "x"}', "not a whole number"),
    ],
)
def test_any_failure_leaves_the_criterion_unscored(
    fake: Fake, status: int, reply: str, why: str
) -> None:
    fake.status, fake.reply = status, reply
    score = SCORERS["llm"](CONVERSATION, OWNERSHIP, ctx(fake.url))
    assert score.score is None and why in score.reason


def test_no_provider_configured_skips_with_a_reason() -> None:
    score = SCORERS["llm"](CONVERSATION, OWNERSHIP, ctx("http://127.0.0.1:9", provider="none"))
    assert score.score is None and score.reason.startswith("not scored")


def test_an_llm_criterion_needs_words() -> None:
    with pytest.raises(ValidationError, match="needs a description"):
        QACriterion(id="vague", scorer="llm")
