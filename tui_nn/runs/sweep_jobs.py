"""What the sweep driver hands a backend (a ``Job``) and what a backend tells it back."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tui_nn.runs.sweep_plan import Trial

__all__ = ["Job", "JobEnded", "JobStarted"]


@dataclass(frozen=True)
class Job:
    """Train ``trial`` into ``run_dir``: ``new``, ``resume`` (from its last.npz) or ``restart``."""

    trial: Trial
    run_dir: Path
    mode: str = "new"


@dataclass(frozen=True)
class JobStarted:
    """A worker took the job."""

    job: Job


@dataclass(frozen=True)
class JobEnded:
    """The job's trial ended; ``error`` says why it could not train ("" when it trained, however it ended)."""

    job: Job
    error: str = ""
