"""Drafts are grounded, cited, disclosed, and fall back when a model fails."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from casework.config.loader import default_config
from casework.config.schema import WorkspaceConfig
from casework.knowledge.compose import draft_reply
from casework.knowledge.drafting import check_support, extractive_draft
from casework.llm.base import LLMError, LLMReply, Message


@dataclass
class Hit:
    article_id: int
    external_id: str
    version: int
    title: str
    passage: str
    score: float
    semantic_score: float | None = None


RETURNS = Hit(
    7,
    "returns-policy",
    3,
    "Returning an item",
    "You can return any item within 30 days of delivery. Print the prepaid label from your "
    "account page. Refunds reach your card within 5 working days after we receive the parcel.",
    0.9,
    0.82,
)


@pytest.fixture
def config() -> WorkspaceConfig:
    return default_config()


def test_extractive_draft_cites_the_article_and_carries_the_disclosure(
    config: WorkspaceConfig,
) -> None:
    draft = extractive_draft("How long do I have to return an item?", [RETURNS], {}, config)
    assert "30 days" in draft.text
    assert draft.text.rstrip().endswith(config.knowledge.disclosure)
    assert [(c.external_id, c.version) for c in draft.citations] == [("returns-policy", 3)]
    assert draft.method == "extractive" and draft.machine_written
    assert not check_support(
        draft.text.replace(config.knowledge.disclosure, ""),
        [
            RETURNS.passage,
            *config.service_language.use,
        ],
    )


def test_context_fields_are_phrased_and_listed(config: WorkspaceConfig) -> None:
    context = {"orders.status": "shipped", "orders.carrier": "SwiftPost"}
    draft = extractive_draft("Where is my order?", [], context, config)
    assert "shipped" in draft.text and "SwiftPost" in draft.text
    assert draft.context_used == ["orders.status", "orders.carrier"]


def test_no_source_means_low_confidence(config: WorkspaceConfig) -> None:
    draft = extractive_draft("Can I pay with two gift cards?", [], {}, config)
    assert draft.confidence == 0.0
    assert draft.low_confidence_reasons


def test_a_stale_article_is_flagged_to_the_agent(config: WorkspaceConfig) -> None:
    draft = extractive_draft("return an item?", [RETURNS], {}, config, stale_articles={7})
    assert draft.citations[0].stale
    assert any("not reviewed" in w for w in draft.warnings)


class TimingOut:
    name = "openai"

    def complete(self, system: str, messages: list[Message], *, max_tokens: int) -> LLMReply:
        raise LLMError("timed out after 20 s")


class Inventive:
    name = "openai"

    def __init__(self, text: str) -> None:
        self.text = text
        self.seen: list[str] = []

    def complete(self, system: str, messages: list[Message], *, max_tokens: int) -> LLMReply:
        self.seen.append(messages[0]["content"])
        return LLMReply(self.text, "test-model", "openai", 1.0)


def test_a_provider_that_times_out_yields_the_extractive_draft(config: WorkspaceConfig) -> None:
    draft = draft_reply("How long do I have to return an item?", [RETURNS], {}, config, TimingOut())
    assert draft.method.startswith("extractive (language model unavailable")
    assert "30 days" in draft.text
    assert draft.text.rstrip().endswith(config.knowledge.disclosure)


def test_unsupported_model_claims_make_the_draft_low_confidence(config: WorkspaceConfig) -> None:
    grounded = Inventive("You can return any item within 30 days of delivery [1].")
    good = draft_reply("return?", [RETURNS], {}, config, grounded)
    assert good.method.startswith("llm:openai/test-model")
    assert not good.low_confidence_reasons and good.citations[0].external_id == "returns-policy"
    invented = Inventive("We will send you a free replacement blender tomorrow by helicopter [1].")
    bad = draft_reply("return?", [RETURNS], {}, config, invented)
    assert bad.confidence <= 0.3
    assert any("not supported" in r for r in bad.low_confidence_reasons)


def test_only_redacted_text_reaches_the_model(config: WorkspaceConfig) -> None:
    spy = Inventive("You can return any item within 30 days of delivery [1].")
    draft_reply("Return? My card is 4111 1111 1111 1111", [RETURNS], {}, config, spy)
    assert "4111" not in spy.seen[0] and "<CARD_1>" in spy.seen[0]
