"""The sweep driver: runs a plan's trials on a backend and keeps the sweep folder's results current.

A UI drives it from a thread::

    folder, plan = create_sweep_folder(plan, "sweeps")      # or resume_jobs(folder) for --resume
    runner = SweepRunner(folder, plan, LocalBackend(workers=2))
    runner.start()                                          # a daemon thread
    while (event := runner.events.get()) is not None:       # None follows SweepFinished
        ...  # TrialStarted | TrialProgress | TrialFinished | SweepFinished
    runner.cancel()                                         # from any thread, any time

``on_event`` (called on the runner's threads, one call at a time) is the alternative to
the queue. ``TrialProgress`` comes from reading the running trials' logs about once a second. The
driver alone writes ``results.csv``/``results.json`` as trials start and end (at most
twice a second, and at the end), from the trial's own log. Backends: ``LocalBackend``
(worker processes) and ``RayBackend`` (Ray Tune).
"""

from __future__ import annotations

import queue
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Protocol

from tui_nn.runs.files import CONFIG_NAME, LAST_MODEL, LOG_NAME
from tui_nn.runs.reader import RunTail
from tui_nn.runs.sweep_folder import read_sweep, write_results
from tui_nn.runs.sweep_jobs import Job, JobEnded, JobStarted, longest_first
from tui_nn.runs.sweep_plan import Plan, Trial
from tui_nn.runs.sweep_results import TrialResult, failed_result, number_or_none, result_from_log

__all__ = ["Backend", "SweepFinished", "SweepRunner", "TrialFinished", "TrialProgress", "TrialStarted", "resume_jobs"]

PROGRESS_SECONDS = 1.0
SAVE_SECONDS = 0.5
"""results.csv/json are rewritten at most this often while trials start and end (and always at the end),
so a sweep of thousands of short trials does not spend its time rewriting its table."""


@dataclass(frozen=True)
class TrialStarted:
    """A trial began training into ``run_dir`` (an ordinary run folder: watch it)."""

    trial: Trial
    run_dir: Path


@dataclass(frozen=True)
class TrialProgress:
    """A running trial's latest evaluation (about once a second while it trains)."""

    trial: Trial
    iteration: int
    """Steps done."""
    target: int
    cost: float | None
    dev_accuracy: float | None
    train_accuracy: float | None = None
    seconds: float | None = None
    """Training time so far (the log's ``elapsed``)."""


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
        self._lock = threading.Lock()
        self._next_save = 0.0
        self._running: dict[int, tuple[Job, Any]] = {}

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

    def _save(self, force: bool = False) -> None:
        now = time.monotonic()
        if force or now >= self._next_save:
            self._next_save = now + SAVE_SECONDS
            write_results(self.folder, self.plan, self.results)

    def _emit(self, event: Any) -> None:
        with self._lock:
            self.events.put(event)
            if self.on_event is not None:
                self.on_event(event)

    def _watch_running(self, done: threading.Event) -> None:
        """Emit ``TrialProgress`` for each running trial whose log grew, until ``done``."""
        while not done.wait(PROGRESS_SECONDS):
            for index, (job, tail) in list(self._running.items()):
                last = next((r for r in reversed(tail.poll_all().records) if r.get("type") == "eval"), None)
                if last is not None and isinstance(last.get("iteration"), int):
                    keys = ("cost", "dev_accuracy", "train_accuracy", "elapsed")
                    cost, dev, train, seconds = (number_or_none(last.get(k)) for k in keys)
                    self._emit(TrialProgress(job.trial, last["iteration"] + 1, job.trial.config.iterations,
                                             cost, dev, train, seconds))

    def _backend_event(self, event: JobStarted | JobEnded) -> None:
        job = event.job
        if isinstance(event, JobStarted):
            self._running[job.trial.index] = (job, RunTail(job.run_dir))
            self.results[job.trial.index] = replace(self.results[job.trial.index], status="running")
            self._save()
            self._emit(TrialStarted(job.trial, job.run_dir))
            return
        _, tail = self._running.pop(job.trial.index, (None, None))
        if tail is not None:
            tail.close()
        result = result_from_log(job.trial, job.run_dir)
        if event.error and not result.done and result.status != "terminated":
            result = failed_result(job.trial, event.error)
        self.results[job.trial.index] = result
        self._save()
        self._emit(TrialFinished(result, job.run_dir))

    def run(self) -> SweepFinished:
        """Run every job to its end (or until ``cancel``); returns (and emits) ``SweepFinished``."""
        done = threading.Event()
        watcher = threading.Thread(target=self._watch_running, args=(done,), name="tui-nn-sweep-progress", daemon=True)
        try:
            self._save(force=True)
            watcher.start()
            try:
                self.backend.run(longest_first(self.jobs), self._backend_event, self._cancelled)
            finally:
                done.set()
                watcher.join()
            for job in self.jobs:  # a job the backend never reported (cancelled first) keeps what its log says
                if self.results[job.trial.index].status == "running":
                    self.results[job.trial.index] = result_from_log(job.trial, job.run_dir)
            self._save(force=True)
            finished = SweepFinished(self.folder, tuple(self.results), self.cancelled)
            self._emit(finished)
            return finished
        finally:
            self.events.put(None)
