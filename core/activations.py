"""Activation functions g(Z) and their backward passes, looked up by name.

Every function works element-wise on an array of shape ``(n[l], m)`` and
returns an array of the same shape and dtype.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

LEAKY_SLOPE = 0.01
"""Slope of leaky ReLU for negative inputs, as in the course."""


def sigmoid(Z: np.ndarray) -> np.ndarray:
    """Logistic sigmoid ``1 / (1 + exp(-Z))`` without overflow for any finite Z."""
    E = np.exp(-np.abs(Z))  # in (0, 1]: never overflows
    R = 1.0 / (1.0 + E)
    return np.where(Z >= 0, R, E * R).astype(Z.dtype, copy=False)


def tanh(Z: np.ndarray) -> np.ndarray:
    """Hyperbolic tangent."""
    return np.tanh(Z)


def relu(Z: np.ndarray) -> np.ndarray:
    """Rectified linear unit ``max(0, Z)``."""
    return np.maximum(Z, 0)


def leaky_relu(Z: np.ndarray) -> np.ndarray:
    """``Z`` where positive, ``0.01 * Z`` elsewhere."""
    return np.where(Z > 0, Z, Z * LEAKY_SLOPE)


def linear(Z: np.ndarray) -> np.ndarray:
    """Identity: the output activation for regression."""
    return Z


def softmax(Z: np.ndarray) -> np.ndarray:
    """Column-wise softmax: each column of ``(n_y, m)`` sums to 1 (max-shifted, no overflow)."""
    E = np.exp(Z - Z.max(axis=0, keepdims=True))
    return E / E.sum(axis=0, keepdims=True)


# Backward passes: dZ = dA * g'(Z). They receive both Z and A = g(Z), so
# tanh and sigmoid reuse A from the forward pass instead of recomputing it.

def sigmoid_backward(dA: np.ndarray, Z: np.ndarray, A: np.ndarray) -> np.ndarray:
    """``dA * s(Z)(1 - s(Z))``, using the cached ``A = s(Z)``."""
    return dA * A * (1 - A)


def tanh_backward(dA: np.ndarray, Z: np.ndarray, A: np.ndarray) -> np.ndarray:
    """``dA * (1 - tanh(Z)^2)``, using the cached ``A = tanh(Z)``."""
    return dA * (1 - A * A)


def relu_backward(dA: np.ndarray, Z: np.ndarray, A: np.ndarray) -> np.ndarray:
    """``dA * 1[Z > 0]``. The derivative at exactly ``Z = 0`` is taken as 0."""
    return dA * (Z > 0)


def leaky_relu_backward(dA: np.ndarray, Z: np.ndarray, A: np.ndarray) -> np.ndarray:
    """``dA`` where ``Z > 0``, ``0.01 * dA`` elsewhere (0.01 at exactly 0)."""
    return np.where(Z > 0, dA, dA * LEAKY_SLOPE)


def linear_backward_act(dA: np.ndarray, Z: np.ndarray, A: np.ndarray) -> np.ndarray:
    """Identity derivative: ``dZ = dA``."""
    return dA


@dataclass(frozen=True)
class Activation:
    """One activation: its forward function, its backward pass and what "saturated" means."""

    name: str
    forward: Callable[[np.ndarray], np.ndarray]
    backward: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]
    hidden: bool = True
    """Whether it may be used in a hidden layer (softmax may not)."""


ACTIVATIONS: dict[str, Activation] = {
    "sigmoid": Activation("sigmoid", sigmoid, sigmoid_backward),
    "tanh": Activation("tanh", tanh, tanh_backward),
    "relu": Activation("relu", relu, relu_backward),
    "leaky_relu": Activation("leaky_relu", leaky_relu, leaky_relu_backward),
    "linear": Activation("linear", linear, linear_backward_act),
    "softmax": Activation("softmax", softmax, linear_backward_act, hidden=False),
}
"""Every activation by name. Softmax's backward is only used fused with its cost."""

HIDDEN_ACTIVATIONS: tuple[str, ...] = ("relu", "tanh", "sigmoid", "leaky_relu", "linear")
"""Hidden-layer activations, in the order the app cycles through them."""


def get_activation(name: str) -> Activation:
    """Look an activation up by name; an unknown name raises ``ValueError`` listing the choices."""
    try:
        return ACTIVATIONS[name]
    except KeyError:
        choices = ", ".join(sorted(ACTIVATIONS))
        raise ValueError(f"unknown activation {name!r}; expected one of {choices}") from None
