"""The Data dialog: a generated set's m, noise and seed, the dev set's share, and the input features.

Every value is typed and checked as a config value (``tui_nn.widgets.form``): a bad
one stays in the dialog with an error under its field that names the field and the
allowed range. Keys that do not apply to the data on screen are shown disabled with
the reason. Dismisses with the new ``RunConfig``, or None when nothing changed.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from tui_nn.config import MAX_DEV_FRACTION, MAX_M, MIN_DEV_FRACTION, MIN_M, RunConfig
from tui_nn.datasets import BUILTINS, FEATURES, Dataset
from tui_nn.safe_text import printable
from tui_nn.widgets.form import FieldSpec, FormDialog, FormField, read_config

DATA_KEYS = ("m", "noise", "data_seed", "dev_fraction")
"""Keys that change the data itself (a new draw or split); ``features`` only changes what the network sees."""


def data_fields(config: RunConfig, dataset: Dataset) -> list[FieldSpec]:
    """The dialog's fields for ``config`` on ``dataset`` (the data as loaded), with defaults and
    the reason a field does not apply."""
    info = BUILTINS.get(config.dataset)
    generated = "" if info is not None and info.adjustable else "generated sets only"
    from_test = dataset.provenance.get("dev") == "test set"
    m, noise, seed = (dataset.provenance.get(k) for k in ("m", "noise", "seed"))
    return [
        FieldSpec("m", "m (train)", f"{MIN_M}-{MAX_M}", f"{m} (default)" if info and m is not None else "", generated),
        FieldSpec("noise", "noise", ">= 0", f"{info.default_noise:g} (default)" if info and info.adjustable else "",
                  generated),
        FieldSpec("data_seed", "data seed", f"0-{2**32 - 1001}",
                  f"{info.default_seed} (default)" if info and info.adjustable else "", generated),
        FieldSpec("dev_fraction", "dev fraction", f"{MIN_DEV_FRACTION:g}-{MAX_DEV_FRACTION:g}", "0.2 (default)",
                  "the dev set is the test set" if from_test else ""),
        FieldSpec("features", "features", "comma list", "x1, x2 (default)",
                  "" if dataset.n_x == 2 else "2-feature data only"),
    ]


class DataDialog(FormDialog[RunConfig | None]):
    """Edit the data fields of ``config``; enter applies, escape cancels, ctrl+n draws anew."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+n", "new_draw", "New draw"),
    ]

    def __init__(self, config: RunConfig, dataset: Dataset) -> None:
        super().__init__()
        self.config = config
        self.specs = data_fields(config, dataset)
        self._dataset_name = printable(dataset.name, 40)
        self._seed = dataset.provenance.get("seed")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="data-dialog"):
            yield Static(f"[b]Data[/b]: {self._dataset_name.replace('[', '[[')}")
            for spec in self.specs:
                yield FormField(spec, getattr(self.config, spec.key))
            yield Static(f"features: {' '.join(FEATURES)}", classes="hint", markup=False)
            yield Static("enter apply · escape cancel · ctrl+n new draw (seed + 1)", classes="hint", markup=False)

    def action_apply(self) -> None:
        """Check every field; dismiss with the new config, or show the errors and stay."""
        config, errors = read_config(self.config, self.fields)
        self.show_errors(errors)
        if config is not None:
            self.dismiss(None if config == self.config else config)

    def action_new_draw(self) -> None:
        """The next data seed, for a fresh draw of the same generated set."""
        field = self.query_one("#field-data_seed", FormField)
        if field.spec.disabled:
            return
        text = field.text.strip()
        current = int(text) if text.isdigit() else (self._seed if isinstance(self._seed, int) else 0)
        field.text = str(current + 1)

    def action_cancel(self) -> None:
        self.dismiss(None)
