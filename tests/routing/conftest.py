"""A small workspace config, the bundled triager and a tiny trained queue model."""

from __future__ import annotations

import itertools
import random
from typing import Any

import pytest
from routing_support import TEMPLATES, FactsMaker, make_config

from casework.config.schema import WorkspaceConfig
from casework.routing.facts import RoutingFacts, facts_from
from casework.routing.queue_model import KIND, queue_model_meta, train_queue_model
from casework.triage.engine import Triager
from casework.triage.model_store import StoredModel, load_bundled


@pytest.fixture
def config() -> WorkspaceConfig:
    return make_config()


@pytest.fixture(scope="session")
def triager() -> Triager:
    return Triager(load_bundled("intent"))


@pytest.fixture(scope="session")
def facts_for(triager: Triager) -> FactsMaker:
    """Facts for a text, through the real triage (redaction, intent, cues)."""

    def make(text: str, **ticket: Any) -> RoutingFacts:
        return facts_from(triager.triage(text), **ticket)

    return make


@pytest.fixture(scope="session")
def queue_model() -> StoredModel:
    """Trained on template texts where one ticket in six ended in another queue, as
    transferred tickets do; without that noise the tiny set is perfectly separable and
    every calibrated probability would be 1."""
    rng = random.Random(1)
    names = list(TEMPLATES)
    texts, queues = [], []
    for queue, templates in TEMPLATES.items():
        for i, (template, _) in enumerate(itertools.product(templates, range(5))):
            texts.append(template.format(n=rng.randint(1000, 99999)))
            queues.append(names[(names.index(queue) + 1) % len(names)] if i % 6 == 5 else queue)
    model = train_queue_model(texts, queues, holdout=0.25)
    return StoredModel(KIND, "queue-test-1", model, queue_model_meta(model, queues))
