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
import threading
from collections import deque
from pathlib import Path
from types import FrameType
from typing import Any, Callable

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


def _worker(tasks: Any, events: Any, parent: int) -> None:
    """Take trials from ``tasks`` until a ``None``, SIGTERM, or the driver is gone."""
    os.setpgrp()
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


class LocalBackend:
    """Trials in ``workers`` local processes (default: one per core)."""

    name = "local"

    def __init__(self, workers: int | None = None) -> None:
        self.workers = max(1, workers or os.cpu_count() or 1)

    def _spawn(self, ctx: Any, tasks: Any, events: Any) -> Any:
        proc = ctx.Process(target=_worker, args=(tasks, events, os.getpid()), daemon=True, name="tui-nn-sweep-worker")
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

    def run(self, jobs: list[Job], emit: Callable[[Any], None], cancelled: threading.Event) -> None:
        """Run ``jobs``; ``emit`` gets ``JobStarted``/``JobEnded`` (from this thread) as they happen."""
        if not jobs:
            return
        ctx = mp.get_context("spawn")
        tasks, events = ctx.Queue(), ctx.Queue()
        procs = [self._spawn(ctx, tasks, events) for _ in range(min(self.workers, len(jobs)))]
        waiting = deque(jobs)
        by_index = {j.trial.index: j for j in jobs}
        queued: set[int] = set()
        owner: dict[int, int] = {}  # worker pid -> trial it is training
        stopping = False
        idle_deaths = 0
        def handle(event: tuple[str, int, Any]) -> None:
            kind, index, detail = event
            if kind == "started":
                owner[detail] = index
                emit(JobStarted(by_index[index]))
            elif kind == "ended":
                queued.discard(index)
                owner.pop(next((pid for pid, i in owner.items() if i == index), -1), None)
                emit(JobEnded(by_index[index], detail))
            elif kind == "skipped":
                queued.discard(index)

        try:
            while True:
                while not stopping and waiting and len(queued) < len(procs):
                    job = waiting.popleft()
                    tasks.put((job.trial.index, job.trial.config.to_dict(), str(job.run_dir), job.mode))
                    queued.add(job.trial.index)
                if cancelled.is_set() and not stopping:
                    stopping = True
                    for p in procs:
                        if p.is_alive():
                            os.kill(p.pid, signal.SIGTERM)
                try:
                    handle(events.get(timeout=POLL_SECONDS))
                    continue
                except queue.Empty:
                    pass
                dead = [p for p in procs if not p.is_alive()]
                if dead:
                    _drain(events, handle)  # what a worker said just before it exited comes first
                    for p in dead:
                        index = owner.pop(p.pid, None)
                        if index is not None:
                            queued.discard(index)
                            emit(JobEnded(by_index[index], f"its worker process died (exit code {p.exitcode})"))
                        elif not stopping:
                            idle_deaths += 1
                    procs = [p for p in procs if p not in dead]
                    if idle_deaths > MAX_IDLE_DEATHS:  # workers die before taking a trial: do not spin
                        why = f"worker processes exit as they start (exit code {dead[0].exitcode})"
                        for index in sorted(queued) + [j.trial.index for j in waiting]:
                            emit(JobEnded(by_index[index], why))
                        queued.clear()
                        waiting.clear()
                    elif not stopping and (waiting or queued):
                        procs += [self._spawn(ctx, tasks, events) for _ in dead]
                if stopping and not procs:
                    break
                if not stopping and not waiting and not queued:
                    break
        finally:
            for _ in procs:
                tasks.put(None)
            for p in procs:
                p.join(timeout=10)
                if p.is_alive():
                    p.kill()
            tasks.close()
            events.close()


def _drain(events: Any, handle: Callable[[Any], None]) -> None:
    while True:
        try:
            handle(events.get(timeout=0.05))
        except queue.Empty:
            return
