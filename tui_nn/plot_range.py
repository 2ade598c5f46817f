"""Where a cost plot's y axis should end: a spike far above the useful range is cut off and reported.

A single bad step (a learning rate raised too far, a mini-batch gone wrong) can
cost a thousand times the rest of the run; a linear axis scaled to it flattens
the whole curve into one line at the bottom. ``spike_cut`` finds the few
highest points that stand far apart from the rest (at most ``SPIKE_SHARE`` of
the points, each more than ``GAP`` times as far above the minimum as the
highest point kept) and returns where the axis should end instead.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SPIKE_SHARE = 0.05
"""At most this share of the plotted points can be cut off as a spike."""
GAP = 5.0
"""A spike's lowest point lies more than this many times as far above the minimum as the highest point kept."""
MIN_POINTS = 8


@dataclass(frozen=True)
class SpikeCut:
    """The axis top that keeps the useful range, and what lies above it."""

    top: float
    """The highest value kept in view."""
    count: int
    """Points above ``top``."""
    highest: float
    """The highest value cut off."""
    at: int
    """Its iteration."""

    def describe(self) -> str:
        points = "" if self.count == 1 else f" ({self.count} points)"
        return f"▲ cut off: {self.highest:.4g} at iteration {self.at}{points}"


def spike_cut(x: np.ndarray, y: np.ndarray) -> SpikeCut | None:
    """The cut for points ``(x, y)`` (1-D, finite), or None when no spike stands out.

    The largest group of highest points that satisfies the gap is cut, so a
    spike several points wide goes whole.
    """
    n = y.size
    if n < MIN_POINTS:
        return None
    lo = float(y.min())
    order = np.argsort(y)[::-1]  # highest first
    ranked = y[order] - lo
    for k in range(max(1, int(n * SPIKE_SHARE)), 0, -1):
        kept, lowest_cut = ranked[k], ranked[k - 1]
        if lowest_cut > GAP * kept and lowest_cut > 0:
            top = lo + float(kept) if kept > 0 else lo + 0.1 * max(abs(lo), 1e-6)  # flat: a little room
            return SpikeCut(top, k, float(y[order[0]]), int(x[order[0]]))
    return None
