"""Class-wise neighbour scores against a brute-force computation."""

from __future__ import annotations

import numpy as np

from casework.triage.intent_neighbours import ClassNeighbours


def _unit(rows: np.ndarray) -> np.ndarray:
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_scores_match_brute_force_for_k_1_and_3() -> None:
    rng = np.random.default_rng(0)
    train = _unit(rng.normal(size=(40, 8)))
    labels = np.array(["b"] * 15 + ["a"] * 23 + ["c"] * 2)
    queries = _unit(rng.normal(size=(5, 8)))
    classes = np.array(["a", "b", "c"])
    sims = queries @ train.T
    for k in (1, 3):
        index = ClassNeighbours.build(train, labels, classes, k=k, max_rows=1000)
        per_class, nearest = index.scores(queries)
        for j, name in enumerate(classes):
            column = np.sort(sims[:, labels == name], axis=1)[:, -k:]
            np.testing.assert_allclose(per_class[:, j], column.mean(axis=1), rtol=1e-5)
        np.testing.assert_allclose(nearest, sims.max(axis=1), rtol=1e-5)


def test_cap_keeps_the_same_share_of_every_class() -> None:
    train = _unit(np.random.default_rng(1).normal(size=(300, 4)))
    labels = np.array(["x"] * 250 + ["y"] * 50)
    index = ClassNeighbours.build(train, labels, np.array(["x", "y"]), k=1, max_rows=60)
    assert list(np.diff(index.bounds)) == [30, 30]


def test_own_class_is_the_nearest_row_of_the_predicted_class_only() -> None:
    rng = np.random.default_rng(2)
    train = _unit(rng.normal(size=(30, 6)))
    labels = np.array(["a"] * 12 + ["b"] * 10 + ["c"] * 8)
    classes = np.array(["a", "b", "c"])
    queries = _unit(rng.normal(size=(7, 6)))
    predicted = np.array([0, 2, 1, 1, 0, 2, 2])
    index = ClassNeighbours.build(train, labels, classes, k=1, max_rows=1000)
    sims = queries @ train.T
    expected = [sims[i, labels == classes[c]].max() for i, c in enumerate(predicted)]
    np.testing.assert_allclose(index.own_class(queries, predicted), expected, rtol=1e-5)
