"""Run a sweep's trials with Ray Tune, on a local Ray instance or an existing cluster.

Ray is the distributed engine (``pip install -e '.[ray]'``): Tune schedules the trials
(one CPU each), its ASHA scheduler stops trials that fall behind when ``early_stop``
is set, and trials report their log records and model files through ``tune.report``
(``tui_nn.runs.sweep_ray_trial``). The driver alone writes the sweep folder: a Tune
callback appends each trial's reported records to its run folder's ``metrics.jsonl``
and writes its ``last.npz``/``best.npz``, holding the trial's ``train.lock`` meanwhile,
so ``tui-nn runs`` and ``tui-nn watch`` follow a Ray trial like any run. Workers need
no shared filesystem: datasets are opened once by the driver and shared through
Ray's object store.

On a Ray cluster a trial cannot read its folder's ``control.json``: pausing and the
learning-rate keys of ``tui-nn watch`` reach a trial only on a local Ray instance.
"""

from __future__ import annotations

import base64
import logging
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Callable

from tui_nn.core.atomicfile import write_atomically
from tui_nn.runs.files import BEST_MODEL, LAST_MODEL
from tui_nn.runs.log import RunWriter
from tui_nn.runs.sweep_jobs import Job, JobEnded, JobStarted
from tui_nn.runs.sweep_local import BLAS_ENV

__all__ = ["INSTALL_HINT", "RayBackend", "RayUnavailable"]

INSTALL_HINT = "Ray is not installed; install the extra with: pip install -e '.[ray]'   (or: pip install 'tui-nn[ray]')"
TUNE_ENV = {"TUNE_DISABLE_AUTO_CALLBACK_LOGGERS": "1", "TUNE_DISABLE_SIGINT_HANDLER": "1", "RAY_AIR_NEW_OUTPUT": "0"}
"""No result.json/progress.csv on the driver (the run folders are the record); our own signal handling."""


class RayUnavailable(Exception):
    """``--ray`` without Ray installed, or a cluster that cannot be reached; says how to fix it."""


class _TrialFolder:
    """The driver's writer of one Ray trial's run folder."""

    def __init__(self, job: Job) -> None:
        self.job = job
        if job.run_dir.exists():  # Ray trials start again; their folder is the driver's to replace
            shutil.rmtree(job.run_dir)
        self.writer = RunWriter.open_new(job.trial.config, job.run_dir)
        self.last: dict[str, Any] = {}
        self.ended = False
        self.error = ""

    def apply(self, result: dict[str, Any]) -> None:
        """Write what one ``tune.report`` carried: log lines, then model files."""
        from tui_nn.runs.files import strict_loads

        text = result.get("records") or ""
        if text:
            self.writer.write_encoded(text.encode("utf-8"))
            for line in text.splitlines():
                record = strict_loads(line)
                if record.get("type") == "eval":
                    self.last = record
                elif record.get("type") == "end":
                    self.ended = True
        for name, data in (result.get("files") or {}).items():
            if name in (LAST_MODEL, BEST_MODEL):
                raw = base64.b64decode(data)
                write_atomically(self.job.run_dir / name, lambda f: f.write(raw))
        if result.get("error"):
            self.error = str(result["error"])

    def close(self, state: str, reason: str) -> None:
        """End the log (when the trial could not) and release the lock."""
        if not self.ended and not self.error and self.last:
            last = self.last
            self.writer.write({
                "type": "end", "time": time.time(), "state": state, "iterations": last.get("iteration", -1) + 1,
                "elapsed": last.get("elapsed"), "cost": last.get("cost"), "learning_rate": last.get("learning_rate"),
                "train_accuracy": last.get("train_accuracy"), "dev_accuracy": last.get("dev_accuracy"),
                "test_accuracy": None, "best_dev_accuracy": last.get("dev_accuracy"), "reason": reason, "exit_status": 0,
            })
            self.ended = True
        self.writer.close()


class _Driver:
    """What the callback and the stopper share; Tune pickles its callbacks, so they hold only a token."""

    def __init__(self, jobs: dict[int, Job], emit: Callable[[Any], None], cancelled: threading.Event) -> None:
        self.jobs = jobs
        self.emit = emit
        self.cancelled = cancelled
        self.open: dict[int, _TrialFolder] = {}


_DRIVERS: dict[int, _Driver] = {}


class _ByToken:
    def __init__(self, token: int) -> None:
        self.token = token

    def __getattr__(self, name: str) -> Any:
        if name == "token":
            raise AttributeError(name)
        return getattr(_DRIVERS[self.token], name)


def _callback_class():
    from ray import tune

    class DriverWrites(_ByToken, tune.Callback):
        """Writes every trial's folder from its reports and tells the sweep runner."""

        def on_trial_start(self, iteration: int, trials: list, trial: Any, **info: Any) -> None:
            job = self.jobs[trial.config["trial"]]
            self.open[job.trial.index] = _TrialFolder(job)
            self.emit(JobStarted(job))

        def on_trial_result(self, iteration: int, trials: list, trial: Any, result: dict, **info: Any) -> None:
            folder = self.open.get(trial.config["trial"])
            if folder is not None:
                folder.apply(result)

        def finish(self, index: int, error: str = "") -> None:
            folder = self.open.pop(index, None)
            if folder is None:
                return
            if self.cancelled.is_set():
                folder.close("terminated", "the sweep was stopped")
            else:
                it = folder.last.get("iteration", -1) + 1
                folder.close("early-stopped", f"ASHA stopped it at iteration {it}: its dev cost was behind the other trials'")
            self.emit(JobEnded(folder.job, error or folder.error))

        def on_trial_complete(self, iteration: int, trials: list, trial: Any, **info: Any) -> None:
            self.finish(trial.config["trial"])

        def on_trial_error(self, iteration: int, trials: list, trial: Any, **info: Any) -> None:
            self.finish(trial.config["trial"], f"the Ray trial failed ({trial.error_file or 'no error file'})")

    return DriverWrites


