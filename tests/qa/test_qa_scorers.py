"""Each default criterion passes and fails on small hand-written conversations."""

from __future__ import annotations

from qa_support import CONFIG, RUBRIC, START, conv, run

from casework.config.rubric import SCORER_NAMES
from casework.knowledge.retrieval import Document
from casework.qa.conversation import ScoringContext
from casework.qa.scorers import SCORERS
from casework.qa.scoring import score_conversation

HELLO = "Hi Ana,\n\n{}\n\nBest regards,\nSam"
UPSET = "This is ridiculous, I am furious! Third time I write and my parcel is STILL missing."


def test_registry_matches_the_names_the_config_accepts() -> None:
    assert set(SCORERS) == set(SCORER_NAMES)
    assert {c.scorer for c in RUBRIC.criteria} == set(SCORER_NAMES) - {"llm"}  # llm: opt-in


def test_forbidden_phrase_auto_fails_with_its_span() -> None:
    reply = HELLO.format("Calm down, the parcel will come.")
    c = conv(("customer", "Where is my parcel?"), ("agent", reply))
    score = run("service_language", c)
    assert score.score == 0
    (ev,) = score.evidence
    assert ev.message_index == 1 and ev.quote == "Calm down"
    assert reply[ev.start : ev.end] == "Calm down"
    result = score_conversation(c, RUBRIC, ScoringContext(CONFIG))
    assert result.auto_failed and result.total == 0


def test_approved_phrase_scores_full_and_plain_wording_half() -> None:
    good = conv(("customer", "Hi"), ("agent", HELLO.format("Thank you for getting in touch.")))
    plain = conv(("customer", "Hi"), ("agent", HELLO.format("Here it is.")))
    assert run("service_language", good).score == 2
    assert run("service_language", plain).score == 1


def test_full_card_number_echoed_by_agent_auto_fails() -> None:
    card = "4111 1111 1111 1111"
    c = conv(
        ("customer", f"My card {card} was charged twice."),
        ("agent", HELLO.format(f"I can see two charges on card {card}; one is refunded.")),
    )
    score = run("pii_exposure", c)
    assert score.score == 0 and score.evidence[0].message_index == 1
    assert score.evidence[0].quote == card
    assert score_conversation(c, RUBRIC, ScoringContext(CONFIG)).total == 0


def test_masked_card_is_not_exposure() -> None:
    c = conv(("customer", "Charged twice"), ("agent", HELLO.format("Card ending 1111 refunded.")))
    assert run("pii_exposure", c).score == 1


def test_asking_for_an_order_number_the_customer_gave_is_flagged() -> None:
    c = conv(
        ("customer", "Where is my order ORD-4169922? It was due Monday."),
        ("agent", HELLO.format("Could you send me your order number so I can check?")),
    )
    score = run("back_and_forth", c)
    assert score.score == 0
    given, asked = score.evidence
    assert (given.message_index, given.quote) == (0, "ORD-4169922")
    assert asked.message_index == 1 and asked.quote == "order number"


def test_asking_for_a_missing_order_number_is_fine() -> None:
    c = conv(
        ("customer", "Where is my order? It was due Monday."),
        ("agent", HELLO.format("Could you send me your order number so I can check?")),
    )
    assert run("back_and_forth", c).score == 1


def test_empathy_is_needed_only_when_the_customer_is_upset() -> None:
    calm = conv(("customer", "Hello, where is my parcel?"), ("agent", HELLO.format("On its way.")))
    assert run("empathy", calm).score is None
    cold = conv(("customer", UPSET), ("agent", HELLO.format("It is on its way.")))
    warm = conv(("customer", UPSET), ("agent", HELLO.format("I'm so sorry. It is on its way.")))
    cold_score, warm_score = run("empathy", cold), run("empathy", warm)
    assert cold_score.score == 0 and cold_score.evidence[0].message_index == 0
    assert warm_score.score == 2 and warm_score.evidence[-1].quote == "sorry"


def test_greeting_and_closing() -> None:
    both = conv(("customer", "Hi"), ("agent", "Hello Ana,\n\nDone.\n\nKind regards,\nSam\nShop"))
    bare = conv(("customer", "Hi"), ("agent", "Done."))
    assert run("greeting_closing", both).score == 2
    assert run("greeting_closing", bare).score == 0


def test_a_second_question_left_unanswered_costs_points() -> None:
    asked = "Where is my parcel? And can I change the delivery address?"
    part = conv(
        ("customer", asked), ("agent", HELLO.format("I've checked: your parcel is on its way."))
    )
    full = conv(
        ("customer", asked),
        (
            "agent",
            HELLO.format(
                "I've checked: your parcel is on its way, and I updated the delivery address."
            ),
        ),
    )
    partial = run("answered", part)
    assert partial.score == 1 and "change the delivery address?" in partial.evidence[0].quote
    assert run("answered", full).score == 2


def test_sla_counts_business_minutes_against_the_priority() -> None:
    fast = conv(("customer", "Hi"), ("agent", "Hi"), minutes=30, priority="high")
    slow = conv(("customer", "Hi"), ("agent", "Hi"), minutes=200, priority="high")
    assert run("sla", fast).score == 2
    assert run("sla", slow).score == 0  # 200 min against a 60-minute target


def test_resolution_confirmed_reopened_and_open() -> None:
    reopened = conv(
        ("customer", "Hi"), ("agent", "Done."),
        status_changes=[(START, "open"), (START, "solved"), (START.replace(day=3), "open"),
                        (START.replace(day=4), "solved")],
    )  # fmt: skip
    thanked = conv(("customer", "Hi"), ("agent", "Done."), ("customer", "Thanks, that worked!"))
    assert run("resolution_confirmed", reopened).score == 1
    assert run("resolution_confirmed", thanked).score == 2
    assert run("resolution_confirmed", conv(("customer", "Hi"), status="open")).score is None


def test_kb_claim_contradicting_the_article_fails() -> None:
    article = Document(
        1, "kb-9", 1, "Returns", "You can return any item within 30 days of delivery."
    )
    ctx = ScoringContext(CONFIG, article_for=lambda _c, _t: article)
    wrong = conv(
        ("customer", "Return?"),
        ("agent", HELLO.format("You can return the item within 14 days of delivery.")),
    )
    right = conv(
        ("customer", "Return?"),
        ("agent", HELLO.format("You can return the item within 30 days of delivery.")),
    )
    score = run("kb_correct", wrong, ctx)
    assert score.score == 0 and score.evidence[0].quote == "14 days"
    assert run("kb_correct", right, ctx).score == 1
    assert run("kb_correct", right).score is None  # no article: not judged
