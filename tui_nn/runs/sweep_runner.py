"""The sweep driver: runs a plan's trials on a backend and keeps the sweep folder's results current.

A UI drives it from a thread::

    folder, plan = create_sweep_folder(plan, "sweeps")      # or resume_jobs(folder) for --resume
    runner = SweepRunner(folder, plan, LocalBackend(workers=2))
    runner.start()                                          # a daemon thread
    while (event := runner.events.get()) is not None:       # None follows SweepFinished
        ...  # TrialStarted(trial, run_dir) | TrialFinished(result, run_dir) | SweepFinished(...)
    runner.cancel()                                         # from any thread, any time

``on_event`` (called on the runner's thread) is the alternative to the queue. The
driver alone writes ``results.csv``/``results.json``, each time a trial starts or
ends, from the trial's own log. Backends: ``LocalBackend`` (worker processes) and
``RayBackend`` (Ray Tune).
"""

from __future__ import annotations

import queue
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Protocol

from tui_nn.runs.files import CONFIG_NAME, LAST_MODEL, LOG_NAME
from tui_nn.runs.sweep_folder import read_sweep, write_results
from tui_nn.runs.sweep_jobs import Job, JobEnded, JobStarted
from tui_nn.runs.sweep_plan import Plan, Trial
from tui_nn.runs.sweep_results import TrialResult, failed_result, result_from_log

__all__ = ["Backend", "SweepFinished", "SweepRunner", "TrialFinished", "TrialStarted", "resume_jobs"]


@dataclass(frozen=True)
class TrialStarted:
    """A trial began training into ``run_dir`` (an ordinary run folder: watch it)."""

    trial: Trial
    run_dir: Path


@dataclass(frozen=True)
class TrialFinished:
    """A trial ended (finished, converged, diverged, stopped, early-stopped, terminated or failed)."""

    result: TrialResult
    run_dir: Path


@dataclass(frozen=True)
class SweepFinished:
    """The sweep is over: every trial's row, and whether it was cancelled before all ran."""

    folder: Path
    results: tuple[TrialResult, ...]
    cancelled: bool


class Backend(Protocol):
    """Runs jobs; calls ``emit(JobStarted | JobEnded)``; stops soon after ``cancelled`` is set."""

    name: str

    def run(self, jobs: list[Job], emit: Callable[[Any], None], cancelled: threading.Event) -> None: ...


def resume_jobs(folder: Path, plan: Plan) -> tuple[list[Job], list[TrialResult]]:
    """The unfinished trials of a sweep folder as jobs (resumed from last.npz where there is one),
    and every trial's current row."""
    state = read_sweep(folder)
    jobs = []
    for trial in plan.trials:
        if state.results[trial.index].done:
            continue
        run_dir = folder / trial.name
        if all((run_dir / name).is_file() for name in (LAST_MODEL, LOG_NAME, CONFIG_NAME)):
            mode = "resume"
        else:
            mode = "restart" if run_dir.exists() else "new"
        jobs.append(Job(trial, run_dir, mode))
    return jobs, list(state.results)


class SweepRunner:
    """Runs ``jobs`` (default: every trial of ``plan``, new) of the sweep in ``folder`` on ``backend``."""

    def __init__(self, folder: Path, plan: Plan, backend: Backend, jobs: list[Job] | None = None,
                 results: list[TrialResult] | None = None, on_event: Callable[[Any], None] | None = None) -> None:
        self.folder = Path(folder)
        self.plan = plan
        self.backend = backend
        self.jobs = jobs if jobs is not None else [Job(t, self.folder / t.name) for t in plan.trials]
        self.results: list[TrialResult] = results if results is not None else [
            TrialResult(t.index, t.name, dict(t.values), "pending") for t in plan.trials]
        self.events: queue.Queue[Any] = queue.Queue()
        """TrialStarted, TrialFinished and SweepFinished, then None."""
        self.on_event = on_event
        self._cancelled = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def cancel(self) -> None:
        """Stop the sweep: running trials end with their final record, the rest stay pending."""
        self._cancelled.set()

    def start(self) -> threading.Thread:
        """Run in a daemon thread; read ``events`` (or use ``on_event``) to follow it."""
        self._thread = threading.Thread(target=self.run, name="tui-nn-sweep", daemon=True)
        self._thread.start()
        return self._thread

    def _emit(self, event: Any) -> None:
        self.events.put(event)
        if self.on_event is not None:
            self.on_event(event)

    def _backend_event(self, event: JobStarted | JobEnded) -> None:
        job = event.job
        if isinstance(event, JobStarted):
            self.results[job.trial.index] = replace(self.results[job.trial.index], status="running")
            write_results(self.folder, self.plan, self.results)
            self._emit(TrialStarted(job.trial, job.run_dir))
            return
        result = result_from_log(job.trial, job.run_dir)
        if event.error and not result.done and result.status != "terminated":
            result = failed_result(job.trial, event.error)
        self.results[job.trial.index] = result
        write_results(self.folder, self.plan, self.results)
        self._emit(TrialFinished(result, job.run_dir))

    def run(self) -> SweepFinished:
        """Run every job to its end (or until ``cancel``); returns (and emits) ``SweepFinished``."""
        try:
            write_results(self.folder, self.plan, self.results)
            self.backend.run(self.jobs, self._backend_event, self._cancelled)
            for job in self.jobs:  # a job the backend never reported (cancelled first) keeps what its log says
                if self.results[job.trial.index].status == "running":
                    self.results[job.trial.index] = result_from_log(job.trial, job.run_dir)
            write_results(self.folder, self.plan, self.results)
            finished = SweepFinished(self.folder, tuple(self.results), self.cancelled)
            self._emit(finished)
            return finished
        finally:
            self.events.put(None)
