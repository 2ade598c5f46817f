"""Vectorised forward and backward propagation, block by block as the course builds it.

Shapes (course notation, columns are examples): ``A[l-1] (n[l-1], m)``,
``W[l] (n[l], n[l-1])``, ``b[l] (n[l], 1)``, ``Z[l], A[l] (n[l], m)``.
"""

from __future__ import annotations

from typing import Mapping, NamedTuple, Sequence

import numpy as np

from .activations import get_activation


class LayerCache(NamedTuple):
    """What layer l's forward pass keeps for its backward pass.

    ``A_prev (n[l-1], m)``, ``W (n[l], n[l-1])``, ``b (n[l], 1)``, ``Z (n[l], m)``,
    and ``A = g(Z) (n[l], m)``, kept so tanh and sigmoid derivatives need no
    second evaluation of g.
    """

    A_prev: np.ndarray
    W: np.ndarray
    b: np.ndarray
    Z: np.ndarray
    A: np.ndarray


def linear_forward(A_prev: np.ndarray, W: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``Z = W A_prev + b``: ``(n[l], n[l-1]) @ (n[l-1], m) + (n[l], 1) -> (n[l], m)``."""
    Z = W @ A_prev
    if Z.dtype != b.dtype and Z.dtype != np.result_type(Z, b):  # b is wider: let NumPy promote
        return Z + b
    Z += b  # in place on the fresh product: one (n[l], m) array instead of two
    return Z


def linear_activation_forward(
    A_prev: np.ndarray, W: np.ndarray, b: np.ndarray, activation: str
) -> tuple[np.ndarray, LayerCache]:
    """One layer: ``A = g(W A_prev + b)``; returns ``(A (n[l], m), cache)``."""
    Z = linear_forward(A_prev, W, b)
    A = get_activation(activation).forward(Z)
    return A, LayerCache(A_prev, W, b, Z, A)


def model_forward(
    X: np.ndarray, parameters: Mapping[str, np.ndarray], activations: Sequence[str]
) -> tuple[np.ndarray, list[LayerCache]]:
    """Forward through L layers, ``A[0] = X (n_x, m)``.

    Args:
        X: inputs ``(n[0], m)``.
        parameters: ``W1, b1, ..., WL, bL``.
        activations: ``g[1] .. g[L]`` by name.

    Returns:
        ``(AL (n[L], m), caches)`` with one ``LayerCache`` per layer, layer 1 first.
    """
    A = X
    caches: list[LayerCache] = []
    for l, name in enumerate(activations, start=1):
        A, cache = linear_activation_forward(A, parameters[f"W{l}"], parameters[f"b{l}"], name)
        caches.append(cache)
    return A, caches


def linear_backward(
    dZ: np.ndarray, cache: LayerCache, lambd: float = 0.0, need_dA_prev: bool = True
) -> tuple[np.ndarray | None, np.ndarray, np.ndarray]:
    """Gradients of the linear step from ``dZ (n[l], m)``.

    ``dW = (1/m) dZ A_prev^T (+ (lambda/m) W)``, ``db = (1/m) sum(dZ, axis=1)``,
    ``dA_prev = W^T dZ``. Returns ``(dA_prev (n[l-1], m) or None, dW, db)``;
    ``dA_prev`` is skipped when ``need_dA_prev`` is false (layer 1 never needs it).
    """
    m = cache.A_prev.shape[1]
    dW = dZ @ cache.A_prev.T
    dW *= 1.0 / m  # in place on the fresh product
    if lambd:
        dW += (lambd / m) * cache.W
    db = dZ.sum(axis=1, keepdims=True) * (1.0 / m)
    dA_prev = cache.W.T @ dZ if need_dA_prev else None
    return dA_prev, dW, db


def linear_activation_backward(
    dA: np.ndarray, cache: LayerCache, activation: str, lambd: float = 0.0, need_dA_prev: bool = True
) -> tuple[np.ndarray | None, np.ndarray, np.ndarray]:
    """One layer backward: ``dZ = dA * g'(Z)``, then ``linear_backward``."""
    dZ = get_activation(activation).backward(dA, cache.Z, cache.A)
    return linear_backward(dZ, cache, lambd, need_dA_prev)


def model_backward(
    AL: np.ndarray,
    Y: np.ndarray,
    caches: Sequence[LayerCache],
    activations: Sequence[str],
    lambd: float = 0.0,
) -> dict[str, np.ndarray]:
    """Gradients of the cost for every layer.

    The output layer's activation and cost are fused: ``dZ[L] = A[L] - Y`` for
    sigmoid + cross-entropy, softmax + cross-entropy and linear + squared error.

    Args:
        AL: output ``(n[L], m)``; Y: targets ``(n[L], m)``.
        caches: from ``model_forward``; activations: ``g[1] .. g[L]``.
        lambd: L2 strength (adds ``(lambda/m) W[l]`` to ``dW[l]``).

    Returns:
        ``{"dW1": (n[1], n[0]), "db1": (n[1], 1), ..., "dWL", "dbL"}``.
    """
    if AL.shape != Y.shape:
        raise ValueError(f"AL has shape {AL.shape} but Y has shape {Y.shape}")
    L = len(caches)
    grads: dict[str, np.ndarray] = {}
    dZ = AL - Y
    dA_prev, grads[f"dW{L}"], grads[f"db{L}"] = linear_backward(dZ, caches[L - 1], lambd, L > 1)
    for l in range(L - 1, 0, -1):
        dA_prev, grads[f"dW{l}"], grads[f"db{l}"] = linear_activation_backward(
            dA_prev, caches[l - 1], activations[l - 1], lambd, l > 1
        )
    return grads
