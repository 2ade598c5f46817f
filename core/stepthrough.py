"""One gradient-descent step with every intermediate kept, for showing it to a learner.

Built from the course's public blocks (``model_forward``, the activations'
backward passes, ``linear_backward``, ``update_parameters``) in the same order
as ``model_backward``, so its caches and gradients are those blocks' bit for bit;
it is the trainer's batch gradient-descent step for the same ``X``, ``Y``,
parameters and learning rate (to rounding, should the trainer fuse its arithmetic).
It also keeps what ``model_backward`` computes but does not return: ``dZ[l]`` and
``dA[l]`` for every layer, and the course's chain form of the output gradient
(``dA[L]`` through ``g'(Z[L])``) beside the fused ``dZ[L] = A[L] - Y``.

Shapes (course notation, columns are examples): ``X (n[0], m)``, ``Y (n[L], m)``,
``Z[l], A[l], dZ[l], dA[l] (n[l], m)``, ``W[l], dW[l] (n[l], n[l-1])``, ``b[l], db[l] (n[l], 1)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import numpy as np

from .activations import get_activation
from .costs import compute_cost, l2_cost
from .network import NetworkSpec
from .optimizers import update_parameters
from .propagation import LayerCache, linear_backward, model_forward

CHAIN_OUTPUTS: tuple[str, ...] = ("sigmoid", "linear")
"""Outputs whose chain ``dZ[L] = dA[L] * g'(Z[L])`` is element-wise. Softmax's is a
Jacobian product (course 2), so for softmax only the fused form exists here."""


def output_dA(AL: np.ndarray, Y: np.ndarray, output: str) -> np.ndarray:
    """The derivative of the loss with respect to ``A[L] (n[L], m)``, as the course writes it.

    sigmoid + cross-entropy: ``dA[L] = -(Y/A[L] - (1-Y)/(1-A[L]))`` (not finite where
    ``A[L]`` is exactly 0 or 1); linear + half squared error: ``dA[L] = A[L] - Y``.
    Raises ``ValueError`` for softmax.
    """
    if output == "sigmoid":
        with np.errstate(divide="ignore", invalid="ignore"):
            return -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    if output == "linear":
        return AL - Y
    raise ValueError(f"the chain form of the output gradient is element-wise only for {', '.join(CHAIN_OUTPUTS)}")


def output_gradient_chain(AL: np.ndarray, Y: np.ndarray, ZL: np.ndarray, output: str) -> tuple[np.ndarray, np.ndarray]:
    """The course's output-layer chain: ``(dA[L], dZ[L] = dA[L] * g'(Z[L]))``, each ``(n[L], m)``.

    ``g'`` is evaluated from ``Z[L]`` as the course's ``sigmoid_backward`` does
    (``s = sigmoid(Z); dZ = dA * s * (1 - s)``), so ``A[L]`` enters only through
    ``dA[L]``. When ``A[L] = sigmoid(Z[L])`` this equals the fused ``A[L] - Y``
    up to rounding; for any other ``A[L]`` it is the course's formula, not ``A[L] - Y``.
    """
    dAL = output_dA(AL, Y, output)
    g = get_activation(output)
    with np.errstate(invalid="ignore"):
        return dAL, g.backward(dAL, ZL, g.forward(ZL))


def output_gradient_fused(AL: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """``dZ[L] = A[L] - Y (n[L], m)``: the trainer's form for sigmoid, softmax and linear outputs."""
    return AL - Y


def course_cost_from_output(AL: np.ndarray, Y: np.ndarray, output: str) -> float:
    """The cost from ``A[L]`` as the course's ``compute_cost`` writes it (no L2 term).

    sigmoid: ``-(1/m) sum(Y log A + (1-Y) log(1-A))``; softmax: ``-(1/m) sum(Y log A)``;
    linear: ``(1/2m) sum((A - Y)^2)``. The trainer computes the same number from ``Z[L]``.
    """
    m = AL.shape[1]
    with np.errstate(divide="ignore", invalid="ignore"):
        if output == "sigmoid":
            return float(-(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)).sum() / m)
        if output == "softmax":
            return float(-(Y * np.log(AL)).sum() / m)
    D = AL - Y
    return float((D * D).sum() / (2 * m))


@dataclass(frozen=True, eq=False)
class LayerBackward:
    """Layer l's backward pass: ``dA[l]`` in, ``dZ[l]``, then ``dW[l]``, ``db[l]`` and ``dA[l-1]``.

    For the output layer ``dA`` is the course's chain ``dA[L]`` (None for softmax) and
    ``dZ`` is the fused ``A[L] - Y`` the trainer uses. ``dA_prev`` is None for l = 1.
    """

    layer: int
    dA: np.ndarray | None
    dZ: np.ndarray
    dW: np.ndarray
    db: np.ndarray
    dA_prev: np.ndarray | None


