"""Gradient descent, momentum and Adam on flat parameter buffers, written into another buffer.

The trainer's update: ``update(P, G, lr, out)`` writes the new parameters into
``out`` (the trainer's other parameter set) and leaves ``P`` as it was, so the
last good parameters survive a bad update. ``G`` is the gradient times
``gradient_scale``: for plain gradient descent that is ``-lr``, so the backward
pass has already computed ``-lr dW`` and the update is one addition. Otherwise
the arithmetic, operation by operation, is that of ``optimizers.py``.
"""

from __future__ import annotations

import numpy as np


class FlatGD:
    """``out = P - lr dW``, given ``G = -lr dW``."""

    scales_by_learning_rate = True
    """The gradient arrives as ``-lr dW``."""

    def __init__(self, size: int, dtype: np.dtype) -> None:
        pass

    def __call__(self, P: np.ndarray, G: np.ndarray, lr: float, out: np.ndarray) -> None:
        np.add(P, G, out)


class FlatMomentum:
    """``v = beta v + (1 - beta) G``; ``out = P - lr v``."""

    scales_by_learning_rate = False

    def __init__(self, size: int, dtype: np.dtype, beta: float) -> None:
        self.beta = beta
        self.v = np.zeros(size, dtype=dtype)
        self.scratch = np.empty(size, dtype=dtype)

    def __call__(self, P: np.ndarray, G: np.ndarray, lr: float, out: np.ndarray) -> None:
        v, scratch = self.v, self.scratch
        np.multiply(v, self.beta, out=v)
        np.multiply(G, 1 - self.beta, out=scratch)
        np.add(v, scratch, out=v)
        np.multiply(v, -lr, out=out)
        np.add(out, P, out=out)


class FlatAdam:
    """Adam with bias correction: ``out = P - lr (v / c1) / (sqrt(s / c2) + epsilon)`` at step ``t``."""

    scales_by_learning_rate = False

    def __init__(self, size: int, dtype: np.dtype, beta1: float, beta2: float, epsilon: float) -> None:
        self.beta1, self.beta2, self.epsilon = beta1, beta2, epsilon
        self.t = 0
        self.v = np.zeros(size, dtype=dtype)
        self.s = np.zeros(size, dtype=dtype)
        self.scratch = np.empty(size, dtype=dtype)

    def __call__(self, P: np.ndarray, G: np.ndarray, lr: float, out: np.ndarray) -> None:
        self.t += 1
        b1, b2, t = self.beta1, self.beta2, self.t
        v, s, scratch = self.v, self.s, self.scratch
        c1 = 1 - b1**t
        c2 = 1 - b2**t
        np.multiply(v, b1, out=v)
        np.multiply(G, 1 - b1, out=scratch)
        np.add(v, scratch, out=v)
        np.multiply(s, b2, out=s)
        np.multiply(G, G, out=scratch)
        np.multiply(scratch, 1 - b2, out=scratch)
        np.add(s, scratch, out=s)
        np.divide(v, c1, out=scratch)
        np.multiply(scratch, lr, out=scratch)
        np.divide(s, c2, out=out)
        np.sqrt(out, out=out)
        np.add(out, self.epsilon, out=out)
        np.divide(scratch, out, out=scratch)
        np.subtract(P, scratch, out=out)


def flat_optimizer(name: str, size: int, dtype: np.dtype, beta1: float, beta2: float, epsilon: float):
    """The in-place update for optimiser ``name`` (gd, momentum or adam) over ``size`` parameters."""
    if name == "gd":
        return FlatGD(size, dtype)
    if name == "momentum":
        return FlatMomentum(size, dtype, beta1)
    if name == "adam":
        return FlatAdam(size, dtype, beta1, beta2, epsilon)
    raise ValueError(f"unknown optimiser {name!r}")
