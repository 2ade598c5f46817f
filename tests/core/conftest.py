"""Small data sets and helpers shared by the core tests."""

from __future__ import annotations

import numpy as np
import pytest

from tui_nn.core import Optimizer, compute_cost, l2_cost, model_backward, model_forward, random_mini_batches, update_parameters


def two_blobs(m: int = 200, seed: int = 0, gap: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """A linearly separable 2-D set: label 1 where x0 + x1 > gap/2, 0 where < -gap/2."""
    rng = np.random.RandomState(seed)
    X = rng.randn(2, 4 * m)
    s = X[0] + X[1]
    keep = np.abs(s) > gap / 2
    X = X[:, keep][:, :m]
    Y = (X[0:1] + X[1:2] > 0).astype(np.float64)
    return X, Y


def xor_quadrants(m: int = 200, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Noisy XOR: points in the four quadrants away from the axes, label 1 where x0 * x1 < 0."""
    rng = np.random.RandomState(seed)
    signs = rng.choice([-1.0, 1.0], size=(2, m))
    X = signs * (1.0 + 0.3 * rng.rand(2, m))
    Y = (X[0:1] * X[1:2] < 0).astype(np.float64)
    return X, Y


def three_clusters(m_per: int = 60, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Three Gaussian clusters in 2-D: ``X (2, 3 m_per)``, labels ``(1, m)`` and one-hot ``(3, m)``."""
    rng = np.random.RandomState(seed)
    centres = np.array([[0.0, 3.0, -3.0], [3.0, -2.0, -2.0]])
    labels = np.repeat(np.arange(3), m_per)
    X = centres[:, labels] + 0.7 * rng.randn(2, labels.size)
    Y_onehot = np.eye(3)[:, labels]
    return X, labels.reshape(1, -1), Y_onehot


@pytest.fixture
def blobs():
    return two_blobs()


@pytest.fixture
def xor():
    return xor_quadrants()


@pytest.fixture
def clusters():
    return three_clusters()


@pytest.fixture
def sets():
    """The data-set builders, for tests that need other sizes or seeds."""
    from types import SimpleNamespace

    return SimpleNamespace(two_blobs=two_blobs, xor_quadrants=xor_quadrants, three_clusters=three_clusters)


def _course_trajectory(spec, p0: dict, X, Y, cfg, steps: int):
    """The costs of ``steps`` epochs, and the final parameters, with the building blocks only."""
    p = {k: v.copy() for k, v in p0.items()}
    optimizer = Optimizer(cfg.optimizer, cfg.beta1, cfg.beta2, cfg.epsilon)
    rng = np.random.RandomState(cfg.shuffle_seed)
    m = X.shape[1]
    costs = []
    for _ in range(steps):
        batches = [(X, Y)] if cfg.batch_size is None else random_mini_batches(X, Y, cfg.batch_size, rng)
        total = 0.0
        for Xb, Yb in batches:
            AL, caches = model_forward(Xb, p, spec.activations)
            cost = compute_cost(caches[-1].Z, Yb, spec.output) + l2_cost(p, cfg.lambd, Xb.shape[1], spec.L)
            total += cost * Xb.shape[1]
            grads = model_backward(AL, Yb, caches, spec.activations, cfg.lambd)
            p = update_parameters(p, grads, cfg.learning_rate) if cfg.optimizer == "gd" else optimizer.step(p, grads, cfg.learning_rate)
        costs.append(total / m)
    return np.array(costs), p


@pytest.fixture
def course_trajectory():
    """``f(spec, p0, X, Y, cfg, steps) -> (costs, parameters)``: the same training written with the
    course's public building blocks (``model_forward``, ``compute_cost``, ``model_backward``,
    ``update_parameters`` and the optimisers), the reference the fused trainer is pinned to."""
    return _course_trajectory
