"""Telling cost curves apart in any terminal: a colour and marker per series, and a legend placed
where it covers the least.

Colours are picked for the colour system the terminal gets (``tui_nn.palettes.colour_mode``),
because Rich rounds every colour to that system: ten xterm-256 colours that stay apart in
256 colours and truecolor; the six standard colours in 16 colours, then the same colours
again with other markers; markers only without colour. The legend is drawn over the plot
(plotext always puts its own in the top-left corner, usually over the start of a falling
curve) against an edge of the plot area, where the fewest cells are drawn on.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np
from rich.style import Style
from rich.text import Text

from tui_nn.safe_text import printable

XTERM_256 = (45, 208, 40, 207, 226, 196, 33, 252, 130, 141)
"""Ten distinct xterm-256 colours: cyan, orange, green, pink, yellow, red, blue, light grey, brown, violet."""
STANDARD_16 = ((85, 255, 255), (255, 255, 85), (85, 255, 85), (255, 85, 255), (255, 85, 85), (85, 85, 255))
"""Bright cyan, yellow, green, magenta, red and blue (Rich's standard colours 14, 11, 10, 13, 9, 12),
as exact RGB: Rich rounds each back to its own standard colour. Named ANSI colours would not
survive: Textual first turns them into its theme's RGB, where red and magenta are the same
pink and yellow rounds to bright red."""
MARKERS = ("braille", "x", "+", "o", "*", "#", "=", "%", "@", "~")
"""plotext markers, the first (braille, two points a character) for as long as colours last."""
BRAILLE_SAMPLE = "⢕"
CORNERS = ("top right", "top left", "bottom right", "bottom left")
"""Legend corners, in the order ties are broken (a falling cost curve leaves the top right empty)."""
EDGES = ("right", "left", "top", "bottom")
"""Then places along an edge (the block against it, anywhere along it), in this order."""


@dataclass(frozen=True)
class SeriesStyle:
    """How one series is drawn: plotext's ``color`` (RGB or an xterm-256 index), its ``marker``,
    and the Rich style of the same colour (for legends and labels elsewhere)."""

    color: tuple[int, int, int] | int | None
    marker: str
    rich: str

    @property
    def sample(self) -> str:
        """Two characters that look like the curve, for a legend."""
        return (BRAILLE_SAMPLE if self.marker == "braille" else self.marker) * 2


def series_style(index: int, mode: str = "256") -> SeriesStyle:
    """Series ``index``'s style in colour mode ``mode`` (``truecolor``, ``256``, ``16``, ``none``):
    every (colour, marker) pair is different for the first ``len(colours) * len(MARKERS)`` series."""
    if mode == "none":
        return SeriesStyle(None, MARKERS[index % len(MARKERS)], "")
    colours: Sequence[tuple[int, int, int] | int] = STANDARD_16 if mode == "16" else XTERM_256
    colour = colours[index % len(colours)]
    marker = MARKERS[(index // len(colours)) % len(MARKERS)]
    return SeriesStyle(colour, marker, f"rgb{colour}".replace(" ", "") if isinstance(colour, tuple) else f"color({colour})")


def frame(lines: Sequence[str]) -> tuple[int, int, int, int] | None:
    """The plot area inside plotext's axes box as ``(top, bottom, left, right)`` (inclusive
    rows and columns of ``lines``), or None when no box is drawn."""
    top = next((i for i, line in enumerate(lines) if "┌" in line), None)
    if top is None:
        return None
    bottom = next((i for i in range(top + 1, len(lines)) if "└" in lines[i]), None)
    left, right = lines[top].find("┌"), lines[top].rfind("┐")
    if bottom is None or right <= left + 1 or bottom <= top + 1:
        return None
    return top + 1, bottom - 1, left + 1, right - 1


def _entry(style: SeriesStyle, label: str, width: int) -> Text:
    text = Text(no_wrap=True, overflow="crop")
    text.append(style.sample, Style.parse(style.rich) if style.rich else Style(bold=True))
    text.append(" " + printable(label, max(width - 3, 1)))
    text.truncate(width, pad=True)
    return text


def shared_key(labels: Sequence[str]) -> str:
    """``hidden`` when every label is ``hidden=<value>`` (one key, one value each), else empty."""
    if len(labels) < 2 or any(" " in label or "=" not in label for label in labels):
        return ""
    keys = {label.split("=", 1)[0] for label in labels}
    return keys.pop() if len(keys) == 1 else ""


def legend_block(entries: Sequence[tuple[SeriesStyle, str]], width: int, height: int) -> list[Text]:
    """The legend's lines, in as many columns as ``height`` lines need, each at most ``width``
    cells (labels are cut to fit); empty when nothing fits. Labels that all set one key
    (``hidden=1``, ``hidden=2``) become a title line (``hidden``) above their values."""
    if not entries or width < 4 or height < 1:
        return []
    key = shared_key([label for _, label in entries])
    if key and height > 1:
        values = [(style, label.split("=", 1)[1]) for style, label in entries]
        body = legend_block(values, width, height - 1)
        if body and len(key) <= width:
            w = max(body[0].cell_len, len(key))
            for line in body:
                line.truncate(w, pad=True)
            return [Text(key.ljust(w), "bold", no_wrap=True), *body]
    rows = min(len(entries), height)
    columns = math.ceil(len(entries) / rows)
    longest = max(len(printable(label)) for _, label in entries) + 3
    column_width = min(longest, (width - (columns - 1)) // columns)
    if column_width < 4:
        return []
    lines = []
    for r in range(rows):
        line = Text(no_wrap=True, overflow="crop")
        for c in range(columns):
            i = c * rows + r
            if i < len(entries):
                if c:
                    line.append(" ")
                line.append_text(_entry(*entries[i], column_width))
        line.truncate(columns * column_width + columns - 1, pad=True)
        lines.append(line)
    return lines


def _drawn_cells(lines: Sequence[str], top: int, bottom: int, left: int, right: int) -> np.ndarray:
    """Cumulative counts of drawn (non-blank) cells of the plot area: ``table[r, c]`` counts rows
    ``top..top+r-1`` and columns ``left..left+c-1``, so any block's count is four lookups."""
    drawn = np.array([[c < len(lines[r]) and not lines[r][c].isspace() for c in range(left, right + 1)]
                      for r in range(top, bottom + 1)], dtype=np.int32)
    table = np.zeros((drawn.shape[0] + 1, drawn.shape[1] + 1), dtype=np.int32)
    table[1:, 1:] = drawn.cumsum(0).cumsum(1)
    return table


