"""What the step-through dialog asks for and gets back: a step of the trainer's network,
computed off the UI thread from a copy of its parameters.

``StepRequest.compute`` runs the course's blocks (``tui_nn.core.step_through``), the
numerical checks and the page text; when "apply" would take exactly the step shown
(batch gradient descent on all m examples) it also runs the trainer's own step on a
throwaway trainer, so the pages can say how the trainer's arithmetic compares.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from tui_nn.core import NetworkSpec, StepThrough, TrainConfig, Trainer, check_step, step_through
from tui_nn.safe_text import printable
from tui_nn.step_pages import Page, TrainerStep, apply_notes, build_pages

DEFAULT_EXAMPLES = 5
"""Examples shown by default: few, so every number of a small network is on screen."""


def parse_examples(text: str, m: int) -> int:
    """``k`` typed by the user: a whole number from 1 to ``m``, or ``all`` (m).

    Raises ``ValueError`` naming k and the range.
    """
    value = text.strip().lower()
    if value in ("all", "m"):
        return m
    try:
        k = int(value)
    except ValueError:
        raise ValueError(f"k must be a whole number from 1 to {m}, or 'all'; got {printable(text, 20)!r}") from None
    if not 1 <= k <= m:
        raise ValueError(f"k must be from 1 to {m} (the training examples), got {k}")
    return k


@dataclass(frozen=True, eq=False)
class StepRequest:
    """One step-through: the trainer's data and config, and a copy of its parameters."""

    spec: NetworkSpec
    X: np.ndarray
    """The trainer's ``X (n_x, m)``; the step uses its first ``examples`` columns."""
    Y: np.ndarray
    parameters: dict[str, np.ndarray]
    learning_rate: float
    """The rate the trainer's next step uses (a change may still be pending in its worker)."""
    config: TrainConfig
    examples: int
    name: str = ""
    """The data set's name, for the header."""

    @classmethod
    def for_trainer(cls, trainer: Trainer, learning_rate: float, name: str, examples: int = DEFAULT_EXAMPLES) -> "StepRequest":
        """The next step of ``trainer`` at ``learning_rate``, on its first ``examples`` examples."""
        m = trainer.X.shape[1]
        return cls(trainer.spec, trainer.X, trainer.Y, trainer.parameters_copy(), learning_rate, trainer.config,
                   min(examples, m), name)

    @property
    def trainer(self) -> TrainerStep:
        """What the trainer's ``.`` step does."""
        return TrainerStep(self.X.shape[1], self.config.optimizer, self.config.batch_size)

    @property
    def exact(self) -> bool:
        """True when "apply" (the trainer's ``.`` step) is the step shown."""
        return apply_notes(self.examples, self.trainer)[0]

    def with_examples(self, k: int) -> "StepRequest":
        return replace(self, examples=k)

    def compute(self) -> "StepView":
        """The step on the first ``examples`` columns, its checks and its pages (slow for big nets)."""
        k = self.examples
        # A copy of the first k columns: NumPy multiplies a strided slice of a wide X far more slowly.
        X, Y = np.ascontiguousarray(self.X[:, :k]), np.ascontiguousarray(self.Y[:, :k])
        step = step_through(X, Y, self.parameters, self.spec, self.learning_rate, self.config.lambd)
        preview = self.trainer_step() if self.exact else None
        difference = None
        if preview is not None:
            difference = max(float(np.max(np.abs(preview[key] - step.after[key]))) for key in preview)
        return StepView(self, step, build_pages(step, check_step(step), self.trainer, difference), preview)

    def trainer_step(self) -> dict[str, np.ndarray] | None:
        """The parameters after the trainer's own step from these parameters (None if it diverges)."""
        cfg = replace(self.config, learning_rate=self.learning_rate, num_iterations=1, eval_every=0,
                      stats_every=0, cost_tolerance=None)
        trainer = Trainer(self.spec, self.parameters, self.X, self.Y, cfg)
        result = trainer.step()
        return None if result.divergence is not None else trainer.parameters_copy()

    def header(self) -> str:
        m, k = self.trainer.m, self.examples
        examples = f"all {m} examples" if k == m else f"first {k} of {m} examples"
        dims = "-".join(str(n) for n in self.spec.layer_dims)
        return f"{printable(self.name, 30)} {dims}  ·  {examples}  ·  α {self.learning_rate:g}  ·  {self.config.optimizer}"


@dataclass(frozen=True, eq=False)
class StepView:
    """A computed step and its pages, for the request that asked for it."""

    request: StepRequest
    step: StepThrough
    pages: list[Page]
    trainer_after: dict[str, np.ndarray] | None = None
    """The trainer's own result from the same parameters, when "apply" takes this step."""
