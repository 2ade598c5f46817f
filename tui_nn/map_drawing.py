"""Drawing a map of the input plane as text, in any colour mode (``tui_nn.palettes``).

A map is a grid of pixels, each with a class and a confidence step; with colour it
is drawn as half-blocks (``▀``: the top pixel is the foreground, the bottom one the
background), without colour as one shade character a cell. Points are pixels of a
class tint where colour can carry the class, glyphs (``o``/``x``, per-class letters,
uppercase for dev points) where it cannot, and for dev points always.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from rich.color import Color
from rich.style import Style
from rich.text import Text

from tui_nn.palettes import CLASS_TEXTURES, RGB, MapPalette


@dataclass(frozen=True, eq=False)
class Marks:
    """Points placed on a map's pixel grid: rows ``r``, columns ``c``, classes ``k`` and
    whether each is a dev point (``dev``), all ``(m,)``."""

    r: np.ndarray
    c: np.ndarray
    k: np.ndarray
    dev: np.ndarray

    @classmethod
    def empty(cls) -> "Marks":
        z = np.zeros(0, dtype=np.int64)
        return cls(z, z, z, np.zeros(0, dtype=bool))


def classify(values: np.ndarray, thresholds: tuple[float, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Each pixel's class and confidence step.

    ``values`` is ``(rows, cols)`` probabilities of class 1 (binary) or ``(K, rows, cols)``
    class probabilities. Confidence is ``|2p - 1|`` (binary) or how far the top class is
    above ``1/K``, scaled to 0..1; the step is how many ``thresholds`` it reaches, minus
    one (-1: unsure). Returns ``(classes, steps)``, both ``(rows, cols)`` ints.
    """
    if values.ndim == 2:
        p = np.clip(values, 0.0, 1.0)
        classes = (p >= 0.5).astype(np.int64)
        confidence = np.abs(2 * p - 1)
    else:
        k = values.shape[0]
        classes = np.argmax(values, axis=0)
        confidence = (np.max(values, axis=0) - 1 / k) * k / max(k - 1, 1)
    steps = np.searchsorted(np.asarray(thresholds), np.clip(confidence, 0, 1), side="right") - 1
    return classes, steps


def region_rgb(classes: np.ndarray, steps: np.ndarray, palette: MapPalette) -> np.ndarray:
    """``(rows, cols, 3)`` colours of the pixels' classes at their steps."""
    k_max = int(classes.max(initial=0)) + 1
    table = np.array([[palette.region(k, s) for s in range(-1, palette.steps)] for k in range(k_max)], dtype=np.int64)
    return table[classes, steps + 1]


@lru_cache(maxsize=4096)
def cell_style(fg: RGB | None, bg: RGB | None, bold: bool = False) -> Style:
    """A cached style (maps repeat a few colours, so styles repeat across frames)."""
    return Style(color=None if fg is None else Color.from_rgb(*fg),
                 bgcolor=None if bg is None else Color.from_rgb(*bg), bold=bold or None)


def _glyphs_by_cell(marks: Marks, glyphs: tuple[str, ...], rows_per_cell: int, points_as_pixels: bool) -> dict:
    """``{(line, col): (glyph, pixel_row)}``: glyph points, the majority class per cell
    (dev points over train points)."""
    votes: dict[tuple[int, int], dict[tuple[int, bool], list[int]]] = {}
    for r, c, k, dev in zip(marks.r.tolist(), marks.c.tolist(), marks.k.tolist(), marks.dev.tolist()):
        if points_as_pixels and not dev:
            continue
        votes.setdefault((r // rows_per_cell, c), {}).setdefault((k, dev), []).append(r)
    cells = {}
    for cell, by_class in votes.items():
        (k, dev), rs = max(by_class.items(), key=lambda kv: (kv[0][1], len(kv[1])))
        glyph = glyphs[k % len(glyphs)]
        cells[cell] = (glyph.upper() if dev else glyph, rs[0])
    return cells


def map_text(values: np.ndarray, palette: MapPalette, marks: Marks, glyphs: tuple[str, ...]) -> Text:
    """A map ``values`` (see ``classify``) with points, as ``rows // 2`` lines (colour) or
    ``rows // 2`` lines of shades (no colour) of ``cols`` characters."""
    classes, steps = classify(values, palette.thresholds)
    rows = classes.shape[0] + classes.shape[0] % 2
    if classes.shape[0] % 2:
        classes, steps = np.vstack([classes, classes[-1:]]), np.vstack([steps, steps[-1:]])
    pixels = palette.coloured and palette.points is not None
    glyph_cells = _glyphs_by_cell(marks, glyphs, 2, pixels)
    if not palette.coloured:
        return _shade_text(values.ndim == 3, classes, steps, palette, glyph_cells)
    rgb = region_rgb(classes, steps, palette)
    if pixels and marks.r.size:
        train = ~marks.dev
        point_rgb = np.array(palette.points, dtype=np.int64)
        rgb[marks.r[train], marks.c[train]] = point_rgb[marks.k[train] % len(point_rgb)]
    text = Text(no_wrap=True, overflow="crop")
    for line in range(rows // 2):
        if line:
            text.append("\n")
        top, bottom = rgb[2 * line].tolist(), rgb[2 * line + 1].tolist()
        run_style, run = None, []
        for col, (t, b) in enumerate(zip(top, bottom)):
            hit = glyph_cells.get((line, col))
            if hit is None:
                char, style = "▀", cell_style(tuple(t), tuple(b))
            else:
                under = tuple(rgb[hit[1], col].tolist())
                char, style = hit[0], cell_style(palette.glyph_colour(under), under, True)
            if style is not run_style and run:
                text.append("".join(run), run_style)
                run = []
            run_style = style
            run.append(char)
        if run:
            text.append("".join(run), run_style)
    return text


def _shade_text(multiclass: bool, classes: np.ndarray, steps: np.ndarray, palette: MapPalette, glyph_cells: dict) -> Text:
    """No colour: one character a cell from its top pixel's class and step, glyphs in bold."""
    text = Text(no_wrap=True, overflow="crop")
    bold = Style(bold=True)
    middle = len(palette.shades) // 2
    for line in range(classes.shape[0] // 2):
        if line:
            text.append("\n")
        k_row, s_row = classes[2 * line].tolist(), np.minimum(steps[2 * line], steps[2 * line + 1]).tolist()
        chars = []
        for col, (k, s) in enumerate(zip(k_row, s_row)):
            hit = glyph_cells.get((line, col))
            if hit is not None:
                if chars:
                    text.append("".join(chars))
                    chars = []
                text.append(hit[0], bold)
                continue
            if multiclass:
                chars.append(" " if s < 0 else CLASS_TEXTURES[k % len(CLASS_TEXTURES)])
            else:
                chars.append(palette.shades[middle if s < 0 else middle + (1 if k else -1) * (1 + min(s, 1))])
        if chars:
            text.append("".join(chars))
    return text


def region_sample(palette: MapPalette, k: int, multiclass: bool) -> tuple[str, Style | None]:
    """How class ``k``'s sure region looks: two characters and their style (for a legend)."""
    if palette.coloured:
        return "██", cell_style(palette.region(k, palette.steps - 1), None)
    if multiclass:
        return CLASS_TEXTURES[k % len(CLASS_TEXTURES)] * 2, None
    return (palette.shades[-2:] if k else palette.shades[1::-1]), None


def unsure_sample(palette: MapPalette) -> tuple[str, Style | None]:
    """How the unsure band looks (for a legend)."""
    if palette.coloured:
        return "██", cell_style(palette.unsure, None)
    return palette.shades[len(palette.shades) // 2] * 2, None
