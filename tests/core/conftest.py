"""Small data sets and helpers shared by the core tests."""

from __future__ import annotations

import numpy as np
import pytest


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
