"""Backpropagation against central differences for every hidden activation x output, +/- L2."""

from __future__ import annotations

import numpy as np
import pytest

from tui_nn.core import HIDDEN_ACTIVATIONS, NetworkSpec, gradient_check, initialize_parameters, model_forward
from tui_nn.core.gradcheck import relative_error

OUTPUTS = [("sigmoid", 2), ("softmax", 3), ("linear", 2)]


def targets(output: str, n_y: int, m: int, rng: np.random.RandomState) -> np.ndarray:
    if output == "sigmoid":
        return (rng.rand(n_y, m) > 0.5).astype(float)
    if output == "softmax":
        return np.eye(n_y)[:, rng.randint(0, n_y, m)]
    return rng.randn(n_y, m)


@pytest.mark.parametrize("lambd", [0.0, 0.7])
@pytest.mark.parametrize("output, n_y", OUTPUTS)
@pytest.mark.parametrize("hidden", HIDDEN_ACTIVATIONS)
def test_gradient_check_below_1e7(hidden, output, n_y, lambd):
    spec = NetworkSpec((4, 5, 4, 3, n_y), (hidden,) * 3, output)
    rng = np.random.RandomState(11)
    X = rng.randn(4, 8)
    Y = targets(output, n_y, 8, rng)
    params = initialize_parameters(spec.layer_dims, "xavier", seed=7)
    for l in range(1, spec.L + 1):
        params[f"b{l}"] = 0.1 * rng.randn(*params[f"b{l}"].shape)  # non-zero biases are checked too
    # Central differences with eps = 1e-6 are only valid away from the ReLU kink.
    _, caches = model_forward(X, params, spec.activations)
    assert min(np.abs(c.Z).min() for c in caches) > 1e-4
    result = gradient_check(X, Y, params, spec, lambd=lambd)
    assert result.relative_error < 1e-7, result.per_array
    assert set(result.per_array) == set(params)
    assert max(result.per_layer().values()) < 1e-6


def test_gradient_check_is_not_vacuous():
    """A coarse epsilon makes the central differences visibly wrong, so the check measures something."""
    spec = NetworkSpec((3, 4, 1), ("tanh",))
    rng = np.random.RandomState(0)
    X, Y = rng.randn(3, 6), (rng.rand(1, 6) > 0.5).astype(float)
    params = initialize_parameters(spec.layer_dims, "xavier", seed=1)
    assert gradient_check(X, Y, params, spec, lambd=0.5).relative_error < 1e-7
    assert gradient_check(X, Y, params, spec, lambd=0.5, epsilon=0.5).relative_error > 1e-4


def test_gradient_check_subsample_and_params_untouched():
    spec = NetworkSpec((6, 5, 1), ("sigmoid",))
    rng = np.random.RandomState(2)
    X, Y = rng.randn(6, 5), (rng.rand(1, 5) > 0.5).astype(float)
    params = initialize_parameters(spec.layer_dims, "he", seed=3)
    before = {k: v.copy() for k, v in params.items()}
    result = gradient_check(X, Y, params, spec, max_entries=4)
    assert result.relative_error < 1e-7
    assert all(np.array_equal(before[k], params[k]) for k in params)


def test_relative_error_formula():
    g = np.array([1.0, 2.0])
    a = np.array([1.0, 2.5])
    assert relative_error(g, a) == pytest.approx(0.5 / (np.sqrt(5) + np.sqrt(7.25)), rel=1e-15)
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0
