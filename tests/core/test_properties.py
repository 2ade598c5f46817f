"""Property tests: any finite logits give finite costs and gradients in range."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from tui_nn.core import compute_cost, model_backward, model_forward
from tui_nn.core.activations import sigmoid, softmax

finite = st.floats(min_value=-1e300, max_value=1e300, allow_nan=False, allow_infinity=False)
logits = arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(1, 6)), elements=finite)


@settings(max_examples=150, deadline=None)
@given(logits)
def test_sigmoid_in_unit_interval_without_overflow(Z):
    with np.errstate(all="raise", under="ignore"):
        A = sigmoid(Z)
    assert np.all((A >= 0) & (A <= 1))
    assert np.all(A[Z > 0] >= 0.5) and np.all(A[Z < 0] <= 0.5)


@settings(max_examples=150, deadline=None)
@given(arrays(np.float64, st.tuples(st.just(1), st.integers(1, 6)), elements=st.floats(-1e4, 1e4)), st.data())
def test_binary_cost_finite_and_nonnegative(Z, data):
    Y = data.draw(arrays(np.float64, Z.shape, elements=st.sampled_from([0.0, 1.0])))
    with np.errstate(all="raise", under="ignore"):
        J = compute_cost(Z, Y, "sigmoid")
    assert math.isfinite(J) and J >= 0
    # never more than the largest wrong-side logit plus log 2
    assert J <= np.max(np.abs(Z)) + math.log(2) + 1e-9


@settings(max_examples=150, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(2, 4), st.integers(1, 6)), elements=st.floats(-1e4, 1e4)), st.data())
def test_softmax_cost_finite_and_columns_sum_to_one(Z, data):
    labels = data.draw(arrays(np.int64, (Z.shape[1],), elements=st.integers(0, Z.shape[0] - 1)))
    Y = np.eye(Z.shape[0])[:, labels]
    with np.errstate(all="raise", under="ignore"):
        J = compute_cost(Z, Y, "softmax")
        S = softmax(Z)
    assert math.isfinite(J) and J >= -1e-12
    np.testing.assert_allclose(S.sum(axis=0), 1.0, rtol=1e-12)


@settings(max_examples=60, deadline=None)
@given(arrays(np.float64, (3, 5), elements=st.floats(-50, 50)), st.integers(0, 2**31 - 1))
def test_output_gradient_bounded_by_one_over_m(X, seed):
    """With a sigmoid output, |dZ[L]| = |A - Y| <= 1, so |db[L]| <= 1 for any input."""
    rng = np.random.RandomState(seed)
    params = {"W1": rng.randn(4, 3), "b1": rng.randn(4, 1), "W2": rng.randn(1, 4), "b2": rng.randn(1, 1)}
    Y = (rng.rand(1, 5) > 0.5).astype(float)
    AL, caches = model_forward(X, params, ("tanh", "sigmoid"))
    grads = model_backward(AL, Y, caches, ("tanh", "sigmoid"))
    assert np.all(np.isfinite(AL)) and abs(grads["db2"][0, 0]) <= 1.0
    assert np.all(np.abs(grads["dW2"]) <= 1.0)  # |A1| <= 1 for tanh
