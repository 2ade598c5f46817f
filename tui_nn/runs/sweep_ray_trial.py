"""The Ray side of a trial: ``tui-nn train``'s loop with a writer that reports instead of writing files.

A Ray worker may be on another machine with no shared filesystem, so the trial's
records and model files travel through Ray: ``ReportingWriter`` buffers the encoded
log lines (and ``last.npz``/``best.npz`` as bytes) and hands them to
``ray.tune.report`` at every evaluation and at the end. The driver writes them into
the trial's run folder (``tui_nn.runs.sweep_ray``). Imported only inside Ray workers
and by the Ray backend.
"""

from __future__ import annotations

import base64
import math
import tempfile
from pathlib import Path
from typing import Any, Mapping

from tui_nn.core import NetworkSpec, save_model
from tui_nn.runs.files import BEST_MODEL, LAST_MODEL, encode_line
from tui_nn.runs.log import _jsonable, header_record

__all__ = ["ReportingWriter", "ray_trial", "DATA_KEY"]

NO_COST = 1e300
"""The metric reported when no finite dev cost is known yet (ASHA needs a number)."""


def DATA_KEY(config: Mapping[str, Any]) -> str:
    """Which opened dataset a trial's config needs (the driver opens each once)."""
    from tui_nn.runs.sweep_plan import DATA_KEYS

    return repr(tuple(config.get(k) for k in DATA_KEYS))


class ReportingWriter:
    """Stands in for ``RunWriter`` inside a Ray trial (same methods); see the module docstring."""

    def __init__(self, run_dir: Path) -> None:
        self.run_dir = run_dir
        self.run_id = run_dir.name
        self._lines: list[bytes] = []
        self._files: dict[str, str] = {}
        self._tmp = tempfile.TemporaryDirectory(prefix="tui-nn-trial-")
        self._dev_cost = NO_COST
        self._iteration = 0

    @classmethod
    def create(cls, config: Any, dataset: Any, spec: NetworkSpec, stats_every: int, run_dir: Path | None = None) -> "ReportingWriter":
        """Same signature as ``RunWriter.create``; the header record is the first line reported."""
        assert run_dir is not None
        writer = cls(Path(run_dir))
        writer.write(header_record(writer.run_id, config, dataset, spec, stats_every))
        return writer

    def write(self, record: Mapping[str, Any]) -> None:
        self._lines.append(encode_line(dict(record)))
        kind = record.get("type")
        if kind == "eval":
            self._iteration = int(record["iteration"]) + 1
            dev = record.get("dev_cost")
            if isinstance(dev, float) and math.isfinite(dev):
                self._dev_cost = dev
        # the last step's eval goes with the end record, so a scheduler's stop cannot fall between them
        if kind == "end" or (kind == "eval" and record.get("status") == "running"):
            self.flush()

    def save_model(self, name: str, spec: NetworkSpec, parameters: Mapping[str, Any], extra: Mapping[str, Any]) -> Path:
        """The model file as bytes, sent with the next report (the same file ``RunWriter`` would write)."""
        if name not in (LAST_MODEL, BEST_MODEL):
            raise ValueError(f"unknown model file name {name!r}")
        path = Path(self._tmp.name) / name
        save_model(path, spec, parameters, _jsonable(dict(extra)))
        self._files[name] = base64.b64encode(path.read_bytes()).decode("ascii")
        return path

    def flush(self) -> None:
        """Report the buffered lines and files to Ray Tune (the driver writes them)."""
        from ray import tune

        if not self._lines and not self._files:
            return
        report = {"iteration": self._iteration, "dev_cost": self._dev_cost,
                  "records": b"".join(self._lines).decode("utf-8"), "files": dict(self._files)}
        self._lines.clear()
        self._files.clear()
        tune.report(report)

    def close(self) -> None:
        self.flush()
        self._tmp.cleanup()


def ray_trial(config: dict[str, Any], configs: dict[int, dict[str, Any]], datasets: dict[str, Any], run_dirs: dict[int, str]) -> None:
    """A Ray Tune function trainable: train trial ``config["trial"]`` with the headless loop.

    ``configs``, ``datasets`` (opened by the driver, shared through Ray's object store)
    and ``run_dirs`` come from ``tune.with_parameters``. An error is reported, not raised,
    so the driver records why and the sweep goes on.
    """
    from ray import tune

    from tui_nn.config import from_mapping
    from tui_nn.runs.headless import TrainOptions, train

    index = config["trial"]
    try:
        cfg = from_mapping(configs[index], f"trial {index}")
        train(cfg, TrainOptions(quiet=True), run_dir=Path(run_dirs[index]), dataset=datasets[DATA_KEY(configs[index])],
              open_writer=ReportingWriter.create, echo=lambda text: None)
    except Exception as e:  # reported to the driver, which records it as the trial's reason
        tune.report({"iteration": 0, "dev_cost": NO_COST, "records": "", "files": {}, "error": f"{type(e).__name__}: {e}"})