def _spots(top: int, bottom: int, left: int, right: int, h: int, w: int) -> list[tuple[str, int, int]]:
    """Every place for an ``h`` x ``w`` block against an edge of the plot area, as ``(name, row,
    column)``: the corners first (``CORNERS``), then along each edge (``EDGES``), nearest its middle first."""
    low, high, first, last = top, bottom - h + 1, left, right - w + 1
    corners = [("top right", low, last), ("top left", low, first), ("bottom right", high, last), ("bottom left", high, first)]
    rows = sorted(range(low + 1, high), key=lambda r: abs(2 * r - low - high))
    cols = sorted(range(first + 1, last), key=lambda c: abs(2 * c - first - last))
    edges = ([("right", r, last) for r in rows] + [("left", r, first) for r in rows]
             + [("top", low, c) for c in cols] + [("bottom", high, c) for c in cols])
    return corners + edges


def legend_line(entries: Sequence[tuple[SeriesStyle, str]], gap: int = 2) -> Text:
    """The legend on one line: ``hidden ⢕1  ⢕2`` (a shared key once), else ``⢕ hidden=1  ⢕ lr=0.1``,
    ``gap`` spaces between entries."""
    key = shared_key([label for _, label in entries])
    line = Text(no_wrap=True, overflow="crop")
    if key:
        line.append(printable(key, 40) + " ", "bold")
    for i, (style, label) in enumerate(entries):
        line.append(" " * (gap if i else 1) + style.sample[0], Style.parse(style.rich) if style.rich else Style(bold=True))
        line.append(printable(label.split("=", 1)[1] if key else " " + label, 60))
    return line


def _overlay(lines: list[Text], row: int, col: int, block: Sequence[Text]) -> None:
    for i, piece in enumerate(block):
        line, w = lines[row + i], piece.cell_len
        if line.cell_len < col + w:
            line.pad_right(col + w - line.cell_len)
        lines[row + i] = Text.assemble(line[:col], piece, line[col + w:], no_wrap=True)


def place_legend(plot: Text, entries: Sequence[tuple[SeriesStyle, str]]) -> tuple[Text, str]:
    """``plot`` (plotext's drawing) with a legend of ``entries``: against an edge of the plot area
    where it covers no drawn cell (a corner first), else on one line in place of the x-axis label
    below the plot when it fits there, else where it covers the fewest drawn cells. Returns the new
    text and where the legend went (a corner's name, an edge's name (``right``: against the right
    edge, between the corners), ``below``, or empty for no legend)."""
    lines = plot.split("\n", allow_blank=True)
    plain = [line.plain for line in lines]
    box = frame(plain)
    if box is None or not entries:
        return plot, ""
    top, bottom, left, right = box
    block = legend_block(entries, right - left + 1, bottom - top + 1)
    if not block:
        return plot, ""
    h, w = len(block), block[0].cell_len
    table = _drawn_cells(plain, top, bottom, left, right)

    def covered(row: int, col: int) -> int:
        r, c = row - top, col - left
        return int(table[r + h, c + w] - table[r, c + w] - table[r + h, c] + table[r, c])

    # min() keeps the first of equals, so corners win ties, then the edges' middles.
    name, row, col = min(_spots(top, bottom, left, right, h, w), key=lambda spot: covered(spot[1], spot[2]))
    below = bottom + 3  # past the axis line and the tick labels: the x-axis label's line
    room = len(plain[below]) if below < len(lines) else 0
    one_line = min((legend_line(entries, gap) for gap in (2, 1)), key=lambda line: line.cell_len > room)  # roomier first
    if covered(row, col) and one_line.cell_len <= room:
        one_line.truncate(len(plain[below]), pad=True)
        lines[below] = one_line
        return Text("\n", no_wrap=True).join(lines), "below"
    _overlay(lines, row, col, block)
    return Text("\n", no_wrap=True).join(lines), name
