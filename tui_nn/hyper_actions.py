"""The trainer app's hyperparameter keys: the editor (``h``), train more (``t``) and the
learning-rate shortcuts (``+``/``-``).

A mixin for ``TuiNNApp``. The learning rate, the iteration budget and the evaluation
interval change without a reset (the training worker takes them before its next step);
any other edit goes through the app's ``_confirm_change``, which asks before a reset
when there is progress to lose.
"""

from __future__ import annotations

from dataclasses import replace

from tui_nn import edits
from tui_nn.config import RunConfig
from tui_nn.experiment import check_fits_data
from tui_nn.recipes import recipe_for
from tui_nn.training import set_budget
from tui_nn.widgets.hyper_dialog import EditorAnswer, HyperparameterEditor
from tui_nn.widgets.train_more_dialog import TrainMoreDialog

TRAIN_MORE_DEFAULT = 1000
"""Iterations the train-more dialog offers to add."""


class HyperActions:
    """``h`` the hyperparameter editor, ``t`` train more, ``+``/``-`` learning rate x2 and /2, ``n`` new seed."""

    def action_edit_hyper(self) -> None:
        recipe = recipe_for(self.config.dataset)
        source = self.experiment.source_dataset
        editor = HyperparameterEditor(self.config, self.trainer.iteration,
                                      recipe.apply(self.config) if recipe else None, recipe.source if recipe else "",
                                      check=lambda cfg: check_fits_data(cfg, source))
        self.push_screen(editor, self._hyper_edited)

    def _hyper_edited(self, answer: EditorAnswer | None) -> None:
        if answer is None:
            return
        if answer.open_data:
            self.action_edit_data()
        elif answer.config is not None:
            if edits.resets_training(self.config, answer.config):
                self._confirm_change(answer.config)
            else:
                self._apply_live(answer.config)

    def _apply_live(self, cfg: RunConfig) -> None:
        """Take ``cfg``'s learning rate, iteration budget and evaluation interval without a reset."""
        self.experiment = replace(self.experiment, config=cfg)
        if self.training is not None:  # the worker applies them before its next step
            self.training.set_learning_rate(cfg.learning_rate)
            self.training.set_budget(cfg.iterations, cfg.eval_every)
        else:
            self.trainer.learning_rate = cfg.learning_rate
            set_budget(self.trainer, cfg.iterations, cfg.eval_every)
        self._model_pane.learning_rate = cfg.learning_rate
        self._model_pane.experiment = self.experiment
        if self._layers_pane.context is not None:
            self._layers_pane.context = replace(self._layers_pane.context, learning_rate=cfg.learning_rate)
        self._status.total = cfg.iterations
        if self.state in ("finished", "converged") and self.trainer.iteration < cfg.iterations:
            self.state = "paused"

    def action_new_seed(self) -> None:
        self._confirm_change(self.config.with_changes(seed=(self.config.seed + 1) % 2**32))

    def action_learning_rate(self, up: bool) -> None:
        # The config holds the rate last asked for; the worker applies it before its next step.
        lr = edits.scale_learning_rate(self.config.learning_rate, up)
        self._apply_live(self.config.with_changes(learning_rate=lr))

    def action_train_more(self) -> None:
        done, budget = self.trainer.iteration, self.config.iterations
        self.push_screen(TrainMoreDialog(done, budget, TRAIN_MORE_DEFAULT), self._train_more)

    def _train_more(self, more: int | None) -> None:
        if not more:
            return
        self._apply_live(edits.train_more(self.config, self.trainer.iteration, more))
        if self.state != "running":
            self._start()
