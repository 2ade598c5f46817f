"""The synchronous trainer: a generator that takes one gradient step per ``next()``.

It never prints, sleeps or touches threads; a caller that stops consuming
``run()`` stops training. Every yielded ``StepResult`` is frozen.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterator, Mapping

import numpy as np

from .costs import compute_cost, l2_cost, untrained_cost
from .metrics import accuracy_from_output
from .network import NetworkSpec, check_parameters
from .optimizers import OPTIMIZERS, Optimizer, random_mini_batches
from .propagation import LayerCache, model_backward, model_forward
from .shapes import check_xy
from .stats import LayerStats, layer_statistics

RUNNING, FINISHED, CONVERGED, DIVERGED = "running", "finished", "converged", "diverged"


@dataclass(frozen=True)
class TrainConfig:
    """Hyperparameters of a run. ``batch_size=None`` is batch gradient descent.

    One step is one pass over the training set (one epoch): a single update
    for batch gradient descent, one update per mini-batch otherwise.
    """

    learning_rate: float = 0.0075
    num_iterations: int = 2500
    optimizer: str = "gd"
    batch_size: int | None = None
    lambd: float = 0.0
    beta1: float = 0.9
    beta2: float = 0.999
    epsilon: float = 1e-8
    shuffle_seed: int = 0
    cost_tolerance: float | None = None
    """Stop ("converged") when the cost changes by less than this between steps."""
    divergence_factor: float = 10.0
    """Stop ("diverged") when the cost exceeds this multiple of the first cost (or of an
    untrained model's cost, when that is larger)."""
    eval_every: int = 0
    """Compute train/dev accuracy (and dev cost) every this many steps; 0 never."""
    stats_every: int = 0
    """Compute per-layer statistics every this many steps; 0 never."""

    def __post_init__(self) -> None:
        if not (math.isfinite(self.learning_rate) and self.learning_rate > 0):
            raise ValueError(f"learning_rate must be a positive number, got {self.learning_rate}")
        if self.num_iterations < 0:
            raise ValueError(f"num_iterations must be >= 0, got {self.num_iterations}")
        if self.optimizer not in OPTIMIZERS:
            raise ValueError(f"unknown optimizer {self.optimizer!r}; expected one of {', '.join(OPTIMIZERS)}")
        if self.batch_size is not None and self.batch_size < 1:
            raise ValueError(f"batch_size must be >= 1, got {self.batch_size}")
        if self.lambd < 0:
            raise ValueError(f"lambd (L2) must be >= 0, got {self.lambd}")
        if self.divergence_factor <= 1:
            raise ValueError(f"divergence_factor must be > 1, got {self.divergence_factor}")
        if self.eval_every < 0 or self.stats_every < 0:
            raise ValueError("eval_every and stats_every must be >= 0")


@dataclass(frozen=True, slots=True)
class Divergence:
    """Where and why a run diverged."""

    iteration: int
    layer: int | None
    array: str
    reason: str

    def describe(self) -> str:
        """One sentence for a person, with the usual remedy."""
        where = f"{self.array} in layer {self.layer}" if self.layer else self.array
        return (
            f"Diverged at iteration {self.iteration}: {where}: {self.reason}. "
            f"The last good parameters were kept; try a smaller learning rate."
        )


@dataclass(frozen=True, slots=True)
class StepResult:
    """One training step: ``cost`` is J at the parameters used in step ``iteration`` (0-based)."""

    iteration: int
    cost: float
    learning_rate: float
    status: str = RUNNING
    train_accuracy: float | None = None
    dev_accuracy: float | None = None
    dev_cost: float | None = None
    layer_stats: tuple[LayerStats, ...] | None = None
    divergence: Divergence | None = None

    @property
    def done(self) -> bool:
        """True on the last result of a run (finished, converged or diverged)."""
        return self.status != RUNNING


class _Diverged(Exception):
    """Raised inside a step to end it; carries where it diverged and the cost seen."""

    def __init__(self, divergence: Divergence, cost: float) -> None:
        self.divergence = divergence
        self.cost = cost


def _layer_of(key: str) -> int | None:
    digits = "".join(c for c in key if c.isdigit())
    return int(digits) if digits else None


def first_nonfinite(arrays: Mapping[str, np.ndarray]) -> str | None:
    """The first key whose array holds a NaN or infinity, or None."""
    for key, a in arrays.items():
        # One reduction is much cheaper than isfinite(); confirm only when it fails.
        if not math.isfinite(float(a.sum())) and not np.isfinite(a).all():
            return key
    return None


@dataclass
class _Batch:
    """What the last mini-batch of a step leaves behind for accuracy and statistics."""

    AL: np.ndarray
    caches: list[LayerCache]
    grads: dict[str, np.ndarray]
    before: dict[str, np.ndarray]


class Trainer:
    """Trains ``parameters`` of ``spec`` on ``X (n_x, m)``, ``Y (n_y, m)``.

    The parameter arrays are never modified in place: each update makes new
    arrays, so ``parameters`` may be read (or copied) between steps.
    ``learning_rate`` and ``num_iterations`` may be changed between steps.
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
        self._params = {k: np.asarray(v, dtype=self.X.dtype) for k, v in parameters.items()}
        self._prev_params = self._params
        self._optimizer = Optimizer(config.optimizer, config.beta1, config.beta2, config.epsilon)
        self._shuffle_rng = np.random.RandomState(config.shuffle_seed)

    @property
    def parameters(self) -> dict[str, np.ndarray]:
        """The last good parameters (never modified in place)."""
        return self._params

    def parameters_copy(self) -> dict[str, np.ndarray]:
        """Independent copies of the parameters, safe to hand to another thread."""
        return {k: v.copy() for k, v in self._params.items()}

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
        i = self.iteration
        lr = self.learning_rate
        last = i + 1 >= self.num_iterations
        cfg = self.config
        try:
            # Overflow is detected and reported below, so NumPy's warnings are silenced.
            with np.errstate(all="ignore"):
                cost, batch = self._epoch(i, lr)
        except _Diverged as d:
            self.status = DIVERGED
            return StepResult(i, d.cost, lr, DIVERGED, divergence=d.divergence)
        self.iteration = i + 1
        status = RUNNING
        if cfg.cost_tolerance is not None and self.last_cost is not None and abs(self.last_cost - cost) < cfg.cost_tolerance:
            status = CONVERGED
        elif last:
            status = FINISHED
        self.last_cost = cost
        self.status = status
        want_eval = self._eval_requested or (cfg.eval_every and (i % cfg.eval_every == 0 or status != RUNNING))
        want_stats = self._stats_requested or (cfg.stats_every and (i % cfg.stats_every == 0 or status != RUNNING))
        self._eval_requested = self._stats_requested = False
        train_acc = dev_acc = dev_cost = None
        stats = None
        if want_eval or want_stats:
            with np.errstate(all="ignore"):
                if want_eval:
                    train_acc, dev_acc, dev_cost = self._evaluate(batch)
                if want_stats:
                    stats = layer_statistics(batch.before, self._params, batch.caches, batch.grads, self.spec.activations)
        return StepResult(i, cost, lr, status, train_acc, dev_acc, dev_cost, stats)

    def _epoch(self, i: int, lr: float) -> tuple[float, _Batch]:
        """All updates of step i; returns the epoch's mean cost and the last batch."""
        X, Y, cfg = self.X, self.Y, self.config
        m = X.shape[1]
        if cfg.batch_size is None or cfg.batch_size >= m:
            batches = ((X, Y),)
        else:
            batches = random_mini_batches(X, Y, cfg.batch_size, self._shuffle_rng)
        total = 0.0
        batch = None
        for Xb, Yb in batches:
            batch, cost = self._update(i, lr, Xb, Yb)
            total += cost * Xb.shape[1]
        return total / m, batch

    def _update(self, i: int, lr: float, X: np.ndarray, Y: np.ndarray) -> tuple[_Batch, float]:
        """Forward, divergence checks, backward and one optimiser update on one batch."""
        spec, cfg = self.spec, self.config
        P = self._params
        AL, caches = model_forward(X, P, spec.activations)
        cost = compute_cost(caches[-1].Z, Y, spec.output) + l2_cost(P, cfg.lambd, X.shape[1], spec.L)
        if not math.isfinite(cost):
            self._params = self._prev_params  # P itself is bad: keep the step before it
            raise _Diverged(self._locate_nonfinite_cost(i, cost, X, Y, P, caches), cost)
        if self.first_cost is None:
            self.first_cost = cost
        elif cost > cfg.divergence_factor * self._cost_scale() and cost > 1e-12:
            grads = model_backward(AL, Y, caches, spec.activations, cfg.lambd)
            self._params = self._prev_params
            raise _Diverged(self._locate_cost_blowup(i, cost, P, grads), cost)
        grads = model_backward(AL, Y, caches, spec.activations, cfg.lambd)
        new_P = self._optimizer.step(P, grads, lr)
        # A non-finite gradient always makes the updated parameter non-finite, so
        # the gradients are only searched when the new parameters fail the check.
        bad = first_nonfinite(new_P)
        if bad is not None:
            bad_grad = first_nonfinite(grads)
            if bad_grad is not None:
                raise _Diverged(
                    Divergence(i, _layer_of(bad_grad), bad_grad, "the gradient is not finite (overflow)"), cost
                )
            raise _Diverged(Divergence(i, _layer_of(bad), bad, "the update made the weights non-finite"), cost)
        self._prev_params, self._params = P, new_P
        return _Batch(AL, caches, grads, P), cost

    def _locate_nonfinite_cost(
        self, i: int, cost: float, X: np.ndarray, Y: np.ndarray, P: Mapping, caches: list[LayerCache]
    ) -> Divergence:
        for name, a in (("X", X), ("Y", Y)):
            if not np.isfinite(a).all():
                return Divergence(i, None, name, f"the data {name} contains NaN or infinity, so the cost is {cost}")
        bad = first_nonfinite(P)
        if bad is not None:
            return Divergence(i, _layer_of(bad), bad, "the weights are not finite")
        for l, cache in enumerate(caches, start=1):
            if not np.isfinite(cache.Z).all():
                return Divergence(i, l, f"Z{l}", f"Z{l} overflowed, so the cost is {cost}")
        return Divergence(i, None, "cost", f"the cost is {cost}")

    def _cost_scale(self) -> float:
        """What a cost blow-up is measured against: the first cost, or an untrained
        model's cost when that is larger (so a run that starts from trained weights,
        with a tiny first cost, is not stopped by an ordinary bump)."""
        return max(self.first_cost, untrained_cost(self.spec.output, self.spec.n_y))

    def _locate_cost_blowup(self, i: int, cost: float, P: Mapping, grads: Mapping) -> Divergence:
        layer = max(range(1, self.spec.L + 1), key=lambda l: _ratio(grads[f"dW{l}"], P[f"W{l}"]))
        scale = self._cost_scale()
        reference = "the first cost" if scale == self.first_cost else "an untrained model's cost"
        return Divergence(
            i,
            layer,
            f"W{layer}",
            f"the cost rose to {cost:.4g}, more than {self.config.divergence_factor:g}x {reference} "
            f"{scale:.4g}; W{layer} has the largest gradient relative to its size",
        )

    def _evaluate(self, batch: _Batch) -> tuple[float | None, float | None, float | None]:
        """Train accuracy at this step's parameters, and dev accuracy and cost."""
        spec, P = self.spec, batch.before
        if batch.AL.shape[1] == self.X.shape[1]:
            AL = batch.AL
        else:
            AL, _ = model_forward(self.X, P, spec.activations)
        train_acc = accuracy_from_output(AL, self.Y, spec.output)
        if self.X_dev is None:
            return train_acc, None, None
        AL_dev, caches = model_forward(self.X_dev, P, spec.activations)
        dev_cost = compute_cost(caches[-1].Z, self.Y_dev, spec.output)
        return train_acc, accuracy_from_output(AL_dev, self.Y_dev, spec.output), dev_cost


def _ratio(g: np.ndarray, w: np.ndarray) -> float:
    gn = float(np.linalg.norm(g))
    wn = float(np.linalg.norm(w))
    return gn / wn if wn > 0 else gn


