"""The Cost pane: train and dev cost against iteration, a live plotext plot."""

from __future__ import annotations

import time

import numpy as np
from textual.reactive import reactive
from textual_plotext import PlotextPlot

from tui_nn.curves import Series, reduce_points
from tui_nn.palettes import colour_mode
from tui_nn.plot_legend import place_legend, series_style
from tui_nn.plot_range import SpikeCut, spike_cut

REPLOT_INTERVAL = 0.5
"""Seconds between redraws while points stream in (two a second)."""
TITLE = "Cost"
SPIKE_MARKER = "▲"


def rich_colour(index: int, mode: str = "256") -> str:
    """The Rich style of series ``index``'s colour in colour mode ``mode`` (as the plot draws it)."""
    return series_style(index, mode).rich


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
        self._styles: dict[str, int] = {}
        self.replot_interval = REPLOT_INTERVAL
        """Seconds between redraws; longer on a slow link."""
        self._last_plot = 0.0
        self._pending = False
        self.legend_corner = ""
        """Where the legend was drawn last (``top right`` ...; empty: no legend)."""

    def clear_points(self) -> None:
        """Forget every series (a reset)."""
        self._series.clear()
        self._order.clear()
        self._styles.clear()
        self.refresh()

    def point_count(self, name: str = "train") -> int:
        """Number of points held in one series."""
        return self._series[name].size if name in self._series else 0

    def extend(self, name: str, its: np.ndarray, costs: np.ndarray, style: int | None = None) -> None:
        """Append points to series ``name`` (created on first use, drawn in creation order, in
        colour ``style``: by default its place in that order).

        Redraws at most ``1 / replot_interval`` times a second.
        """
        if name not in self._series:
            self._series[name] = Series()
            self._order.append(name)
            self._styles[name] = len(self._order) - 1 if style is None else style
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
        mode = self.colour_mode
        legend = []
        # Later series first, so the first one (train) is drawn on top where they meet.
        for index, name, x, y in reversed(curves):
            if cut is not None:
                y = np.minimum(y, cut.top)  # the spike rises to the top edge
            style = series_style(self._styles[name], mode)
            plt.plot(x.tolist(), y.tolist(), marker=style.marker, color=style.color)
            legend.insert(0, (style, name))
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
        plot, self.legend_corner = place_legend(super().render(), legend)
        return plot

    def _mark_spike(self, cut: SpikeCut, curves: list) -> None:
        """Mark where points were cut off (a ▲ on the top edge) and end the axis just above the rest."""
        lo = min(float(y.min()) for *_, y in curves)
        self.plt.ylim(lo - 0.02 * (cut.top - lo), cut.top)
        xs = np.concatenate([x[y > cut.top] for _, _, x, y in curves])
        if xs.size:
            self.plt.scatter(xs.tolist(), [cut.top] * xs.size, marker=SPIKE_MARKER, color="red")

    @property
    def colour_mode(self) -> str:
        """The colour system the curves are drawn for (``tui_nn.palettes.colour_mode``)."""
        return colour_mode(self.app.console.color_system, self.app.no_color)
