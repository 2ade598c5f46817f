"""Terminal-size handling shared by the trainer and the watcher: wide, narrow (one pane at a time) or too small."""

from __future__ import annotations

from typing import Sequence

from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget

PANES = ("model-pane", "cost-plot", "layers-pane", "boundary-pane")
PANE_TITLES = ("Model", "Cost", "Layers", "Decision boundary")
NARROW_WIDTH, NARROW_HEIGHT = 100, 30
MIN_WIDTH, MIN_HEIGHT = 40, 12

PANE_BINDINGS = [
    Binding(str(i + 1), f"show_pane({i})", f"{title} pane", show=False) for i, title in enumerate(PANE_TITLES)
]
"""Keys 1-4 pick the pane shown on a narrow terminal."""


def apply_size(screen: Screen, panes: Sequence[Widget], shown: int, width: int, height: int) -> None:
    """Set the screen's ``-narrow``/``-tiny`` classes for this size and mark the shown pane."""
    screen.set_class(width < MIN_WIDTH or height < MIN_HEIGHT, "-tiny")
    screen.set_class(width < NARROW_WIDTH or height < NARROW_HEIGHT, "-narrow")
    for i, pane in enumerate(panes):
        pane.set_class(i == shown, "-shown")
