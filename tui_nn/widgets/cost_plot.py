"""The Cost pane: train and dev cost against iteration, a live plotext plot."""

from __future__ import annotations

import time

import numpy as np
from textual.reactive import reactive
from textual_plotext import PlotextPlot

REPLOT_INTERVAL = 0.3
"""Seconds between redraws while points stream in (about three a second)."""


def reduce_points(x: np.ndarray, y: np.ndarray, buckets: int) -> tuple[np.ndarray, np.ndarray]:
    """At most ``2 * buckets`` points: each bucket's min and max, so spikes survive.

    Non-finite values are dropped first; ``x`` is sorted ascending.
    """
    keep = np.isfinite(y)
    x, y = x[keep], y[keep]
    if x.size <= 2 * buckets or buckets < 1:
        return x, y
    edges = np.linspace(0, x.size, buckets + 1).astype(int)
    xs, ys = [], []
    for a, b in zip(edges[:-1], edges[1:]):
        if b <= a:
            continue
        seg = y[a:b]
        i, j = a + int(np.argmin(seg)), a + int(np.argmax(seg))
        for k in sorted({i, j}):
            xs.append(x[k])
            ys.append(y[k])
    return np.array(xs), np.array(ys)


class CostPlot(PlotextPlot):
    """Train cost J and dev cost against iteration; a widget owns its own plot."""

    log_scale: reactive[bool] = reactive(False)
    """Plot the cost on a log axis."""
    accuracy_note: reactive[str] = reactive("")
    """Accuracies shown in the title."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.clear_points()
        self._last_plot = 0.0
        self._pending = False

    def clear_points(self) -> None:
        """Forget every point (a reset)."""
        self._its = np.zeros(0, dtype=np.int64)
        self._costs = np.zeros(0)
        self._dev_its = np.zeros(0, dtype=np.int64)
        self._dev_costs = np.zeros(0)
        self.refresh()

    @property
    def point_count(self) -> int:
        """Number of train-cost points held."""
        return int(self._its.size)

    def add_points(self, its: np.ndarray, costs: np.ndarray, dev_its: np.ndarray, dev_costs: np.ndarray) -> None:
        """Append points; redraws at most ``1 / REPLOT_INTERVAL`` times a second."""
        self._its = np.concatenate([self._its, its])
        self._costs = np.concatenate([self._costs, costs])
        self._dev_its = np.concatenate([self._dev_its, dev_its])
        self._dev_costs = np.concatenate([self._dev_costs, dev_costs])
        wait = REPLOT_INTERVAL - (time.monotonic() - self._last_plot)
        if wait <= 0:
            self.refresh()
        elif not self._pending:
            self._pending = True
            self.set_timer(wait, self._deferred_refresh)

    def _deferred_refresh(self) -> None:
        self._pending = False
        self.refresh()

    def watch_log_scale(self) -> None:
        self.refresh()

    def watch_accuracy_note(self) -> None:
        self.refresh()

    def render(self):
        self._last_plot = time.monotonic()
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        title = "Cost J" + (" (log)" if self.log_scale else "")
        plt.title(f"{title}  {self.accuracy_note}".strip())
        plt.xlabel("iteration")
        buckets = max(self.size.width - 10, 10)
        x, y = reduce_points(self._its, self._costs, buckets)
        dx, dy = reduce_points(self._dev_its, self._dev_costs, buckets)
        if self.log_scale:
            x, y = x[y > 0], y[y > 0]
            dx, dy = dx[dy > 0], dy[dy > 0]
            plt.yscale("log")
        if dx.size:  # dev first, so the train curve is drawn on top where they meet
            plt.plot(dx.tolist(), dy.tolist(), label="dev", marker="braille", color="orange")
        if x.size:
            plt.plot(x.tolist(), y.tolist(), label="train", marker="braille", color="cyan")
        if not x.size and not dx.size:
            plt.text("press space to train", 0.5, 0.5, alignment="center")
            plt.xlim(0, 1)
            plt.ylim(0, 1)
        return super().render()
