"""The synchronous trainer: a generator that takes one gradient step per ``next()``.

It never prints, sleeps or starts threads; a caller that stops consuming
``run()`` stops training. Every yielded ``StepResult`` is frozen.
"""

from __future__ import annotations

import math
import threading
from typing import Iterator, Mapping

import numpy as np

from .activations import get_activation
from .costs import compute_cost, l2_cost, untrained_cost
from .divergence import Divergence, bad_update, cost_blowup, nonfinite_cost
from .flat_optimizers import flat_optimizer
from .first_layer_inplace import FirstLayerInPlace
from .flatparams import FlatParameters
from .fused_outputs import all_binary
from .fused_step import Batch, FusedNetwork, run_ops, with_ones_row
from .metrics import accuracy_from_output
from .network import NetworkSpec, check_parameters
from .propagation import model_forward
from .run_types import CONVERGED, DIVERGED, FINISHED, RUNNING, StepResult, TrainConfig, quick_result
from .shapes import check_xy
from .stats import LayerStats, OutputSample, sample_columns, statistics_from_outputs

_get_ident = threading.get_ident


class _Diverged(Exception):
    """Raised inside a step to end it; carries where it diverged and the cost seen."""

    def __init__(self, divergence: Divergence, cost: float) -> None:
        self.divergence = divergence
        self.cost = cost


