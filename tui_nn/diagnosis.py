"""Plain-words warnings from per-layer statistics and the cost: symmetry, saturation (and what
caused it), dead units, large updates, a cost that swings by orders of magnitude."""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np

from tui_nn.core import LayerStats

SATURATED_WARN = 0.5
DEAD_WARN = 0.5
UPDATE_RATIO_HIGH = 0.25
EARLY_ITERATIONS = 10
"""The first steps from small random weights always move them a lot: updates are judged later."""
GREW = 3.0
"""Weights whose spread is this many times their initial spread have grown."""
LARGE_Z = 2.0
"""A typical |Z| this large already saturates tanh (tanh 2 = 0.96) and leans sigmoid hard."""
SWING_WINDOW = 50
SWING_RANGE = 1.5
SWING_TRAVEL = 3.0
"""A cost swings when, within the last ``SWING_WINDOW`` iterations, its largest value is
``SWING_RANGE`` times its smallest and it travelled (the sum of its ups and downs) at least
``SWING_TRAVEL`` times that range: it goes up and down instead of falling (a steady fall
travels its range once, mini-batch noise spans less)."""


@dataclass(frozen=True)
class InitContext:
    """What the diagnosis needs to know about how training started, per layer l = 1..L:
    ``fan_in`` n[l-1], the initial spread of ``W[l]`` (``initial_w_std``), the root mean square
    of the training inputs (``input_rms``, what layer 1 sums), the scheme and the learning rate."""

    fan_in: tuple[int, ...]
    initial_w_std: tuple[float, ...]
    input_rms: float
    init: str
    init_scale: float
    learning_rate: float

    @classmethod
    def of(cls, layer_dims: Sequence[int], initial: dict[str, np.ndarray], X: np.ndarray, init: str,
           init_scale: float, learning_rate: float) -> "InitContext":
        """From the network's ``layer_dims``, its initial parameters and the training inputs ``X (n_x, m)``."""
        L = len(layer_dims) - 1
        sample = X[:, :: max(1, X.shape[1] // 1024)]
        rms = float(np.sqrt(np.mean(np.square(sample, dtype=np.float64)))) if sample.size else 0.0
        return cls(tuple(layer_dims[:-1]), tuple(float(initial[f"W{l}"].std()) for l in range(1, L + 1)),
                   rms, init, init_scale, learning_rate)


def _rms(s: LayerStats) -> float:
    return math.hypot(s.A.mean, s.A.std)


def _recommended_scale(n: int) -> str:
    return f"xavier scale sqrt(1/{n}) = {math.sqrt(1 / n):.3g}"


def _saturation_cause(s: LayerStats, previous: LayerStats | None, ctx: InitContext | None, iteration: int) -> str:
    """Why layer ``s`` saturates, with the numbers, and which setting to change."""
    if ctx is None or s.layer > len(ctx.fan_in):
        if iteration < EARLY_ITERATIONS:
            return "the initial weights are too large. Try xavier init or a smaller scale."
        return "the weights have grown large, so gradients vanish there. L2 regularisation limits this."
    n = ctx.fan_in[s.layer - 1]
    w0 = ctx.initial_w_std[s.layer - 1]
    a_in = ctx.input_rms if previous is None else _rms(previous)
    z0 = w0 * math.sqrt(n) * a_in
    what_in = "inputs" if previous is None else f"A[{previous.layer}]"
    if z0 >= LARGE_Z:
        return (f"the pre-activations were large from the start: {n} {what_in} (rms {a_in:.2g}) times initial "
                f"weights of spread {w0:.3g} give |Z| ≈ {w0:.3g} · sqrt({n}) · {a_in:.2g} = {z0:.2g}. "
                f"Use xavier or he init ({_recommended_scale(n)}) or a smaller init scale.")
    if w0 > 0 and s.W.std < GREW * w0:
        xavier = math.sqrt(1 / n)
        init_advice = (f"; the initial scale is already about xavier's ({w0:.3g} vs sqrt(1/{n}) = {xavier:.3g})"
                       if w0 <= 2 * xavier else f", and xavier or he init ({_recommended_scale(n)})")
        return (f"W is still small (std {s.W.std:.3g}, {w0:.3g} at the start), but the layer sums {n} {what_in}: "
                f"each update at learning rate {ctx.learning_rate:g} moves the {n} weights together, and "
                f"Z = W·{what_in} adds up all {n} moves. Use a smaller learning rate{init_advice}.")
    grown = f" (W std {s.W.std:.3g}, {w0:.3g} at the start)" if w0 > 0 else ""
    return (f"the weights have grown large{grown}, so gradients vanish there. L2 regularisation limits this; "
            f"so does a smaller learning rate (now {ctx.learning_rate:g}).")


def diagnose(stats: Sequence[LayerStats], iteration: int = 0, context: InitContext | None = None) -> list[str]:
    """Warnings a person can act on, one sentence or two each, most serious first.

    ``iteration`` is the step the statistics come from; ``context`` (how training started)
    lets a saturation warning say what caused it, with the numbers.
    """
    warnings: list[str] = []
    hidden = stats[:-1]
    for s in hidden:
        if s.identical_units:
            warnings.append(
                f"Layer {s.layer}: all {s.units} units are identical: the weights started equal "
                f"(zeros init?), so symmetry is never broken. Use random, xavier or he init."
            )
    for i, s in enumerate(hidden):
        if s.saturated is not None and s.saturated >= SATURATED_WARN:
            cause = _saturation_cause(s, hidden[i - 1] if i else None, context, iteration)
            warnings.append(f"Layer {s.layer}: {s.saturated:.0%} of {s.activation} outputs are saturated: {cause}")
        if s.dead is not None and s.dead >= DEAD_WARN:
            warnings.append(
                f"Layer {s.layer}: {s.dead:.0%} of ReLU units are dead (0 for every example). "
                f"Try a smaller learning rate, he init or leaky ReLU."
            )
    for s in stats if iteration >= EARLY_ITERATIONS else ():
        if s.update_ratio > UPDATE_RATIO_HIGH and s.update_ratio != float("inf"):
            warnings.append(
                f"Layer {s.layer}: updates are {s.update_ratio:.0%} of the weights per step: "
                f"the learning rate may be too high."
            )
    return warnings


class CostSwings:
    """The last ``SWING_WINDOW`` costs, and a warning when they swing by orders of magnitude."""

    def __init__(self, window: int = SWING_WINDOW) -> None:
        self._costs: deque[float] = deque(maxlen=window)

    def clear(self) -> None:
        self._costs.clear()

    def extend(self, costs: Iterable[float]) -> None:
        self._costs.extend(float(c) for c in costs)

    def warning(self, learning_rate: float) -> str | None:
        """A sentence when the window's costs go up and down (see ``SWING_TRAVEL``), else None."""
        costs = np.array([c for c in self._costs if math.isfinite(c) and c > 0])
        if costs.size < 3:
            return None
        lo, hi = float(costs.min()), float(costs.max())
        travel = float(np.abs(np.diff(costs)).sum())
        if hi < SWING_RANGE * lo or travel < SWING_TRAVEL * (hi - lo):
            return None
        size = "by orders of magnitude" if hi >= 100 * lo else f"x{hi / lo:.1f}"
        return (f"The cost swings {size}, between {lo:.3g} and {hi:.3g}, up and down over the last {costs.size} "
                f"iterations: the learning rate ({learning_rate:g}) is too large. Halve it (-) until the cost "
                f"falls steadily.")
