"""Output layer and cost fused, in place, for the trainer's buffer-reusing step.

Each kernel takes the logits ``Z[L] (n_y, m)``, returns the cost and writes
``dZ[L] = c (A[L] - Y) / m``: the gradient of the mean cost with respect to
``Z[L]``, times a scale ``c`` the trainer chooses (1, or ``-learning_rate`` for
plain gradient descent, so the backward pass delivers the update itself). Costs
are computed from the logits as in ``costs.py``, finite for any finite logits;
where a faster form could overflow (``exp`` of a large logit) the kernel falls
back to ``costs.py`` itself, so the cost is never wrong, only slower.
"""

from __future__ import annotations

import math

import numpy as np

from .activations import sigmoid
from .costs import binary_cross_entropy_from_logits

SMALL_BATCH = 1024
"""Up to this many outputs, the binary cost sums its logs as the log of a product."""


class _Output:
    """What every fused output keeps: targets ``Y (n_y, m)``, ``1/m`` and the gradient scale."""

    def __init__(self, Y: np.ndarray) -> None:
        self.Y = Y
        self.inv_m = 1.0 / Y.shape[1]
        self.scale = 1.0
        self.dz_factor = self.inv_m
        """``c / m``: what ``A - Y`` is multiplied by."""

    def set_scale(self, scale: float) -> None:
        """Make ``dZ[L]`` come out multiplied by ``scale`` (the gradient scale ``c``)."""
        self.scale = scale
        self.dz_factor = scale * self.inv_m
        self.refresh()

    def refresh(self) -> None:
        """Recompute what depends on the values of ``Y`` (after a shuffle wrote new ones)."""


class BinarySigmoidCE(_Output):
    """Sigmoid output with binary cross-entropy for targets that are all 0 or 1.

    With ``s = 1 - 2y`` (+1 for y = 0, -1 for y = 1) and ``t = s z``, the loss of
    an entry is ``softplus(t) = log(1 + exp(t))`` and ``a - y = s sigmoid(t)``,
    ``sigmoid(t) = e / (1 + e)`` with ``e = exp(t)``: accurate to the last bits
    for confident right answers (large negative ``t``), where ``A - Y`` would
    lose them. ``exp(t)`` overflows only for a logit beyond about 88 (float32)
    or 709 (float64) on the wrong side; then the step uses the course's form.
    (An infinite logit on the right side costs 0, its limit.)
    """

    def __init__(self, Y: np.ndarray) -> None:
        super().__init__(Y)
        self.sign = np.empty_like(Y)
        self.sign_c = np.empty_like(Y)
        self.work = np.empty_like(Y)
        self.loss = np.empty_like(Y)
        self.small = Y.size <= SMALL_BATCH
        self.refresh()

    def refresh(self) -> None:
        np.multiply(self.Y, -2.0, self.sign)
        np.add(self.sign, 1.0, self.sign)
        np.multiply(self.sign, self.dz_factor, self.sign_c)

    def __call__(self, Z: np.ndarray, dZ: np.ndarray) -> float:
        e = self.work
        np.multiply(Z, self.sign, e)
        np.exp(e, e)
        np.add(e, 1.0, dZ)
        # The cost is mean(log d) for d = 1 + e >= 1. On small batches, where each NumPy
        # call's overhead counts, it is the log of the product (accumulated in float64; off
        # by about m units in the last place, far below the cost's own rounding) while
        # that product is finite; otherwise log(1 + e) term by term (rather than
        # log1p(e): faster, and off by at most one unit in the last place of 1 for each
        # tiny loss of a confident right answer).
        product = float(np.multiply.reduce(dZ, None, np.float64)) if self.small else math.inf
        if product < math.inf:  # False for an overflow, and for NaN
            cost = math.log(product) * self.inv_m
        else:
            np.log(dZ, self.loss)
            cost = float(np.add.reduce(self.loss, None)) * self.inv_m
            if not math.isfinite(cost):
                return self._course_form(Z, dZ)
        np.divide(e, dZ, dZ)
        np.multiply(dZ, self.sign_c, dZ)
        return cost

    def _course_form(self, Z: np.ndarray, dZ: np.ndarray) -> float:
        np.subtract(sigmoid(Z), self.Y, out=dZ)
        np.multiply(dZ, self.dz_factor, out=dZ)
        return binary_cross_entropy_from_logits(Z, self.Y)


class SigmoidCE(_Output):
    """Sigmoid output with cross-entropy for any targets in [0, 1]: ``costs.py``'s formula."""

    def __init__(self, Y: np.ndarray) -> None:
        super().__init__(Y)
        self.work = np.empty_like(Y)

    def __call__(self, Z: np.ndarray, dZ: np.ndarray) -> float:
        work = self.work
        np.logaddexp(0.0, Z, out=work)
        np.multiply(self.Y, Z, out=dZ)
        np.subtract(work, dZ, out=work)
        cost = float(np.add.reduce(work, axis=None)) * self.inv_m
        np.subtract(sigmoid(Z), self.Y, out=dZ)
        np.multiply(dZ, self.dz_factor, out=dZ)
        return cost


class SoftmaxCE(_Output):
    """Softmax output with categorical cross-entropy: ``sum_j logsumexp(Z[:, j]) - sum(Y * Z)``."""

    def __init__(self, Y: np.ndarray) -> None:
        super().__init__(Y)
        self.zmax = np.empty((1, Y.shape[1]), dtype=Y.dtype)
        self.total = np.empty_like(self.zmax)
        self.refresh()

    def refresh(self) -> None:
        self.Y_flat = self.Y.reshape(-1)  # a copy when Y is a column slice of the shuffled targets

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
        np.multiply(dZ, self.dz_factor, out=dZ)
        return cost


class LinearMSE(_Output):
    """Linear output with half the mean squared error: ``(1/2m) sum((Z - Y)^2)``."""

    def __call__(self, Z: np.ndarray, dZ: np.ndarray) -> float:
        np.subtract(Z, self.Y, out=dZ)
        flat = dZ.reshape(-1)
        cost = float(np.dot(flat, flat)) * 0.5 * self.inv_m
        np.multiply(dZ, self.dz_factor, out=dZ)
        return cost


def output_kernel(output: str, Y: np.ndarray, binary: bool) -> _Output:
    """The fused output for ``output`` (sigmoid, softmax or linear) and targets ``Y (n_y, m)``.

    ``binary`` says every target is 0 or 1 (see ``all_binary``), which allows the
    faster sigmoid form.
    """
    if output == "sigmoid":
        return BinarySigmoidCE(Y) if binary else SigmoidCE(Y)
    if output == "softmax":
        return SoftmaxCE(Y)
    return LinearMSE(Y)


def all_binary(Y: np.ndarray) -> bool:
    """True when every entry of ``Y`` is exactly 0 or 1."""
    return bool(np.all((Y == 0) | (Y == 1)))
