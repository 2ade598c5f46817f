"""``tui-nn train``: headless training into a run folder, with signals, steering and resume.

The loop pulls one step at a time from ``Trainer.run()``. Between steps it
applies steering commands (``tui_nn.runs.control``) and checks for SIGTERM, SIGHUP
and SIGINT, which only set a flag: the run then ends between two steps with a
consistent ``last.npz``, an ``end`` record and exit status 128 + signal.
"""

from __future__ import annotations

import math
import os
import signal
import socket
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, TextIO

import numpy as np

from tui_nn.blas_threads import BlasChoice
from tui_nn.config import ConfigError, RunConfig, from_mapping, load_config, save_config
from tui_nn.runs.control import ControlReader, Steering
from tui_nn.core import ModelFileError, StepResult, Trainer, accuracy, load_model
from tui_nn.experiment import Experiment, build_experiment
from tui_nn.runs.stop_signals import StopSignals
from tui_nn.runs.progress import Progress, default_every, format_duration
from tui_nn.runs.files import BEST_MODEL, CONFIG_NAME, LAST_MODEL, LOG_NAME
from tui_nn.runs.log import RunBusyError, RunLogError, RunWriter, step_record
from tui_nn.runs.reader import is_training, read_run_summary
from tui_nn.safe_text import say

__all__ = [
    "EXIT_DIVERGED", "RESUME_KEYS", "RunLogError", "TrainError", "TrainOptions", "TrainOutcome", "resume_config", "train",
]

EXIT_DIVERGED = 1
RESUME_KEYS = ("iterations", "learning_rate", "eval_every")
"""Flags that may change when resuming; everything else comes from the run's config.toml."""
CHECKPOINT_SECONDS = 1.0
"""``last.npz`` is rewritten at an evaluation at most this often (and always at the end)."""
PAUSE_SLEEP = 0.05


class TrainError(Exception):
    """The run cannot start or resume; the message is for a person (exit status 2)."""


@dataclass(frozen=True)
class TrainOptions:
    """How ``train`` reports: progress stream, plain-line interval, quiet, TTY override,
    and the BLAS thread choice the command made (said on the stream and in the log)."""

    stream: TextIO = field(default_factory=lambda: sys.stderr)
    every: int | None = None
    quiet: bool = False
    tty: bool | None = None
    blas: BlasChoice | None = None


@dataclass(frozen=True)
class TrainOutcome:
    """How a run ended: the end record and the exit status."""

    run_dir: Path
    state: str
    iterations: int
    elapsed: float
    exit_status: int
    end_record: dict[str, Any]


def _score(result: StepResult) -> float | None:
    """Higher is better: dev accuracy, else train accuracy, else minus the (dev) cost."""
    for value, sign in ((result.dev_accuracy, 1.0), (result.train_accuracy, 1.0), (result.dev_cost, -1.0), (result.cost, -1.0)):
        if value is not None:
            return sign * value if math.isfinite(value) else None
    return None


@np.errstate(all="ignore")  # weights near the float limit overflow: the accuracy says so, not a warning
def _final_accuracies(exp: Experiment, parameters: dict) -> dict[str, float | None]:
    ds, spec = exp.dataset, exp.spec
    out = {
        "train_accuracy": accuracy(ds.X_train, ds.targets(ds.Y_train), parameters, spec),
        "dev_accuracy": accuracy(ds.X_dev, ds.targets(ds.Y_dev), parameters, spec),
        "test_accuracy": None,
    }
    if ds.X_test is not None and ds.Y_test is not None:
        out["test_accuracy"] = accuracy(ds.X_test, ds.targets(ds.Y_test), parameters, spec)
    return out


def resume_config(run_dir: Path, overrides: dict[str, Any]) -> RunConfig:
    """The run's saved config with the allowed ``overrides`` applied (others are an error)."""
    bad = [k for k in overrides if k not in RESUME_KEYS]
    if bad:
        raise ConfigError(f"{bad[0]}: cannot be changed when resuming (only {', '.join(RESUME_KEYS)} can)")
    cfg = load_config(run_dir / CONFIG_NAME)
    if overrides:
        cfg = from_mapping({**cfg.to_dict(), **overrides}, "command line")
    return cfg


