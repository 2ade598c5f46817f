"""Pure drawing for comparing runs: curve styles per colour system, the legend's place, the grid's layout and tiles."""

from __future__ import annotations

import numpy as np
from rich.color import Color, ColorSystem
from rich.console import Console
from rich.style import Style
from rich.text import Text
from textual._ansi_theme import DEFAULT_TERMINAL_THEME
from textual_plotext.plot import Plot

from tui_nn.config import RunConfig
from tui_nn.grid_drawing import grid_layout, grid_lines, score_tile, tile_title
from tui_nn.plot_legend import legend_block, place_legend, series_style, shared_key
from tui_nn.run_history import RunHistory
from tui_nn.widgets.runs_table import row_cells
from tui_nn.widgets.run_bar import RunEntry, run_bar_text


def plotext_text(curves: list[np.ndarray], width: int = 60, height: int = 18, log: bool = False) -> Text:
    """What the Cost pane draws for ``curves`` (costs against iteration), before the legend."""
    plot = Plot()
    plot.plotsize(width, height)
    plot._set_size(width, height)
    for i, y in enumerate(curves):
        style = series_style(i, "256")
        plot.plot(list(range(y.size)), y.tolist(), marker=style.marker, color=style.color)
    if log:
        plot.yscale("log")
    plot.xlabel("iteration")
    return Text.from_ansi(plot.build())


def shown_colour(rich_style: str, system: str) -> int:
    """The colour number a terminal with ``system`` colours gets for a style's colour: Textual turns
    system colours into its ANSI theme's RGB (``ANSIToTruecolor``), then Rich rounds to the system."""
    colour = Style.parse(rich_style).color
    rgb = colour.get_truecolor(DEFAULT_TERMINAL_THEME) if colour.triplet is None else colour.triplet
    return Color.from_triplet(rgb).downgrade(ColorSystem.STANDARD if system == "16" else ColorSystem.EIGHT_BIT).number


def test_ten_curves_have_ten_colours_in_256_and_differ_by_colour_or_marker_in_16_and_without_colour():
    assert len({series_style(i, "256").color for i in range(10)}) == 10
    assert len({series_style(i, "truecolor").color for i in range(10)}) == 10
    sixteen = [series_style(i, "16") for i in range(10)]
    assert len({(s.color, s.marker) for s in sixteen}) == 10
    on_screen = [shown_colour(s.rich, "16") for s in sixteen[:6]]  # what the terminal gets, through Textual's theme
    assert len(set(on_screen)) == 6 and set(on_screen) <= set(range(9, 15))  # six bright standard colours
    assert [s.marker for s in sixteen[:6]] == ["braille"] * 6 and len({s.marker for s in sixteen[6:]}) == 1
    assert len({shown_colour(series_style(i, "256").rich, "256") for i in range(10)}) == 10
    plain = [series_style(i, "none") for i in range(10)]
    assert len({s.marker for s in plain}) == 10 and all(s.color is None for s in plain)


def test_falling_curves_leave_the_top_right_corner_to_the_legend():
    x = np.arange(400)
    curves = [0.7 * np.exp(-x / 60) + 0.05, 0.7 * np.exp(-x / 120) + 0.1]
    plot = plotext_text(curves)
    entries = [(series_style(0), "hidden=4"), (series_style(1), "lr=0.01")]
    drawn, corner = place_legend(plot, entries)
    assert corner == "top right"
    lines = drawn.plain.split("\n")
    assert any("hidden=4" in line for line in lines[:4]) and any("lr=0.01" in line for line in lines[:4])
    assert plot.plain.count("⢕") == 0 and drawn.plain.count("⢕⢕") == 2  # the samples are the legend's own
    before = [c for c in plot.plain if c not in " \n"]
    covered = sum(1 for a, b in zip(plot.plain, drawn.plain) if a != b and a not in " ")
    assert covered == 0 and len(before) > 100


def test_rising_curves_move_the_legend_to_the_empty_top_left():
    x = np.arange(300)
    plot = plotext_text([0.1 + x / 600, 0.2 + x / 900])
    _, corner = place_legend(plot, [(series_style(0), "a=1"), (series_style(1), "a=2")])
    assert corner == "top left"


def test_curves_along_the_top_and_bottom_leave_the_legend_the_empty_middle_of_an_edge():
    x = np.arange(400)
    curves = [np.full(400, 0.7), 0.1 + 0.6 * np.exp(-x / 10)]  # one stays up, one falls at once: every corner is drawn on
    plot = plotext_text(curves)
    entries = [(series_style(0), "lr=0.001"), (series_style(1), "lr=1")]
    drawn, where = place_legend(plot, entries)
    assert where == "right"
    covered = sum(1 for a, b in zip(plot.plain, drawn.plain) if a != b and a not in " ")
    assert covered == 0 and drawn.plain.count("⢕⢕") == 2
    rows = [i for i, line in enumerate(drawn.plain.split("\n")) if "⢕⢕" in line]
    assert len(rows) == 2 and 4 < rows[0] < 14  # between the corners, not in one


