"""The quick sweep form: a few fields of the current experiment; the one given several values is swept.

Values are typed as ``tui-nn sweep --vary`` reads them (``1,2,3,4,5,20,50``,
``log:0.01:1:5``) and checked like a sweep file before anything runs: an error stays in
the form under the field it names. Dismisses with the checked ``Plan``, or None.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from tui_nn.config import RunConfig
from tui_nn.core import INIT_SCHEMES
from tui_nn.quick_sweep import FIELDS, current_value, quick_plan
from tui_nn.runs.sweep_plan import Plan
from tui_nn.widgets.form import FieldSpec, FormDialog, FormField

HINTS = {
    "hidden": "e.g. 1,2,3,4,5,20,50",
    "activations": "e.g. tanh,relu,sigmoid",
    "learning_rate": "e.g. 0.1,1 or log:0.01:1:5",
    "init": ", ".join(INIT_SCHEMES),
    "l2": "e.g. 0,0.01,0.1",
    "seed": "e.g. 3,4,5",
    "iterations": "for each trial",
}


def sweep_field_specs(config: RunConfig, layer: int) -> list[FieldSpec]:
    """The form's fields: the selected hidden layer's units and activation, then the rest."""
    no_layer = "" if 1 <= layer <= len(config.hidden) else "no hidden layer"
    labels = {"hidden": f"units (layer {layer})", "activations": f"activation (layer {layer})",
              "learning_rate": "learning rate", "init": "initialisation", "l2": "L2", "seed": "seed",
              "iterations": "iterations"}
    return [FieldSpec(key, labels[key], HINTS[key], disabled=no_layer if key in ("hidden", "activations") else "")
            for key in FIELDS]


class QuickSweepDialog(FormDialog[Plan | None]):
    """Pick one field of ``config`` and its values; enter runs the sweep, escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, config: RunConfig, layer: int, dataset: Any = None) -> None:
        super().__init__()
        self.config = config
        self.hidden_layer = layer
        self.dataset = dataset
        self.specs = sweep_field_specs(config, layer)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="quick-sweep"):
            yield Static("[b]Quick sweep[/b]: give one field several values")
            for spec in self.specs:
                yield FormField(spec, current_value(self.config, spec.key, self.hidden_layer))
            yield Static("Each value trains in a worker process, as tui-nn sweep does; the runs fill the "
                         f"Compare view (C) and a sweep folder under {self.config.out}/.", classes="hint", markup=False)
            yield Static("enter run · escape cancel", classes="hint", markup=False)

    def action_apply(self) -> None:
        """Check the form like a sweep file; dismiss with the plan, or show the errors and stay."""
        texts = {f.spec.key: f.text for f in self.fields if not f.spec.disabled}
        plan, errors = quick_plan(self.config, self.hidden_layer, texts, self.dataset)
        self.show_errors(errors)
        if plan is not None:
            self.dismiss(plan)

    def action_cancel(self) -> None:
        self.dismiss(None)
