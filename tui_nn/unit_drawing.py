"""Drawing the per-neuron maps: one small map per hidden unit, with its incoming weights below it.

Each unit's activation ``A[l][j]`` over the input plane is drawn like a binary map
(``tui_nn.map_drawing``): negative values in class 0's colour, positive ones in
class 1's, near zero as unsure. Under each map, one character per incoming weight
``W[l][j, i]``: its size as a bar, its sign as the colour (or ``+``/``-`` without colour).
"""

from __future__ import annotations

import numpy as np
from rich.console import Group
from rich.text import Text

from tui_nn.drawing import SPARK, side_by_side
from tui_nn.map_drawing import Marks, cell_style, map_text, region_sample, unsure_sample
from tui_nn.palettes import MapPalette
from tui_nn.views import UnitLayer, UnitMapsView

BOUNDED = {"tanh": (-1.0, 1.0), "sigmoid": (0.0, 1.0)}
"""Activations with a fixed range; the others are scaled by their largest value on the grid."""


def signed_activation(values: np.ndarray, activation: str) -> np.ndarray:
    """Activations ``(rows, cols)`` of one unit mapped to [-1, 1]: tanh as it is, sigmoid
    ``2a - 1``, unbounded ones (ReLU, leaky ReLU, linear) divided by their largest ``|a|``."""
    if activation in BOUNDED:
        lo, hi = BOUNDED[activation]
        return np.clip((values - lo) / (hi - lo) * 2 - 1, -1, 1)
    top = float(np.max(np.abs(values))) if values.size else 0.0
    return values / top if top > 0 else np.zeros_like(values)


def weight_text(weights: np.ndarray, scale: float, width: int, palette: MapPalette) -> Text:
    """One unit's incoming weights ``(n[l-1],)`` in ``width`` characters: a bar ``▁..█`` for the size
    (relative to ``scale``) coloured by sign; without colour ``+``/``#`` (positive, small/large) and
    ``-``/``=`` (negative)."""
    text = Text(no_wrap=True, overflow="crop")
    shown = weights if weights.size <= width else weights[: max(width - 1, 0)]
    for w in shown.tolist():
        size = abs(w) / scale if scale > 0 else 0.0
        if palette.coloured:
            bar = SPARK[min(len(SPARK) - 1, int(size * (len(SPARK) - 1) + 0.5))]
            colour = palette.region(1, palette.steps - 1) if w >= 0 else palette.negative
            text.append(bar, cell_style(colour, None))
        else:
            text.append(("#" if size > 0.5 else "+") if w >= 0 else ("=" if size > 0.5 else "-"))
    if weights.size > width:
        text.append("…")
    text.pad_right(width - text.cell_len)
    return text


def _layer_block(layer: UnitLayer, shown: int, view: UnitMapsView, palette: MapPalette) -> list[Text]:
    cols, lines = view.layout.tile
    per_row = view.layout.per_row
    n = layer.values.shape[0]
    more = f" (first {shown} of {n})" if shown < n else ""
    block = [Text(f"A[{layer.layer}] {layer.activation}, W[{layer.layer}] under each{more}",
                  "bold", no_wrap=True, overflow="ellipsis")]
    scale = float(np.max(np.abs(layer.weights))) if layer.weights.size else 0.0
    for start in range(0, shown, per_row):
        units = range(start, min(start + per_row, shown))
        tiles = [map_text((signed_activation(layer.values[j], layer.activation) + 1) / 2, palette, Marks.empty(), ())
                 .split("\n")[:lines] for j in units]
        block.extend(side_by_side(tiles, cols))
        block.extend(side_by_side([[weight_text(layer.weights[j], scale, cols, palette)] for j in units], cols))
    return block


def units_legend(palette: MapPalette) -> Text:
    """What the colours (or characters) of the unit maps and weights mean."""
    text = Text(no_wrap=True, overflow="ellipsis")
    for label, (chars, style) in (("−", region_sample(palette, 0, False)), ("0", unsure_sample(palette)),
                                  ("+", region_sample(palette, 1, False))):
        text.append(chars, style)
        text.append(f"{label} ")
    if palette.coloured:
        text.append(" W ")
        text.append("█", cell_style(palette.region(1, palette.steps - 1), None))
        text.append("+ ")
        text.append("█", cell_style(palette.negative, None))
        text.append("−")
    else:
        text.append(" W +# −=")
    return text


def units_text(view: UnitMapsView, palette: MapPalette) -> Group:
    """Every shown layer's unit maps in rows of tiles, then the legend."""
    parts: list[Text] = []
    for layer, shown in zip(view.layers, view.layout.shown):
        parts.extend(_layer_block(layer, shown, view, palette))
    return Group(*parts)
