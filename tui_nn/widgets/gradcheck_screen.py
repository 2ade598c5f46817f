"""The gradient-check dialog: relative error of backprop per layer."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.css.query import NoMatches
from textual.widgets import Static

from tui_nn.core import GradCheckResult, gradient_check
from tui_nn.experiment import Experiment
from tui_nn.widgets.dialog import Dialog

THRESHOLD = 2e-7
"""The course's threshold: above it, backpropagation probably has a mistake."""
EXAMPLES, ENTRIES = 32, 20
"""The check uses the first 32 training examples and up to 20 entries per array."""


def check_gradients(experiment: Experiment, parameters: dict) -> tuple[GradCheckResult, str]:
    """Gradient check of the experiment's network at ``parameters``; returns the result and a note."""
    ds, spec = experiment.dataset, experiment.spec
    m = min(ds.m_train, EXAMPLES)
    X, Y = ds.X_train[:, :m], ds.targets(ds.Y_train)[:, :m]
    result = gradient_check(X, Y, parameters, spec, experiment.config.l2, max_entries=ENTRIES)
    return result, f"{m} examples, up to {ENTRIES} entries per array"


def gradcheck_table(result: GradCheckResult) -> Table:
    """Layer, relative error and a verdict against 1e-7."""
    table = Table(box=None, padding=(0, 2))
    table.add_column("layer", justify="right")
    table.add_column("relative error", justify="right")
    table.add_column("")
    for layer, err in result.per_layer().items():
        ok = err < THRESHOLD
        table.add_row(str(layer), f"{err:.2e}", "[green]ok[/]" if ok else "[red]check backprop[/]")
    table.add_row("all", f"{result.relative_error:.2e}", "[green]ok[/]" if result.relative_error < THRESHOLD else "[red]too large[/]")
    return table


class GradCheckScreen(Dialog[None]):
    """Shows a result, or a "checking..." line until ``show_result`` is called.

    The check runs in a worker, so its result may come before the dialog is
    mounted (kept and shown on mount) or after it was closed (dropped).
    """

    BINDINGS = [Binding("escape,enter,c", "dismiss", "Close")]

    def __init__(self) -> None:
        super().__init__()
        self._body: object = "checking…"
        self._hint = "escape: close"

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("[b]Gradient check[/b]  central differences, float64")
            yield Static(self._body, id="gradcheck-body")
            yield Static(self._hint, classes="hint")

    def show_result(self, result: GradCheckResult, note: str) -> None:
        """Replace the placeholder with the per-layer errors."""
        self._show(gradcheck_table(result), f"{note}   escape: close" if note else self._hint)

    def show_error(self, message: str) -> None:
        self._show(f"[red]{message}[/]", self._hint)

    def on_mount(self) -> None:
        self._show(self._body, self._hint)

    def _show(self, body: object, hint: str) -> None:
        if self.answered:  # closed before the check finished
            return
        self._body, self._hint = body, hint
        try:
            shown = self.query_one("#gradcheck-body", Static), self.query_one(".hint", Static)
        except NoMatches:
            return  # not composed yet: compose shows what is stored
        shown[0].update(body)
        shown[1].update(hint)
