"""The course's planar "flower" data set."""

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
    X = np.zeros((m, 2))
    Y = np.zeros((m, 1), dtype=np.int64)
    for j in range(2):
        ix = range(N * j, N * (j + 1))
        t = np.linspace(j * 3.12, (j + 1) * 3.12, N) + rng.randn(N) * noise
        r = a * np.sin(4 * t) + rng.randn(N) * noise
        X[ix] = np.c_[r * np.sin(t), r * np.cos(t)]
        Y[ix] = j
    return X.T, Y.T