class _Run:
    """One training session: the experiment, trainer, writer and bookkeeping for records."""

    def __init__(self, exp: Experiment, trainer: Trainer, writer: RunWriter, best_score: float | None, best_dev: float | None) -> None:
        self.exp = exp
        self.trainer = trainer
        self.writer = writer
        self.best_score = best_score
        self.best_dev = best_dev
        self.last_cost: float | None = trainer.last_cost
        self._next_checkpoint = 0.0

    def model_extra(self, **more: Any) -> dict[str, Any]:
        return {
            **self.exp.model_metadata(self.trainer.iteration),
            "run_id": self.writer.run_id,
            "optimizer": self.exp.config.optimizer,
            "optimizer_state": "not saved (momentum/Adam restart on resume)",
            "learning_rate": self.trainer.learning_rate,
            "cost": self.last_cost,
            **more,
        }

    def save_last(self) -> None:
        self.writer.save_model(LAST_MODEL, self.exp.spec, self.trainer.parameters, self.model_extra())

    def record(self, result: StepResult, elapsed: float) -> None:
        """Log an evaluated (or final) step; refresh (throttled) last.npz, then best.npz, so a
        best.npz never exists without a last.npz beside it."""
        self.last_cost = result.cost
        best = False
        score = _score(result)
        if score is not None and (self.best_score is None or score > self.best_score) and result.status != "diverged":
            self.best_score = score
            best = True
        now = time.monotonic()
        if now >= self._next_checkpoint:
            self._next_checkpoint = now + CHECKPOINT_SECONDS
            self.save_last()
        if best:
            self.writer.save_model(
                BEST_MODEL, self.exp.spec, self.trainer.parameters,
                self.model_extra(evaluated_at_iteration=result.iteration, dev_accuracy=result.dev_accuracy,
                                 train_accuracy=result.train_accuracy),
            )
        if result.dev_accuracy is not None and math.isfinite(result.dev_accuracy):
            self.best_dev = result.dev_accuracy if self.best_dev is None else max(self.best_dev, result.dev_accuracy)
        self.writer.write(step_record(result, elapsed, best))


OpenWriter = Callable[..., Any]
"""``RunWriter.create``'s signature: ``(config, dataset, spec, stats_every=, run_dir=)`` -> a writer
with ``run_dir``, ``run_id``, ``write(record)``, ``save_model(name, spec, parameters, extra)`` and ``close()``."""


def _blas_record(blas: BlasChoice | None) -> dict[str, Any]:
    return {"blas_threads": blas.to_json() if blas is not None else None}


def _open_new(cfg: RunConfig, run_dir: Path | None, dataset: Any, open_writer: OpenWriter | None,
              blas: BlasChoice | None = None) -> _Run:
    """A new run, with last.npz written before the first step so it resumes from the start."""
    exp = build_experiment(cfg, dataset)
    if open_writer is None:
        writer = RunWriter.create(cfg, exp.dataset, exp.spec, stats_every=cfg.eval_every, run_dir=run_dir,
                                  extra=_blas_record(blas))
    else:
        writer = open_writer(cfg, exp.dataset, exp.spec, stats_every=cfg.eval_every, run_dir=run_dir)
    run = _Run(exp, exp.new_trainer(stats_every=cfg.eval_every), writer, None, None)
    try:
        run.save_last()
    except BaseException:
        writer.close()
        raise
    return run


