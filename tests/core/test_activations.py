"""Activations: values, derivatives against finite differences, overflow-free sigmoid."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from tui_nn.core import ACTIVATIONS, HIDDEN_ACTIVATIONS, get_activation
from tui_nn.core.activations import LEAKY_SLOPE, sigmoid, softmax

Z = np.array([[-3.0, -0.5, 0.25, 2.0], [1.5, -1e-3, 4.0, -7.0]])


@pytest.mark.parametrize(
    "name, expected",
    [
        ("sigmoid", 1 / (1 + np.exp(-Z))),
        ("tanh", np.tanh(Z)),
        ("relu", np.where(Z > 0, Z, 0.0)),
        ("leaky_relu", np.where(Z > 0, Z, 0.01 * Z)),
        ("linear", Z),
    ],
)
def test_forward_values(name, expected):
    A = get_activation(name).forward(Z)
    assert A.shape == Z.shape
    np.testing.assert_allclose(A, expected, rtol=1e-15, atol=0)


def test_course_sigmoid_values():
    # Course 1, week 2: sigmoid(np.array([0, 2])) = [0.5, 0.88079708]
    np.testing.assert_allclose(sigmoid(np.array([[0.0, 2.0]])), [[0.5, 0.88079708]], atol=5e-9)


@pytest.mark.parametrize("name", HIDDEN_ACTIVATIONS)
def test_backward_matches_central_differences(name):
    act = get_activation(name)
    rng = np.random.RandomState(3)
    Zr = rng.randn(4, 6) * 3
    Zr[np.abs(Zr) < 1e-3] = 0.5  # stay away from the ReLU kink
    dA = rng.randn(4, 6)
    eps = 1e-6
    numeric = dA * (act.forward(Zr + eps) - act.forward(Zr - eps)) / (2 * eps)
    dZ = act.backward(dA, Zr, act.forward(Zr))
    np.testing.assert_allclose(dZ, numeric, rtol=1e-6, atol=1e-9)


def test_relu_and_leaky_derivative_at_zero_is_documented_value():
    Z0 = np.zeros((1, 3))
    dA = np.ones((1, 3))
    assert np.all(get_activation("relu").backward(dA, Z0, Z0) == 0.0)
    assert np.all(get_activation("leaky_relu").backward(dA, Z0, Z0) == LEAKY_SLOPE)


def test_sigmoid_extreme_logits_no_overflow_and_exact_tails():
    z = np.array([[-1e4, -800.0, -40.0, 0.0, 40.0, 800.0, 1e4]])
    with np.errstate(all="raise", under="ignore"), warnings.catch_warnings():
        warnings.simplefilter("error")
        s = sigmoid(z)
    assert np.all(np.isfinite(s))
    assert s[0, 0] == 0.0 and s[0, -1] == 1.0 and s[0, 3] == 0.5
    # exp(-40) is representable: the tail keeps its relative precision
    assert s[0, 2] == pytest.approx(np.exp(-40.0) / (1 + np.exp(-40.0)), rel=1e-14)
    assert s[0, 4] == pytest.approx(1 - np.exp(-40.0), rel=1e-15)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_dtype_is_kept(name, dtype):
    Zd = Z.astype(dtype)
    act = get_activation(name)
    A = act.forward(Zd)
    assert A.dtype == dtype
    assert act.backward(np.ones_like(Zd), Zd, A).dtype == dtype


def test_softmax_columns_sum_to_one_for_huge_logits():
    Zs = np.array([[1e4, -1e4, 0.0], [1e4 - 1.0, 1e4, 0.0], [0.0, 0.0, 0.0]])
    with np.errstate(all="raise", under="ignore"):
        S = softmax(Zs)
    np.testing.assert_allclose(S.sum(axis=0), 1.0, rtol=1e-15)
    assert S[0, 0] == pytest.approx(1 / (1 + np.exp(-1.0)), rel=1e-14)
    assert S[1, 1] == 1.0
    np.testing.assert_allclose(S[:, 2], 1 / 3, rtol=1e-15)


def test_softmax_is_not_a_hidden_activation_and_unknown_names_fail():
    assert "softmax" not in HIDDEN_ACTIVATIONS
    assert not ACTIVATIONS["softmax"].hidden
    with pytest.raises(ValueError, match="unknown activation 'swish'.*relu"):
        get_activation("swish")
