"""A cost spike does not flatten the linear plot: the useful range stays visible and the spike is marked."""

from __future__ import annotations

import re

import numpy as np
import pytest
from textual.app import App

from tui_nn.plot_range import spike_cut
from tui_nn.widgets.cost_plot import CostPlot


def descending(n: int = 2000) -> tuple[np.ndarray, np.ndarray]:
    """A typical curve: 0.693 falling towards 0.2."""
    x = np.arange(n)
    return x, 0.2 + 0.493 * np.exp(-x / 300.0)


def test_a_plain_curve_is_not_cut():
    x, y = descending()
    assert spike_cut(x, y) is None


def test_a_curve_that_starts_high_is_not_cut():
    x = np.arange(500)
    y = 0.3 + 5.0 * np.exp(-x / 20.0)  # relu nets with a large rate start far above where they settle
    assert spike_cut(x, y) is None


def test_a_single_spike_is_cut_and_reported():
    x, y = descending()
    y[1234] = 850.0
    cut = spike_cut(x, y)
    assert cut is not None
    assert cut.top == pytest.approx(0.693, abs=1e-3)  # the top of the useful range: the first cost
    assert cut.highest == 850.0 and cut.at == 1234 and cut.count == 1


def test_a_spike_of_several_points_is_cut_below_all_of_them():
    x, y = descending()
    y[900:903] = [40.0, 120.0, 9.0]
    cut = spike_cut(x, y)
    assert cut is not None and cut.count == 3 and cut.highest == 120.0 and cut.at == 901
    assert cut.top < 1.0


def test_a_flat_curve_with_a_spike_keeps_a_visible_range():
    x = np.arange(300)
    y = np.full(300, 0.5)
    y[150] = 60.0
    cut = spike_cut(x, y)
    assert cut is not None and cut.top > 0.5 and cut.top < 1.0


class PlotApp(App):
    def compose(self):
        yield CostPlot(id="cost")


def y_labels(plot: CostPlot) -> list[float]:
    """The numbers on the plot's y axis."""
    text = plot.render().plain if hasattr(plot.render(), "plain") else str(plot.render())
    return [float(v) for v in re.findall(r"^\s*(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*┤", text, flags=re.M)]


async def test_the_linear_plot_keeps_the_curve_readable_and_names_the_spike(until):
    app = PlotApp()
    async with app.run_test(size=(90, 24)) as pilot:
        plot = app.query_one(CostPlot)
        x, y = descending()
        y[1234] = 850.0
        plot.extend("train", x, y)
        await pilot.pause(0.6)
        labels = y_labels(plot)
        assert labels and max(labels) < 1.0, labels  # not 0 .. 850
        assert "850" in str(plot.border_title) and "1234" in str(plot.border_title)
        plot.log_scale = True  # the log scale shows everything: no cut, no note
        await pilot.pause(0.6)
        assert max(y_labels(plot)) > 100
        assert "850" not in str(plot.border_title) and str(plot.border_title).endswith("(log)")
