"""Per-layer health statistics: weights, activations, gradients and updates.

Computed from what a training step already has (parameters before and after
the update, the forward caches, the gradients), so nothing is recomputed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np

from .propagation import LayerCache

HISTOGRAM_BINS = 8
ACTIVATION_SAMPLE = 1024
"""The trainer's activation statistics describe at most this many examples, evenly spread
over the batch (the dead fraction alone uses every example), so they cost the same for
m = 400 and m = 60000."""
SATURATION_LEVEL = {"tanh": 0.99, "sigmoid": 0.99}
"""|tanh| above this, or sigmoid beyond 1 - this / this, counts as saturated."""


@dataclass(frozen=True, slots=True)
class ArrayStats:
    """Summary of one array: mean, standard deviation, min, max and Frobenius norm."""

    mean: float
    std: float
    min: float
    max: float
    norm: float

    @classmethod
    def of(cls, a: np.ndarray) -> "ArrayStats":
        return cls(float(a.mean()), float(a.std()), float(a.min()), float(a.max()), float(np.linalg.norm(a)))


@dataclass(frozen=True, slots=True)
class Histogram:
    """Counts of values in equal bins between ``lo`` and ``hi`` (non-finite values left out)."""

    counts: tuple[int, ...]
    lo: float
    hi: float

    @classmethod
    def of(cls, a: np.ndarray, bins: int = HISTOGRAM_BINS) -> "Histogram":
        lo, hi = float(a.min()), float(a.max())
        # Finite extremes mean every value is finite (a NaN would make them NaN): no copy needed.
        finite = a if np.isfinite(lo) and np.isfinite(hi) else a[np.isfinite(a)]
        if finite.size == 0:
            return cls((0,) * bins, 0.0, 0.0)
        if finite is not a:
            lo, hi = float(finite.min()), float(finite.max())
        if lo == hi:
            counts = [0] * bins
            counts[bins // 2] = int(finite.size)
            return cls(tuple(counts), lo, hi)
        counts, _ = np.histogram(finite, bins=bins, range=(lo, hi))
        return cls(tuple(int(c) for c in counts), lo, hi)


@dataclass(frozen=True, slots=True)
class LayerStats:
    """The health of layer l after one training step."""

    layer: int
    activation: str
    units: int
    W: ArrayStats
    b: ArrayStats
    A: ArrayStats
    dW: ArrayStats
    update_ratio: float
    """``||W_after - W_before|| / ||W_before||`` (inf when W was all zeros and moved)."""
    saturated: float | None
    """Fraction of activations in the flat tails (sigmoid/tanh only)."""
    dead: float | None
    """Fraction of units that output 0 for every example (ReLU only)."""
    identical_units: bool
    """All units have identical incoming weights: symmetry was never broken."""
    W_hist: Histogram
    A_hist: Histogram


def saturated_fraction(A: np.ndarray, activation: str) -> float | None:
    """Share of entries of ``A (n[l], m)`` where a sigmoid/tanh is flat."""
    level = SATURATION_LEVEL.get(activation)
    if level is None:
        return None
    if activation == "tanh":
        return float(np.mean(np.abs(A) > level))
    return float(np.mean((A > level) | (A < 1 - level)))


def dead_fraction(A: np.ndarray, activation: str) -> float | None:
    """Share of ReLU units (rows of ``A (n[l], m)``) that are 0 on every example."""
    if activation != "relu":
        return None
    return float(np.mean(A.max(axis=1) <= 0))  # one pass; a NaN row is not dead, as with all(A <= 0)


def sample_columns(A: np.ndarray, limit: int = ACTIVATION_SAMPLE) -> np.ndarray:
    """A copy of at most ``limit`` evenly spread columns (examples) of ``A (n, m)``."""
    step = -(-A.shape[1] // limit)
    return A[:, ::step].copy() if step > 1 else A.copy()


@dataclass(frozen=True, slots=True)
class OutputSample:
    """What the statistics need of a layer's output ``A (n[l], m)``: a column sample and the dead fraction."""

    sample: np.ndarray
    dead: float | None

    @classmethod
    def of(cls, A: np.ndarray, activation: str) -> "OutputSample":
        return cls(sample_columns(A), dead_fraction(A, activation))


def units_identical(W: np.ndarray) -> bool:
    """True when ``W (n[l], n[l-1])`` has more than one row and all rows are equal."""
    return W.shape[0] > 1 and bool(np.all(W == W[:1]))


def layer_statistics(
    before: Mapping[str, np.ndarray],
    after: Mapping[str, np.ndarray],
    caches: Sequence[LayerCache],
    grads: Mapping[str, np.ndarray],
    activations: Sequence[str],
) -> tuple[LayerStats, ...]:
    """One ``LayerStats`` per layer from one step's parameters, caches and gradients."""
    outputs = [OutputSample(cache.A, dead_fraction(cache.A, act)) for cache, act in zip(caches, activations)]
    return statistics_from_outputs(before, after, outputs, grads, activations)


def statistics_from_outputs(
    before: Mapping[str, np.ndarray],
    after: Mapping[str, np.ndarray],
    outputs: Sequence[OutputSample],
    grads: Mapping[str, np.ndarray],
    activations: Sequence[str],
) -> tuple[LayerStats, ...]:
    """``layer_statistics`` from each layer's ``OutputSample`` instead of its cache."""
    out = []
    for l, (output, act) in enumerate(zip(outputs, activations), start=1):
        A = output.sample
        W0, W1 = before[f"W{l}"], after[f"W{l}"]
        norm0 = float(np.linalg.norm(W0))
        step = float(np.linalg.norm(W1 - W0))
        ratio = step / norm0 if norm0 > 0 else (0.0 if step == 0 else float("inf"))
        out.append(
            LayerStats(
                layer=l,
                activation=act,
                units=W0.shape[0],
                W=ArrayStats.of(W0),
                b=ArrayStats.of(before[f"b{l}"]),
                A=ArrayStats.of(A),
                dW=ArrayStats.of(grads[f"dW{l}"]),
                update_ratio=ratio,
                saturated=saturated_fraction(A, act),
                dead=output.dead,
                identical_units=units_identical(W0),
                W_hist=Histogram.of(W0),
                A_hist=Histogram.of(A),
            )
        )
    return tuple(out)
