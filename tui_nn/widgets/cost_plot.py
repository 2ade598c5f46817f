"""The Cost pane: train and dev cost against iteration, a live plotext plot."""

from __future__ import annotations

import time

import numpy as np
from textual.reactive import reactive
from textual_plotext import PlotextPlot

from tui_nn.plot_range import SpikeCut, spike_cut

REPLOT_INTERVAL = 0.5
"""Seconds between redraws while points stream in (two a second)."""


MAX_STORED = 200_000
"""Points kept per series; past this a series is halved with ``reduce_points``."""


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


class Series:
    """A growing (iteration, cost) series; appends are amortised O(1) (capacity doubles)."""

    def __init__(self) -> None:
        self._x = np.zeros(1024, dtype=np.int64)
        self._y = np.zeros(1024)
        self.size = 0

    def extend(self, its: np.ndarray, costs: np.ndarray) -> None:
        n = self.size + its.size
        if n > self._x.size:
            capacity = max(2 * self._x.size, n)
            self._x = np.resize(self._x, capacity)
            self._y = np.resize(self._y, capacity)
        self._x[self.size:n] = its
        self._y[self.size:n] = costs
        self.size = n
        if self.size > MAX_STORED:
            x, y = reduce_points(*self.arrays(), MAX_STORED // 4)
            self.size = 0
            self.extend(x, y)

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """Views of the points held (valid until the next ``extend``)."""
        return self._x[: self.size], self._y[: self.size]


TITLE = "Cost"
SPIKE_MARKER = "▲"


SERIES_COLOURS = ("cyan", "orange", "green", "magenta", "yellow", "red", "blue", "white")
"""plotext colour names, in the order series are created."""


def rich_colour(index: int) -> str:
    """The Rich style name of series ``index``'s colour (Rich has no plain "orange")."""
    name = SERIES_COLOURS[index % len(SERIES_COLOURS)]
    return "dark_orange" if name == "orange" else name


def accuracy_note(train: float | None, dev: float | None, test: float | None = None) -> str:
    """``train 90.5%  dev 93.0%`` (and ``test 91.0%`` with a test split) for the plot's border;
    empty without accuracies (regression)."""
    if train is None:
        return ""
    return f"train {train:.1%}" + ("" if dev is None else f"  dev {dev:.1%}") + ("" if test is None else f"  test {test:.1%}")


class CostPlot(PlotextPlot):
    """Cost curves against iteration, one named series each; a widget owns its own plot.

    The trainer app uses the series ``train`` and ``dev``; the watcher one per run.
    """

    log_scale: reactive[bool] = reactive(False)
    """Plot the cost on a log axis."""
    accuracy_note: reactive[str] = reactive("")
    """Accuracies, shown on the bottom border."""

    def __init__(self, *, id: str | None = None, empty_hint: str = "press space to train") -> None:
        super().__init__(id=id)
        self.empty_hint = empty_hint
        self._series: dict[str, Series] = {}
        self._order: list[str] = []
        self.replot_interval = REPLOT_INTERVAL
        """Seconds between redraws; longer on a slow link."""
        self._last_plot = 0.0
        self._pending = False

    def clear_points(self) -> None:
        """Forget every series (a reset)."""
        self._series.clear()
        self._order.clear()
        self.refresh()

    def point_count(self, name: str = "train") -> int:
        """Number of points held in one series."""
        return self._series[name].size if name in self._series else 0

    def extend(self, name: str, its: np.ndarray, costs: np.ndarray) -> None:
        """Append points to series ``name`` (created on first use, drawn in creation order).

        Redraws at most ``1 / replot_interval`` times a second.
        """
        if name not in self._series:
            self._series[name] = Series()
            self._order.append(name)
        self._series[name].extend(its, costs)
        wait = self.replot_interval - (time.monotonic() - self._last_plot)
        if wait <= 0:
            self.refresh()
        elif not self._pending:
            self._pending = True
            self.set_timer(wait, self._deferred_refresh)

    def _deferred_refresh(self) -> None:
        self._pending = False
        self.refresh()

    def watch_log_scale(self, log: bool) -> None:
        self._show_title("")
        self.refresh()

    def _show_title(self, spike_note: str) -> None:
        """``Cost``, ``(log)`` on a log axis, and what a linear axis cut off."""
        title = TITLE + (" (log)" if self.log_scale else "") + (f"  {spike_note}" if spike_note else "")
        if self.border_title != title:
            self.border_title = title

    def watch_accuracy_note(self, note: str) -> None:
        # On the border, not in the plot: plotext drops a title wider than its axes.
        self.border_subtitle = note

    def _iteration_ticks(self, count: int = 5) -> list[int]:
        """Whole-number iteration ticks across every series (not plotext's 2499.8)."""
        lo = min(int(series.arrays()[0][0]) for series in self._series.values() if series.size)
        hi = max(int(series.arrays()[0][-1]) for series in self._series.values() if series.size)
        if hi - lo < count:
            return list(range(lo, hi + 1))
        raw = (hi - lo) / (count - 1)
        magnitude = 10 ** int(np.floor(np.log10(raw)))
        step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
        first = int(np.ceil(lo / step) * step)
        return [int(t) for t in np.arange(first, hi + 1, step)]

    def render(self):
        self._last_plot = time.monotonic()
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        plt.xlabel("iteration")
        buckets = max(self.size.width - 10, 10)  # two points per column: braille's resolution
        curves = []
        for index, name in enumerate(self._order):
            x, y = reduce_points(*self._series[name].arrays(), buckets)
            if self.log_scale:
                x, y = x[y > 0], y[y > 0]
            if x.size:
                curves.append((index, name, x, y))
        cut = None if self.log_scale or not curves else spike_cut(*map(np.concatenate, zip(*(c[2:] for c in curves))))
        # Later series first, so the first one (train) is drawn on top where they meet.
        for index, name, x, y in reversed(curves):
            if cut is not None:
                y = np.minimum(y, cut.top)  # the spike rises to the top edge
            plt.plot(x.tolist(), y.tolist(), label=name, marker="braille", color=SERIES_COLOURS[index % len(SERIES_COLOURS)])
        if cut is not None:
            self._mark_spike(cut, curves)
        if self.log_scale and curves:
            plt.yscale("log")
        if curves:
            plt.xticks(self._iteration_ticks())
        else:
            plt.text(self.empty_hint, 0.5, 0.5, alignment="center")
            plt.xlim(0, 1)
            plt.ylim(0, 1)
        self._show_title(cut.describe() if cut is not None else "")
        return super().render()

    def _mark_spike(self, cut: SpikeCut, curves: list) -> None:
        """Mark where points were cut off (a ▲ on the top edge) and end the axis just above the rest."""
        lo = min(float(y.min()) for *_, y in curves)
        self.plt.ylim(lo - 0.02 * (cut.top - lo), cut.top)
        xs = np.concatenate([x[y > cut.top] for _, _, x, y in curves])
        if xs.size:
            self.plt.scatter(xs.tolist(), [cut.top] * xs.size, marker=SPIKE_MARKER, color="red")
