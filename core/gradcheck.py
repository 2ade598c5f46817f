"""Gradient checking: backpropagation against central differences, in float64."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import numpy as np

from .costs import compute_cost, l2_cost
from .network import NetworkSpec
from .propagation import model_backward, model_forward


def relative_error(g: np.ndarray, g_approx: np.ndarray) -> float:
    """``||g - g_approx|| / (||g|| + ||g_approx||)``; 0 when both are zero."""
    denom = np.linalg.norm(g) + np.linalg.norm(g_approx)
    return 0.0 if denom == 0 else float(np.linalg.norm(g - g_approx) / denom)


@dataclass(frozen=True)
class GradCheckResult:
    """Relative error overall and per parameter array (``"W1"``, ``"b1"``, ...)."""

    relative_error: float
    per_array: dict[str, float]

    def per_layer(self) -> dict[int, float]:
        """Relative error of ``W[l]`` and ``b[l]`` together, by layer l."""
        layers = sorted({int(k[1:]) for k in self.per_array})
        return {l: max(self.per_array[f"W{l}"], self.per_array[f"b{l}"]) for l in layers}


def total_cost(X: np.ndarray, Y: np.ndarray, parameters: Mapping[str, np.ndarray], spec: NetworkSpec, lambd: float) -> float:
    """Cost including the L2 term, as the trainer minimises it."""
    _, caches = model_forward(X, parameters, spec.activations)
    m = X.shape[1]
    return compute_cost(caches[-1].Z, Y, spec.output) + l2_cost(parameters, lambd, m, spec.L)


def gradient_check(
    X: np.ndarray,
    Y: np.ndarray,
    parameters: Mapping[str, np.ndarray],
    spec: NetworkSpec,
    lambd: float = 0.0,
    epsilon: float = 1e-6,
    max_entries: int | None = None,
    seed: int = 0,
) -> GradCheckResult:
    """Compare backprop's gradients with ``(J(theta + eps) - J(theta - eps)) / 2 eps``.

    Every entry is nudged, one at a time, and restored; all arithmetic is float64.
    For large networks ``max_entries`` checks that many entries per array,
    chosen with ``RandomState(seed)``.

    Args:
        X: ``(n_x, m)``; Y: ``(n_y, m)``; parameters: ``W1, b1, ...``.

    Returns:
        The relative error over all checked entries and per array.
    """
    X = np.asarray(X, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)
    params = {k: np.array(v, dtype=np.float64) for k, v in parameters.items()}
    AL, caches = model_forward(X, params, spec.activations)
    grads = model_backward(AL, Y, caches, spec.activations, lambd)
    rng = np.random.RandomState(seed)
    per_array: dict[str, float] = {}
    all_g, all_approx = [], []
    for key, theta in params.items():
        flat = theta.reshape(-1)
        idx = np.arange(flat.size)
        if max_entries is not None and flat.size > max_entries:
            idx = np.sort(rng.choice(flat.size, max_entries, replace=False))
        approx = np.empty(idx.size)
        for j, i in enumerate(idx):
            old = flat[i]
            flat[i] = old + epsilon
            plus = total_cost(X, Y, params, spec, lambd)
            flat[i] = old - epsilon
            minus = total_cost(X, Y, params, spec, lambd)
            flat[i] = old
            approx[j] = (plus - minus) / (2 * epsilon)
        g = grads["d" + key].reshape(-1)[idx]
        per_array[key] = relative_error(g, approx)
        all_g.append(g)
        all_approx.append(approx)
    overall = relative_error(np.concatenate(all_g), np.concatenate(all_approx))
    return GradCheckResult(overall, per_array)
