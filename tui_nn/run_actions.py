"""The trainer app's run control keys: run, pause, one step, to the end, reset.

A mixin for ``TuiNNApp``: the app provides the trainer and its state, ``_ensure_training``
(the worker that steps it), the status line, ``_record_start`` (the runs history) and
``_switch_experiment`` (which asks before a reset loses progress).
"""

from __future__ import annotations


class RunActions:
    """``space`` run / pause, ``.`` one step, ``e`` to the end, ``r`` reset."""

    def _start(self, steps: int | None = None, fast: bool = False) -> None:
        if self.trainer.iteration >= self.config.iterations:
            self.notify(f"The run is complete ({self.trainer.iteration} iterations): t trains more, r resets it.")
            return
        if self.state == "diverged" and self.config.learning_rate >= self._diverged_at_lr:
            self.notify("The same step would diverge again: lower the learning rate (-) first, or reset (r).",
                        severity="warning")
            return
        self.state = "running"
        self._status.message = ""
        self._record_start()
        self._ensure_training().start(steps, fast)

    def action_run(self) -> None:
        self._start()

    def action_pause(self) -> None:
        if self.training is not None and self.state == "running":
            self.training.pause()
            self.state = "paused"
            self._status.rate = 0.0

    def action_step(self) -> None:
        if self.state != "running":
            self._start(steps=1)

    def action_run_to_end(self) -> None:
        self._start(fast=True)
        if self.state == "running":
            self._status.message = "running to the end: fewer screen updates"

    def action_reset(self) -> None:
        """Back to the same initial weights (the first cost repeats exactly); asks first after progress."""
        self._switch_experiment(self.experiment)
