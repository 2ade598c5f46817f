"""Parameter initialisation from an explicit RNG, layer by layer in course order."""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np

INIT_SCHEMES: tuple[str, ...] = ("random", "he", "xavier", "zeros")
"""Schemes in the order the app cycles through them."""

DEFAULT_RANDOM_SCALE = 0.01


def init_scale(scheme: str, n_prev: int, scale: float | None = None) -> float:
    """The factor multiplying ``randn`` for layer l with ``n[l-1] = n_prev`` inputs."""
    if scheme == "zeros":
        return 0.0
    if scheme == "random":
        return DEFAULT_RANDOM_SCALE if scale is None else float(scale)
    if scheme == "xavier":
        return math.sqrt(1.0 / n_prev)
    if scheme == "he":
        return math.sqrt(2.0 / n_prev)
    raise ValueError(f"unknown initialisation {scheme!r}; expected one of {', '.join(INIT_SCHEMES)}")


def initialize_parameters(
    layer_dims: Sequence[int],
    scheme: str = "random",
    seed: int | None = 1,
    scale: float | None = None,
    dtype: np.dtype | type = np.float64,
    rng: np.random.RandomState | None = None,
) -> dict[str, np.ndarray]:
    """``W[l] = randn(n[l], n[l-1]) * scale``, ``b[l] = zeros((n[l], 1))`` for l = 1..L.

    Draws come from ``rng`` or ``np.random.RandomState(seed)``, layer 1 first,
    so a seed reproduces the course's published numbers. ``scale`` only
    applies to the ``random`` scheme (default 0.01); ``xavier`` uses
    ``sqrt(1/n[l-1])``, ``he`` ``sqrt(2/n[l-1])``; ``zeros`` draws nothing and
    leaves every unit identical (the symmetry problem).

    Returns:
        ``{"W1": (n[1], n[0]), "b1": (n[1], 1), ...}`` in ``dtype``.
    """
    if scheme not in INIT_SCHEMES:
        raise ValueError(f"unknown initialisation {scheme!r}; expected one of {', '.join(INIT_SCHEMES)}")
    if rng is None:
        rng = np.random.RandomState(seed)
    parameters: dict[str, np.ndarray] = {}
    for l in range(1, len(layer_dims)):
        n, n_prev = int(layer_dims[l]), int(layer_dims[l - 1])
        if scheme == "zeros":
            W = np.zeros((n, n_prev))
        else:
            W = rng.randn(n, n_prev) * init_scale(scheme, n_prev, scale)
        parameters[f"W{l}"] = W.astype(dtype, copy=False)
        parameters[f"b{l}"] = np.zeros((n, 1), dtype=dtype)
    return parameters
