"""The trainer app's step-through key: one training step shown equation by equation.

A mixin for ``TuiNNApp``: ``s`` pauses a run and opens the dialog on a copy of the
trainer's parameters; the dialog's ``Compute`` requests go to the app's worker
(``_compute_step``); "apply" takes the trainer's own ``.`` step, so the iteration
count, the cost plot and the optimiser's state all move as they would on ``.``.
"""

from __future__ import annotations

from typing import Mapping

import numpy as np

from tui_nn.step_request import StepRequest
from tui_nn.widgets.stepthrough_screen import StepThroughScreen


def same_parameters(a: Mapping[str, np.ndarray], b: Mapping[str, np.ndarray]) -> bool:
    """True when both hold the same keys and bit-identical arrays."""
    return a.keys() == b.keys() and all(np.array_equal(a[k], b[k]) for k in a)


class StepThroughActions:
    """``s``: step through the next training step; "apply" in the dialog takes it."""

    def action_step_through(self) -> None:
        self.action_pause()  # the dialog shows a step from parameters that stay put
        name = self.experiment.dataset.name
        request = StepRequest.for_trainer(self.trainer, self.config.learning_rate, name)
        self.push_screen(StepThroughScreen(request), self._apply_step)

    def on_step_through_screen_compute(self, msg: StepThroughScreen.Compute) -> None:
        self._compute_step(msg.dialog, msg.request)

    def _apply_step(self, request: StepRequest | None) -> None:
        if request is None:
            return
        if not same_parameters(request.parameters, self.trainer.parameters_copy()):
            # A step that was running when the dialog opened finished after the copy was taken.
            self.notify("The trainer's parameters changed after the step was computed, so it was not applied; "
                        "press s to see the step from the new parameters.", severity="warning", timeout=10)
            return
        self.action_step()
