"""Forward and backward blocks: shapes, the course's formulas, and agreement between blocks."""

from __future__ import annotations

import numpy as np
import pytest

from tui_nn.core import (
    LayerCache,
    NetworkSpec,
    compute_cost,
    initialize_parameters,
    linear_activation_backward,
    linear_activation_forward,
    linear_backward,
    linear_forward,
    model_backward,
    model_forward,
)


def test_course_linear_forward_example():
    # Course 1, week 4 linear_forward_test_case: seed 1, A (3, 2), W (1, 3), b (1, 1).
    rng = np.random.RandomState(1)
    A, W, b = rng.randn(3, 2), rng.randn(1, 3), rng.randn(1, 1)
    np.testing.assert_allclose(linear_forward(A, W, b), [[3.26295337, -1.23429987]], atol=5e-9)


def test_course_logistic_propagate_example():
    # Course 1, week 2 propagate(): w = [[1], [2]], b = 2, X = [[1, 2, -1], [3, 4, -3.2]], Y = [[1, 0, 1]]
    # gives cost 5.801545319394553, dw = [[0.99845601], [2.39507239]], db = 0.00145557813678.
    X = np.array([[1.0, 2.0, -1.0], [3.0, 4.0, -3.2]])
    Y = np.array([[1.0, 0.0, 1.0]])
    params = {"W1": np.array([[1.0, 2.0]]), "b1": np.array([[2.0]])}
    AL, caches = model_forward(X, params, ("sigmoid",))
    assert compute_cost(caches[-1].Z, Y, "sigmoid") == pytest.approx(5.801545319394553, rel=1e-12)
    grads = model_backward(AL, Y, caches, ("sigmoid",))
    np.testing.assert_allclose(grads["dW1"], [[0.99845601, 2.39507239]], atol=5e-9)
    assert grads["db1"][0, 0] == pytest.approx(0.00145557813678, abs=1e-13)


def test_model_forward_equals_layer_blocks_and_hand_computation():
    spec = NetworkSpec((3, 4, 2, 1), ("relu", "tanh"))
    p = initialize_parameters(spec.layer_dims, "he", seed=2)
    p["b1"] = np.array([[0.1], [-0.2], [0.3], [0.0]])
    X = np.random.RandomState(0).randn(3, 6)
    AL, caches = model_forward(X, p, spec.activations)
    Z1 = p["W1"] @ X + p["b1"]
    A1 = np.maximum(Z1, 0)
    Z2 = p["W2"] @ A1 + p["b2"]
    A2 = np.tanh(Z2)
    Z3 = p["W3"] @ A2 + p["b3"]
    np.testing.assert_allclose(AL, 1 / (1 + np.exp(-Z3)), rtol=1e-14)
    assert [c.Z.shape for c in caches] == [(4, 6), (2, 6), (1, 6)]
    assert caches[0].A_prev is X and caches[1].W is p["W2"]
    np.testing.assert_allclose(caches[1].A, A2, rtol=1e-14)
    A1b, cache1 = linear_activation_forward(X, p["W1"], p["b1"], "relu")
    assert isinstance(cache1, LayerCache)
    np.testing.assert_array_equal(A1b, caches[0].A)


def test_backward_blocks_follow_the_course_formulas():
    rng = np.random.RandomState(1)
    A_prev, W, b = rng.randn(3, 5), rng.randn(2, 3), rng.randn(2, 1)
    Z = W @ A_prev + b
    cache = LayerCache(A_prev, W, b, Z, np.tanh(Z))
    dZ = rng.randn(2, 5)
    dA_prev, dW, db = linear_backward(dZ, cache)
    np.testing.assert_allclose(dW, dZ @ A_prev.T / 5, rtol=1e-14)
    np.testing.assert_allclose(db, dZ.sum(axis=1, keepdims=True) / 5, rtol=1e-14)
    np.testing.assert_allclose(dA_prev, W.T @ dZ, rtol=1e-14)
    assert dW.shape == W.shape and db.shape == b.shape and dA_prev.shape == A_prev.shape
    # L2 adds (lambda/m) W; need_dA_prev=False skips W^T dZ
    none, dW2, _ = linear_backward(dZ, cache, lambd=0.3, need_dA_prev=False)
    assert none is None
    np.testing.assert_allclose(dW2, dZ @ A_prev.T / 5 + 0.3 / 5 * W, rtol=1e-14)
    dA = rng.randn(2, 5)
    dA_prev, dW, _ = linear_activation_backward(dA, cache, "tanh")
    dZt = dA * (1 - np.tanh(Z) ** 2)
    np.testing.assert_allclose(dW, dZt @ A_prev.T / 5, rtol=1e-13)
    np.testing.assert_allclose(dA_prev, W.T @ dZt, rtol=1e-13)


@pytest.mark.parametrize("output, n_y", [("sigmoid", 1), ("softmax", 3), ("linear", 2)])
def test_output_layer_fuses_to_AL_minus_Y(output, n_y):
    spec = NetworkSpec((2, 3, n_y), ("tanh",), output)
    p = initialize_parameters(spec.layer_dims, "xavier", seed=0)
    X = np.random.RandomState(1).randn(2, 7)
    Y = np.eye(n_y)[:, np.arange(7) % n_y]
    AL, caches = model_forward(X, p, spec.activations)
    grads = model_backward(AL, Y, caches, spec.activations)
    np.testing.assert_allclose(grads["dW2"], (AL - Y) @ caches[0].A.T / 7, rtol=1e-13)
    assert set(grads) == {"dW1", "db1", "dW2", "db2"}
    assert all(grads["d" + k].shape == v.shape for k, v in p.items())


def test_backward_refuses_mismatched_Y():
    p = initialize_parameters([2, 1], seed=0)
    AL, caches = model_forward(np.zeros((2, 3)), p, ("sigmoid",))
    with pytest.raises(ValueError, match=r"AL has shape \(1, 3\) but Y has shape \(1, 2\)"):
        model_backward(AL, np.zeros((1, 2)), caches, ("sigmoid",))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_forward_backward_keep_float32(dtype):
    spec = NetworkSpec((4, 5, 3), ("leaky_relu",), "softmax")
    p = initialize_parameters(spec.layer_dims, "he", seed=0, dtype=dtype)
    X = np.random.RandomState(0).randn(4, 8).astype(dtype)
    Y = np.eye(3, dtype=dtype)[:, np.arange(8) % 3]
    AL, caches = model_forward(X, p, spec.activations)
    grads = model_backward(AL, Y, caches, spec.activations, lambd=0.1)
    assert AL.dtype == dtype
    assert all(g.dtype == dtype for g in grads.values())
