"""Costs from logits: correct, and finite for logits up to |z| = 1e4."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from tui_nn.core import compute_cost, l2_cost
from tui_nn.core.costs import logsumexp


def bce_reference(z: float, y: float) -> float:
    """-(y log s(z) + (1-y) log(1-s(z))) = max(z, 0) - y z + log(1 + exp(-|z|)), by hand."""
    return max(z, 0.0) - y * z + math.log1p(math.exp(-abs(z)))


def no_float_errors():
    """Overflow, invalid and divide raise; underflow to 0 is the correct result and allowed."""
    return np.errstate(all="raise", under="ignore")


@pytest.mark.parametrize("z", [-1e4, -1e3, -50.0, -3.0, 0.0, 1e-9, 3.0, 50.0, 1e3, 1e4])
@pytest.mark.parametrize("y", [0.0, 1.0])
def test_binary_cross_entropy_matches_stable_reference(z, y):
    with no_float_errors(), warnings.catch_warnings():
        warnings.simplefilter("error")
        J = compute_cost(np.array([[z]]), np.array([[y]]), "sigmoid")
    assert math.isfinite(J)
    # absolute error at most a rounding of z (the cost is a mean of such terms)
    assert J == pytest.approx(bce_reference(z, y), rel=1e-13, abs=1e-15 * max(1.0, abs(z)))


def test_binary_cross_entropy_extremes_by_value():
    J = lambda z, y: compute_cost(np.array([[z]]), np.array([[y]]), "sigmoid")  # noqa: E731
    assert J(1e4, 0.0) == pytest.approx(1e4, rel=1e-15)
    assert J(-1e4, 1.0) == pytest.approx(1e4, rel=1e-15)
    assert J(1e4, 1.0) == 0.0
    assert J(0.0, 1.0) == pytest.approx(math.log(2), rel=1e-15)


def test_binary_cross_entropy_equals_course_formula_on_moderate_logits():
    rng = np.random.RandomState(0)
    Z = rng.randn(1, 50) * 4
    Y = (rng.rand(1, 50) > 0.5).astype(float)
    A = 1 / (1 + np.exp(-Z))
    naive = -np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A))
    assert compute_cost(Z, Y, "sigmoid") == pytest.approx(naive, rel=1e-12)


def test_course_compute_cost_example():
    # Course 1, week 4: Y = [[1, 1, 0]], AL = [[.8, .9, .4]] gives cost 0.2797765635793422.
    AL = np.array([[0.8, 0.9, 0.4]])
    ZL = np.log(AL / (1 - AL))
    assert compute_cost(ZL, np.array([[1.0, 1.0, 0.0]]), "sigmoid") == pytest.approx(0.2797765635793422, rel=1e-12)


def softmax_ce_reference(Z: np.ndarray, labels: np.ndarray) -> float:
    total = 0.0
    for j in range(Z.shape[1]):
        col = [float(v) for v in Z[:, j]]
        mx = max(col)
        lse = mx + math.log(sum(math.exp(v - mx) for v in col))
        total += lse - col[labels[j]]
    return total / Z.shape[1]


def test_softmax_cross_entropy_finite_and_correct_at_1e4():
    Z = np.array([[1e4, -1e4, 0.0, 1.0], [0.0, 1e4, 0.0, 2.0], [-1e4, 0.0, 0.0, 3.0]])
    labels = np.array([1, 1, 2, 0])
    Y = np.eye(3)[:, labels]
    with no_float_errors():
        J = compute_cost(Z, Y, "softmax")
    ref = softmax_ce_reference(Z, labels)
    assert J == pytest.approx(ref, rel=1e-14)
    # column 0 alone costs 1e4 (wrong class by 1e4), column 1 costs 0
    assert compute_cost(Z[:, :1], Y[:, :1], "softmax") == pytest.approx(1e4, rel=1e-15)
    assert compute_cost(Z[:, 1:2], Y[:, 1:2], "softmax") == 0.0


def test_logsumexp_shape_and_value():
    Z = np.array([[1e4, 0.0], [1e4, 0.0]])
    out = logsumexp(Z)
    assert out.shape == (1, 2)
    np.testing.assert_allclose(out, [[1e4 + math.log(2), math.log(2)]], rtol=1e-15)


def test_half_mean_squared_error():
    Z = np.array([[1.0, 2.0, 1e4], [0.0, -1.0, 0.0]])
    Y = np.array([[1.0, 0.0, 0.0], [1.0, 1.0, 0.0]])
    assert compute_cost(Z, Y, "linear") == pytest.approx((0 + 4 + 1e8 + 1 + 4 + 0) / (2 * 3), rel=1e-15)


def test_cost_refuses_mismatched_shapes():
    with pytest.raises(ValueError, match=r"logits have shape \(1, 3\) but Y has shape \(1, 2\)"):
        compute_cost(np.zeros((1, 3)), np.zeros((1, 2)), "sigmoid")


def test_l2_cost_value_and_zero_lambda():
    params = {"W1": np.array([[1.0, 2.0]]), "b1": np.array([[100.0]]), "W2": np.array([[3.0]]), "b2": np.zeros((1, 1))}
    # (lambda / 2m) * (1 + 4 + 9): biases are not regularised
    assert l2_cost(params, 0.7, 5, 2) == pytest.approx(0.7 / 10 * 14, rel=1e-15)
    assert l2_cost(params, 0.0, 5, 2) == 0.0
