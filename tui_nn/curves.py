"""Cost curves held in memory: growing (iteration, cost) series, reduced for the screen or for keeping.

NumPy only (no Textual): the Cost pane draws these, and the runs history keeps one
bounded curve per run.
"""

from __future__ import annotations

import numpy as np

MAX_STORED = 200_000
"""Points a ``Series`` keeps; past this it is halved with ``reduce_points``."""


def reduce_points(x: np.ndarray, y: np.ndarray, buckets: int) -> tuple[np.ndarray, np.ndarray]:
    """At most about ``2 * buckets`` points: each bucket's min and max in order, so spikes survive.

    Non-finite values are dropped first; ``x`` is ascending. Vectorised over
    equal buckets (a view, no copy), the few left-over points form one more.
    """
    keep = np.isfinite(y)
    if not keep.all():
        x, y = x[keep], y[keep]
    n = x.size
    if n <= 2 * buckets or buckets < 1:
        return x, y
    k = n // buckets
    grid = y[: buckets * k].reshape(buckets, k)
    base = np.arange(buckets) * k
    picks = [base + grid.argmin(axis=1), base + grid.argmax(axis=1)]
    if buckets * k < n:
        rest = y[buckets * k:]
        picks.append(np.array([buckets * k + rest.argmin(), buckets * k + rest.argmax()]))
    idx = np.unique(np.concatenate(picks))
    return x[idx], y[idx]


def reduce_by_x(x: np.ndarray, y: np.ndarray, buckets: int) -> tuple[np.ndarray, np.ndarray]:
    """At most ``2 * buckets`` points: the min and max of each of ``buckets`` equal ranges of ``x``
    (ascending), in order. Unlike ``reduce_points`` (equal numbers of points), reducing a curve
    again and again as it grows keeps its start as well resolved as its end."""
    if x.size <= 2 * buckets or buckets < 1:
        return x, y
    span = float(x[-1] - x[0]) or 1.0
    bucket = np.minimum(((x - x[0]) / span * buckets).astype(np.int64), buckets - 1)
    order = np.lexsort((y, bucket))  # by bucket, then by cost: each bucket's min first, max last
    sorted_buckets = bucket[order]
    firsts = np.flatnonzero(np.r_[True, sorted_buckets[1:] != sorted_buckets[:-1]])
    lasts = np.r_[firsts[1:] - 1, order.size - 1]
    idx = np.unique(np.concatenate([order[firsts], order[lasts]]))
    return x[idx], y[idx]


class Series:
    """A growing (iteration, cost) series; appends are amortised O(1) (capacity doubles).

    Past ``limit`` points it is reduced to ``limit // 4`` ranges of iterations (``reduce_by_x``),
    so it never holds more than ``limit`` points.
    """

    def __init__(self, limit: int = MAX_STORED) -> None:
        self.limit = limit
        self._x = np.zeros(min(1024, limit), dtype=np.int64)
        self._y = np.zeros(min(1024, limit))
        self.size = 0

    def extend(self, its: np.ndarray, costs: np.ndarray) -> None:
        n = self.size + its.size
        if n > self._x.size:
            capacity = max(2 * self._x.size, n, 16)
            self._x = np.resize(self._x, capacity)
            self._y = np.resize(self._y, capacity)
        self._x[self.size:n] = its
        self._y[self.size:n] = costs
        self.size = n
        if self.size > self.limit:
            keep = np.isfinite(self._y[: self.size])
            x, y = reduce_by_x(self._x[: self.size][keep], self._y[: self.size][keep], self.limit // 4)
            x, y = x.copy(), y.copy()
            self.size = 0
            self.extend(x, y)

    def clear(self) -> None:
        self.size = 0

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """Views of the points held (valid until the next ``extend``)."""
        return self._x[: self.size], self._y[: self.size]

    @property
    def nbytes(self) -> int:
        """Bytes the series holds (its capacity)."""
        return self._x.nbytes + self._y.nbytes

    def compact(self) -> None:
        """Give back the spare capacity (a curve that will not grow for a while)."""
        self._x = self._x[: self.size].copy()
        self._y = self._y[: self.size].copy()
