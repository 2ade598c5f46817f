"""Where and why a run diverged: finding the first non-finite array, or the layer to blame."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np

from .propagation import model_forward


@dataclass(frozen=True, slots=True)
class Divergence:
    """Where and why a run diverged."""

    iteration: int
    layer: int | None
    array: str
    reason: str

    def describe(self) -> str:
        """One sentence for a person, with the usual remedy."""
        where = f"{self.array} in layer {self.layer}" if self.layer else self.array
        return (
            f"Diverged at iteration {self.iteration}: {where}: {self.reason}. "
            f"The last good parameters were kept; try a smaller learning rate."
        )


def layer_of(key: str) -> int | None:
    """The layer number in a key such as ``W2`` or ``db3`` (None without digits)."""
    digits = "".join(c for c in key if c.isdigit())
    return int(digits) if digits else None


def first_nonfinite(arrays: Mapping[str, np.ndarray]) -> str | None:
    """The first key whose array holds a NaN or infinity, or None."""
    for key, a in arrays.items():
        # One reduction is much cheaper than isfinite(); confirm only when it fails.
        if not math.isfinite(float(a.sum())) and not np.isfinite(a).all():
            return key
    return None


def nonfinite_cost(
    i: int, cost: float, X: np.ndarray, Y: np.ndarray, P: Mapping[str, np.ndarray], activations: Sequence[str]
) -> Divergence:
    """Why the cost at parameters ``P`` on ``X (n_x, m)``, ``Y`` is not finite: the data,
    the weights, or the first ``Z[l]`` that overflowed (found with ``model_forward``)."""
    for name, a in (("X", X), ("Y", Y)):
        if not np.isfinite(a).all():
            return Divergence(i, None, name, f"the data {name} contains NaN or infinity, so the cost is {cost}")
    bad = first_nonfinite(P)
    if bad is not None:
        return Divergence(i, layer_of(bad), bad, "the weights are not finite")
    _, caches = model_forward(X, P, activations)
    for l, cache in enumerate(caches, start=1):
        if not np.isfinite(cache.Z).all():
            return Divergence(i, l, f"Z{l}", f"Z{l} overflowed, so the cost is {cost}")
    return Divergence(i, None, "cost", f"the cost is {cost}")


def cost_blowup(
    i: int, cost: float, P: Mapping[str, np.ndarray], grads: Mapping[str, np.ndarray], L: int,
    factor: float, scale: float, reference: str,
) -> Divergence:
    """A cost above ``factor x scale``: blames the layer whose ``W`` has the largest gradient for its size."""
    layer = max(range(1, L + 1), key=lambda l: _ratio(grads[f"dW{l}"], P[f"W{l}"]))
    return Divergence(
        i,
        layer,
        f"W{layer}",
        f"the cost rose to {cost:.4g}, more than {factor:g}x {reference} "
        f"{scale:.4g}; W{layer} has the largest gradient relative to its size",
    )


def bad_update(i: int, new_parameters: Mapping[str, np.ndarray], grads: Mapping[str, np.ndarray]) -> Divergence:
    """Why an update made the parameters non-finite: an overflowing gradient, or the step itself."""
    bad_grad = first_nonfinite(grads)
    if bad_grad is not None:
        return Divergence(i, layer_of(bad_grad), bad_grad, "the gradient is not finite (overflow)")
    bad = first_nonfinite(new_parameters) or "parameters"
    return Divergence(i, layer_of(bad), bad, "the update made the weights non-finite")


def _ratio(g: np.ndarray, w: np.ndarray) -> float:
    gn = float(np.linalg.norm(g))
    wn = float(np.linalg.norm(w))
    return gn / wn if wn > 0 else gn
