"""The hyperparameter editor: every training field of the run config, typed.

Learning rate, iterations, evaluation interval, the hidden layers (units and
activations as comma lists; ``none`` for logistic regression), output, initialisation
and its scale, seed, optimiser and its betas, mini-batch size, L2, dtype and the output
folder. Each value is parsed as its command-line flag is and checked as a config value
(``tui_nn.widgets.form``): a bad one stays in the dialog with an error under its field
that names the field and the allowed range. The data fields live in the Data dialog,
which ``ctrl+t`` opens from here. Dismisses with an ``EditorAnswer``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from tui_nn.config import MAX_HIDDEN_LAYERS, MAX_ITERATIONS, MAX_UNITS, RunConfig
from tui_nn.core import HIDDEN_ACTIVATIONS, INIT_SCHEMES, OPTIMIZERS, OUTPUTS
from tui_nn.edits import fit_activations, resets_training
from tui_nn.safe_text import markup_safe, printable
from tui_nn.widgets.form import FieldSpec, FormDialog, FormField, default_of, read_config, show_value

EDITOR_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("learning_rate", "learning rate", "> 0, no reset"),
    FieldSpec("iterations", "iterations", f"1-{MAX_ITERATIONS}, no reset"),
    FieldSpec("hidden", "hidden units", f"20,7,5 (1-{MAX_UNITS}, ≤{MAX_HIDDEN_LAYERS}) or none"),
    FieldSpec("activations", "activations", " ".join(HIDDEN_ACTIVATIONS)),
    FieldSpec("output", "output", " ".join(OUTPUTS), "from the data (default)"),
    FieldSpec("init", "init", " ".join(INIT_SCHEMES)),
    FieldSpec("init_scale", "init scale", "> 0 (random init)"),
    FieldSpec("seed", "seed", f"0-{2**32 - 1}"),
    FieldSpec("optimizer", "optimiser", " ".join(OPTIMIZERS)),
    FieldSpec("beta1", "beta1", "0 ≤ β1 < 1 (momentum, adam)"),
    FieldSpec("beta2", "beta2", "0 ≤ β2 < 1 (adam)"),
    FieldSpec("batch_size", "mini-batch", "≥ 1; empty: whole set", "whole set (default)"),
    FieldSpec("l2", "L2 lambda", "≥ 0"),
    FieldSpec("dtype", "dtype", "float64 float32"),
    FieldSpec("eval_every", "eval every", "≥ 1 iterations, no reset"),
    FieldSpec("out", "run folder", "tui-nn train's, no reset"),
)
"""The editor's fields, in the order shown."""


@dataclass(frozen=True)
class EditorAnswer:
    """What the editor was closed with: a new ``config`` (None: unchanged or cancelled), or
    ``open_data`` to go on to the Data dialog."""

    config: RunConfig | None = None
    open_data: bool = False


class HyperparameterEditor(FormDialog[EditorAnswer]):
    """Edit ``config``'s training fields. ``done`` is the steps the run has taken: without a
    reset, the iteration budget cannot go below it. ``recipe`` (a config) fills in the dataset's
    recommended settings on ctrl+r. ``check`` raises ``ConfigError`` for a config the data on screen
    cannot take."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+t", "open_data", "Data dialog"),
        Binding("ctrl+r", "fill_recipe", "Recommended"),
    ]

    def __init__(self, config: RunConfig, done: int = 0, recipe: RunConfig | None = None, recipe_note: str = "",
                 check: Callable[[RunConfig], None] | None = None) -> None:
        super().__init__()
        self.config = config
        self.check = check
        """Raises ``ConfigError`` for a config the data on screen cannot take (an output that does not fit)."""
        self.done = done
        self.recipe = recipe
        self.recipe_note = recipe_note

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog editor", id="hyper-dialog"):
            yield Static(f"[b]Hyperparameters[/b]: {printable(self.config.dataset, 40).replace('[', '[[')}"
                         f"  ({self.done} iterations done)")
            with VerticalScroll(id="hyper-fields"):
                for spec in EDITOR_FIELDS:
                    default = spec.placeholder or f"{show_value(default_of(spec.key))} (default)"
                    yield FormField(replace(spec, placeholder=default), getattr(self.config, spec.key))
            recipe = "ctrl+r recommended · " if self.recipe is not None else ""
            yield Static(f"enter apply · esc cancel · {recipe}ctrl+t data dialog",
                         classes="hint", markup=False)
            yield Static("Other fields reset training (asked first after progress).", classes="hint", markup=False)

    def action_apply(self) -> None:
        """Check every field; dismiss with the new config, or show the errors and stay."""
        form = self.fields
        config, errors = read_config(self.config, form, fit_activations, self.check)
        if config is not None and not resets_training(self.config, config) and config.iterations < self.done:
            errors = {"iterations": f"iterations: the run has taken {self.done} steps; give at least {self.done}, "
                                    f"or reset (r) first"}
            config = None
        self.show_errors(errors)
        if config is not None:
            self.dismiss(EditorAnswer(None if config == self.config else config))

    def action_fill_recipe(self) -> None:
        """Put the dataset's recommended settings in the fields (enter applies them)."""
        if self.recipe is None:
            return
        for f in self.fields:
            f.text = show_value(getattr(self.recipe, f.spec.key))
        if self.recipe_note:
            self.notify(markup_safe(self.recipe_note), title="Recommended settings", timeout=8)

    def action_open_data(self) -> None:
        self.dismiss(EditorAnswer(open_data=True))

    def action_cancel(self) -> None:
        self.dismiss(EditorAnswer())
