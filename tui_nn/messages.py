"""Messages the training worker posts to the app (one small dataclass each)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from textual.message import Message

from tui_nn.core import LayerStats, StepResult
from tui_nn.experiment import Experiment
from tui_nn.runs.reader import TailUpdate
from tui_nn.views import BoundaryView


@dataclass
class Progress(Message):
    """New cost points and the latest step, batched by time (never one per step)."""

    generation: int
    iterations: np.ndarray
    costs: np.ndarray
    dev_iterations: np.ndarray
    dev_costs: np.ndarray
    latest: StepResult
    rate: float
    """Iterations per second over the last batch."""
    train_accuracy: float | None
    """The latest evaluated accuracies (evaluation runs about twice a second)."""
    dev_accuracy: float | None
    test_accuracy: float | None = None
    """The test split's accuracy at the last evaluation (data with a test split only)."""


@dataclass
class StatsUpdate(Message):
    """The latest per-layer statistics; only the newest matters."""

    generation: int
    stats: tuple[LayerStats, ...]
    iteration: int
    """The step the statistics come from."""

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, StatsUpdate)


@dataclass
class BoundaryUpdate(Message):
    """The latest decision-boundary view; only the newest matters."""

    generation: int
    view: BoundaryView

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, BoundaryUpdate)


@dataclass
class TrainingStopped(Message):
    """The worker paused: a step request finished, the run ended or diverged."""

    generation: int
    latest: StepResult | None
    parameters: dict[str, np.ndarray] | None = None
    """A copy of the weights as they stopped, for the runs history (None when too large to keep)."""


@dataclass
class QuickSweepEvent(Message):
    """A quick sweep's progress: ``TrialStarted``, ``TrialProgress``, ``TrialEnded`` or ``SweepFinished``."""

    event: object


@dataclass
class RunPolled(Message):
    """New lines (or a reset, or malformed lines) in watched run ``index``'s log."""

    index: int
    update: TailUpdate


@dataclass
class RunAdded(Message):
    """A watched sweep's trial started: its log exists; it becomes watched run ``index``."""

    index: int
    path: Path


@dataclass
class SweepPolled(Message):
    """A watched sweep's results as its driver last wrote them: trial -> (status, reason)."""

    folder: Path
    statuses: dict[int, tuple[str, str]]


@dataclass
class RunOpened(Message):
    """The dataset and network of watched run ``index``, rebuilt from its header."""

    index: int
    experiment: Experiment | None
    error: str = ""


@dataclass
class RunModelView(Message):
    """The decision-boundary view of run ``index``'s latest model file, and its weights while small."""

    index: int
    view: BoundaryView | None
    parameters: dict[str, np.ndarray] | None = None

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, RunModelView) and message.index == self.index
