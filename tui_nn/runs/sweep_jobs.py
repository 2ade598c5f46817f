"""What the sweep driver hands a backend (a ``Job``) and what a backend tells it back."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tui_nn.runs.sweep_plan import Trial

__all__ = ["Job", "JobEnded", "JobStarted", "longest_first", "work_estimate"]


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


def work_estimate(job: Job) -> float:
    """A rough relative cost of the job's trial: iterations x examples x hidden weights.

    Only its order matters: the input and output sizes are the same for trials of
    one data set, and the hidden layers (``n[l] n[l-1]`` products) are what the axes vary.
    """
    cfg = job.trial.config
    hidden = [int(n) for n in (cfg.hidden or ())]
    weights = sum(hidden) + sum(a * b for a, b in zip(hidden, hidden[1:]))
    return float(cfg.iterations) * float(cfg.m or 1) * float(1 + weights)


def longest_first(jobs: list[Job]) -> list[Job]:
    """``jobs`` with the largest ``work_estimate`` first (ties in plan order), so the last trial
    to start is a short one and parallel workers finish together (longest-processing-time first)."""
    return sorted(jobs, key=lambda job: -work_estimate(job))
