"""Hidden-layer activations in place, for the trainer's buffer-reusing step.

Each kernel owns the scratch one layer of one batch size needs and returns its work
as a list of NumPy calls, ``(function, arguments)``, with every operand bound, for
``fused_step`` to run without bookkeeping:

- ``forward(Z)`` turns ``Z (n[l], m)`` into ``A = g(Z)`` in the same array;
- ``backward(dA, A)`` turns ``dA (n[l], m)`` into ``dZ = dA * g'(Z)`` in place, from
  ``A`` alone (it may overwrite ``A``, which the step no longer needs by then);
- ``backward_row(row, A, out)`` writes ``g'(Z) * row`` for a ``(1, m)`` row broadcast
  over the units (see ``fused_step``).

The arithmetic is that of ``activations.py`` (``tanh``: ``dA * (1 - A * A)``; sigmoid:
``dA * A * (1 - A)``; ReLU: ``dA * [Z > 0]``, 0 at 0; leaky ReLU slope 0.01), so the
numbers match the course's building blocks.
"""

from __future__ import annotations

from functools import partial
from typing import Any, Callable

import numpy as np

from .activations import LEAKY_SLOPE

Ops = list[tuple[Callable[..., Any], tuple]]
"""NumPy calls with their operands bound: ``for f, args in ops: f(*args)``."""


class Tanh:
    """``A = tanh(Z)``; ``dZ = dA * (1 - A^2)``, computed in ``A``'s buffer."""

    def __init__(self, shape: tuple[int, int], dtype: np.dtype) -> None:
        pass

    def forward(self, Z: np.ndarray) -> Ops:
        return [(np.tanh, (Z, Z))]

    def backward(self, dA: np.ndarray, A: np.ndarray) -> Ops:
        return [(np.multiply, (A, A, A)), (np.subtract, (1.0, A, A)), (np.multiply, (dA, A, dA))]

    def backward_row(self, row: np.ndarray, A: np.ndarray, out: np.ndarray) -> Ops:
        return [(np.multiply, (A, A, A)), (np.subtract, (1.0, A, A)), (np.multiply, (A, row, out))]


class Sigmoid:
    """``A = 1 / (1 + exp(-Z))``; ``dZ = dA * A * (1 - A)``, computed in ``A``'s buffer."""

    def __init__(self, shape: tuple[int, int], dtype: np.dtype) -> None:
        pass

    def forward(self, Z: np.ndarray) -> Ops:
        # exp(-Z) overflows to inf for very negative Z, and 1 / inf is the right 0.
        return [(np.negative, (Z, Z)), (np.exp, (Z, Z)), (np.add, (Z, 1.0, Z)), (np.divide, (1.0, Z, Z))]

    def backward(self, dA: np.ndarray, A: np.ndarray) -> Ops:
        return [(np.multiply, (dA, A, dA)), (np.subtract, (1.0, A, A)), (np.multiply, (dA, A, dA))]

    def backward_row(self, row: np.ndarray, A: np.ndarray, out: np.ndarray) -> Ops:
        return [(np.multiply, (A, row, out)), (np.subtract, (1.0, A, A)), (np.multiply, (out, A, out))]


class ReLU:
    """``A = max(Z, 0)``; ``dZ = dA * [A > 0]`` (``A > 0`` exactly where ``Z > 0``)."""

    def __init__(self, shape: tuple[int, int], dtype: np.dtype) -> None:
        self.mask = np.empty(shape, dtype=bool)

    def forward(self, Z: np.ndarray) -> Ops:
        return [(partial(np.maximum, out=Z), (Z, 0.0))]  # maximum takes out= by keyword only

    def backward(self, dA: np.ndarray, A: np.ndarray) -> Ops:
        return [(np.greater, (A, 0.0, self.mask)), (np.multiply, (dA, self.mask, dA))]

    def backward_row(self, row: np.ndarray, A: np.ndarray, out: np.ndarray) -> Ops:
        return [(np.greater, (A, 0.0, self.mask)), (np.multiply, (self.mask, row, out))]


class LeakyReLU:
    """``A = Z * f``, ``dZ = dA * f`` with ``f = 1 where Z > 0, else 0.01``, kept from the forward pass."""

    def __init__(self, shape: tuple[int, int], dtype: np.dtype) -> None:
        self.mask = np.empty(shape, dtype=bool)
        self.factor = np.empty(shape, dtype=dtype)
        self.slope = np.asarray(LEAKY_SLOPE, dtype=dtype)[()]
        self.rise = np.asarray(1.0, dtype=dtype)[()] - self.slope
        # f is built as mask * (1 - slope) + slope; that must be exactly 1 where the mask is set.
        assert self.rise + self.slope == 1

    def forward(self, Z: np.ndarray) -> Ops:
        f = self.factor
        return [(np.greater, (Z, 0.0, self.mask)), (np.multiply, (self.mask, self.rise, f)),
                (np.add, (f, self.slope, f)), (np.multiply, (Z, f, Z))]

    def backward(self, dA: np.ndarray, A: np.ndarray) -> Ops:
        return [(np.multiply, (dA, self.factor, dA))]

    def backward_row(self, row: np.ndarray, A: np.ndarray, out: np.ndarray) -> Ops:
        return [(np.multiply, (self.factor, row, out))]


class Linear:
    """``A = Z``; ``dZ = dA``."""

    def __init__(self, shape: tuple[int, int], dtype: np.dtype) -> None:
        pass

    def forward(self, Z: np.ndarray) -> Ops:
        return []

    def backward(self, dA: np.ndarray, A: np.ndarray) -> Ops:
        return []

    def backward_row(self, row: np.ndarray, A: np.ndarray, out: np.ndarray) -> Ops:
        return [(np.copyto, (out, row))]


HIDDEN_KERNELS = {"tanh": Tanh, "sigmoid": Sigmoid, "relu": ReLU, "leaky_relu": LeakyReLU, "linear": Linear}
"""The in-place kernel for each hidden activation in ``activations.HIDDEN_ACTIVATIONS``."""
