"""Where the per-neuron maps go: how many small maps of which layers fit a pane, and their size.

Pure arithmetic shared by the worker (which computes a grid of the tile's size)
and the pane (which draws the tiles): each shown hidden layer takes a header line,
then rows of square tiles (``2h`` columns by ``h`` lines, two pixels a line), each
with one line of its incoming weights below it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

from tui_nn.drawing import half_block_pixels

MAX_TILE_ROWS = 8
MIN_TILE_ROWS = 2


@dataclass(frozen=True)
class UnitLayout:
    """Hidden ``layers`` (1-based) shown, with ``shown[i]`` of their units each, in tiles of
    ``tile = (columns, lines)`` characters, ``per_row`` side by side."""

    layers: tuple[int, ...]
    shown: tuple[int, ...]
    tile: tuple[int, int]
    per_row: int

    @property
    def pixels(self) -> tuple[int, int]:
        """A tile's grid as ``(rows, cols)`` pixels (half-blocks: two pixels a line)."""
        return half_block_pixels(*self.tile)


def _lines(units: Sequence[int], per_row: int, tile_lines: int) -> int:
    return sum(1 + math.ceil(n / per_row) * (tile_lines + 1) for n in units)


def unit_layout(cells: tuple[int, int], hidden: Sequence[int], selected: int) -> UnitLayout | None:
    """The largest tiles that show every hidden layer's units in ``cells = (width, height)``;
    failing that, the ``selected`` layer (1-based) alone, cut to the units that fit at the
    smallest size. None when there are no hidden layers."""
    width, height = max(cells[0], 1), max(cells[1], 1)
    if not hidden:
        return None
    selected = min(max(selected, 1), len(hidden))
    for layers in (tuple(range(1, len(hidden) + 1)), (selected,)):
        units = [hidden[l - 1] for l in layers]
        for h in range(MAX_TILE_ROWS, MIN_TILE_ROWS - 1, -1):
            per_row = max(1, (width + 1) // (2 * h + 1))
            if 2 * h <= width and _lines(units, per_row, h) <= height:
                return UnitLayout(layers, tuple(units), (2 * h, h), per_row)
    h = MIN_TILE_ROWS
    per_row = max(1, (width + 1) // (2 * h + 1))
    rows_fit = max(1, (height - 1) // (h + 1))
    n = min(hidden[selected - 1], rows_fit * per_row)
    return UnitLayout((selected,), (n,), (min(2 * h, width), h), per_row)
