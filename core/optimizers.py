"""Parameter updates: gradient descent, momentum and Adam, plus mini-batch splitting.

Updates are out of place (they return new arrays), so the caller can keep the
previous parameters as the last good ones at no copying cost.
"""

from __future__ import annotations

import math
from typing import Iterator, Mapping

import numpy as np

OPTIMIZERS: tuple[str, ...] = ("gd", "momentum", "adam")
"""Optimiser names in the order the app cycles through them."""

Params = dict[str, np.ndarray]


def _minus_scaled(p: np.ndarray, alpha: float, g: np.ndarray) -> np.ndarray:
    """A new array ``p - alpha g`` (bit-identical), built with one allocation instead of two."""
    out = g * -alpha
    if out.dtype != p.dtype and out.dtype != np.result_type(p, out):  # p is wider: keep NumPy's promotion
        return p - alpha * g
    out += p
    return out


def update_parameters(parameters: Mapping[str, np.ndarray], grads: Mapping[str, np.ndarray], learning_rate: float) -> Params:
    """Gradient descent: ``W[l] - alpha dW[l]``, ``b[l] - alpha db[l]`` for every key (new arrays)."""
    return {k: _minus_scaled(p, learning_rate, grads["d" + k]) for k, p in parameters.items()}


def initialize_velocity(parameters: Mapping[str, np.ndarray]) -> Params:
    """Zero velocities ``{"dW1": zeros like W1, ...}`` for momentum (and Adam's first moment)."""
    return {"d" + k: np.zeros_like(p) for k, p in parameters.items()}


def update_parameters_momentum(
    parameters: Mapping[str, np.ndarray],
    grads: Mapping[str, np.ndarray],
    v: Mapping[str, np.ndarray],
    beta: float,
    learning_rate: float,
) -> tuple[Params, Params]:
    """``v = beta v + (1 - beta) dW``; ``W = W - alpha v``. Returns ``(parameters, v)``."""
    new_v = {k: beta * v[k] + (1 - beta) * g for k, g in grads.items()}
    return {k: _minus_scaled(p, learning_rate, new_v["d" + k]) for k, p in parameters.items()}, new_v


def update_parameters_adam(
    parameters: Mapping[str, np.ndarray],
    grads: Mapping[str, np.ndarray],
    v: Mapping[str, np.ndarray],
    s: Mapping[str, np.ndarray],
    t: int,
    learning_rate: float,
    beta1: float = 0.9,
    beta2: float = 0.999,
    epsilon: float = 1e-8,
) -> tuple[Params, Params, Params]:
    """Adam with bias correction at step ``t >= 1``. Returns ``(parameters, v, s)``."""
    c1 = 1 - beta1**t
    c2 = 1 - beta2**t
    new_v = {k: beta1 * v[k] + (1 - beta1) * g for k, g in grads.items()}
    new_s = {k: beta2 * s[k] + (1 - beta2) * (g * g) for k, g in grads.items()}
    new_p = {
        k: p - learning_rate * (new_v["d" + k] / c1) / (np.sqrt(new_s["d" + k] / c2) + epsilon)
        for k, p in parameters.items()
    }
    return new_p, new_v, new_s


class Optimizer:
    """An optimiser with its state (velocities, moments, step count) between updates.

    ``step(parameters, grads, learning_rate)`` returns new parameters; the
    learning rate is an argument, so it can change between steps.
    """

    def __init__(self, name: str, beta1: float = 0.9, beta2: float = 0.999, epsilon: float = 1e-8) -> None:
        if name not in OPTIMIZERS:
            raise ValueError(f"unknown optimiser {name!r}; expected one of {', '.join(OPTIMIZERS)}")
        self.name = name
        self.beta1, self.beta2, self.epsilon = beta1, beta2, epsilon
        self.t = 0
        self.v: Params | None = None
        self.s: Params | None = None

    def step(self, parameters: Params, grads: Mapping[str, np.ndarray], learning_rate: float) -> Params:
        """One update; the returned dict holds new arrays, ``parameters`` is untouched."""
        self.t += 1
        if self.name == "gd":
            return update_parameters(parameters, grads, learning_rate)
        if self.v is None:
            self.v = initialize_velocity(parameters)
        if self.name == "momentum":
            new_p, self.v = update_parameters_momentum(parameters, grads, self.v, self.beta1, learning_rate)
            return new_p
        if self.s is None:
            self.s = initialize_velocity(parameters)
        new_p, self.v, self.s = update_parameters_adam(
            parameters, grads, self.v, self.s, self.t, learning_rate, self.beta1, self.beta2, self.epsilon
        )
        return new_p


def random_mini_batches(
    X: np.ndarray, Y: np.ndarray, batch_size: int, rng: np.random.RandomState
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Shuffle the columns of ``X (n_x, m)`` and ``Y (n_y, m)`` together and yield
    ``(X_batch (n_x, b), Y_batch (n_y, b))``; the last batch may be smaller."""
    m = X.shape[1]
    if batch_size >= m:
        yield X, Y
        return
    perm = rng.permutation(m)
    Xs, Ys = X[:, perm], Y[:, perm]
    for k in range(math.ceil(m / batch_size)):
        sl = slice(k * batch_size, (k + 1) * batch_size)
        yield Xs[:, sl], Ys[:, sl]
