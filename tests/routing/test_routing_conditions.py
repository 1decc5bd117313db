"""The condition language: what each form means, and refusals that name the key at fault."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

import pytest

from casework.config.schema import CONDITION_FIELDS
from casework.routing.conditions import (
    ATTRIBUTE_PREFIX,
    FIELD_KINDS,
    ConditionError,
    compile_condition,
    format_path,
)
from casework.routing.facts import RoutingFacts

BASE = RoutingFacts(
    intent="refund_request", intent_confidence=0.91, urgency="high", sentiment="negative",
    sentiment_score=-0.62, frustration=False, language="en",
    text="Refund\nPlease refund the 720 EUR, my lawyer says this is an issue.",
    channel="email", customer_tier="vip", customer_attributes={"country": "DE", "orders": 12},
    tags=("email", "after_hours"), amount=Decimal("720"), currency="EUR",
    missing=("order_number",), legal_threat=True, cues={"legal": ("lawyer",)},
)  # fmt: skip


def holds(spec: dict[str, Any], facts: RoutingFacts = BASE) -> bool:
    return compile_condition(spec)(facts)


def test_every_documented_field_can_be_compiled() -> None:
    assert set(FIELD_KINDS) | {ATTRIBUTE_PREFIX + "*"} == set(CONDITION_FIELDS)


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ({"intent": "refund_request"}, True),  # plain value: equality
        ({"intent": "order_status"}, False),
        ({"intent": ["order_status", "refund_request"]}, True),  # list: membership
        ({"urgency": {"in": ["low", "normal"]}}, False),
        ({"urgency": {"not_in": ["low", "normal"]}}, True),
        ({"amount": {"gte": 720}}, True),
        ({"amount": {"gt": 720}}, False),
        ({"amount": {"gte": 500, "lt": 1000}}, True),  # several operators: all must hold
        ({"intent_confidence": {"lt": 0.5}}, False),
        ({"sentiment_score": {"lte": -0.5}}, True),
        ({"legal_threat": True, "fraud": False}, True),
        ({"customer.tier": "vip"}, True),
        ({"customer.attributes.country": ["DE", "AT"]}, True),
        ({"customer.attributes.orders": {"gte": 10}}, True),
        ({"customer.attributes.missing_attr": "x"}, False),
        ({"customer.attributes.country": {"gt": 3}}, False),  # wrong type at run time: no match
        ({"tags": "email"}, True),  # plain value on a list field: contains
        ({"tags": ["vip", "after_hours"]}, True),
        ({"tags": {"contains": "vip"}}, False),
        ({"missing": {"matches": "^order"}}, True),
        ({"text": "LAWYER"}, True),  # text: whole words, any case
        ({"text": "sue"}, False),  # ...so "sue" does not match inside "issue"
        ({"text": {"matches": r"refund\s+the\s+\d+"}}, True),
        ({"channel": {"matches": "^e"}}, True),
        ({"currency": {"ne": "EUR"}}, False),
        ({}, True),
    ],
)
def test_field_tests(spec: dict[str, Any], expected: bool) -> None:
    assert holds(spec) is expected


def test_missing_amount_never_satisfies_a_comparison() -> None:
    no_amount = dataclasses.replace(BASE, amount=None, currency=None)
    assert not holds({"amount": {"gte": 0}}, no_amount)
    assert not holds({"amount": {"lt": 1_000_000}}, no_amount)


def test_combinators_all_any_not() -> None:
    assert holds(
        {"all": [{"intent": "refund_request"}, {"any": [{"fraud": True}, {"legal_threat": True}]}]}
    )
    assert not holds({"any": [{"fraud": True}, {"channel": "chat"}]})
    assert holds({"not": {"channel": "chat"}})
    assert not holds({"not": {"any": [{"channel": "chat"}, {"tags": "email"}]}})
    assert not holds({"intent": "refund_request", "not": {"customer.tier": "vip"}})


def test_explain_says_why_in_words() -> None:
    condition = compile_condition({"intent": "refund_request", "amount": {"gte": 500}})
    assert condition.explain(BASE) == "intent is refund_request and amount 720 EUR ≥ 500"
    either = compile_condition(
        {"any": [{"fraud": True}, {"legal_threat": True}, {"text": ["lawyer", "court"]}]}
    )
    assert either.explain(BASE) == "legal threat ('lawyer') or text mentions 'lawyer'"
    assert "not (channel is chat)" in compile_condition({"not": {"channel": "chat"}}).explain(BASE)


@pytest.mark.parametrize(
    ("spec", "path", "words"),
    [
        ({"inten": "x"}, ("inten",), "unknown field 'inten'"),
        ({"amount": {"gtee": 5}}, ("amount", "gtee"), "unknown operator 'gtee'"),
        ({"amount": {"gte": "500"}}, ("amount", "gte"), "expected a number"),
        ({"amount": {"gte": True}}, ("amount", "gte"), "expected a number"),
        ({"intent": {"gte": 3}}, ("intent", "gte"), "does not apply to intent"),
        ({"text": {"matches": "(unclosed"}}, ("text", "matches"), "invalid regular expression"),
        ({"legal_threat": "yes"}, ("legal_threat",), "expected true or false"),
        ({"urgency": "hgih"}, ("urgency",), "one of low, normal, high, urgent"),
        ({"intent": {"in": ["a", 3]}}, ("intent", "in", 1), "expected a string"),
        ({"intent": {"in": []}}, ("intent", "in"), "a non-empty list"),
        ({"any": {"intent": "x"}}, ("any",), "a non-empty list of conditions"),
        ({"all": [{"intent": "x"}, {"bogus": 1}]}, ("all", 1, "bogus"), "unknown field"),
        ({"not": {"amount": {"gte": "lots"}}}, ("not", "amount", "gte"), "expected a number"),
        ({"customer.attributes.": "x"}, ("customer.attributes.",), "unknown field"),
    ],
)
def test_bad_conditions_are_refused_with_the_path(
    spec: dict[str, Any], path: tuple[str | int, ...], words: str
) -> None:
    with pytest.raises(ConditionError) as caught:
        compile_condition(spec, ("rules", 2, "when"))
    assert caught.value.path == ("rules", 2, "when", *path)
    assert words in caught.value.message
    assert str(caught.value).startswith(format_path(("rules", 2, "when", *path)) + ":")
