"""Map colours chosen per colour system, so classes and confidence survive the terminal's downgrade.

Textual hands every colour to Rich, which downgrades it to the console's colour
system (``TEXTUAL_COLOR_SYSTEM``, or what the terminal reports): a truecolor
triplet becomes the nearest entry of the xterm 6x6x6 cube (or of the grey ramp
when its saturation is under 15 %) with 256 colours, and the nearest of Rich's
16 standard colours with 16. ``NO_COLOR`` turns every colour into a grey of the
same luminance. So each palette here is made of colours that the downgrade
leaves where they are: cube colours for truecolor and 256, exact standard
colours for 16, and characters instead of colours for no colour at all.
Confidence is a few steps (``levels``), never a smooth blend that rounds to grey.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

RGB = tuple[int, int, int]

MODES = ("truecolor", "256", "16", "none")
"""The colour systems a map is drawn for."""


def colour_mode(color_system: str | None, no_color: bool) -> str:
    """The map's colour mode for a Rich colour system name (``app.console.color_system``)
    and Textual's ``NO_COLOR`` flag (``app.no_color``)."""
    if no_color or color_system is None:
        return "none"
    return {"truecolor": "truecolor", "256": "256"}.get(color_system, "16")


@dataclass(frozen=True)
class MapPalette:
    """How a map looks in one colour mode.

    ``regions[k][s]`` is class k's colour at confidence step ``s`` (0 = leaning,
    last = sure); ``unsure`` is the colour where no class is ahead by enough.
    ``thresholds`` are the confidences (0..1) where the steps begin: below the
    first is unsure. ``points[k]`` colours a training point drawn as a pixel
    (None: points are glyphs); ``glyph_on_dark``/``glyph_on_light`` colour glyphs.
    ``shades`` (no colour) replaces colours with characters, from class 0 sure to
    class 1 sure, with unsure in the middle.
    """

    mode: str
    regions: tuple[tuple[RGB, ...], ...] = ()
    unsure: RGB | None = None
    thresholds: tuple[float, ...] = (0.2, 0.6)
    points: tuple[RGB, ...] | None = None
    glyph_on_dark: RGB | None = None
    glyph_on_light: RGB | None = None
    negative: RGB | None = None
    """Colour of a negative weight (positive ones take class 1's sure colour)."""
    shades: str = ""

    @property
    def coloured(self) -> bool:
        return self.mode != "none"

    @property
    def steps(self) -> int:
        """Confidence steps of a class (unsure not counted)."""
        return len(self.thresholds)

    def region(self, k: int, step: int) -> RGB:
        """Class ``k``'s colour at confidence step ``step`` (-1: unsure)."""
        assert self.unsure is not None
        if step < 0:
            return self.unsure
        ramp = self.regions[k % len(self.regions)]
        return ramp[min(step, len(ramp) - 1)]

    def glyph_colour(self, background: RGB) -> RGB:
        """A glyph colour that reads on ``background``: dark glyphs on light cells."""
        assert self.glyph_on_dark is not None and self.glyph_on_light is not None
        r, g, b = background
        light = 0.299 * r + 0.587 * g + 0.114 * b > 140
        return self.glyph_on_light if light else self.glyph_on_dark


# xterm cube levels are 0, 95, 135, 175, 215, 255: every colour below is on the cube,
# so 256 colours show it exactly and a truecolor terminal behind tmux loses nothing.
CUBE = MapPalette(
    mode="256",
    regions=(
        ((95, 0, 0), (135, 0, 0), (175, 0, 0), (215, 0, 0)),  # red
        ((0, 0, 135), (0, 0, 175), (0, 95, 175), (0, 95, 215)),  # blue
        ((0, 95, 0), (0, 135, 0), (0, 175, 0), (0, 215, 0)),  # green
        ((135, 95, 0), (175, 95, 0), (215, 135, 0), (255, 175, 0)),  # orange
        ((95, 0, 95), (135, 0, 135), (175, 0, 175), (215, 0, 215)),  # purple
        ((0, 95, 95), (0, 135, 135), (0, 175, 175), (0, 215, 215)),  # teal
    ),
    unsure=(48, 48, 48),  # grey ramp 236
    thresholds=(0.2, 0.45, 0.7, 0.9),
    points=((255, 175, 175), (175, 215, 255), (175, 255, 175), (255, 215, 135), (255, 175, 255), (175, 255, 255)),
    glyph_on_dark=(255, 255, 255),
    glyph_on_light=(0, 0, 0),
    negative=(215, 0, 0),
)

TRUECOLOR = MapPalette(**{**CUBE.__dict__, "mode": "truecolor"})
"""Truecolor uses the cube colours too: the steps stay distinct if anything on the way
(tmux, an SSH hop, a terminal without 24-bit colour) quantises them to 256."""

# Rich's 16 standard colours: 0 black, 1 red, 4 blue, 8 grey, 9 bright red, 12 bright blue ...
STANDARD = MapPalette(
    mode="16",
    regions=(
        ((170, 0, 0), (255, 85, 85)),  # red 1, bright red 9
        ((0, 0, 170), (85, 85, 255)),  # blue 4, bright blue 12
        ((0, 170, 0), (85, 255, 85)),  # green 2, 10
        ((170, 85, 0), (255, 255, 85)),  # yellow 3, 11
        ((170, 0, 170), (255, 85, 255)),  # magenta 5, 13
        ((0, 170, 170), (85, 255, 255)),  # cyan 6, 14
    ),
    unsure=(85, 85, 85),  # grey 8: used by no class
    thresholds=(0.2, 0.6),
    points=None,
    glyph_on_dark=(255, 255, 255),  # bright white 15
    glyph_on_light=(0, 0, 0),  # black 0
    negative=(170, 0, 0),
)

PLAIN = MapPalette(mode="none", thresholds=(0.2, 0.6), shades=" ·░▒▓")
"""No colour: class 0 sure ``' '``, leaning ``'·'``, unsure ``'░'``, class 1 leaning ``'▒'``, sure ``'▓'``."""

CLASS_TEXTURES = "·:░▒▓+=~-*"
"""No colour, more than two classes: class k's region is drawn with ``CLASS_TEXTURES[k]``."""

PALETTES = {"truecolor": TRUECOLOR, "256": CUBE, "16": STANDARD, "none": PLAIN}


def palette_for(mode: str) -> MapPalette:
    """The palette of a colour mode (one of ``MODES``)."""
    return PALETTES[mode]


def class_glyphs(class_names: Sequence[str]) -> tuple[str, ...]:
    """One lowercase glyph per class for training points (dev points use the uppercase).

    Two classes: ``o`` and ``x``. More: each name's first letter when those are
    distinct letters (iris: ``s``, ``v`` ...), otherwise ``a``, ``b``, ``c`` ...
    """
    k = len(class_names)
    if k <= 2:
        return ("o", "x")[: max(k, 2)]
    firsts = [str(n)[:1].lower() for n in class_names]
    if all(f.isascii() and f.isalpha() for f in firsts) and len(set(firsts)) == k:
        return tuple(firsts)
    letters = "abcdefghijklmnopqrstuvwxyz"
    return tuple(letters[i % 26] for i in range(k))


def dev_glyph(glyph: str) -> str:
    """The glyph of a dev point: the training glyph in uppercase."""
    return glyph.upper()