@dataclass(frozen=True, eq=False)
class StepThrough:
    """Every intermediate of one batch gradient-descent step on ``X (n_x, m)``, ``Y (n_y, m)``."""

    spec: NetworkSpec
    X: np.ndarray
    Y: np.ndarray
    caches: tuple[LayerCache, ...]
    """From ``model_forward``: ``caches[l-1] = (A[l-1], W[l], b[l], Z[l], A[l])``."""
    cost: float
    """J as the trainer computes it (from ``Z[L]``), with the L2 term."""
    l2_term: float
    course_cost: float
    """J from ``A[L]`` by the course's formula, without the L2 term."""
    dZ_chain: np.ndarray | None
    """``dA[L] * g'(Z[L])``, the course's chain (None for softmax)."""
    backward: tuple[LayerBackward, ...]
    """Layer L first, layer 1 last, in the order backpropagation computes them."""
    grads: dict[str, np.ndarray]
    """``dW1, db1, ..., dWL, dbL``: ``model_backward``'s result."""
    learning_rate: float
    lambd: float
    before: dict[str, np.ndarray]
    after: dict[str, np.ndarray]
    """``update_parameters(before, grads, learning_rate)``."""

    @property
    def m(self) -> int:
        return self.X.shape[1]

    @property
    def L(self) -> int:
        return self.spec.L

    @property
    def AL(self) -> np.ndarray:
        return self.caches[-1].A

    def cache(self, l: int) -> LayerCache:
        """Layer l's cache, l = 1..L."""
        return self.caches[l - 1]

    def layer(self, l: int) -> LayerBackward:
        """Layer l's backward pass, l = 1..L."""
        return self.backward[self.L - l]

    def chain_difference(self) -> float | None:
        """``max |dA[L] * g'(Z[L]) - (A[L] - Y)|`` (NaN if the chain is not finite somewhere)."""
        if self.dZ_chain is None:
            return None
        with np.errstate(invalid="ignore"):
            return float(np.max(np.abs(self.dZ_chain - self.layer(self.L).dZ)))


def step_through(
    X: np.ndarray,
    Y: np.ndarray,
    parameters: Mapping[str, np.ndarray],
    spec: NetworkSpec,
    learning_rate: float,
    lambd: float = 0.0,
) -> StepThrough:
    """Forward, cost, backward and a gradient-descent update, keeping every array.

    Args:
        X: ``(n_x, m)``; Y: ``(n_y, m)``; parameters: ``W1, b1, ...`` (not modified).
        learning_rate: alpha in ``W[l] := W[l] - alpha dW[l]``.
        lambd: L2 strength, as the trainer's ``lambd``.
    """
    L = spec.L
    before = dict(parameters)
    with np.errstate(all="ignore"):
        AL, caches = model_forward(X, before, spec.activations)
        ZL = caches[-1].Z
        cost_ = compute_cost(ZL, Y, spec.output)
        l2 = l2_cost(before, lambd, X.shape[1], L)
        dAL = dZ_chain = None
        if spec.output in CHAIN_OUTPUTS:
            dAL, dZ_chain = output_gradient_chain(AL, Y, ZL, spec.output)
        dZ = output_gradient_fused(AL, Y)  # the trainer's form: what the step uses
        dA: np.ndarray | None = dAL
        layers: list[LayerBackward] = []
        grads: dict[str, np.ndarray] = {}
        for l in range(L, 0, -1):
            cache = caches[l - 1]
            if l < L:
                dZ = get_activation(spec.activations[l - 1]).backward(dA, cache.Z, cache.A)
            dA_prev, grads[f"dW{l}"], grads[f"db{l}"] = linear_backward(dZ, cache, lambd, l > 1)
            layers.append(LayerBackward(l, dA, dZ, grads[f"dW{l}"], grads[f"db{l}"], dA_prev))
            dA = dA_prev
        after = update_parameters(before, grads, learning_rate)
        course = course_cost_from_output(AL, Y, spec.output)
    return StepThrough(
        spec, X, Y, tuple(caches), cost_ + l2, l2, course, dZ_chain, tuple(layers),
        grads, learning_rate, lambd, before, after,
    )


@dataclass(frozen=True)
class ExampleGraph:
    """Logistic regression's computation graph for example ``i``, values and derivatives.

    ``x, dw (n_x,)``; the rest are numbers: ``z = w^T x + b``, ``a = sigmoid(z)``,
    ``loss = L(a, y)``, ``da = -y/a + (1-y)/(1-a)``, ``dz = a - y``, ``dw = x dz``, ``db = dz``.
    """

    i: int
    x: np.ndarray
    y: float
    z: float
    a: float
    loss: float
    da: float
    dz: float
    dw: np.ndarray
    db: float


def logistic_example(step: StepThrough, i: int) -> ExampleGraph:
    """Example ``i``'s graph for a one-layer sigmoid network (logistic regression), from ``step``'s arrays.

    Averaging ``dw`` and ``db`` over the m examples gives ``step``'s ``dW1^T`` and ``db1``.
    """
    if step.L != 1 or step.spec.output != "sigmoid" or step.spec.n_y != 1:
        raise ValueError("the computation graph is logistic regression's: one sigmoid unit, one layer")
    cache, back = step.cache(1), step.layer(1)
    x = cache.A_prev[:, i].copy()
    y, a, dz = float(step.Y[0, i]), float(cache.A[0, i]), float(back.dZ[0, i])
    loss = course_cost_from_output(cache.A[:, i : i + 1], step.Y[:, i : i + 1], "sigmoid")
    return ExampleGraph(i, x, y, float(cache.Z[0, i]), a, loss, float(back.dA[0, i]), dz, x * dz, dz)
