"""Pure drawing helpers: point reduction for the plot, half-block images, sparklines."""

from __future__ import annotations

import numpy as np

from tui_nn.drawing import halfblock, sparkline
from tui_nn.curves import Series, reduce_points


def test_reduce_points_keeps_spikes_order_and_the_ends():
    x = np.arange(10_003)
    y = np.exp(-x / 2000.0)
    y[4321] = 9.0  # a spike
    y[7000] = -1.0  # a dip
    rx, ry = reduce_points(x, y, 50)
    assert rx.size <= 2 * 51
    assert np.all(np.diff(rx) > 0)
    assert ry.max() == 9.0 and rx[ry.argmax()] == 4321
    assert ry.min() == -1.0 and rx[ry.argmin()] == 7000
    assert rx[0] == 0 and rx[-1] == 10_002


def test_reduce_points_drops_non_finite_values():
    x = np.arange(5)
    rx, ry = reduce_points(x, np.array([1.0, np.nan, np.inf, -np.inf, 2.0]), 10)
    assert rx.tolist() == [0, 4] and ry.tolist() == [1.0, 2.0]


def test_series_grows_and_caps_what_it_stores():
    series = Series(limit=4000)
    for start in range(0, 12_000, 500):
        series.extend(np.arange(start, start + 500), np.full(500, float(start)))
    x, y = series.arrays()
    assert series.size <= 4000
    assert np.all(np.diff(x) > 0) and x[0] == 0 and x[-1] == 11_999
    assert y.max() == 11_500.0


def test_halfblock_draws_two_pixels_per_cell_with_merged_runs():
    img = np.zeros((4, 6, 3))
    img[:2, :3] = 255  # top-left block white
    text = halfblock(img)
    lines = text.plain.split("\n")
    assert lines == ["▀" * 6, "▀" * 6]
    # first line: a white run then a black run -> two spans
    first_line_spans = [s for s in text.spans if s.end <= 6]
    assert len(first_line_spans) == 2
    assert str(first_line_spans[0].style.color.triplet) != str(first_line_spans[1].style.color.triplet)


def test_sparkline_scales_to_the_largest_bin():
    assert sparkline((0, 1, 2, 4)) == " ▃▅█"
    assert sparkline((0, 0)) == "▁▁"
    assert sparkline(()) == ""