class Trainer:
    """Trains ``parameters`` of ``spec`` on ``X (n_x, m)``, ``Y (n_y, m)``.

    ``learning_rate`` and ``num_iterations`` may be changed between steps.

    Parameters and threads: the trainer keeps two parameter sets and writes each
    update into the one not in use, then switches (the other keeps the last good
    parameters until the next update). Gradient descent on a wide first layer
    (``first_layer_inplace``) instead updates the current set in place; the other
    set is then a checkpoint, and a log of the updates since gives the last good
    parameters back bit for bit. ``parameters`` gives read-only views of
    the current set, valid until the next step, and only to the thread that
    steps the trainer (any other thread gets a ``RuntimeError``); another thread
    calls ``parameters_copy()``, which takes a consistent copy even while the
    trainer steps. The caller's own arrays are copied in and never modified.
    """

    def __init__(
        self,
        spec: NetworkSpec,
        parameters: Mapping[str, np.ndarray],
        X: np.ndarray,
        Y: np.ndarray,
        config: TrainConfig = TrainConfig(),
        X_dev: np.ndarray | None = None,
        Y_dev: np.ndarray | None = None,
    ) -> None:
        check_parameters(dict(parameters), spec)
        self.spec = spec
        self.config = config
        self.X, self.Y = check_xy(X, Y, spec.n_x, spec.n_y)
        self.X_dev = self.Y_dev = None
        if X_dev is not None and Y_dev is not None:
            self.X_dev, self.Y_dev = check_xy(X_dev, Y_dev, spec.n_x, spec.n_y)
        self.learning_rate = config.learning_rate
        self.num_iterations = config.num_iterations
        self.iteration = 0
        self.first_cost: float | None = None
        self.last_cost: float | None = None
        self.status = RUNNING
        self._eval_requested = False
        self._stats_requested = False
        dtype = self.X.dtype
        dims = spec.layer_dims
        self._cur = FlatParameters(dims, dtype)
        self._cur.load(parameters)
        self._other = FlatParameters(dims, dtype)
        self._other_is_previous = False
        """Whether ``_other`` holds the parameters the current ones were made from."""
        self._grads = FlatParameters(dims, dtype, prefix="d")
        self._update_into = flat_optimizer(
            config.optimizer, self._cur.flat.size, dtype, config.beta1, config.beta2, config.epsilon
        )
        self._scale_by_lr = self._update_into.scales_by_learning_rate
        self._lambd = config.lambd
        self._lock = threading.Lock()
        """Held while an update is written and the sets switch, and while another thread copies."""
        self._stepping_thread: int | None = None
        self._kept: list[OutputSample] | None = None
        """Samples of the last batch's hidden outputs ``A[l]``, when statistics need them."""
        self._shuffle_rng = np.random.RandomState(config.shuffle_seed)
        Y = np.ascontiguousarray(self.Y)
        self._net = FusedNetwork(spec, dtype, spec.output == "sigmoid" and all_binary(Y), self._grads)
        self._blowup_above = -math.inf
        """Costs from here up are checked (``_check_cost``): a blow-up, once the first cost is known."""
        m = self.X.shape[1]
        full_batch = config.batch_size is None or config.batch_size >= m
        wide = full_batch and self._scale_by_lr and not config.lambd and FirstLayerInPlace.suits(dims, m)
        # A wide first layer's inputs are stored example by example (see ``with_ones_row``).
        self._X1 = with_ones_row(spec.n_x, m, dtype, example_major=wide)
        if full_batch:
            self._X1[:-1] = self.X
            self._whole: Batch | None = self._net.batch(self._X1, Y)
        else:
            # Each epoch shuffles into the same buffers, so the batches (views) are made once.
            self._whole = None
            self._Y_shuffled = np.zeros_like(Y)  # not empty: the batches read it once when made (a NaN warns)
            size = config.batch_size
            self._batches = [
                self._net.batch(self._X1[:, k : k + size], self._Y_shuffled[:, k : k + size]) for k in range(0, m, size)
            ]
        self._inplace = FirstLayerInPlace.for_trainer(self._X1, self._grads, self._cur) if wide else None
        """Gradient descent's wide first layer updated in place (``first_layer_inplace``), where that pays."""
        self._first_pending = False
        """Whether the gradient buffer still lacks the first layer's block (an in-place step skips it)."""

    @property
    def parameters(self) -> Mapping[str, np.ndarray]:
        """The last good parameters: read-only views, valid until the next step, for the stepping thread only."""
        owner = self._stepping_thread
        if owner is not None and owner != threading.get_ident():
            raise RuntimeError(
                "Trainer.parameters is for the thread that steps the trainer; use parameters_copy() from other threads"
            )
        return self._cur.readonly

    def parameters_copy(self) -> dict[str, np.ndarray]:
        """Independent copies of the parameters, consistent and safe from any thread, even mid-step."""
        with self._lock:
            return self._cur.copy_out()

    def request_evaluation(self) -> None:
        """Make the next step compute train/dev accuracy and dev cost, whatever ``eval_every`` says."""
        self._eval_requested = True

    def request_statistics(self) -> None:
        """Make the next step compute per-layer statistics, whatever ``stats_every`` says."""
        self._stats_requested = True

    def run(self) -> Iterator[StepResult]:
        """Yield one result per step until the budget, convergence or divergence ends the run."""
        while self.iteration < self.num_iterations:
            result = self.step()
            yield result
            if result.done:
                return

    def step(self) -> StepResult:
        """Take one step (one epoch); returns its frozen result."""
        self._stepping_thread = _get_ident()
        i = self.iteration
        lr = self.learning_rate
        cfg = self.config
        last = i + 1 >= self.num_iterations
        every = cfg.stats_every
        stats_foreseen = self._stats_requested or (every and (i % every == 0 or last))
        try:
            batch = self._whole
            if batch is not None:
                before = self._cur
                cost = self._quiet_update(i, lr, batch, stats_foreseen)
            else:
                cost, batch, before = self._minibatch_epoch(i, lr, stats_foreseen)
        except _Diverged as d:
            self.status = DIVERGED
            return StepResult(i, d.cost, lr, DIVERGED, None, None, None, None, d.divergence)
        self.iteration = i + 1
        tolerance, previous = cfg.cost_tolerance, self.last_cost
        if tolerance is not None and previous is not None and abs(previous - cost) < tolerance:
            status = CONVERGED
        else:
            status = FINISHED if last else RUNNING
        self.last_cost = cost
        self.status = status
        want_eval = self._eval_requested or (cfg.eval_every and (i % cfg.eval_every == 0 or status != RUNNING))
        want_stats = stats_foreseen or (every and status != RUNNING)
        if not (want_eval or want_stats):
            return quick_result(i, cost, lr, status)
        self._eval_requested = self._stats_requested = False
        train_acc, dev_acc, dev_cost = self._evaluate() if want_eval else (None, None, None)
        if want_stats and before is self._cur:  # updated in place: only a step without statistics foreseen
            before = self._previous_parameters()
        stats = self._statistics(batch, before, self._kept if stats_foreseen else None) if want_stats else None
        return StepResult(i, cost, lr, status, train_acc, dev_acc, dev_cost, stats, None)

    @np.errstate(all="ignore")  # overflow is detected and reported, so NumPy's warnings are silenced
    def _minibatch_epoch(self, i: int, lr: float, keep_outputs: bool) -> tuple[float, Batch, FlatParameters]:
        """One update per mini-batch; returns the epoch's mean cost, the last batch and the parameters it was taken at."""
        m = self.X.shape[1]
        perm = self._shuffle_rng.permutation(m)  # the columns shuffled as random_mini_batches does
        np.take(self.X, perm, axis=1, out=self._X1[:-1])
        np.take(self.Y, perm, axis=1, out=self._Y_shuffled)
        total = 0.0
        for batch in self._batches:
            batch.output.refresh()
            before = self._cur
            total += self._update(i, lr, batch, keep_outputs) * batch.ws.m
        return total / m, batch, before

    def _update(self, i: int, lr: float, batch: Batch, keep_outputs: bool) -> float:
        """Forward, divergence checks, backward and one optimiser update on one batch; returns its cost."""
        P = self._cur
        plan = batch.plans.get(P) or self._net.plan(P, batch)
        output = batch.output
        scale = -lr if self._scale_by_lr else 1.0
        if output.scale != scale:
            output.set_scale(scale)
        for f, args in plan.forward:  # run_ops, inline: this is the hot path
            f(*args)
        cost = output(plan.ZL, plan.dZL)
        lambd = self._lambd
        if lambd:
            cost += l2_cost(P.views, lambd, batch.ws.m, self.spec.L)
        if not cost < self._blowup_above:  # the first step, a blow-up, NaN or infinity
            self._check_cost(i, cost, P, plan, batch)
        if keep_outputs:
            self._kept = self._net.hidden_outputs(batch)
        self._first_pending = in_place = self._inplace is not None and not keep_outputs
        for f, args in plan.head if in_place else plan.backward:
            f(*args)
        if lambd:
            self._net.add_l2(P, lambd, batch.ws.m, scale)
        new, G = self._other, self._grads.flat
        with self._lock:
            if self._inplace is not None:
                self._update_first_in_place(i, cost, P, plan.first, new if keep_outputs else P)
                return cost
            if self._scale_by_lr:
                np.add(P.flat, G, new.flat)  # gradient descent: G holds -lr dW already
            else:
                self._update_into(P.flat, G, lr, new.flat)
            # A non-finite gradient always makes the updated parameters non-finite, so one
            # sum over all of them is the whole check on the way that does not diverge.
            if not math.isfinite(np.add.reduce(new.flat, None)) and not np.isfinite(new.flat).all():
                self._other_is_previous = False
                raise _Diverged(bad_update(i, new.views, self._grads.views), cost)
            self._cur, self._other = new, P
            self._other_is_previous = True
        return cost

    def _update_first_in_place(self, i: int, cost: float, P: FlatParameters, first, out: FlatParameters) -> None:
        """Gradient descent through ``FirstLayerInPlace``: into ``P`` itself, or into the other set
        when ``out`` is that (a step with statistics, which compare the two); the lock is held."""
        inplace = self._inplace
        if not inplace.update(first, P, out, self._other):
            divergence = bad_update(i, out.views, self._gradients())
            if out is P:
                self._undo_last()
            else:
                inplace.count = 0
            raise _Diverged(divergence, cost)
        if out is not P:
            self._cur, self._other = out, P

    _quiet_update = np.errstate(all="ignore")(_update)
    """``_update`` with NumPy's floating-point warnings off (overflow is detected and reported)."""

    def _check_cost(self, i: int, cost: float, P: FlatParameters, plan, batch: Batch) -> None:
        """Raise ``_Diverged`` for a non-finite cost or a blow-up; remember the first cost."""
        if not math.isfinite(cost):
            divergence = nonfinite_cost(i, cost, batch.X, batch.Y, P.views, self.spec.activations)
            self._revert()  # P itself is bad: keep the step before it
            raise _Diverged(divergence, cost)
        if self.first_cost is None:
            self.first_cost = cost
            self._blowup_above = self.config.divergence_factor * self._cost_scale()
        elif cost > 1e-12:
            run_ops(plan.backward)
            self._first_pending = False
            if self.config.lambd:
                self._net.add_l2(P, self.config.lambd, batch.ws.m, batch.output.scale)
            divergence = self._blowup(i, cost, P)
            self._revert()
            raise _Diverged(divergence, cost)

    def _revert(self) -> None:
        """Go back to the parameters the current ones were made from (if there are any)."""
        with self._lock:
            self._undo_last()

    def _undo_last(self) -> None:
        """``_revert`` with the lock already held."""
        inplace = self._inplace
        if inplace is not None:
            if inplace.count and inplace.undo(self._cur, self._other):
                self._cur, self._other = self._other, self._cur
        elif self._other_is_previous:
            self._cur, self._other = self._other, self._cur
            self._other_is_previous = False

    def _previous_parameters(self) -> FlatParameters:
        """The parameters before the last update, when it was made in place (replayed into a new set)."""
        previous = FlatParameters(self.spec.layer_dims, self.X.dtype)
        self._inplace.previous_into(previous, self._other)
        return previous

    def _cost_scale(self) -> float:
        """What a cost blow-up is measured against: the first cost, or an untrained
        model's cost when that is larger (so a run that starts from trained weights,
        with a tiny first cost, is not stopped by an ordinary bump)."""
        return max(self.first_cost, untrained_cost(self.spec.output, self.spec.n_y))

    def _blowup(self, i: int, cost: float, P: FlatParameters) -> Divergence:
        scale = self._cost_scale()
        reference = "the first cost" if scale == self.first_cost else "an untrained model's cost"
        return cost_blowup(i, cost, P.views, self._gradients(), self.spec.L, self.config.divergence_factor, scale, reference)

    @np.errstate(all="ignore")
    def _evaluate(self) -> tuple[float | None, float | None, float | None]:
        """Train and dev accuracy and the dev cost of the parameters after the step (the final
        weights when it is the last): one forward pass over the training set and one over dev."""
        spec, P = self.spec, self._cur.views
        AL, _ = model_forward(self.X, P, spec.activations)
        train_acc = accuracy_from_output(AL, self.Y, spec.output)
        if self.X_dev is None:
            return train_acc, None, None
        AL_dev, caches = model_forward(self.X_dev, P, spec.activations)
        dev_cost = compute_cost(caches[-1].Z, self.Y_dev, spec.output)
        return train_acc, accuracy_from_output(AL_dev, self.Y_dev, spec.output), dev_cost

    @np.errstate(all="ignore")
    def _statistics(self, batch: Batch, before: FlatParameters, outputs: list | None) -> tuple[LayerStats, ...]:
        """Per-layer statistics of the step's last update (outputs recomputed if they were not kept)."""
        spec = self.spec
        if outputs is None:
            _, caches = model_forward(batch.X, before.views, spec.activations)
            outputs = [OutputSample.of(c.A, g) for c, g in zip(caches[:-1], spec.hidden_activations)]
        AL = get_activation(spec.output).forward(sample_columns(batch.ws.ZL))
        return statistics_from_outputs(before.views, self._cur.views, [*outputs, OutputSample(AL, None)],
                                       self._gradients(), spec.activations)

    def _gradients(self) -> dict[str, np.ndarray]:
        """The last batch's gradients ``dW1, db1, ...`` (the buffer holds them times the gradient scale)."""
        if self._first_pending:
            self._inplace.gradient_into(self._grads)
            self._first_pending = False
        scale = self._whole.output.scale if self._whole is not None else self._batches[-1].output.scale
        if scale == 1.0:
            return self._grads.views
        return {k: v / scale for k, v in self._grads.views.items()}
