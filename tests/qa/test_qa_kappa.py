"""Agreement figures on sets small enough to check by hand."""

from __future__ import annotations

import pytest

from casework.qa.calibration import agreement


def test_unweighted_kappa_on_a_pass_fail_criterion() -> None:
    # auto vs human, 10 pairs: agree on 4 passes and 4 fails, differ on 2.
    pairs = [(1, 1)] * 4 + [(0, 0)] * 4 + [(1, 0), (0, 1)]
    result = agreement("pii", pairs, scale=1)
    # p_o = 0.8; each side passes 5 of 10, so p_e = 0.5 * 0.5 + 0.5 * 0.5 = 0.5
    assert result.kappa == pytest.approx((0.8 - 0.5) / (1 - 0.5))
    assert (result.n, result.exact, result.adjacent, result.weights) == (10, 0.8, 1.0, "none")


def test_quadratic_kappa_on_a_three_point_scale() -> None:
    pairs = [(0, 0), (1, 1), (2, 2), (2, 1), (0, 2)]
    result = agreement("answered", pairs, scale=2)
    # disagreement weights (i-j)^2/4: observed (0.25 + 1) / 5 = 0.25; auto marginals
    # {0: 2, 1: 1, 2: 2}, human {0: 1, 1: 2, 2: 2} give an expected 8.75 / 25 = 0.35,
    # so kappa = 1 - 0.25 / 0.35 = 2/7
    expected = (
        sum(
            a * h * (i - j) ** 2 / 4
            for i, a in enumerate((2, 1, 2))
            for j, h in enumerate((1, 2, 2))
        )
        / 25
    )
    assert expected == pytest.approx(0.35)
    assert result.kappa == pytest.approx(2 / 7, abs=1e-3)
    assert (result.exact, result.adjacent) == (0.6, 0.8)


def test_no_pairs_and_no_variation() -> None:
    assert agreement("x", [], scale=2).kappa is None
    assert agreement("x", [(1, 1), (1, 1)], scale=1).kappa is None  # chance agreement is 1
