"""The one-line legend under a map: each class's point marker, region colour and name."""

from __future__ import annotations

from typing import Sequence

from rich.text import Text

from tui_nn.map_drawing import cell_style, region_sample, unsure_sample
from tui_nn.palettes import MapPalette, dev_glyph
from tui_nn.safe_text import printable

POINT_SHOWS = ("train", "both", "dev")
"""Which points a map shows: the training set, both sets, or the dev set."""


def _marker(palette: MapPalette, k: int, glyph: str, show: str) -> Text:
    text = Text()
    if show in ("train", "both"):
        if palette.coloured and palette.points is not None:
            text.append("•", cell_style(palette.points[k % len(palette.points)], None, True))
        else:
            text.append(glyph, "bold")
    if show in ("dev", "both"):
        text.append(dev_glyph(glyph), "bold")
    return text


def _entries(palette: MapPalette, names: Sequence[str], glyphs: Sequence[str], show: str, cut: int | None,
             unsure: bool) -> list[Text]:
    multiclass = len(names) > 2
    entries = []
    for k, name in enumerate(names):
        entry = _marker(palette, k, glyphs[k % len(glyphs)], show)
        chars, style = region_sample(palette, k, multiclass)
        entry.append(chars, style)
        entry.append(" " + (name if cut is None else name[:cut]))
        entries.append(entry)
    if unsure:
        chars, style = unsure_sample(palette)
        entry = Text()
        entry.append(chars, style)
        entry.append(" unsure")
        entries.append(entry)
    if show != "train":
        entries.append(Text("dev: upper case" if show == "both" else "dev points", "dim"))
    return entries


def map_legend(palette: MapPalette, names: Sequence[str], glyphs: Sequence[str], show: str, width: int) -> Text:
    """The legend in at most ``width`` cells: names are shortened, then the unsure entry
    dropped, until it fits; ``names`` come from files, so they are made printable here."""
    safe = [printable(n, 40) for n in names]
    for cut, unsure in ((None, True), (10, True), (6, True), (6, False), (3, False), (1, False)):
        line = Text("  ").join(_entries(palette, safe, glyphs, show, cut, unsure))
        if line.cell_len <= width:
            return line
    line.truncate(max(width, 0))
    return line
