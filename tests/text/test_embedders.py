"""Behaviour of the packaged offline embedders (artefacts under casework/text/models)."""

from __future__ import annotations

import numpy as np
import pytest

from casework.text.embedders import Embedder, available_embedders, get_embedder

NAMES = ["static", "minilm"]
SENTENCES = ["where is my order", "my parcel has not arrived", "I want to reset my password"]


@pytest.fixture(scope="module", params=NAMES)
def embedder(request: pytest.FixtureRequest) -> Embedder:
    return get_embedder(request.param)


def test_registry() -> None:
    assert available_embedders() == ["minilm", "static"]
    assert get_embedder("static") is get_embedder("STATIC")
    with pytest.raises(KeyError):
        get_embedder("no-such-model")


def test_metadata(embedder: Embedder) -> None:
    assert isinstance(embedder, Embedder)
    assert embedder.name in NAMES
    assert embedder.version
    assert embedder.dim == {"static": 256, "minilm": 384}[embedder.name]


def test_shape_dtype_and_unit_norm(embedder: Embedder) -> None:
    vecs = embedder.embed(SENTENCES)
    assert vecs.shape == (len(SENTENCES), embedder.dim)
    assert vecs.dtype == np.float32
    assert np.all(np.isfinite(vecs))
    np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)


def test_similar_texts_score_higher(embedder: Embedder) -> None:
    order, parcel, password = embedder.embed(SENTENCES)
    assert float(order @ parcel) > float(order @ password)
    assert float(order @ parcel) > float(parcel @ password)


def test_one_at_a_time_is_deterministic(embedder: Embedder) -> None:
    first = np.stack([embedder.embed([s])[0] for s in SENTENCES])
    again = np.stack([embedder.embed([s])[0] for s in SENTENCES])
    np.testing.assert_array_equal(first, again)
    batch = embedder.embed(SENTENCES)
    # int8 dynamic quantisation scales depend on the batch, so minilm is close, not exact.
    assert np.all(np.sum(first * batch, axis=1) > 0.97)
    if embedder.name == "static":
        np.testing.assert_allclose(first, batch, atol=1e-6)


def test_input_order_preserved(embedder: Embedder) -> None:
    texts = ["short", "a much longer text about a card payment that was declined twice", "hi"]
    forward = embedder.embed(texts)
    backward = embedder.embed(texts[::-1])[::-1]
    assert np.all(np.sum(forward * backward, axis=1) > 0.97)


def test_empty_and_odd_inputs(embedder: Embedder) -> None:
    assert embedder.embed([]).shape == (0, embedder.dim)
    vecs = embedder.embed(["", "   ", "🙂 ñ 中文", "refund " * 2000])
    assert vecs.shape == (4, embedder.dim)
    assert np.all(np.isfinite(vecs))
    norms = np.linalg.norm(vecs, axis=1)
    # Static: no known token -> all-zero row (similar to nothing); minilm always has [CLS]/[SEP].
    assert np.all((np.abs(norms - 1.0) < 1e-5) | (norms == 0.0))
    assert norms[3] == pytest.approx(1.0, abs=1e-5)
    if embedder.name == "minilm":
        np.testing.assert_allclose(norms, 1.0, atol=1e-5)


def test_single_str_rejected(embedder: Embedder) -> None:
    with pytest.raises(TypeError):
        embedder.embed("where is my order")
