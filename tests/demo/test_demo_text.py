"""Planted values survive every wording transform, they validate, and templates are sound."""

from __future__ import annotations

import random
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casework.demo import pii
from casework.demo.context import SLOTS
from casework.demo.fragments import Piece, add_typos, casual, render, shout
from casework.demo.names import COUNTRIES
from casework.demo.plan import INTENTS
from casework.demo.templates import PACKS, LanguagePack

wording = st.text(alphabet=st.sampled_from("abcdefghij KLMNOP.,!?\n"), max_size=40)
values = st.sampled_from(["anna.schmidt@web.de", "+49 151 23456789", "4539 1488 0343 6467"])


@given(
    parts=st.lists(st.tuples(wording, st.none() | values), min_size=1, max_size=8),
    seed=st.integers(0, 2**16),
)
def test_transforms_never_move_or_change_a_planted_value(
    parts: list[tuple[str, str | None]], seed: int
) -> None:
    rng = random.Random(seed)
    pieces: list[Piece] = []
    for text, value in parts:
        pieces.append(Piece(text))
        if value is not None:
            pieces.append(Piece(value, "email" if "@" in value else "phone"))
    changed = casual(shout(add_typos(pieces, rng, 0.5), rng))
    text, spans = render(changed)
    assert text == text.strip()
    for span in spans:
        assert text[span.start : span.end] == span.value
    planted = [v for _, v in parts if v is not None and v.strip()]
    assert [s.value for s in spans] == planted


def test_generated_numbers_validate() -> None:
    rng = random.Random(1)
    for _ in range(500):
        assert pii.luhn_valid(pii.card_number(rng))
        assert pii.iban_valid(pii.iban(rng, rng.choice(pii.IBAN_COUNTRIES)))
    assert not pii.luhn_valid("4539 1488 0343 6468")
    assert not pii.iban_valid("DE89 3704 0044 0532 0130 01")


def test_one_phone_number_is_written_several_ways() -> None:
    rng = random.Random(2)
    for country in COUNTRIES:
        forms = pii.phone_formats(rng, country)
        digits = {"".join(c for c in form if c.isdigit())[-7:] for form in forms}
        assert len(digits) == 1 and forms[-1].startswith("+"), forms


def _templates(pack: LanguagePack) -> list[str]:
    """Every template string of a language pack, whatever field it sits in."""
    found: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item)

    for wording in (pack.customer, pack.agent):
        for name in wording.__dataclass_fields__:
            walk(getattr(wording, name))
    return found


@pytest.mark.parametrize("code", sorted(PACKS))
def test_every_template_fills_from_known_slots(code: str) -> None:
    pack = PACKS[code]
    for template in _templates(pack):
        fields = {f for _, f, _, _ in string.Formatter().parse(template) if f is not None}
        assert fields <= SLOTS | {"date", "core"}, (code, template)
    assert {i.key for i in INTENTS} <= set(pack.customer.core), code


def test_english_has_fifteen_paraphrases_per_intent() -> None:
    core = PACKS["en"].customer.core
    counts = {intent.key: sum(len(t) for t in core[intent.key].values()) for intent in INTENTS}
    assert min(counts.values()) >= 15, counts
