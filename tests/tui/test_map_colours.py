"""The decision-boundary map reads in truecolor, 256 colours, 16 colours and without colour.

Each test follows a cell the way the terminal gets it: the pane's segments go through
the app's own line filters (``NO_COLOR`` greys) and Rich's downgrade to the console's
colour system, as Textual's ``Strip.render`` does; without colour only characters count.
"""

from __future__ import annotations

import numpy as np
import pytest
import textual.constants
from rich.color import ColorSystem
from rich.segment import Segment
from textual.color import Color as TextualColor

from tui_nn.map_drawing import Marks, classify, map_text
from tui_nn.palettes import MODES, class_glyphs, palette_for
from tui_nn.widgets.boundary_pane import BoundaryPane, Points
from tui_nn.views import pixel_of

SYSTEMS = {"truecolor": ColorSystem.TRUECOLOR, "256": ColorSystem.EIGHT_BIT, "16": ColorSystem.STANDARD}
ENV = {"truecolor": ("truecolor", False), "256": ("256", False), "16": ("standard", False), "none": ("truecolor", True)}


def _final(colour, system):
    """The colour code a terminal receives (None: its default)."""
    if colour is None:
        return None
    c = colour.downgrade(system) if system is not None else colour
    return c.number if c.number is not None else tuple(c.triplet)


def cell_grid(lines: list[list[Segment]], system) -> list[list[tuple]]:
    """``(char, fg, bg)`` per cell of rendered lines, colours as the terminal gets them."""
    grid = []
    for segments in lines:
        row = []
        for seg in segments:
            style = seg.style
            fg = _final(style.color, system) if style else None
            bg = _final(style.bgcolor, system) if style else None
            row.extend((ch, fg, bg) for ch in seg.text)
        grid.append(row)
    return grid


