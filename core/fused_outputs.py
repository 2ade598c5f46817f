"""Output layer and cost fused, in place, for the trainer's buffer-reusing step.

Each kernel takes the logits ``Z[L] (n_y, m)`` and writes ``dZ[L] = (A[L] - Y) / m``
(the gradient of the mean cost with respect to ``Z[L]``, already divided by m, so
every ``dW`` and ``db`` below comes out divided by m too) and returns the cost.
Costs are computed from the logits as in ``costs.py``, finite for any finite
logits; where a faster form could overflow (``exp`` of a large logit) the kernel
falls back to ``costs.py`` itself, so the cost is never wrong, only slower.
"""

from __future__ import annotations

import math

import numpy as np

from .activations import sigmoid
from .costs import binary_cross_entropy_from_logits


class BinarySigmoidCE:
    """Sigmoid output with binary cross-entropy for targets that are all 0 or 1.

    With ``s = 1 - 2y`` (+1 for y = 0, -1 for y = 1) and ``t = s z``, the loss of
    an entry is ``softplus(t) = log1p(exp(t))`` and ``a - y = s sigmoid(t)``,
    ``sigmoid(t) = e / (1 + e)`` with ``e = exp(t)``: accurate to the last bits
    for confident right answers (large negative ``t``), where ``A - Y`` would
    lose them. ``exp(t)`` overflows only for a logit beyond about 88 (float32)
    or 709 (float64) on the wrong side; then the step uses the course's form.
    """

    def __init__(self, Y: np.ndarray) -> None:
        m = Y.shape[1]
        self.Y = Y
        self.inv_m = 1.0 / m
        self.sign = 1.0 - 2.0 * Y
        self.sign_m = self.sign * self.inv_m
        self.work = np.empty_like(Y)

    def __call__(self, Z: np.ndarray, dZ: np.ndarray) -> float:
        work = self.work
        np.multiply(Z, self.sign, out=work)
        np.exp(work, out=work)
        np.log1p(work, out=dZ)
        cost = float(np.add.reduce(dZ, axis=None)) * self.inv_m
        if not math.isfinite(cost):
            return self._course_form(Z, dZ)
        np.add(work, 1.0, out=dZ)
        np.divide(work, dZ, out=dZ)
        np.multiply(dZ, self.sign_m, out=dZ)
        return cost

    def _course_form(self, Z: np.ndarray, dZ: np.ndarray) -> float:
        np.subtract(sigmoid(Z), self.Y, out=dZ)
        np.multiply(dZ, self.inv_m, out=dZ)
        return binary_cross_entropy_from_logits(Z, self.Y)


class SigmoidCE:
    """Sigmoid output with cross-entropy for any targets in [0, 1]: ``costs.py``'s formula."""

    def __init__(self, Y: np.ndarray) -> None:
        self.Y = Y
        self.inv_m = 1.0 / Y.shape[1]
        self.work = np.empty_like(Y)

    def __call__(self, Z: np.ndarray, dZ: np.ndarray) -> float:
        work = self.work
        np.logaddexp(0.0, Z, out=work)
        np.multiply(self.Y, Z, out=dZ)
        np.subtract(work, dZ, out=work)
        cost = float(np.add.reduce(work, axis=None)) * self.inv_m
        np.subtract(sigmoid(Z), self.Y, out=dZ)
        np.multiply(dZ, self.inv_m, out=dZ)
        return cost


class SoftmaxCE:
    """Softmax output with categorical cross-entropy: ``sum_j logsumexp(Z[:, j]) - sum(Y * Z)``."""

    def __init__(self, Y: np.ndarray) -> None:
        self.Y = Y
        self.Y_flat = Y.reshape(-1)
        self.inv_m = 1.0 / Y.shape[1]
        self.zmax = np.empty((1, Y.shape[1]), dtype=Y.dtype)
        self.total = np.empty_like(self.zmax)

    def __call__(self, Z: np.ndarray, dZ: np.ndarray) -> float:
        zmax, total = self.zmax, self.total
        yz = float(np.dot(self.Y_flat, Z.reshape(-1)))
        np.maximum.reduce(Z, axis=0, keepdims=True, out=zmax)
        np.subtract(Z, zmax, out=dZ)
        np.exp(dZ, out=dZ)
        np.add.reduce(dZ, axis=0, keepdims=True, out=total)
        np.divide(dZ, total, out=dZ)
        np.log(total, out=total)
        np.add(total, zmax, out=total)
        cost = (float(np.add.reduce(total, axis=None)) - yz) * self.inv_m
        np.subtract(dZ, self.Y, out=dZ)
        np.multiply(dZ, self.inv_m, out=dZ)
        return cost


class LinearMSE:
    """Linear output with half the mean squared error: ``(1/2m) sum((Z - Y)^2)``."""

    def __init__(self, Y: np.ndarray) -> None:
        self.Y = Y
        self.inv_m = 1.0 / Y.shape[1]

    def __call__(self, Z: np.ndarray, dZ: np.ndarray) -> float:
        np.subtract(Z, self.Y, out=dZ)
        flat = dZ.reshape(-1)
        cost = float(np.dot(flat, flat)) * 0.5 * self.inv_m
        np.multiply(dZ, self.inv_m, out=dZ)
        return cost


def output_kernel(output: str, Y: np.ndarray, binary: bool):
    """The fused output for ``output`` (sigmoid, softmax or linear) and targets ``Y (n_y, m)``.

    ``Y`` must be C-contiguous (it is one batch's own array). ``binary`` says every
    target is 0 or 1 (see ``all_binary``), which allows the faster sigmoid form.
    """
    if output == "sigmoid":
        return BinarySigmoidCE(Y) if binary else SigmoidCE(Y)
    if output == "softmax":
        return SoftmaxCE(Y)
    return LinearMSE(Y)


def all_binary(Y: np.ndarray) -> bool:
    """True when every entry of ``Y`` is exactly 0 or 1."""
    return bool(np.all((Y == 0) | (Y == 1)))
