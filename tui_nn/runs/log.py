"""The run folder and its writer: resolved config, JSONL metrics log, last and best model files.

Record schema (``SCHEMA_VERSION`` 1; every record has ``type`` and ``time``, Unix seconds):

- ``header``: ``schema_version, run_id, created_at, pid, host, tui_nn_version,
  config`` (RunConfig.to_dict), ``dataset`` (name, task, n_x, n_y, m_train,
  m_dev, m_test, description, class_names), ``spec`` (layer_dims,
  hidden_activations, output, parameter_count), ``eval_every``, ``stats_every``,
  ``blas_threads`` (``tui-nn train``'s choice: threads, source user | busy | idle,
  load_average, cores, variable; absent in a sweep's trials).
- ``eval``: ``iteration`` (0-based step), ``elapsed``, ``cost``, ``learning_rate``,
  ``train_accuracy``, ``dev_accuracy``, ``dev_cost``, ``status``, ``best`` (true
  when this evaluation saved a new best.npz), ``layers`` (list of
  ``layer_stats_to_json``, present when statistics were computed).
- ``ack``: ``seq, command, ok, message, iteration`` (steps done), ``learning_rate``, ``paused``.
- ``resume``: ``iteration`` (steps done, the next step's index), ``pid, host,
  config, learning_rate, optimizer_state`` ("restarted"), ``dropped_bytes``, ``blas_threads``.
- ``end``: ``state`` (finished | converged | diverged | stopped | terminated),
  ``iterations`` (steps done), ``elapsed, cost, train_accuracy, dev_accuracy,
  test_accuracy, best_dev_accuracy, reason``; ``signal``/``signum`` when
  terminated; ``divergence`` {iteration, layer, array, reason} when diverged.

Non-finite floats are written as null plus ``<key>_str`` (see ``tui_nn.runs.files``).
"""

from __future__ import annotations

import errno
import fcntl
import os
import re
import secrets
import socket
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Mapping

import numpy as np

from tui_nn import __version__
from tui_nn.config import RunConfig, save_config
from tui_nn.core import ModelFileError, NetworkSpec, StepResult, save_model
from tui_nn.core.atomicfile import remove_stale_temps
from tui_nn.core.stats import ArrayStats, Histogram, LayerStats
from tui_nn.runs.files import (
    BEST_MODEL,
    CONFIG_NAME,
    LAST_MODEL,
    LOCK_NAME,
    LOG_NAME,
    SCHEMA_VERSION,
    encode_line,
    from_plain_json,
    to_plain_json,
)

__all__ = [
    "RunBusyError", "RunLogError", "RunWriter", "dataset_summary", "header_record", "layer_stats_from_json",
    "layer_stats_to_json", "make_run_dir", "spec_summary",
]


class RunLogError(Exception):
    """The run folder or its log cannot be created, opened or written; the message is for a person."""


class RunBusyError(RunLogError):
    """Another process is training this run (it holds ``train.lock``)."""


# --- LayerStats <-> JSON -------------------------------------------------------------------

_ARRAYS = ("W", "b", "A", "dW")
_HISTS = ("W_hist", "A_hist")


def layer_stats_to_json(stats: LayerStats) -> dict[str, Any]:
    """One layer's statistics as plain strict JSON (non-finite floats as null + ``key_str``).

    Shape: ``{"layer", "activation", "units", "W"|"b"|"A"|"dW": {"mean", "std",
    "min", "max", "norm"}, "update_ratio", "saturated", "dead", "identical_units",
    "W_hist"|"A_hist": {"counts": [int, ...], "lo", "hi"}}``.
    """
    out: dict[str, Any] = {"layer": stats.layer, "activation": stats.activation, "units": stats.units}
    for name in _ARRAYS:
        a: ArrayStats = getattr(stats, name)
        out[name] = {"mean": a.mean, "std": a.std, "min": a.min, "max": a.max, "norm": a.norm}
    out["update_ratio"] = stats.update_ratio
    out["saturated"] = stats.saturated
    out["dead"] = stats.dead
    out["identical_units"] = stats.identical_units
    for name in _HISTS:
        h: Histogram = getattr(stats, name)
        out[name] = {"counts": [int(c) for c in h.counts], "lo": h.lo, "hi": h.hi}
    return to_plain_json(out)


def layer_stats_from_json(data: Mapping[str, Any]) -> LayerStats:
    """Inverse of ``layer_stats_to_json`` (accepts decoded or still-encoded records).

    Raises ``ValueError`` when a field is missing or has the wrong type.
    """
    d = from_plain_json(dict(data))
    try:
        arrays = {n: ArrayStats(*(float(d[n][k]) for k in ("mean", "std", "min", "max", "norm"))) for n in _ARRAYS}
        hists = {n: Histogram(tuple(int(c) for c in d[n]["counts"]), float(d[n]["lo"]), float(d[n]["hi"])) for n in _HISTS}
        return LayerStats(
            layer=int(d["layer"]),
            activation=str(d["activation"]),
            units=int(d["units"]),
            update_ratio=float(d["update_ratio"]),
            saturated=None if d.get("saturated") is None else float(d["saturated"]),
            dead=None if d.get("dead") is None else float(d["dead"]),
            identical_units=bool(d["identical_units"]),
            **arrays,
            **hists,
        )
    except (KeyError, TypeError, ValueError) as e:
        raise ValueError(f"not a layer statistics record ({type(e).__name__}: {e})") from None


