"""The numpy transform must give exactly scikit-learn's matrix, or models would drift."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from casework.text.fast_tfidf import CompiledTfidf, transform_fast

TRAIN = [
    "Where is my order 12345? It has not arrived",
    "I was charged twice for the same order",
    "Wo ist meine Bestellung? Ich warte seit Tagen",
    "Ma commande n'est pas arrivée, c'est la troisième fois",
    "Please cancel my subscription before the renewal",
    "The app crashes when I log in",
    "refund refund refund!!! I want my money back",
    "How do I change my delivery address?",
] * 2

UNSEEN = [
    "Where is my refund? charged twice",
    "",
    "   \t\n ",
    "a",
    "ÜBER café — naïve 😀 ok",
    "x\x00y order",
    "tab\tseparated\nlines  and   spaces",
    "ORDER order OrDeR",
    "completely unrelated vocabulary zyx",
]


@pytest.mark.parametrize(
    "vectorizer",
    [
        TfidfVectorizer(ngram_range=(1, 3), sublinear_tf=True),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 4)),
    ],
    ids=["word-1-3", "char_wb-2-5", "char_wb-3-4-linear-tf"],
)
def test_same_matrix_as_scikit_learn(vectorizer: TfidfVectorizer) -> None:
    vectorizer.fit(TRAIN)
    assert CompiledTfidf.compile(vectorizer) is not None  # the fast path is what is tested
    assert transform_fast(vectorizer, []).shape == (0, len(vectorizer.vocabulary_))
    for texts in (UNSEEN, TRAIN, UNSEEN[:1]):
        expected = vectorizer.transform(texts).tocsr()
        got = transform_fast(vectorizer, texts)
        assert got.shape == expected.shape
        assert np.array_equal(got.indptr, expected.indptr)
        assert np.array_equal(got.indices, expected.indices)
        assert np.allclose(got.data, expected.data, rtol=0, atol=1e-12)


def test_unsupported_configuration_falls_back_to_scikit_learn() -> None:
    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 2)).fit(TRAIN)
    assert CompiledTfidf.compile(vectorizer) is None
    expected = vectorizer.transform(UNSEEN).toarray()
    assert np.allclose(transform_fast(vectorizer, UNSEEN).toarray(), expected)


def test_refitted_vectorizer_is_compiled_again() -> None:
    vectorizer = TfidfVectorizer().fit(["alpha beta", "beta gamma"])
    transform_fast(vectorizer, ["alpha"])
    vectorizer.fit(["delta epsilon", "epsilon zeta"])
    got = transform_fast(vectorizer, ["delta"]).toarray()
    assert np.allclose(got, vectorizer.transform(["delta"]).toarray())
