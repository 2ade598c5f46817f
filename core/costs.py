"""Costs computed from the output logits ``Z[L]``, finite for any finite input.

Each output activation is paired with the cost whose gradient with respect to
``Z[L]`` is ``(A[L] - Y) / m``: sigmoid with binary cross-entropy, softmax with
categorical cross-entropy, linear with half the mean squared error.
"""

from __future__ import annotations

import math
from typing import Callable, Mapping

import numpy as np


def binary_cross_entropy_from_logits(ZL: np.ndarray, Y: np.ndarray) -> float:
    """``J = -(1/m) sum(Y log A + (1-Y) log(1-A))`` with ``A = sigmoid(ZL)``.

    Computed as ``(1/m) sum(logaddexp(0, ZL) - Y * ZL)``, which never takes
    the log of 0. ``ZL`` and ``Y`` have shape ``(n_y, m)``.
    """
    m = ZL.shape[1]
    return float((np.logaddexp(0, ZL) - Y * ZL).sum() / m)


def logsumexp(Z: np.ndarray) -> np.ndarray:
    """Column-wise ``log(sum(exp(Z), axis=0))`` of ``(n, m)``; returns ``(1, m)``."""
    zmax = Z.max(axis=0, keepdims=True)
    return zmax + np.log(np.exp(Z - zmax).sum(axis=0, keepdims=True))


def softmax_cross_entropy_from_logits(ZL: np.ndarray, Y: np.ndarray) -> float:
    """``J = -(1/m) sum(Y log softmax(ZL))`` via log-sum-exp; ``Y`` is one-hot ``(n_y, m)``."""
    m = ZL.shape[1]
    return float((logsumexp(ZL).sum() - (Y * ZL).sum()) / m)


def half_mean_squared_error(ZL: np.ndarray, Y: np.ndarray) -> float:
    """``J = (1/2m) sum((ZL - Y)^2)`` for a linear output; ``(n_y, m)`` each."""
    m = ZL.shape[1]
    D = ZL - Y
    return float((D * D).sum() / (2 * m))


COSTS: dict[str, Callable[[np.ndarray, np.ndarray], float]] = {
    "sigmoid": binary_cross_entropy_from_logits,
    "softmax": softmax_cross_entropy_from_logits,
    "linear": half_mean_squared_error,
}
"""The cost that goes with each output activation."""


def compute_cost(ZL: np.ndarray, Y: np.ndarray, output: str) -> float:
    """The cost of logits ``ZL (n_y, m)`` against targets ``Y (n_y, m)`` for this output."""
    if ZL.shape != Y.shape:
        raise ValueError(f"logits have shape {ZL.shape} but Y has shape {Y.shape}")
    return COSTS[output](ZL, Y)


def l2_cost(parameters: Mapping[str, np.ndarray], lambd: float, m: int, L: int) -> float:
    """The L2 term ``(lambda / 2m) sum_l ||W[l]||_F^2`` (0 when ``lambd`` is 0)."""
    if not lambd:
        return 0.0
    total = 0.0
    for l in range(1, L + 1):
        W = parameters[f"W{l}"]
        total += float(np.sum(W * W))
    return lambd / (2 * m) * total


def untrained_cost(output: str, n_y: int) -> float:
    """The cost of a model that has learnt nothing: ``n_y log 2`` for sigmoid outputs
    (predicting 1/2), ``log n_y`` for softmax (predicting 1/K); 0 for a linear output,
    whose cost has no natural scale."""
    if output == "sigmoid":
        return n_y * math.log(2.0)
    if output == "softmax":
        return math.log(n_y)
    return 0.0
