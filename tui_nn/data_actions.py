"""The trainer app's data keys: pick a dataset (``d``) and edit the data and input features (``D``).

Picking a data set with recommended settings (``tui_nn.recipes``) offers them first.

A mixin for ``TuiNNApp``: a new draw or split goes through the app's ``_open_config``
(which loads off the UI thread), a change of input features alone through
``_confirm_change`` (same data); both ask before a reset when there is progress to lose.
"""

from __future__ import annotations

from tui_nn.config import RunConfig
from tui_nn.datasets import BUILTINS
from tui_nn.recipes import differs, recipe_for
from tui_nn.safe_text import printable
from tui_nn.widgets.confirm_screen import ConfirmScreen
from tui_nn.widgets.data_dialog import DATA_KEYS, DataDialog
from tui_nn.widgets.dataset_picker import DatasetPicker

FILE_KEYS = ("label", "layout")
"""Keys that belong to one file: a new dataset starts without them."""


def config_for_dataset(config: RunConfig, choice: str) -> RunConfig:
    """``config`` on another dataset, with that dataset's own defaults for the data keys; input
    features are kept for a generated set (all are 2-D), dropped otherwise."""
    keep_features = choice in BUILTINS and BUILTINS[choice].adjustable
    cleared = {key: None for key in (*DATA_KEYS, *FILE_KEYS)}
    return config.with_changes(dataset=choice, **cleared, features=config.features if keep_features else None)


class DataActions:
    """``d`` dataset picker, ``D`` the Data dialog (m, noise, data seed, dev fraction, features)."""

    def action_pick_dataset(self) -> None:
        self.push_screen(DatasetPicker(self.config.dataset), self._dataset_chosen)

    def _dataset_chosen(self, choice: str | None) -> None:
        if choice:
            self._offer_recipe(config_for_dataset(self.config, choice))

    def _offer_recipe(self, cfg: RunConfig) -> None:
        """Open ``cfg``'s dataset, first offering its recommended settings when it has some that
        differ from the current ones: y applies them, n (or escape) keeps the current settings."""
        recipe = recipe_for(cfg.dataset)
        if recipe is None or not differs(recipe, cfg):
            self._open_config(cfg)
            return
        question = (f"Recommended for {printable(cfg.dataset, 60)}: {recipe.describe()}.\n{recipe.source}\n\n"
                    "Apply these settings (y), or keep the current ones (n)?")
        self.push_screen(ConfirmScreen(question), lambda yes: self._open_config(recipe.apply(cfg) if yes else cfg))

    def action_edit_data(self) -> None:
        self.push_screen(DataDialog(self.config, self.experiment.source_dataset), self._data_edited)

    def _data_edited(self, cfg: RunConfig | None) -> None:
        if cfg is None:
            return
        if any(getattr(cfg, key) != getattr(self.config, key) for key in DATA_KEYS):
            self._open_config(cfg)  # new data: drawn or split afresh
        else:
            self._confirm_change(cfg)  # the same data through other input features
