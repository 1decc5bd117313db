"""Small labelled intent data built from templates, so tests train in seconds."""

from __future__ import annotations

import itertools
import random

import pytest

from casework.triage.intent import IntentClassifier

TEMPLATES = {
    "order_status": [
        "where is my order {n}",
        "my parcel {n} has not arrived yet",
        "when will order {n} be delivered",
        "tracking for {n} shows nothing, where is my package",
        "still waiting for my delivery {n}",
        "has my order {n} shipped",
    ],
    "refund_request": [
        "I want a refund for order {n}",
        "please refund the {n} euros you charged",
        "give me my money back for {n}",
        "how long does my refund for {n} take",
        "I returned {n} and still have no refund",
        "refund please, the item {n} was broken",
    ],
    "account_access": [
        "I cannot log in to my account",
        "password reset link {n} does not work",
        "locked out of my account after {n} attempts",
        "forgot my password, help me sign in",
        "login fails with error {n}",
        "two factor code {n} never arrives so I can't sign in",
    ],
    "invoice_question": [
        "I don't understand the VAT line on invoice {n}",
        "can you send a copy of invoice {n}",
        "the new invoice layout {n} is confusing",
        "my invoice {n} shows the wrong company name",
        "why does invoice {n} list a different amount",
        "I need an invoice with my tax number for {n}",
    ],
}


def make_examples(seed: int = 0, per_template: int = 6) -> tuple[list[str], list[str]]:
    rng = random.Random(seed)
    texts, labels = [], []
    for label, templates in TEMPLATES.items():
        for template, _ in itertools.product(templates, range(per_template)):
            texts.append(template.format(n=rng.randint(1000, 99999)))
            labels.append(label)
    return texts, labels


@pytest.fixture(scope="session")
def intent_examples() -> tuple[list[str], list[str]]:
    return make_examples()


@pytest.fixture(scope="session")
def trained_intent_model() -> IntentClassifier:
    texts, labels = make_examples()
    model = IntentClassifier(embedder="static", holdout=0.25, hidden_class_share=0.25)
    return model.fit(texts, labels)
