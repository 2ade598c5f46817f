"""Text drawing for the terminal: half-block images, thumbnails and sparklines.

Pure functions from arrays to ``rich.text.Text``; no widget or thread state.
A half-block cell ``▀`` shows two pixels: the top one as the foreground
colour, the bottom one as the background, so a ``(2h, w)`` image fills
``h`` lines of ``w`` characters.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Sequence

import numpy as np
from rich.color import Color
from rich.style import Style
from rich.text import Text

def half_block_pixels(columns: int, lines: int) -> tuple[int, int]:
    """The ``(rows, cols)`` pixels a half-block image fills in ``lines`` lines of ``columns`` characters."""
    return 2 * lines, columns


SPARK = "▁▂▃▄▅▆▇█"
def sparkline(counts: tuple[int, ...] | list[int]) -> str:
    """A histogram as block characters, one per bin, scaled to the largest count."""
    if not counts:
        return ""
    top = max(counts)
    if top <= 0:
        return SPARK[0] * len(counts)
    return "".join(SPARK[min(len(SPARK) - 1, int(round(c / top * (len(SPARK) - 1))))] if c else " " for c in counts)


COLOUR_STEP = 8
"""Colours are rounded to multiples of this, so styles repeat and are cached across frames."""


@lru_cache(maxsize=8192)
def _cell_style(top: tuple[int, int, int], bottom: tuple[int, int, int]) -> Style:
    return Style(color=Color.from_rgb(*top), bgcolor=Color.from_rgb(*bottom))


def halfblock(rgb: np.ndarray) -> Text:
    """Render an image ``(2h, w, 3)`` (0..255) as ``h`` lines of ``w`` half-block cells.

    Runs of equal cells share one span, so flat regions cost little to draw.
    """
    q = (np.clip(np.asarray(rgb, dtype=np.float64), 0, 255) / COLOUR_STEP).round().astype(np.int64) * COLOUR_STEP
    q = np.minimum(q, 255)
    if q.shape[0] % 2:
        q = np.concatenate([q, q[-1:]], axis=0)
    text = Text(no_wrap=True, overflow="crop")
    for r in range(0, q.shape[0], 2):
        if r:
            text.append("\n")
        cells = [(tuple(t), tuple(b)) for t, b in zip(q[r].tolist(), q[r + 1].tolist())]
        start = 0
        for c in range(1, len(cells) + 1):
            if c == len(cells) or cells[c] != cells[start]:
                text.append("▀" * (c - start), _cell_style(*cells[start]))
                start = c
    return text


def grey_or_rgb(image: np.ndarray) -> np.ndarray:
    """An image ``(h, w)`` or ``(h, w, 3)`` in [0, 1] as ``(h, w, 3)`` in 0..255."""
    img = np.clip(np.asarray(image, dtype=np.float64), 0, 1)
    if img.ndim == 2:
        img = np.repeat(img[..., None], 3, axis=2)
    return img * 255


def downsample(image: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """Average-pool ``(h, w, c)`` to ``(rows, cols, c)`` (nearest rows/cols when upsampling)."""
    h, w = image.shape[:2]
    ri = np.linspace(0, h, rows + 1).astype(int)
    ci = np.linspace(0, w, cols + 1).astype(int)
    out = np.empty((rows, cols, image.shape[2]))
    for i in range(rows):
        r0, r1 = ri[i], max(ri[i + 1], ri[i] + 1)
        for j in range(cols):
            c0, c1 = ci[j], max(ci[j + 1], ci[j] + 1)
            out[i, j] = image[r0:r1, c0:c1].reshape(-1, image.shape[2]).mean(axis=0)
    return out


def side_by_side(blocks: Sequence[Sequence[Text]], width: int, gap: int = 1) -> list[Text]:
    """Blocks of lines (tiles) next to each other, each line cut or padded to ``width`` cells,
    ``gap`` spaces between them; a shorter block is padded with blank lines."""
    height = max((len(b) for b in blocks), default=0)
    lines = []
    for i in range(height):
        row = Text(no_wrap=True, overflow="crop")
        for t, block in enumerate(blocks):
            if t:
                row.append(" " * gap)
            cell = block[i].copy() if i < len(block) else Text()
            cell.truncate(width, pad=True)
            row.append_text(cell)
        lines.append(row)
    return lines
