"""Central-difference checks of a few entries of every gradient in a ``StepThrough``.

Parameter gradients (``dW[l]``, ``db[l]``) are derivatives of the cost J (with its L2
term): the entry is nudged and J recomputed from ``Z[l]`` upwards. The course's
``dZ[l]`` and ``dA[l]`` are derivatives of one example's loss ``L(i)`` (``J`` is
their mean), so entry ``(j, i)`` is nudged and only example i's loss is recomputed
from there. ``dA[L]`` is checked against the loss written as a function of ``A[L]``
(the course's cross-entropy). All arithmetic is float64.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .activations import get_activation
from .costs import compute_cost, l2_cost
from .gradcheck import relative_error
from .propagation import linear_forward
from .stepthrough import CHAIN_OUTPUTS, StepThrough, course_cost_from_output

ENTRIES = 3
"""Entries checked per array: few, so a large network's check stays quick."""
EPSILON = 1e-6


@dataclass(frozen=True)
class EntryCheck:
    """Backprop against central differences at a few ``(row, column)`` entries of one array."""

    name: str
    """``"dW1"``, ``"db1"``, ``"dZ1"``, ``"dA1"``, ...; ``"dZ2"`` for L = 2 is the fused ``A[2] - Y``."""
    entries: tuple[tuple[int, int], ...]
    backprop: tuple[float, ...]
    numeric: tuple[float, ...]
    relative_error: float


def pick_entries(shape: tuple[int, int], count: int = ENTRIES) -> tuple[tuple[int, int], ...]:
    """Up to ``count`` entries spread evenly over an array's flat order (first and last included)."""
    size = shape[0] * shape[1]
    flat = np.unique(np.linspace(0, size - 1, min(count, size)).round().astype(int))
    return tuple((int(k // shape[1]), int(k % shape[1])) for k in flat)


def _central(f: Callable[[float], float], x: float, eps: float) -> float:
    return (f(x + eps) - f(x - eps)) / (2 * eps)


class _Checker:
    """The step's arrays in float64 and the partial forward passes the checks need."""

    def __init__(self, step: StepThrough, eps: float) -> None:
        self.step, self.eps = step, eps
        self.spec = step.spec
        self.Y = np.asarray(step.Y, dtype=np.float64)
        self.params = {k: np.array(v, dtype=np.float64) for k, v in step.before.items()}
        self.caches = [tuple(np.asarray(a, dtype=np.float64) for a in c) for c in step.caches]

    def loss_from_Z(self, l: int, Z: np.ndarray, Y: np.ndarray) -> float:
        """The cost (without L2) when layer l's ``Z[l]`` is ``Z``: ``g[l]``, then layers l+1..L."""
        if l == self.spec.L:
            return compute_cost(Z, Y, self.spec.output)
        return self.loss_from(l + 1, get_activation(self.spec.activations[l - 1]).forward(Z), Y)

    def loss_from(self, l: int, A_prev: np.ndarray, Y: np.ndarray) -> float:
        """The cost (without L2) of ``A_prev`` entering layer l."""
        return self.loss_from_Z(l, linear_forward(A_prev, self.params[f"W{l}"], self.params[f"b{l}"]), Y)

    def parameter(self, key: str, entries) -> list[float]:
        """dJ/d(theta) at ``entries`` of parameter ``key`` (``W3``, ``b1``), J with its L2 term.

        Nudging ``W[l][r, c]`` by d moves only row r of ``Z[l]``, by ``d A[l-1][c, :]`` (``d``
        for ``b[l][r]``), so layer l's product is not recomputed: large inputs stay cheap.
        """
        l, theta, m = int(key[1:]), self.params[key], self.Y.shape[1]
        A_prev, Z = self.caches[l - 1][0], self.caches[l - 1][3]

        def J(value: float, r: int, c: int) -> float:
            old = theta[r, c]
            theta[r, c] = value
            try:
                nudged = Z.copy()
                nudged[r] += (theta[r, c] - old) * (A_prev[c] if key[0] == "W" else 1.0)
                return self.loss_from_Z(l, nudged, self.Y) + l2_cost(self.params, self.step.lambd, m, self.spec.L)
            finally:
                theta[r, c] = old

        return [_central(lambda v: J(v, r, c), float(theta[r, c]), self.eps) for r, c in entries]

    def activation(self, name: str, l: int, entries) -> list[float]:
        """dL(i)/dZ[l] (``name == "dZ"``) or dL(i)/dA[l] at entries ``(j, i)``, one example at a time."""
        spec = self.spec
        source = self.caches[l - 1][3 if name == "dZ" else 4]
        out = []
        for j, i in entries:
            column, y = source[:, i : i + 1].copy(), self.Y[:, i : i + 1]

            def loss(value: float) -> float:
                column[j, 0] = value
                if name == "dZ":
                    return self.loss_from_Z(l, column, y)
                if l == spec.L:
                    return course_cost_from_output(column, y, spec.output)
                return self.loss_from(l + 1, column, y)

            out.append(_central(loss, float(source[j, i]), self.eps))
        return out


def check_step(step: StepThrough, entries: int = ENTRIES, epsilon: float = EPSILON) -> dict[str, EntryCheck]:
    """Check a few entries of every gradient of ``step`` by central differences.

    Returns one ``EntryCheck`` per array, keyed ``"dW1"``, ``"db1"``, ``"dZ1"``,
    ``"dA1"`` ..., including ``"dAL"`` (``dA[L]``, the chain form) for sigmoid
    and linear outputs. ``dA[0]`` is never computed, so never checked.
    """
    checker = _Checker(step, epsilon)
    out: dict[str, EntryCheck] = {}

    def add(name: str, g: np.ndarray, numeric: Callable) -> None:
        where = pick_entries(g.shape, entries)
        approx = np.array(numeric(where), dtype=np.float64)
        backprop = np.array([g[r, c] for r, c in where], dtype=np.float64)
        out[name] = EntryCheck(name, where, tuple(backprop.tolist()), tuple(approx.tolist()), relative_error(backprop, approx))

    with np.errstate(all="ignore"):
        for back in step.backward:
            l = back.layer
            if back.dA is not None and (l < step.L or step.spec.output in CHAIN_OUTPUTS):
                add(f"dA{l}", back.dA, lambda where, l=l: checker.activation("dA", l, where))
            add(f"dZ{l}", back.dZ, lambda where, l=l: checker.activation("dZ", l, where))
            add(f"dW{l}", back.dW, lambda where, l=l: checker.parameter(f"W{l}", where))
            add(f"db{l}", back.db, lambda where, l=l: checker.parameter(f"b{l}", where))
    return out