def _open_resume(run_dir: Path, overrides: dict[str, Any], blas: BlasChoice | None = None) -> tuple[_Run, int]:
    if not (run_dir / LOG_NAME).is_file() or not (run_dir / CONFIG_NAME).is_file():
        raise TrainError(f"{run_dir}: not a tui-nn run folder (no {LOG_NAME} and {CONFIG_NAME})")
    cfg = resume_config(run_dir, overrides)
    if is_training(run_dir):
        raise RunBusyError(f"{run_dir} is being trained by another process")
    try:
        model = load_model(run_dir / LAST_MODEL)
    except ModelFileError as e:
        raise TrainError(f"cannot resume {run_dir}: {e}") from None
    extra = model.metadata["extra"]  # an object: load_model checks it
    start = extra.get("iteration")
    if type(start) is not int or start < 0:
        raise TrainError(f"cannot resume {run_dir}: {LAST_MODEL} does not say how many iterations it has")
    if start >= cfg.iterations:
        raise TrainError(
            f"{run_dir} already has {start} of {cfg.iterations} iterations; "
            f"pass --iterations N (N > {start}) to train further"
        )
    exp = build_experiment(cfg)
    if model.spec != exp.spec:
        raise TrainError(f"cannot resume {run_dir}: {LAST_MODEL} is a {model.spec.layer_dims} network, the config builds {exp.spec.layer_dims}")
    summary = read_run_summary(run_dir)
    writer, dropped = RunWriter.append_to(run_dir)
    try:
        if overrides:
            try:
                save_config(cfg, run_dir / CONFIG_NAME)
            except OSError as e:
                raise RunLogError(f"cannot write {run_dir / CONFIG_NAME}: {e.strerror or e}") from None
        trainer = exp.new_trainer(parameters=model.parameters, stats_every=cfg.eval_every)
        trainer.iteration = start  # the step index continues; the optimiser's state starts afresh
        saved_lr = extra.get("learning_rate")
        if "learning_rate" not in overrides and type(saved_lr) in (int, float) and math.isfinite(saved_lr) and saved_lr > 0:
            trainer.learning_rate = float(saved_lr)
        writer.write(
            {
                "type": "resume", "time": time.time(), "iteration": start, "pid": os.getpid(),
                "host": socket.gethostname(), "config": cfg.to_dict(), "learning_rate": trainer.learning_rate,
                "optimizer_state": "restarted" if cfg.optimizer != "gd" else "none",
                "dropped_bytes": dropped, "from_model": LAST_MODEL, **_blas_record(blas),
            }
        )
    except BaseException:
        writer.close()
        raise
    best_dev = summary.best_dev_accuracy
    return _Run(exp, trainer, writer, best_dev if best_dev is not None else None, best_dev), start


def train(cfg: RunConfig | None, options: TrainOptions = TrainOptions(), resume: Path | None = None,
          resume_overrides: dict[str, Any] | None = None, echo: Callable[[str], None] = say, *,
          run_dir: Path | None = None, dataset: Any = None, open_writer: OpenWriter | None = None) -> TrainOutcome:
    """Train a new run from ``cfg`` (or resume ``resume``) to the end; ``echo`` prints the summary
    (by default made printable line by line: it names the dataset and the run folder).

    A sweep's trial passes its own ``run_dir`` (created here, must not exist), may pass the
    already opened ``dataset``, and on Ray an ``open_writer`` whose writer reports records
    to the driver instead of writing files. Raises ``ConfigError``, ``DatasetError``,
    ``TrainError`` or ``RunLogError`` before training starts.
    """
    if resume is not None:
        run, start = _open_resume(Path(resume), resume_overrides or {}, options.blas)
    else:
        assert cfg is not None
        run, start = _open_new(cfg, run_dir, dataset, open_writer, options.blas), 0
    cfg = run.exp.config
    trainer, writer = run.trainer, run.writer
    every = options.every or default_every(cfg.iterations)
    progress = Progress(options.stream, cfg.iterations, every, start, options.tty, options.quiet)
    if resume is not None:
        restarts = " (momentum/Adam averages restart)" if cfg.optimizer != "gd" else ""
        progress.note(f"resuming {writer.run_dir} at iteration {start}{restarts}")
    else:
        progress.note(f"training {cfg.dataset} {list(run.exp.spec.layer_dims)} into {writer.run_dir}")
    if options.blas is not None:
        progress.note(options.blas.describe())
    signals = StopSignals().install()
    control = ControlReader(writer.run_dir)
    steering = Steering()
    t0 = time.monotonic()
    state: str | None = None
    last: StepResult | None = None
    steps = trainer.run()
    try:
        while state is None:
            for cmd in control.poll():
                ack = steering.apply(cmd, trainer)
                writer.write(ack)
                progress.note(f"control #{ack['seq']}: {cmd.command}: {ack['message']}")
            if signals.signum is not None:
                state = "terminated"
                break
            if steering.stop_requested:
                state = "stopped"
                break
            if steering.paused:
                time.sleep(PAUSE_SLEEP)
                continue
            try:
                result = next(steps)
            except StopIteration:
                state = trainer.status if trainer.status != "running" else "finished"
                break
            last = result
            if result.train_accuracy is not None:
                progress.train_accuracy, progress.dev_accuracy = result.train_accuracy, result.dev_accuracy
            if result.done or result.train_accuracy is not None or result.layer_stats is not None:
                run.record(result, time.monotonic() - t0)
            else:
                run.last_cost = result.cost
            progress.update(trainer.iteration, result.cost, trainer.learning_rate)
            if result.done:
                state = result.status
        return _finish(run, state, last, signals.signum, time.monotonic() - t0, start, progress, echo)
    except RunLogError as e:
        progress.close()
        raise RunLogError(_failed(run, e, time.monotonic() - t0)) from None
    finally:
        signals.restore()
        writer.close()


