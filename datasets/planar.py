"""The course's planar data: ``flower`` and the companions of ``load_extra_datasets``.

The companions reimplement scikit-learn's ``make_circles``, ``make_moons``,
``make_blobs`` and ``make_gaussian_quantiles`` with NumPy only, drawing in the
same order, so ``RandomState(seed)`` gives the same points scikit-learn gives
for ``random_state=seed``. Every generator returns ``X (2, m)`` float64 and
``Y (1, m)`` int64 labels.
"""

from __future__ import annotations

import numpy as np


def flower(m: int = 400, noise: float = 0.2, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """The course's ``load_planar_dataset``: two petal-shaped classes in the plane.

    With ``RandomState(seed)``, ``N = m/2`` points per class, ``a = 4``; class j
    draws ``t = linspace(3.12 j, 3.12 (j+1), N) + randn(N) * noise`` then
    ``r = a sin(4t) + randn(N) * noise``. Returns ``X (2, m)`` and ``Y (1, m)`` int64.
    """
    rng = np.random.RandomState(seed)
    N = m // 2
    a = 4
    X = np.zeros((2 * N, 2))
    Y = np.zeros((2 * N, 1), dtype=np.int64)
    for j in range(2):
        ix = range(N * j, N * (j + 1))
        t = np.linspace(j * 3.12, (j + 1) * 3.12, N) + rng.randn(N) * noise
        r = a * np.sin(4 * t) + rng.randn(N) * noise
        X[ix] = np.c_[r * np.sin(t), r * np.cos(t)]
        Y[ix] = j
    return X.T, Y.T


def _columns(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows ``(m, 2)`` and labels ``(m,)`` to course layout ``(2, m)``, ``(1, m)`` int64."""
    return np.ascontiguousarray(X.T), y.astype(np.int64).reshape(1, -1)


def _shuffle(rng: np.random.RandomState, X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``sklearn.utils.shuffle``: one permutation of the rows, drawn as it draws it."""
    idx = np.arange(X.shape[0])
    rng.shuffle(idx)
    return X[idx], y[idx]


def _two_arcs(rng: np.random.RandomState, outer: tuple, inner: tuple, noise: float):
    """Stack the outer (label 0) and inner (label 1) point sets, shuffle, add Gaussian noise."""
    X = np.vstack([np.append(outer[0], inner[0]), np.append(outer[1], inner[1])]).T
    y = np.hstack([np.zeros(outer[0].size, dtype=np.int64), np.ones(inner[0].size, dtype=np.int64)])
    X, y = _shuffle(rng, X, y)
    if noise:
        X = X + rng.normal(scale=noise, size=X.shape)
    return _columns(X, y)


def noisy_circles(m: int = 200, noise: float = 0.3, seed: int = 1, factor: float = 0.5):
    """``make_circles(m, factor=0.5, noise=0.3)``: a circle inside a circle (inner = 1)."""
    rng = np.random.RandomState(seed)
    m_out = m // 2
    m_in = m - m_out
    t_out = np.linspace(0, 2 * np.pi, m_out, endpoint=False)
    t_in = np.linspace(0, 2 * np.pi, m_in, endpoint=False)
    return _two_arcs(rng, (np.cos(t_out), np.sin(t_out)), (np.cos(t_in) * factor, np.sin(t_in) * factor), noise)


def noisy_moons(m: int = 200, noise: float = 0.2, seed: int = 1):
    """``make_moons(m, noise=0.2)``: two interleaving half circles."""
    rng = np.random.RandomState(seed)
    m_out = m // 2
    m_in = m - m_out
    t_out = np.linspace(0, np.pi, m_out)
    t_in = np.linspace(0, np.pi, m_in)
    return _two_arcs(rng, (np.cos(t_out), np.sin(t_out)), (1 - np.cos(t_in), 1 - np.sin(t_in) - 0.5), noise)


def blob_points(m: int, centers: int, seed: int, std: float = 1.0, box: tuple[float, float] = (-10.0, 10.0)):
    """``make_blobs(m, n_features=2, centers=k)``: rows ``(m, 2)`` and labels ``0..k-1``."""
    rng = np.random.RandomState(seed)
    C = rng.uniform(box[0], box[1], size=(centers, 2))
    counts = [m // centers] * centers
    for i in range(m % centers):
        counts[i] += 1
    X = np.empty((m, 2))
    y = np.empty(m, dtype=np.int64)
    start = 0
    for i, n in enumerate(counts):
        X[start:start + n] = rng.normal(loc=C[i], scale=std, size=(n, 2))
        y[start:start + n] = i
        start += n
    return _shuffle(rng, X, y)


def blobs(m: int = 200, noise: float = 1.0, seed: int = 5, centers: int = 6):
    """The course's ``make_blobs(m, random_state=5, centers=6)`` folded to 2 classes by ``Y % 2``.

    ``noise`` is the clusters' standard deviation (scikit-learn's ``cluster_std``).
    """
    X, y = blob_points(m, centers, seed, std=noise)
    return _columns(X, y % 2)


def gaussian_quantiles(m: int = 200, noise: float = 0.5, seed: int = 1, n_classes: int = 2):
    """``make_gaussian_quantiles(cov=0.5, m, n_classes=2)``: classes are shells of a 2-D Gaussian.

    ``noise`` is the covariance scale (the course's ``cov=0.5``).
    """
    rng = np.random.RandomState(seed)
    X = rng.multivariate_normal(np.zeros(2), noise * np.identity(2), (m,))
    X = X[np.argsort(np.sum(X**2, axis=1))]
    step = m // n_classes
    y = np.hstack([np.repeat(np.arange(n_classes), step), np.repeat(n_classes - 1, m - step * n_classes)])
    return _columns(*_shuffle(rng, X, y))


def no_structure(m: int = 200, noise: float = 1.0, seed: int = 1):
    """Uniform points in ``[0, noise)^2`` with coin-flip labels: nothing to learn."""
    rng = np.random.RandomState(seed)
    X = rng.rand(m, 2) * noise
    y = (rng.rand(m) < 0.5).astype(np.int64)
    return _columns(X, y)
