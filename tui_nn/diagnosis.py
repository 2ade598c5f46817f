"""Plain-words warnings from per-layer statistics: symmetry, saturation, dead units."""

from __future__ import annotations

from typing import Sequence

from tui_nn.core import LayerStats

SATURATED_WARN = 0.5
DEAD_WARN = 0.5
UPDATE_RATIO_HIGH = 0.25


EARLY_ITERATIONS = 10
"""Saturation this early comes from the initial weights, later from weights that grew."""


def diagnose(stats: Sequence[LayerStats], iteration: int = 0) -> list[str]:
    """Warnings a person can act on, one sentence each, most serious first.

    ``iteration`` is the step the statistics come from.
    """
    warnings: list[str] = []
    hidden = stats[:-1]
    for s in hidden:
        if s.identical_units:
            warnings.append(
                f"Layer {s.layer}: all {s.units} units are identical: the weights started equal "
                f"(zeros init?), so symmetry is never broken. Use random, xavier or he init."
            )
    for s in hidden:
        if s.saturated is not None and s.saturated >= SATURATED_WARN:
            cause = (
                "the initial weights are too large. Try xavier init or a smaller scale."
                if iteration < EARLY_ITERATIONS
                else "the weights have grown large, so gradients vanish there. L2 regularisation limits this."
            )
            warnings.append(f"Layer {s.layer}: {s.saturated:.0%} of {s.activation} outputs are saturated: {cause}")
        if s.dead is not None and s.dead >= DEAD_WARN:
            warnings.append(
                f"Layer {s.layer}: {s.dead:.0%} of ReLU units are dead (0 for every example). "
                f"Try a smaller learning rate, he init or leaky ReLU."
            )
    # The first steps from small random weights always move them a lot: judge updates later.
    for s in stats if iteration >= EARLY_ITERATIONS else ():
        if s.update_ratio > UPDATE_RATIO_HIGH and s.update_ratio != float("inf"):
            warnings.append(
                f"Layer {s.layer}: updates are {s.update_ratio:.0%} of the weights per step: "
                f"the learning rate may be too high."
            )
    return warnings
