"""Terminal-size handling shared by the trainer and the watcher: wide, narrow (one pane at a time) or too small."""

from __future__ import annotations

from typing import Sequence

from textual.screen import Screen
from textual.widget import Widget

PANES = ("model-pane", "cost-plot", "layers-pane", "boundary-pane")
PANE_TITLES = ("Model", "Cost", "Layers", "Decision boundary")
NARROW_WIDTH, NARROW_HEIGHT = 100, 30
MIN_WIDTH, MIN_HEIGHT = 40, 12


def apply_size(screen: Screen, panes: Sequence[Widget], shown: int, width: int, height: int,
               lower: str = "layers-pane") -> None:
    """Set the screen's ``-narrow``/``-tiny`` classes for this size and mark the shown pane;
    ``-lower-shown`` when it is the pane below the top row (id ``lower``), so the empty top row goes."""
    screen.set_class(width < MIN_WIDTH or height < MIN_HEIGHT, "-tiny")
    screen.set_class(width < NARROW_WIDTH or height < NARROW_HEIGHT, "-narrow")
    for i, pane in enumerate(panes):
        pane.set_class(i == shown, "-shown")
    screen.set_class(panes[shown].id == lower, "-lower-shown")