def test_a_crowded_plot_gets_its_legend_on_one_line_below_the_axis():
    x = np.arange(1000)
    curves = [0.45 + 0.25 * np.cos(x / 150 + k) for k in range(7)]  # curves everywhere, no free corner
    plot = plotext_text(curves, width=40, height=12, log=True)
    names = [f"hidden={h}" for h in (1, 2, 3, 4, 5, 20, 50)]
    drawn, corner = place_legend(plot, [(series_style(i), n) for i, n in enumerate(names)])
    assert corner == "below"
    last = drawn.plain.rstrip("\n").split("\n")[-1]
    assert last.startswith("hidden ") and all(f"⢕{h}" in last for h in (1, 2, 3, 4, 5, 20, 50))
    assert "⢕1  ⢕2" in last  # room to spare: two spaces between entries
    narrow = plotext_text(curves, width=33, height=12, log=True)  # 33 columns: one space between entries fits
    drawn, corner = place_legend(narrow, [(series_style(i), n) for i, n in enumerate(names)])
    last = drawn.plain.rstrip("\n").split("\n")[-1]
    assert corner == "below" and "⢕1 ⢕2" in last and "⢕50" in last


def test_legend_names_a_shared_key_once_and_splits_into_columns_when_short():
    assert shared_key(["hidden=1", "hidden=20"]) == "hidden"
    assert shared_key(["hidden=1", "lr=0.1"]) == "" and shared_key(["hidden=1 lr=0.1", "hidden=2 lr=0.1"]) == ""
    block = legend_block([(series_style(i), f"hidden={i}") for i in range(6)], width=30, height=4)
    assert [line.plain.split()[0] for line in block[:1]] == ["hidden"]
    assert len(block) == 4 and "⢕⢕ 0" in block[1].plain and "⢕⢕ 3" in block[1].plain  # two columns
    assert legend_block([(series_style(0), "a=1")], width=3, height=5) == []


def test_grid_layout_gives_seven_maps_the_largest_square_that_fits():
    wide = grid_layout(7, 116, 19)
    assert (wide.columns, wide.rows, wide.shown) == (4, 2, 7) and wide.tile == (28, 8)
    assert wide.pixels == (16, 28)
    narrow = grid_layout(7, 78, 19)
    assert (narrow.columns, narrow.rows) == (4, 2) and narrow.tile == (18, 8)
    one = grid_layout(1, 60, 20)
    assert (one.columns, one.rows, one.tile) == (1, 1, (60, 19))
    crowded = grid_layout(50, 40, 12)
    assert crowded.shown == 12 and crowded.tile[0] >= 8 and crowded.tile[1] >= 3
    assert grid_layout(3, 5, 20) is None and grid_layout(0, 80, 20) is None


def test_tile_titles_shorten_before_they_cut():
    assert tile_title("hidden=20", 0.9, 40).plain == "hidden=20  dev 90.0%"
    assert tile_title("hidden=20", 0.9, 16).plain == "hidden=20 90.0%"
    assert tile_title("hidden=20x7x5 act=relu", 0.9012, 16).plain == "hidden=20… 90.1%"
    assert tile_title("lr=0.1", None, 30).plain == "lr=0.1  dev -"


def test_score_tiles_for_image_data_show_dev_accuracy_and_mislabelled_counts():
    body = score_tile(0.68, 0.995, 16, 50, 0.0875, width=20, lines=4)
    text = [line.plain for line in body]
    assert text[0] == "█" * 14 + "░" * 6
    assert text[1:] == ["16 of 50 dev wrong", "train 99.5%", "cost 0.0875"]
    assert len(score_tile(0.68, 0.995, 16, 50, 0.0875, width=20, lines=2)) == 2
    titles = [tile_title("lr=0.01", 0.68, 20), tile_title("lr=0.001", 0.64, 20)]
    bodies = [body, score_tile(0.64, 0.89, 18, 50, 0.37, 20, 4)]
    lines = [line.plain for line in grid_lines(titles, bodies, grid_layout(2, 41, 5))]
    assert lines[0].startswith("lr=0.01  dev 68.0%   lr=0.001  dev 64.0%")
    assert "16 of 50 dev wrong" in lines[2] and "18 of 50 dev wrong" in lines[2]


def test_run_bar_shows_every_run_or_scrolls_to_the_shown_one():
    entries = [RunEntry(f"hidden={h}", "finished", 5000) for h in (1, 2, 3, 4, 5, 20, 50)]
    wide = run_bar_text(entries, 0, 400).plain
    assert all(f"hidden={h} finished 5000" in wide for h in (1, 2, 3, 4, 5, 20, 50)) and "›" not in wide
    narrow = run_bar_text(entries, 5, 80).plain
    assert "▶ hidden=20" in narrow and narrow.startswith("‹ ") and len(narrow) <= 80
    hidden_left, hidden_right = int(narrow.split()[1]), (int(narrow.split()[-2]) if narrow.endswith("›") else 0)
    assert hidden_left + hidden_right + narrow.count("finished") == 7
    Console(width=80, file=open("/dev/null", "w")).print(run_bar_text([], 0, 80))


def test_a_selected_row_is_marked_in_its_curve_colour_or_without_colour_with_its_curve_marker():
    history = RunHistory()
    record = history.add(RunConfig(), "app")
    assert row_cells(history, record, None)[0].plain == " "
    coloured = row_cells(history, record, series_style(1, "256"))[0]
    assert coloured.plain == "■" and Style.parse(str(coloured.style)).color.number == series_style(1, "256").color
    assert [row_cells(history, record, series_style(i, "none"))[0].plain for i in range(3)] == ["⢕", "x", "+"]
