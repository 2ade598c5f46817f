"""A grid of small tiles, one per compared run: where they go, their titles, and score tiles (pure).

Each tile is a title line above a body: a decision-boundary map for 2-feature data
(``tui_nn.map_drawing``), or for other data the run's dev accuracy, a bar of it and how
many dev examples it gets wrong. ``grid_layout`` picks the number of columns that gives
the largest square map; ``grid_lines`` draws the tiles row by row.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

from rich.text import Text

from tui_nn.drawing import half_block_pixels, side_by_side
from tui_nn.safe_text import printable

GAP = 1
"""Columns between two tiles."""
TITLE_LINES = 1
MIN_TILE_COLUMNS, MIN_TILE_LINES = 8, 3
"""The smallest tile worth drawing (a map of 8 x 6 pixels)."""
BAR = ("█", "░")


@dataclass(frozen=True)
class GridLayout:
    """``shown`` tiles in ``columns`` per row, ``rows`` rows, each ``tile = (columns, lines)``
    characters below its title line."""

    columns: int
    rows: int
    tile: tuple[int, int]
    shown: int

    @property
    def pixels(self) -> tuple[int, int]:
        """A map tile as ``(rows, cols)`` pixels: half-blocks show two pixels a line."""
        return half_block_pixels(*self.tile)


def grid_layout(count: int, width: int, height: int) -> GridLayout | None:
    """The layout of ``count`` tiles in ``width`` x ``height`` cells with the largest square
    map (``min(columns, 2 * lines)``); when they cannot all fit at the smallest size, as many
    as do. None when not even one fits."""
    if count < 1 or width < MIN_TILE_COLUMNS or height < MIN_TILE_LINES + TITLE_LINES:
        return None
    best: GridLayout | None = None
    for columns in range(1, count + 1):
        rows = math.ceil(count / columns)
        tile_w = (width - (columns - 1) * GAP) // columns
        tile_h = height // rows - TITLE_LINES
        if tile_w < MIN_TILE_COLUMNS or tile_h < MIN_TILE_LINES:
            continue
        layout = GridLayout(columns, rows, (tile_w, tile_h), count)
        if best is None or min(tile_w, 2 * tile_h) > min(best.tile[0], 2 * best.tile[1]):
            best = layout
    if best is not None:
        return best
    columns = max(1, (width + GAP) // (MIN_TILE_COLUMNS + GAP))
    rows = max(1, height // (MIN_TILE_LINES + TITLE_LINES))
    shown = min(count, columns * rows)
    return GridLayout(columns, rows, ((width - (columns - 1) * GAP) // columns, height // rows - TITLE_LINES), shown)


def percent(x: float | None) -> str:
    return "-" if x is None or not math.isfinite(x) else f"{x:.1%}"


def tile_title(label: str, dev_accuracy: float | None, width: int) -> Text:
    """``hidden=4  dev 92.0%`` in ``width`` cells: shorter forms first, then the label cut."""
    label = printable(label, 200)
    score = percent(dev_accuracy)
    for text in (f"{label}  dev {score}", f"{label} {score}"):
        if len(text) <= width:
            return Text(text, "bold", no_wrap=True, overflow="crop")
    room = max(width - len(score) - 1, 1)
    return Text(f"{label[: room - 1]}… {score}"[:width] if room > 1 else score[:width], "bold", no_wrap=True)


def score_tile(dev_accuracy: float | None, train_accuracy: float | None, wrong: int | None, dev_size: int | None,
               final_cost: float | None, width: int, lines: int) -> list[Text]:
    """A run on data without a map: a bar of its dev accuracy, the mislabelled dev examples, train
    accuracy and final cost, as many of those lines as fit."""
    body: list[Text] = []
    if dev_accuracy is not None and math.isfinite(dev_accuracy):
        filled = int(round(max(0.0, min(1.0, dev_accuracy)) * width))
        bar = Text(no_wrap=True)
        bar.append(BAR[0] * filled, "green")
        bar.append(BAR[1] * (width - filled), "dim")
        body.append(bar)
    if wrong is not None and dev_size:
        body.append(Text(f"{wrong} of {dev_size} dev wrong", no_wrap=True, overflow="crop"))
    if train_accuracy is not None:
        body.append(Text(f"train {percent(train_accuracy)}", "dim", no_wrap=True, overflow="crop"))
    if final_cost is not None and math.isfinite(final_cost):
        body.append(Text(f"cost {final_cost:.4g}", "dim", no_wrap=True, overflow="crop"))
    return body[:lines]


def grid_lines(titles: Sequence[Text], bodies: Sequence[Sequence[Text]], layout: GridLayout) -> list[Text]:
    """The tiles row by row: a line of titles, then the bodies side by side (``layout.tile`` each)."""
    width, height = layout.tile
    lines: list[Text] = []
    for start in range(0, layout.shown, layout.columns):
        end = min(start + layout.columns, layout.shown)
        lines.extend(side_by_side([[t] for t in titles[start:end]], width, GAP))
        lines.extend(side_by_side([list(b)[:height] for b in bodies[start:end]], width, GAP))
        lines.extend([Text()] * (height - max((len(b) for b in bodies[start:end]), default=0)))
    return lines
