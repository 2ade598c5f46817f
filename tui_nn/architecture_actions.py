"""The trainer app's architecture and hyperparameter keys: select a layer, add or remove it,
resize it, change its activation, the initialisation, the optimiser, the training dtype,
the seed and the learning rate.

A mixin for ``TuiNNApp``: each key turns the config into a new one with
``tui_nn.edits`` and hands it to the app's ``_confirm_change``, which asks
before a reset when there is progress to lose.
"""

from __future__ import annotations

from dataclasses import replace

from tui_nn import edits


class ArchitectureActions:
    """``↑``/``↓`` select, ``a``/``x`` add/remove, ``]``/``[`` units, ``g`` activation, ``i`` init,
    ``o`` optimiser, ``f`` float64/float32, ``n`` new seed, ``+``/``-`` learning rate."""

    def action_select_layer(self, delta: int) -> None:
        top = self.experiment.spec.L - 1
        if top >= 1:
            self.selected_layer = min(max(self.selected_layer + delta, 1), top)

    def action_add_layer(self) -> None:
        self._confirm_change(edits.add_layer(self.config, self.selected_layer))

    def action_remove_layer(self) -> None:
        self._confirm_change(edits.remove_layer(self.config, self.selected_layer))

    def action_units(self, delta: int) -> None:
        self._confirm_change(edits.resize_layer(self.config, self.selected_layer, delta))

    def action_cycle_activation(self) -> None:
        self._confirm_change(edits.cycle_activation(self.config, self.selected_layer))

    def action_cycle_init(self) -> None:
        self._confirm_change(edits.cycle_init(self.config))

    def action_cycle_optimizer(self) -> None:
        self._confirm_change(edits.cycle_optimizer(self.config))

    def action_cycle_dtype(self) -> None:
        self._confirm_change(edits.cycle_dtype(self.config))

    def action_new_seed(self) -> None:
        self._confirm_change(self.config.with_changes(seed=(self.config.seed + 1) % 2**32))

    def action_learning_rate(self, up: bool) -> None:
        # The config holds the rate last asked for; the worker applies it before its next step.
        lr = edits.scale_learning_rate(self.config.learning_rate, up)
        self.experiment = replace(self.experiment, config=self.config.with_changes(learning_rate=lr))
        if self.training is not None:
            self.training.set_learning_rate(lr)
        else:
            self.trainer.learning_rate = lr
        self._model_pane.learning_rate = lr
