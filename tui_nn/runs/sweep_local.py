"""Run a sweep's trials in parallel worker processes on this machine.

``LocalBackend`` starts ``workers`` processes (spawned, one BLAS thread each, in their
own process group so a terminal's Ctrl-C reaches only the driver) and keeps one
trial per worker in flight. Each worker runs a trial with ``tui-nn train``'s own loop
(``tui_nn.runs.headless.train``) into the trial's run folder, so the folder is
steerable (``tui-nn watch``) and resumable (``tui-nn train --resume``) like any run.

Cancelling sends SIGTERM to the workers: a training trial ends between two steps
with ``last.npz`` and an ``end`` record (state ``terminated``), an idle worker exits,
and trials not yet started stay pending for ``tui-nn sweep --resume``.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import queue
import shutil
import signal
import sys
import threading
from collections import deque
from pathlib import Path
from types import FrameType
from typing import Any, Callable

from tui_nn.runs.stop_signals import stop_pending
from tui_nn.runs.sweep_jobs import Job, JobEnded, JobStarted

__all__ = ["LocalBackend", "BLAS_ENV"]

BLAS_ENV = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
"""Set in every worker before NumPy loads: parallel trials, not parallel matrix products."""
POLL_SECONDS = 0.1
MAX_IDLE_DEATHS = 4
_ENV_LOCK = threading.Lock()


# --- worker side (runs in the spawned process) ------------------------------------------------

_stop_requested = False


def _on_term(signum: int, frame: FrameType | None) -> None:
    global _stop_requested
    _stop_requested = True
    stop_pending(signum)  # between "started" and the trial's own handlers: the trial stops before its first step


def run_job(config: dict[str, Any], run_dir: str, mode: str) -> tuple[str, str]:
    """Train one trial into ``run_dir``; returns how it ended (its state, or "failed") and why it
    failed ("" when it trained). The sweep goes on either way.

    ``mode`` is ``new`` (the folder must not exist), ``resume`` (continue from its
    last.npz; a folder that cannot be resumed is started again) or ``restart``.
    """
    from tui_nn.config import ConfigError, from_mapping
    from tui_nn.core import ModelFileError
    from tui_nn.datasets import DatasetError
    from tui_nn.runs.headless import RunLogError, TrainError, TrainOptions, train

    path = Path(run_dir)
    quiet = TrainOptions(quiet=True)
    try:
        if mode == "resume":
            try:
                return train(None, quiet, resume=path, echo=_silent).state, ""
            except (TrainError, ModelFileError, ConfigError):
                mode = "restart"  # no usable last.npz: the trial starts again
        if mode == "restart" and path.exists():
            shutil.rmtree(path)
        return train(from_mapping(config, f"trial {path.name}"), quiet, run_dir=path, echo=_silent).state, ""
    except (ConfigError, DatasetError, TrainError, RunLogError, ModelFileError) as e:
        return "failed", str(e)
    except Exception as e:  # a bug must not take the sweep down; the row says what happened
        return "failed", f"{type(e).__name__}: {e}"


def _silent(text: str) -> None:
    pass


def _worker(tasks: Any, events: Any, parent: int, quiet: bool = False) -> None:
    """Take trials from ``tasks`` until a ``None``, SIGTERM, or the driver is gone; ``quiet`` sends
    the worker's stdout and stderr to /dev/null (the terminal belongs to a full-screen app)."""
    os.setpgrp()
    if quiet:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
    signal.signal(signal.SIGTERM, _on_term)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    while not _stop_requested:
        try:
            task = tasks.get(timeout=0.5)
        except queue.Empty:
            if os.getppid() != parent:
                return
            continue
        if task is None:
            return
        index, config, run_dir, mode = task
        if _stop_requested:
            events.put(("skipped", index, os.getpid()))
            return
        events.put(("started", index, os.getpid()))
        state, error = run_job(config, run_dir, mode)
        events.put(("ended", index, error))
        if state == "terminated":  # the SIGTERM went to the trial's own handler: stop here too
            return


# --- driver side ------------------------------------------------------------------------------


