"""The bridge between the core's trainer and the app: runs in a worker thread.

``TrainingDriver.loop`` consumes ``Trainer.run()`` one step at a time and
posts progress batched by time: the status and cost points at most ten times
a second, the layer statistics and the decision boundary about twice a
second. Pausing clears a ``threading.Event``; cancelling is the worker's job.
Only copies and frozen values leave this thread.
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from typing import Callable, Iterator

import numpy as np
from textual.message import Message

from tui_nn.core import StepResult, Trainer
from tui_nn.messages import BoundaryUpdate, Progress, StatsUpdate, TrainingStopped
from tui_nn.run_history import MAX_RUN_PARAMETERS
from tui_nn.views import BoundaryProbe, ViewRequest

PROGRESS_INTERVAL = 0.1
"""Seconds between status/cost-point messages (at most ten a second)."""
DETAIL_INTERVAL = 0.75
"""Seconds between statistics and boundary updates (between one and two a second)."""
FAST_DETAIL_INTERVAL = 2.0
"""The same while running to the end at full speed."""
DETAIL_BUDGET = 0.04
"""Details (statistics, accuracies and the boundary view) may cost at most this share of
training time: the driver measures what one update costs and spaces them accordingly
(``bench/detail_overhead.py`` measures the result)."""


class TrainingDriver:
    """Runs a trainer's steps on request, posting batched messages via ``post``.

    The UI thread calls ``start``, ``pause``, ``set_learning_rate``, sets
    ``view_request`` and reads ``running``; everything else happens in ``loop`` on
    the worker thread.
    """

    def __init__(
        self,
        trainer: Trainer,
        post: Callable[[Message], object],
        probe: BoundaryProbe | None = None,
        generation: int = 0,
        clock: Callable[[], float] = time.monotonic,
        test_score: Callable[[dict], float | None] | None = None,
    ) -> None:
        self.trainer = trainer
        self.post = post
        self.probe = probe
        self.generation = generation
        self.clock = clock
        self.test_score = test_score
        """Accuracy on the test split for given parameters, computed with each evaluation (or None)."""
        self._test_accuracy: float | None = None
        self.slowdown = 1.0
        """Multiplies every update interval (3 on a slow link)."""
        self.view_request = ViewRequest()
        """What the boundary pane shows and its size, set (replaced whole) by the UI."""
        self._running = threading.Event()
        self._lock = threading.Lock()
        self._steps_left: int | None = None
        self._pending_lr: float | None = None
        self._pending_budget: tuple[int, int] | None = None
        self.fast = False
        self._run: Iterator[StepResult] | None = None
        self._want_detail = True
        self._detailed_step = False
        """Whether the step being taken was asked for statistics and accuracies."""
        self._post_time = 0.0
        """Seconds the last boundary view took to compute."""
        self._last_stats: tuple | None = None
        self._stats_iteration = 0
        self._train_accuracy: float | None = None
        self._dev_accuracy: float | None = None
        self._reset_batch()

    # --- called from the UI thread -------------------------------------------------

    @property
    def running(self) -> bool:
        return self._running.is_set()

    def start(self, steps: int | None = None, fast: bool = False) -> None:
        """Run ``steps`` steps (None: until the run ends); ``fast`` updates details less often."""
        with self._lock:
            self._steps_left = steps
            self.fast = fast
        self._running.set()

    def pause(self) -> None:
        """Stop after the current step."""
        self._running.clear()

    def set_learning_rate(self, lr: float) -> None:
        """Apply a new learning rate before the next step, without a reset."""
        with self._lock:
            self._pending_lr = lr

    def set_budget(self, num_iterations: int, eval_every: int) -> None:
        """Apply a new iteration budget and evaluation interval before the next step, without a reset."""
        with self._lock:
            self._pending_budget = (num_iterations, eval_every)

    # --- the worker thread ----------------------------------------------------------

    def loop(self, is_cancelled: Callable[[], bool]) -> None:
        """Train while running until cancelled; idles (cheaply) while paused.

        Whenever training stops (a pause, a step request used up, the end of
        the run) the pending points and details are flushed and
        ``TrainingStopped`` is posted, so the screen shows the last step.
        """
        last_progress = last_detail = self.clock()
        latest: StepResult | None = None
        plain_time: float | None = None  # a step without details (moving average)
        detail_cost = 0.0  # what one detail update adds: the slower step and the boundary view
        while not is_cancelled():
            if not self._running.wait(0.05):
                if latest is not None:  # paused from the UI since the last step
                    self._flush(latest, self.clock() - last_progress)
                    latest = None
                    last_progress = last_detail = self.clock()
                continue
            started = self.clock()
            result = self._one_step()
            now = self.clock()
            took = now - started
            if not self._detailed_step:
                plain_time = took if plain_time is None else 0.8 * plain_time + 0.2 * took
            else:
                extra = took - (plain_time if plain_time is not None else 0.0)
                detail_cost = 0.5 * detail_cost + 0.5 * (max(extra, 0.0) + self._post_time)
            if result is None or result.done or self._count_step():
                self._running.clear()
                if result is not None:
                    self._flush(result, now - last_progress)
                else:
                    self.post(TrainingStopped(self.generation, latest))
                latest = None
                last_progress = last_detail = now
                continue
            latest = result
            if now - last_progress >= PROGRESS_INTERVAL * self.slowdown:
                self._post_progress(result, now - last_progress)
                last_progress = now
            interval = (FAST_DETAIL_INTERVAL if self.fast else DETAIL_INTERVAL) * self.slowdown
            if now - last_detail >= max(interval, detail_cost / DETAIL_BUDGET):
                self._post_details()
                last_detail = now

    def _flush(self, latest: StepResult, elapsed: float) -> None:
        """Post everything pending, then ``TrainingStopped`` with the weights (while small)."""
        self._post_progress(latest, elapsed)
        self._post_details()
        small = sum(v.size for v in self.trainer.parameters.values()) <= MAX_RUN_PARAMETERS
        self.post(TrainingStopped(self.generation, latest, self.trainer.parameters_copy() if small else None))

    def _one_step(self) -> StepResult | None:
        trainer = self.trainer
        with self._lock:
            if self._pending_lr is not None:
                trainer.learning_rate, self._pending_lr = self._pending_lr, None
            if self._pending_budget is not None:
                set_budget(trainer, *self._pending_budget)
                self._pending_budget = None
        if self._run is None:
            self._run = trainer.run()
        last = trainer.iteration + 1 >= trainer.num_iterations or self._steps_left == 1
        self._detailed_step = self._want_detail or last
        if self._detailed_step:  # the last step before a stop is always shown in full
            trainer.request_evaluation()
            trainer.request_statistics()
            self._want_detail = False
        try:
            result = next(self._run)
        except StopIteration:
            self._run = None
            return None
        if result.done:
            self._run = None
        self._record(result)
        return result

    def _count_step(self) -> bool:
        """Count one requested step; True when the request is used up."""
        with self._lock:
            if self._steps_left is None:
                return False
            self._steps_left -= 1
            return self._steps_left <= 0

    def _reset_batch(self) -> None:
        """Start collecting the next batch of cost points."""
        self._its: list[int] = []
        self._costs: list[float] = []
        self._dev_its: list[int] = []
        self._dev_costs: list[float] = []
        self._batch_start_iteration = self.trainer.iteration

    def _record(self, r: StepResult) -> None:
        self._its.append(r.iteration)
        self._costs.append(r.cost)
        if r.dev_cost is not None:
            self._dev_its.append(r.iteration)
            self._dev_costs.append(r.dev_cost)
        if r.layer_stats is not None:
            self._last_stats, self._stats_iteration = r.layer_stats, r.iteration
        if r.train_accuracy is not None:
            self._train_accuracy = r.train_accuracy
        if r.dev_accuracy is not None:
            self._dev_accuracy = r.dev_accuracy
        if r.train_accuracy is not None and self.test_score is not None:
            self._test_accuracy = self.test_score(self.trainer.parameters)  # the weights after this step

    def _post_progress(self, latest: StepResult, elapsed: float) -> None:
        steps = self.trainer.iteration - self._batch_start_iteration
        rate = steps / elapsed if elapsed > 0 else 0.0
        self.post(
            Progress(
                self.generation,
                np.array(self._its, dtype=np.int64),
                np.array(self._costs, dtype=np.float64),
                np.array(self._dev_its, dtype=np.int64),
                np.array(self._dev_costs, dtype=np.float64),
                latest,
                rate,
                self._train_accuracy,
                self._dev_accuracy,
                self._test_accuracy,
            )
        )
        self._reset_batch()

    def _post_details(self) -> None:
        if self._last_stats is not None:
            self.post(StatsUpdate(self.generation, self._last_stats, self._stats_iteration))
            self._last_stats = None
        if self.probe is not None:
            started = self.clock()
            # This thread steps the trainer, so it may read the trainer's own arrays; the
            # view it posts is new arrays computed from them.
            view = self.probe.compute(self.trainer.parameters, self.view_request)
            self._post_time = self.clock() - started
            if view is not None:
                self.post(BoundaryUpdate(self.generation, view))
        self._want_detail = True


def set_budget(trainer: Trainer, num_iterations: int, eval_every: int) -> None:
    """Give ``trainer`` a new iteration budget and evaluation interval between steps."""
    trainer.num_iterations = num_iterations
    if trainer.config.eval_every != eval_every:
        trainer.config = replace(trainer.config, eval_every=eval_every)