def appearance(grid, r: int, c: int, coloured: bool) -> tuple:
    """How pixel ``(r, c)`` of a half-block map looks: its cell's character and, with colour,
    the colour that pixel is painted in (the top half's foreground, the bottom half's background)."""
    ch, fg, bg = grid[r // 2][c]
    if not coloured:
        return (ch,)
    if ch == "▀":
        return (ch, fg if r % 2 == 0 else bg)
    return (ch, fg, bg)


def two_class_map(rows: int = 20, cols: int = 30) -> np.ndarray:
    """Class 0 sure on the left, unsure in the middle, class 1 sure on the right; leaning bands between."""
    p = np.interp(np.arange(cols), [0, 5, 9, 12, 17, 20, 24, cols - 1], [0.0, 0.02, 0.3, 0.5, 0.5, 0.7, 0.98, 1.0])
    return np.tile(p, (rows, 1))


def check_map(grid, values: np.ndarray, marks: Marks, coloured: bool, every_point: Marks | None = None) -> None:
    """Regions (cells without points) of class 0, class 1 and unsure look different from each
    other and from points; ``marks`` of class 0 and class 1 look different."""
    classes, steps = classify(values, (0.2, 0.6))
    every_point = marks if every_point is None else every_point
    pointed = set(zip((every_point.r // 2).tolist(), every_point.c.tolist()))
    looks: dict[str, set] = {"0": set(), "1": set(), "unsure": set()}
    for r in range(values.shape[0]):
        for c in range(values.shape[1]):
            if (r // 2, c) in pointed:
                continue
            key = "unsure" if steps[r, c] < 0 else str(classes[r, c])
            if not coloured:  # one character shows a cell: unsure if either pixel is
                partner = min(r ^ 1, values.shape[0] - 1)
                if min(steps[r, c], steps[partner, c]) < 0:
                    key = "unsure"
                elif classes[partner, c] != classes[r, c]:
                    continue
            looks[key].add(appearance(grid, r, c, coloured))
    assert looks["0"] and looks["1"] and looks["unsure"]
    assert not looks["0"] & looks["1"], "class 0 and class 1 regions look the same"
    assert not looks["unsure"] & (looks["0"] | looks["1"]), "the unsure band looks like a class"
    point_looks = {0: set(), 1: set()}
    for r, c, k in zip(marks.r.tolist(), marks.c.tolist(), marks.k.tolist()):
        point_looks[k].add(appearance(grid, r, c, coloured))
    assert point_looks[0] and point_looks[1]
    assert not point_looks[0] & point_looks[1], "class 0 and class 1 points look the same"
    region_looks = looks["0"] | looks["1"] | looks["unsure"]
    assert not (point_looks[0] | point_looks[1]) & region_looks, "a point looks like a region"


@pytest.mark.parametrize("mode", MODES)
def test_classes_confidence_and_points_stay_apart_after_the_colour_downgrade(mode):
    values = two_class_map()
    # Both classes' points on both sides of the boundary, each alone in its cell.
    r = np.array([2, 6, 10, 14, 2, 6, 10, 14])
    c = np.array([2, 27, 8, 21, 27, 2, 21, 8])
    k = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    marks = Marks(r, c, k, np.zeros(8, dtype=bool))
    palette = palette_for(mode)
    text = map_text(values, palette, marks, class_glyphs(("0", "1")))
    from rich.console import Console

    console = Console(width=40, color_system=None, file=open("/dev/null", "w"))
    lines = console.render_lines(text, console.options.update_width(30), pad=False)
    check_map(cell_grid(lines, SYSTEMS.get(mode)), values, marks, palette.coloured)
    if not palette.coloured:
        assert {"o", "x"} <= set(text.plain)


def test_every_palette_colour_is_exact_in_its_colour_system():
    """No step of a class rounds to another step, to another class or to grey."""
    from rich.color import Color

    for mode, system in (("256", ColorSystem.EIGHT_BIT), ("truecolor", ColorSystem.EIGHT_BIT), ("16", ColorSystem.STANDARD)):
        palette = palette_for(mode)
        colours = [palette.unsure] + [c for ramp in palette.regions for c in ramp]
        codes = [Color.from_rgb(*c).downgrade(system).number for c in colours]
        assert len(set(codes)) == len(codes), (mode, codes)
        if system == ColorSystem.EIGHT_BIT:
            assert all(16 <= n < 232 for n in codes[1:]), "a class colour became grey"


@pytest.fixture
def colour_system(monkeypatch):
    """``colour_system(mode)`` makes the next app start in that colour mode (``NO_COLOR`` for none)."""

    def set_mode(mode: str) -> None:
        system, no_color = ENV[mode]
        monkeypatch.setattr(textual.constants, "COLOR_SYSTEM", system)
        if no_color:
            monkeypatch.setenv("NO_COLOR", "1")
        else:
            monkeypatch.delenv("NO_COLOR", raising=False)

    return set_mode


def rendered_grid(app, pane: BoundaryPane) -> list[list[tuple]]:
    """The pane as the terminal gets it: through the app's line filters and its colour system."""
    console = app.console
    width = pane.content_size.width
    lines = console.render_lines(pane.render(), console.options.update_width(width), pad=False)
    background = TextualColor(0, 0, 0)
    for line_filter in app.get_line_filters():
        lines = [line_filter.apply(list(line), background) for line in lines]
    system = None if app.no_color else console._color_system
    return cell_grid(lines, system)


@pytest.mark.parametrize("mode", MODES)
async def test_the_pane_shows_both_classes_regions_and_points_in_every_colour_system(mode, colour_system, app_factory,
                                                                                    trained_map):
    colour_system(mode)
    app = app_factory(iterations=800)
    async with app.run_test(size=(120, 36)) as pilot:
        pane, view = await trained_map(pilot, app)
        assert pane.palette.mode == mode
        rows, cols = view.values.shape
        marks = pane.points.marks(view.extent, rows, cols, "train")
        grid = rendered_grid(app, pane)
        # Points alone in their cell, so each has one class to show.
        cell_of = list(zip((marks.r // 2).tolist(), marks.c.tolist()))
        counts: dict = {}
        for cell, k in zip(cell_of, marks.k.tolist()):
            counts.setdefault(cell, set()).add(k)
        alone = np.array([len(counts[cell]) == 1 for cell in cell_of])
        lone = Marks(marks.r[alone], marks.c[alone], marks.k[alone], marks.dev[alone])
        check_map(grid, view.values, lone, pane.palette.coloured, marks)
        legend = "".join(ch for ch, _, _ in grid[-1])
        assert "0" in legend and "1" in legend and "unsure" in legend


def test_points_land_on_their_pixels():
    X = np.array([[0.0, 1.0], [0.0, 1.0]])
    r, c = pixel_of(X, (0.0, 1.0, 0.0, 1.0), 10, 10)
    assert r.tolist() == [9, 0] and c.tolist() == [0, 9]  # row 0 is the top
    points = Points(X, np.array([[0, 1]]), "binary", ("a", "b"), X, np.array([[1, 0]]))
    both = points.marks((0.0, 1.0, 0.0, 1.0), 10, 10, "both")
    assert both.dev.tolist() == [False, False, True, True] and both.k.tolist() == [0, 1, 1, 0]