def start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker now, its stderr on /dev/null.

    It starts with the first queue, passing on ``sys.stderr``'s file descriptor; under a
    full-screen app ``sys.stderr`` is a capture with no usable descriptor (the queue fails to
    build) and the real one is the app's screen. Starting it here, on /dev/null, avoids both.
    """
    from multiprocessing import resource_tracker

    saved = sys.stderr
    with open(os.devnull, "w") as devnull:
        sys.stderr = devnull
        try:
            resource_tracker.ensure_running()
        finally:
            sys.stderr = saved


class LocalBackend:
    """Trials in ``workers`` local processes (default: one per core); ``quiet`` keeps them off the
    terminal (for a full-screen app: a trial's failure still reaches the results, with why)."""

    name = "local"

    def __init__(self, workers: int | None = None, quiet: bool = False) -> None:
        self.workers = max(1, workers or os.cpu_count() or 1)
        self.quiet = quiet
        if quiet:
            start_resource_tracker()

    def run(self, jobs: list[Job], emit: Callable[[Any], None], cancelled: threading.Event) -> None:
        """Run ``jobs``; ``emit`` gets ``JobStarted``/``JobEnded`` (from this thread) as they happen."""
        if not jobs:
            return
        pool = _Pool(jobs, emit, min(self.workers, len(jobs)), self.quiet)
        try:
            while not pool.over:
                pool.feed()
                if cancelled.is_set():
                    pool.stop()
                if not pool.receive(POLL_SECONDS):
                    pool.reap()
        finally:
            pool.close()


class _Pool:
    """The worker processes, the queues between them and the driver, and who trains what."""

    def __init__(self, jobs: list[Job], emit: Callable[[Any], None], size: int, quiet: bool = False) -> None:
        self.ctx = mp.get_context("spawn")
        self.tasks, self.events = self.ctx.Queue(), self.ctx.Queue()
        self.emit = emit
        self.waiting = deque(jobs)
        self.by_index = {j.trial.index: j for j in jobs}
        self.queued: set[int] = set()
        """Trials handed to the queue and not ended (a worker may not have taken them yet)."""
        self.owner: dict[int, int] = {}
        """Worker pid -> the trial it is training."""
        self.stopping = False
        self.idle_deaths = 0
        self.quiet = quiet
        self.procs = [self._spawn() for _ in range(size)]

    @property
    def over(self) -> bool:
        """Every job ended, or (stopping) every worker has exited."""
        return not self.procs if self.stopping else not (self.waiting or self.queued)

    def _spawn(self) -> Any:
        proc = self.ctx.Process(target=_worker, args=(self.tasks, self.events, os.getpid(), self.quiet), daemon=True,
                                name="tui-nn-sweep-worker")
        with _ENV_LOCK:  # the child reads the environment when it starts, before NumPy loads
            saved = {k: os.environ.get(k) for k in BLAS_ENV}
            os.environ.update(BLAS_ENV)
            try:
                proc.start()
            finally:
                for k, v in saved.items():
                    if v is None:
                        os.environ.pop(k, None)
                    else:
                        os.environ[k] = v
        return proc

    def feed(self) -> None:
        """Keep one trial per worker in the queue."""
        while not self.stopping and self.waiting and len(self.queued) < len(self.procs):
            job = self.waiting.popleft()
            self.tasks.put((job.trial.index, job.trial.config.to_dict(), str(job.run_dir), job.mode))
            self.queued.add(job.trial.index)

    def stop(self) -> None:
        """SIGTERM every worker once: training trials end with their record, idle workers exit."""
        if self.stopping:
            return
        self.stopping = True
        for p in self.procs:
            if p.is_alive():
                os.kill(p.pid, signal.SIGTERM)

    def receive(self, timeout: float) -> bool:
        """Handle one event from the workers; False when none came within ``timeout``."""
        try:
            kind, index, detail = self.events.get(timeout=timeout)
        except queue.Empty:
            return False
        job = self.by_index[index]
        if kind == "started":
            self.owner[detail] = index
            self.emit(JobStarted(job))
        elif kind == "ended":
            self.queued.discard(index)
            self.owner = {pid: i for pid, i in self.owner.items() if i != index}
            self.emit(JobEnded(job, detail))
        elif kind == "skipped":
            self.queued.discard(index)
        return True

    def reap(self) -> None:
        """Notice workers that exited: their trial (if any) ended; replace them while work remains."""
        dead = [p for p in self.procs if not p.is_alive()]
        if not dead:
            return
        while self.receive(0.05):  # what a worker said just before it exited comes first
            pass
        for p in dead:
            index = self.owner.pop(p.pid, None)
            if index is not None:
                self.queued.discard(index)
                self.emit(JobEnded(self.by_index[index], f"its worker process died (exit code {p.exitcode})"))
            elif not self.stopping:
                self.idle_deaths += 1
        self.procs = [p for p in self.procs if p not in dead]
        if self.idle_deaths > MAX_IDLE_DEATHS:  # workers die before taking a trial: do not spin
            why = f"worker processes exit as they start (exit code {dead[0].exitcode})"
            for index in sorted(self.queued) + [j.trial.index for j in self.waiting]:
                self.emit(JobEnded(self.by_index[index], why))
            self.queued.clear()
            self.waiting.clear()
        elif not self.stopping and (self.waiting or self.queued):
            self.procs += [self._spawn() for _ in dead]

    def close(self) -> None:
        """Tell idle workers to exit, wait for them (kill a stuck one), close the queues."""
        for _ in self.procs:
            self.tasks.put(None)
        for p in self.procs:
            p.join(timeout=10)
            if p.is_alive():
                p.kill()
        self.tasks.close()
        self.events.close()