# --- summaries ---------------------------------------------------------------------------


def _jsonable(value: Any) -> Any:
    """Best-effort plain JSON for metadata (numpy scalars and arrays, paths, tuples)."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist() if value.size <= 64 else f"array{value.shape}"
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def dataset_summary(dataset: Any) -> dict[str, Any]:
    """Name, task, sizes and description of a ``tui_nn.datasets.Dataset``."""
    return _jsonable(
        {
            "name": dataset.name,
            "task": dataset.task,
            "n_x": dataset.n_x,
            "n_y": dataset.n_y,
            "m_train": dataset.m_train,
            "m_dev": dataset.m_dev,
            "m_test": None if dataset.X_test is None else int(dataset.X_test.shape[1]),
            "description": dataset.description,
            "class_names": list(dataset.class_names[:100]),
            "feature_names": list(dataset.feature_names[:100]),
            "image_shape": None if dataset.image_shape is None else list(dataset.image_shape),
            "provenance": dataset.provenance,
        }
    )


def spec_summary(spec: NetworkSpec) -> dict[str, Any]:
    """Layer dims, activations, output and parameter count of a network."""
    return {
        "layer_dims": list(spec.layer_dims),
        "hidden_activations": list(spec.hidden_activations),
        "output": spec.output,
        "parameter_count": int(spec.parameter_count()),
    }


def step_record(result: StepResult, elapsed: float, best: bool = False) -> dict[str, Any]:
    """The ``eval`` record of one evaluated step."""
    record: dict[str, Any] = {
        "type": "eval",
        "time": time.time(),
        "iteration": result.iteration,
        "elapsed": round(elapsed, 4),
        "cost": result.cost,
        "learning_rate": result.learning_rate,
        "train_accuracy": result.train_accuracy,
        "dev_accuracy": result.dev_accuracy,
        "dev_cost": result.dev_cost,
        "status": result.status,
        "best": best,
    }
    if result.layer_stats is not None:
        record["layers"] = [layer_stats_to_json(s) for s in result.layer_stats]
    return record


# --- the run folder ----------------------------------------------------------------------

_SLUG_BAD = re.compile(r"[^A-Za-z0-9._-]+")


def _slug(dataset: str) -> str:
    name = Path(dataset.rstrip("/\\")).stem or dataset
    slug = _SLUG_BAD.sub("-", name).strip("-.")[:24]
    return slug or "data"


def make_run_dir(out: str | os.PathLike, dataset: str, now: float | None = None) -> Path:
    """Create a new, empty run folder ``out/YYYYmmdd-HHMMSS-<dataset>-<4 hex>``; never reuses one."""
    out = Path(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise RunLogError(f"cannot create the output folder {out}: {e.strerror or e}") from None
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(time.time() if now is None else now))
    for _ in range(100):
        path = out / f"{stamp}-{_slug(dataset)}-{secrets.token_hex(2)}"
        try:
            path.mkdir()
            return path
        except FileExistsError:
            continue
        except OSError as e:
            raise RunLogError(f"cannot create a run folder in {out}: {e.strerror or e}") from None
    raise RunLogError(f"cannot find a free run folder name in {out}")


def acquire_lock(run_dir: Path) -> int:
    """Hold ``train.lock`` in ``run_dir`` (an exclusive flock); returns the descriptor to keep open."""
    try:
        fd = os.open(run_dir / LOCK_NAME, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as e:
        raise RunLogError(f"cannot write in the run folder {run_dir}: {e.strerror or e}") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as e:
        os.close(fd)
        if e.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
            raise RunBusyError(f"{run_dir} is being trained by another process") from None
        raise RunLogError(f"cannot lock {run_dir / LOCK_NAME}: {e.strerror or e}") from None
    try:
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
    except OSError as e:
        os.close(fd)
        raise RunLogError(f"cannot write {run_dir / LOCK_NAME}: {e.strerror or e}") from None
    return fd


def _drop_torn_tail(path: Path) -> int:
    """Cut an incomplete last line (a killed writer's) off the log; returns the bytes dropped."""
    with open(path, "rb+") as f:
        size = f.seek(0, os.SEEK_END)
        if size == 0:
            return 0
        pos = size
        while pos > 0:
            step = min(4096, pos)
            f.seek(pos - step)
            chunk = f.read(step)
            nl = chunk.rfind(b"\n")
            if nl >= 0:
                keep = pos - step + nl + 1
                break
            pos -= step
        else:
            keep = 0
        if keep < size:
            f.truncate(keep)
        return size - keep


def _new_dir(path: Path) -> Path:
    try:
        path.mkdir()
    except OSError as e:
        raise RunLogError(f"cannot create the run folder {path}: {e.strerror or e}") from None
    return path


def header_record(run_id: str, config: RunConfig, dataset: Any, spec: NetworkSpec, stats_every: int,
                  extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The first record of a run log (see the module docstring), with ``extra`` fields
    (such as the BLAS thread choice)."""
    return {
        "type": "header",
        "schema_version": SCHEMA_VERSION,
        "run_id": run_id,
        "time": time.time(),
        "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "tui_nn_version": __version__,
        "config": config.to_dict(),
        "dataset": dataset_summary(dataset),
        "spec": spec_summary(spec),
        "eval_every": config.eval_every,
        "stats_every": stats_every,
        **(extra or {}),
    }


class RunWriter:
    """Appends records to a run's ``metrics.jsonl``: one ``os.write`` per line, O_APPEND.

    Also holds the run's ``train.lock`` and writes its model files atomically.
    """

    def __init__(self, run_dir: Path, lock_fd: int, log_fd: int) -> None:
        self.run_dir = run_dir
        self.run_id = run_dir.name
        self._lock_fd = lock_fd
        self._fd = log_fd

    @property
    def log_path(self) -> Path:
        return self.run_dir / LOG_NAME

    @classmethod
    def open_new(cls, config: RunConfig, run_dir: Path | None = None) -> "RunWriter":
        """A new run folder under ``config.out`` (or exactly ``run_dir``, which must not exist yet),
        locked, with config.toml and an empty log: the caller writes the header record first."""
        run_dir = make_run_dir(config.out, config.dataset) if run_dir is None else _new_dir(Path(run_dir))
        lock_fd = acquire_lock(run_dir)
        try:
            save_config(config, run_dir / CONFIG_NAME)
            fd = os.open(run_dir / LOG_NAME, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
        except OSError as e:
            os.close(lock_fd)
            raise RunLogError(f"cannot write in {run_dir}: {e.strerror or e}") from None
        return cls(run_dir, lock_fd, fd)

    @classmethod
    def create(cls, config: RunConfig, dataset: Any, spec: NetworkSpec, stats_every: int,
               run_dir: Path | None = None, extra: Mapping[str, Any] | None = None) -> "RunWriter":
        """``open_new`` with the header record written (with ``extra`` fields)."""
        writer = cls.open_new(config, run_dir)
        writer.write(header_record(writer.run_id, config, dataset, spec, stats_every, extra))
        return writer

    @classmethod
    def append_to(cls, run_dir: str | os.PathLike) -> tuple["RunWriter", int]:
        """Reopen an existing run's log for appending (``--resume``).

        Takes the lock first, then cuts off a torn last line left by a killed
        writer, so the next record starts on a line of its own, and removes the
        temporary files killed saves of the model files and the config left
        behind. Returns the writer and the number of bytes dropped.
        """
        run_dir = Path(run_dir)
        log = run_dir / LOG_NAME
        if not log.is_file():
            raise RunLogError(f"{run_dir}: not a tui-nn run folder (no {LOG_NAME})")
        lock_fd = acquire_lock(run_dir)
        for name in (LAST_MODEL, BEST_MODEL, CONFIG_NAME):
            remove_stale_temps(run_dir / name)
        try:
            dropped = _drop_torn_tail(log)
            fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CLOEXEC)
        except OSError as e:
            os.close(lock_fd)
            raise RunLogError(f"cannot append to {log}: {e.strerror or e}") from None
        return cls(run_dir, lock_fd, fd), dropped

    def write(self, record: Mapping[str, Any]) -> None:
        """Append one record as one strict-JSON line with a single write (retried only if partial).

        Raises ``RunLogError`` when the disk refuses it (full, I/O error).
        """
        self.write_encoded(encode_line(dict(record)))

    def write_encoded(self, data: bytes) -> None:
        """Append lines already encoded by ``encode_line`` (a Ray trial's records, relayed by the driver);
        raises ``RunLogError`` when the disk refuses them."""
        view = memoryview(data)
        try:
            while view:
                n = os.write(self._fd, view)
                view = view[n:]
        except OSError as e:
            raise RunLogError(f"cannot write the log {self.log_path}: {e.strerror or e}") from None

    def save_model(self, name: str, spec: NetworkSpec, parameters: Mapping[str, np.ndarray], extra: Mapping[str, Any]) -> Path:
        """Write ``last.npz`` or ``best.npz`` atomically (``tui_nn.core.save_model``); raises
        ``RunLogError`` when it cannot be written (the previous file is kept)."""
        if name not in (LAST_MODEL, BEST_MODEL):
            raise ValueError(f"unknown model file name {name!r}")
        try:
            return save_model(self.run_dir / name, spec, parameters, _jsonable(dict(extra)))
        except ModelFileError as e:
            raise RunLogError(str(e)) from None

    def close(self) -> None:
        """Close the log and release the lock."""
        for fd in (self._fd, self._lock_fd):
            try:
                os.close(fd)
            except OSError:
                pass
        self._fd = self._lock_fd = -1