def _stopper(token: int):
    from ray import tune

    class Cancel(_ByToken, tune.Stopper):
        def __call__(self, trial_id: str, result: dict) -> bool:
            return False

        def stop_all(self) -> bool:
            return self.cancelled.is_set()

    return Cancel(token)


class RayBackend:
    """Trials as Ray Tune trials: ``address`` None starts a local instance (``workers`` CPUs)."""

    name = "ray"

    def __init__(self, address: str | None = None, workers: int | None = None, early_stop: bool = False,
                 temp_dir: str | None = None) -> None:
        self.address = address
        self.workers = workers
        self.early_stop = early_stop
        self.temp_dir = temp_dir
        self._owns_ray = False
        """True when this backend started or joined Ray (and shuts it down after the sweep)."""

    def check(self) -> None:
        """Import Ray Tune and start (or join) Ray, before the sweep folder is made.

        Raises ``RayUnavailable`` with the install command when Ray is missing, or with
        Ray's reason when the instance cannot start or the cluster cannot be reached.
        """
        try:
            import ray  # noqa: F401
            from ray import tune  # noqa: F401
        except ImportError as e:
            raise RayUnavailable(f"{INSTALL_HINT}\n({e})") from None
        self._owns_ray = self._init() or self._owns_ray

    def _init(self) -> bool:
        """Start or join Ray unless this process already did; True when we must shut it down."""
        import ray

        if ray.is_initialized():
            return False
        env = {"env_vars": {**BLAS_ENV, "RAY_CHDIR_TO_TRIAL_DIR": "0"}}
        try:
            if self.address:
                ray.init(address=self.address, log_to_driver=False, runtime_env=env, logging_level=logging.ERROR)
            else:
                self.temp_dir = self.temp_dir or tempfile.mkdtemp(prefix="tui-nn-ray-")
                ray.init(num_cpus=self.workers or os.cpu_count() or 1, include_dashboard=False, log_to_driver=False,
                         _temp_dir=self.temp_dir, runtime_env=env, logging_level=logging.ERROR)
        except (ConnectionError, RuntimeError, ValueError) as e:
            where = f"the Ray cluster at {self.address}" if self.address else "a local Ray instance"
            raise RayUnavailable(f"cannot start or reach {where}: {e}") from None
        return True

    def run(self, jobs: list[Job], emit: Callable[[Any], None], cancelled: threading.Event) -> None:
        """Run ``jobs`` through ``tune.Tuner``; blocks until they end or ``cancelled`` is set."""
        if not jobs:
            return
        self.check()
        import ray
        from ray import tune

        from tui_nn.experiment import open_dataset
        from tui_nn.runs.sweep_ray_trial import DATA_KEY, ray_trial

        configs = {j.trial.index: j.trial.config.to_dict() for j in jobs}
        datasets: dict[str, Any] = {}
        for j in jobs:
            key = DATA_KEY(configs[j.trial.index])
            if key not in datasets:
                datasets[key] = open_dataset(j.trial.config)
        run_dirs = {j.trial.index: str(j.run_dir) for j in jobs}
        saved_env = {k: os.environ.get(k) for k in TUNE_ENV}
        os.environ.update(TUNE_ENV)
        storage = tempfile.mkdtemp(prefix="tui-nn-tune-")
        driver = _Driver({j.trial.index: j for j in jobs}, emit, cancelled)
        token = id(driver)
        _DRIVERS[token] = driver
        callback = _callback_class()(token)
        quiet = [logging.getLogger(n) for n in ("ray", "ray.tune", "ray.train")]
        levels = [lg.level for lg in quiet]
        for lg in quiet:
            lg.setLevel(logging.ERROR)
        try:
            trainable = tune.with_resources(
                tune.with_parameters(ray_trial, configs=configs, datasets=datasets, run_dirs=run_dirs), {"cpu": 1})
            tuner = tune.Tuner(
                trainable,
                param_space={"trial": tune.grid_search(sorted(configs))},
                tune_config=tune.TuneConfig(scheduler=self._scheduler(jobs), max_concurrent_trials=self.workers,
                                            reuse_actors=True),
                run_config=tune.RunConfig(storage_path=storage, name="sweep", callbacks=[callback],
                                          stop=_stopper(token), verbose=0),
            )
            tuner.fit()
        finally:
            for index in list(driver.open):  # trials Tune stopped without telling us
                callback.finish(index)
            _DRIVERS.pop(token, None)
            for lg, level in zip(quiet, levels):
                lg.setLevel(level)
            for k, v in saved_env.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
            shutil.rmtree(storage, ignore_errors=True)
            if self._owns_ray:
                ray.shutdown()
                self._owns_ray = False

    def _scheduler(self, jobs: list[Job]) -> Any:
        """ASHA on the dev cost against iterations, with rungs at a ninth and a third of the longest trial."""
        if not self.early_stop:
            return None
        from ray.tune.schedulers import ASHAScheduler

        longest = max(j.trial.config.iterations for j in jobs)
        # max_t one past the end: ASHA stops a trial that reaches max_t, which would cut off its end record
        return ASHAScheduler(time_attr="iteration", metric="dev_cost", mode="min", max_t=longest + 1,
                             grace_period=max(1, longest // 9), reduction_factor=3)
