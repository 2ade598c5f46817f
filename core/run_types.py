"""What a training run is given and what each of its steps returns: ``TrainConfig`` and ``StepResult``."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .optimizers import OPTIMIZERS

if TYPE_CHECKING:
    from .divergence import Divergence
    from .stats import LayerStats

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
        if not (0 <= self.beta1 < 1 and 0 <= self.beta2 < 1):
            raise ValueError(f"beta1 and beta2 must be in [0, 1), got {self.beta1} and {self.beta2}")
        if self.lambd < 0:
            raise ValueError(f"lambd (L2) must be >= 0, got {self.lambd}")
        if self.divergence_factor <= 1:
            raise ValueError(f"divergence_factor must be > 1, got {self.divergence_factor}")
        if self.eval_every < 0 or self.stats_every < 0:
            raise ValueError("eval_every and stats_every must be >= 0")


@dataclass(frozen=True)
class StepResult:
    """One training step: ``cost`` is J at the parameters used in step ``iteration`` (0-based);
    the accuracies and ``dev_cost`` are those of the parameters after the step's update, so the
    last result's accuracies are the final weights' (what ``accuracy`` gives on them)."""

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


def quick_result(i: int, cost: float, lr: float, status: str) -> StepResult:
    """``StepResult(i, cost, lr, status)`` in a third of the time (the per-step cost matters
    for tiny networks): the same frozen object, its other fields left to their defaults."""
    result = _new(StepResult)
    _set(result, "__dict__", {"iteration": i, "cost": cost, "learning_rate": lr, "status": status})
    return result


_new, _set = object.__new__, object.__setattr__
