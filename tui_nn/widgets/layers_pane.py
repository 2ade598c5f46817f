"""The Layers pane: live health of every layer, with warnings in words."""

from __future__ import annotations

from typing import Sequence

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from tui_nn.core import LayerStats
from tui_nn.diagnosis import InitContext, diagnose
from tui_nn.drawing import sparkline


def _health(s: LayerStats) -> str:
    if s.saturated is not None:
        return f"sat {s.saturated:4.0%}"
    if s.dead is not None:
        return f"dead {s.dead:4.0%}"
    return ""


HISTOGRAM_MIN_WIDTH = 100
"""Below this many columns the histograms are left out, so the numbers stay whole."""


def stats_table(stats: Sequence[LayerStats], width: int = 120) -> Table:
    """One row per layer: W and A mean/std, ||dW||, update ratio, health and (when wide) histograms."""
    histograms = width >= HISTOGRAM_MIN_WIDTH
    table = Table(box=None, padding=(0, 1), expand=True, show_edge=False)
    columns = [("l", "right"), ("g", "left"), ("W mean±std", "right"), ("A mean±std", "right"),
               ("||dW||", "right"), ("upd/W", "right"), ("health", "left")]
    if histograms:
        columns += [("W hist", "left"), ("A hist", "left")]
    for name, justify in columns:
        table.add_column(name, justify=justify, no_wrap=True)
    for s in stats:
        row = [
            str(s.layer),
            s.activation,
            f"{s.W.mean:+.3f}±{s.W.std:.3f}",
            f"{s.A.mean:+.3f}±{s.A.std:.3f}",
            f"{s.dW.norm:.2e}",
            f"{s.update_ratio:.1e}",
            _health(s),
        ]
        if histograms:
            row += [sparkline(s.W_hist.counts), sparkline(s.A_hist.counts)]
        table.add_row(*row)
    return table


class LayersPane(Static):
    """Per-layer statistics; the app sets ``stats``."""

    stats: reactive[tuple[LayerStats, ...] | None] = reactive(None)
    """The latest statistics from the worker (None before the first step)."""
    iteration: int = 0
    """The step the statistics come from (set before ``stats``)."""
    context: InitContext | None = None
    """How training started (fan-in, initial weights, inputs), so a warning can say what caused it."""
    cost_warning: reactive[str | None] = reactive(None)
    """A warning about the cost itself (it swings by orders of magnitude), or None."""

    def render(self) -> Group | Text:
        if not self.stats:
            return Text("Layer statistics appear once training starts (space: run, .: one step).", "dim")
        parts: list = [stats_table(self.stats, self.size.width)]
        warnings = diagnose(self.stats, self.iteration, self.context)
        for w in ([self.cost_warning] if self.cost_warning else []) + warnings:
            parts.append(Text(f"! {w}", "bold yellow"))
        return Group(*parts)
