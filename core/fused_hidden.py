"""Hidden-layer activations in place, for the trainer's buffer-reusing step.

Each kernel owns the scratch it needs for one layer of one batch size. ``forward``
turns ``Z (n[l], m)`` into ``A = g(Z)`` in the same array; ``backward`` turns
``dA (n[l], m)`` into ``dZ = dA * g'(Z)`` in place, from ``A`` alone (it may
overwrite ``A``, which the step no longer needs by then); ``backward_row`` writes
``g'(Z) * row`` for a ``(1, m)`` row broadcast over the units (see ``fused_step``). The arithmetic is that
of ``activations.py`` (``tanh``: ``dA * (1 - A * A)``; ``sigmoid``:
``dA * A * (1 - A)``; ReLU: ``dA * [Z > 0]``, 0 at 0; leaky ReLU slope 0.01), so
the numbers match the course's building blocks.
"""

from __future__ import annotations

import numpy as np

from .activations import LEAKY_SLOPE


class Tanh:
    """``A = tanh(Z)``; ``dZ = dA * (1 - A^2)``, computed in ``A``'s buffer."""

    destroys_A = True

    def __init__(self, shape: tuple[int, int], dtype: np.dtype) -> None:
        pass

    def forward(self, Z: np.ndarray) -> None:
        np.tanh(Z, out=Z)

    def backward(self, dA: np.ndarray, A: np.ndarray) -> None:
        np.multiply(A, A, A)
        np.subtract(1.0, A, A)
        np.multiply(dA, A, dA)

    def backward_row(self, row: np.ndarray, A: np.ndarray, out: np.ndarray) -> None:
        np.multiply(A, A, A)
        np.subtract(1.0, A, A)
        np.multiply(A, row, out)


class Sigmoid:
    """``A = 1 / (1 + exp(-Z))``; ``dZ = dA * A * (1 - A)``, computed in ``A``'s buffer."""

    destroys_A = True

    def __init__(self, shape: tuple[int, int], dtype: np.dtype) -> None:
        pass

    def forward(self, Z: np.ndarray) -> None:
        # exp(-Z) overflows to inf for very negative Z, and 1 / inf is the right 0.
        np.negative(Z, out=Z)
        np.exp(Z, out=Z)
        np.add(Z, 1.0, out=Z)
        np.divide(1.0, Z, out=Z)

    def backward(self, dA: np.ndarray, A: np.ndarray) -> None:
        np.multiply(dA, A, dA)
        np.subtract(1.0, A, A)
        np.multiply(dA, A, dA)

    def backward_row(self, row: np.ndarray, A: np.ndarray, out: np.ndarray) -> None:
        np.multiply(A, row, out)
        np.subtract(1.0, A, A)
        np.multiply(out, A, out)


class ReLU:
    """``A = max(Z, 0)``; ``dZ = dA * [A > 0]`` (``A > 0`` exactly where ``Z > 0``)."""

    destroys_A = False

    def __init__(self, shape: tuple[int, int], dtype: np.dtype) -> None:
        self.mask = np.empty(shape, dtype=bool)

    def forward(self, Z: np.ndarray) -> None:
        np.maximum(Z, 0.0, out=Z)

    def backward(self, dA: np.ndarray, A: np.ndarray) -> None:
        np.greater(A, 0.0, self.mask)
        np.multiply(dA, self.mask, dA)

    def backward_row(self, row: np.ndarray, A: np.ndarray, out: np.ndarray) -> None:
        np.greater(A, 0.0, self.mask)
        np.multiply(self.mask, row, out)


class LeakyReLU:
    """``A = Z * f``, ``dZ = dA * f`` with ``f = 1 where Z > 0, else 0.01``, kept from the forward pass."""

    destroys_A = False

    def __init__(self, shape: tuple[int, int], dtype: np.dtype) -> None:
        self.mask = np.empty(shape, dtype=bool)
        self.factor = np.empty(shape, dtype=dtype)
        self.slope = np.asarray(LEAKY_SLOPE, dtype=dtype)[()]
        self.rise = np.asarray(1.0, dtype=dtype)[()] - self.slope
        # f is built as mask * (1 - slope) + slope; that must be exactly 1 where the mask is set.
        assert self.rise + self.slope == 1

    def forward(self, Z: np.ndarray) -> None:
        np.greater(Z, 0.0, out=self.mask)
        np.multiply(self.mask, self.rise, out=self.factor)
        np.add(self.factor, self.slope, out=self.factor)
        np.multiply(Z, self.factor, out=Z)

    def backward(self, dA: np.ndarray, A: np.ndarray) -> None:
        np.multiply(dA, self.factor, dA)

    def backward_row(self, row: np.ndarray, A: np.ndarray, out: np.ndarray) -> None:
        np.multiply(self.factor, row, out)


class Linear:
    """``A = Z``; ``dZ = dA``."""

    destroys_A = False

    def __init__(self, shape: tuple[int, int], dtype: np.dtype) -> None:
        pass

    def forward(self, Z: np.ndarray) -> None:
        pass

    def backward(self, dA: np.ndarray, A: np.ndarray) -> None:
        pass

    def backward_row(self, row: np.ndarray, A: np.ndarray, out: np.ndarray) -> None:
        np.copyto(out, row)


HIDDEN_KERNELS = {"tanh": Tanh, "sigmoid": Sigmoid, "relu": ReLU, "leaky_relu": LeakyReLU, "linear": Linear}
"""The in-place kernel for each hidden activation in ``activations.HIDDEN_ACTIVATIONS``."""