def _failed(run: _Run, error: RunLogError, elapsed: float) -> str:
    """After a write failed (a full disk, an I/O error): try to end the log with a ``failed``
    record, and say what happened and how to continue."""
    iteration = run.trainer.iteration
    try:
        run.writer.write({
            "type": "end", "time": time.time(), "state": "failed", "iterations": iteration, "elapsed": round(elapsed, 4),
            "cost": run.last_cost, "learning_rate": run.trainer.learning_rate, "best_dev_accuracy": run.best_dev,
            "reason": str(error), "exit_status": 1,
        })
    except RunLogError:
        pass
    return (f"{error}; the run stopped at iteration {iteration}. Once there is room, "
            f"`tui-nn train --resume {run.writer.run_dir}` continues it from its last.npz")


def _finish(run: _Run, state: str, last: StepResult | None, signum: int | None, elapsed: float, start: int,
            progress: Progress, echo: Callable[[str], None]) -> TrainOutcome:
    trainer, exp, writer = run.trainer, run.exp, run.writer
    if last is not None:
        progress.update(trainer.iteration, last.cost, trainer.learning_rate, force=True)
    progress.close()
    run.save_last()
    final = _final_accuracies(exp, trainer.parameters)
    record: dict[str, Any] = {
        "type": "end", "time": time.time(), "state": state, "iterations": trainer.iteration,
        "elapsed": round(elapsed, 4), "cost": run.last_cost, "learning_rate": trainer.learning_rate,
        **final, "best_dev_accuracy": run.best_dev,
    }
    status = 0
    if state == "terminated" and signum is not None:
        name = signal.Signals(signum).name
        status = 128 + signum
        record.update(signal=name, signum=signum, reason=f"terminated by {name}")
    elif state == "diverged" and last is not None and last.divergence is not None:
        d = last.divergence
        record["divergence"] = {"iteration": d.iteration, "layer": d.layer, "array": d.array, "reason": d.reason}
        record["reason"] = d.describe()
        status = EXIT_DIVERGED
    elif state == "stopped":
        record["reason"] = "stopped from a watcher"
    elif state == "converged":
        record["reason"] = "the cost stopped changing"
    else:
        record["reason"] = f"reached {trainer.iteration} iterations"
    record["exit_status"] = status
    writer.write(record)
    rate = (trainer.iteration - start) / elapsed if elapsed > 0 else 0.0
    done = trainer.iteration - start
    span = f"{done} iterations" if start == 0 else f"{done} iterations this session ({trainer.iteration} in all)"
    lines = [f"{exp.dataset.name}: {state} after {span} in {format_duration(elapsed)} ({rate:,.0f} it/s)"]
    if record.get("reason") and state != "finished":
        lines.append(f"  {record['reason']}")
    if run.last_cost is not None:
        lines.append(f"  cost   {run.last_cost:.6g}")
    ds = exp.dataset
    for key, label, m in (("train_accuracy", "train", ds.m_train), ("dev_accuracy", "dev", ds.m_dev),
                          ("test_accuracy", "test", None if ds.X_test is None else ds.X_test.shape[1])):
        if final[key] is not None:
            lines.append(f"  {label:<6} {100 * final[key]:.1f} %  ({m} examples)")
    lines.append(f"  run    {writer.run_dir}")
    lines.append("  (accuracies of the final weights, saved in last.npz)")
    try:
        echo("\n".join(lines))
    except OSError:
        pass
    return TrainOutcome(writer.run_dir, state, trainer.iteration, elapsed, status, record)

