"""The status line: state, iteration, cost, accuracies and speed."""

from __future__ import annotations

import math

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

STATE_STYLES = {
    # Badges (dark text on a colour) rather than coloured text: a dim cyan or green on the
    # status bar's dark background is unreadable once a 16-colour terminal downgrades it; not
    # bold, which many terminals draw as bright (grey) black.
    "ready": "bold",
    "running": "black on green",
    "paused": "black on yellow",
    "finished": "black on cyan",
    "converged": "black on cyan",
    "diverged": "bold white on red",
}


COMPACT_WIDTH = 80
"""Narrower than this, the status line uses short labels so the accuracies still fit."""


def _pct(x: float | None) -> str:
    return "  -  " if x is None else f"{x:6.1%}"


class StatusLine(Static):
    """One line; the app sets the attributes."""

    state: reactive[str] = reactive("ready")
    iteration: reactive[int] = reactive(0)
    """Steps taken so far."""
    total: reactive[int] = reactive(0)
    cost: reactive[float | None] = reactive(None)
    train_accuracy: reactive[float | None] = reactive(None)
    dev_accuracy: reactive[float | None] = reactive(None)
    test_accuracy: reactive[float | None] = reactive(None)
    """Shown only for data with a test split."""
    rate: reactive[float] = reactive(0.0)
    """Iterations per second."""
    message: reactive[str] = reactive("")

    def render(self) -> Text:
        compact = self.size.width < COMPACT_WIDTH
        t = Text(no_wrap=True, overflow="ellipsis")
        t.append(f" {self.state.upper():9}", STATE_STYLES.get(self.state, ""))
        t.append(f"{'' if compact else ' iter'} {self.iteration}/{self.total}")
        digits = 4 if compact else 6
        cost = "-" if self.cost is None else (f"{self.cost:.{digits}f}" if math.isfinite(self.cost) else str(self.cost))
        t.append(f"  J {cost}")
        train, dev, test = ("tr", "dv", "te") if compact else ("train", "dev", "test")
        t.append(f"  {train} {_pct(self.train_accuracy).strip()}  {dev} {_pct(self.dev_accuracy).strip()}")
        if self.test_accuracy is not None:
            t.append(f"  {test} {_pct(self.test_accuracy).strip()}")
        t.append(f"  {_speed(self.rate)}")
        if self.message:
            t.append(f"  {self.message}", "italic")
        return t


def _speed(rate: float) -> str:
    """Iterations per second, or seconds per iteration for slow nets (``0 it/s`` says nothing)."""
    if rate <= 0:
        return "- it/s"
    if rate < 1:
        return f"{1 / rate:.1f} s/it"
    return f"{rate:,.0f} it/s"
