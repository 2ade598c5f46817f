"""What a model file says about itself (read as untrusted), and what the app tells the user on loading it.

A model saved by tui-nn records in ``metadata["extra"]`` the run config (``config``), the
data set (``dataset``), the iteration, its input columns and class names, and (from the
app) the accuracies when it was saved. Every value is type-checked here before use and
escaped before it is shown.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from tui_nn.config import ConfigError, RunConfig, from_mapping
from tui_nn.core import LoadedModel, accuracy
from tui_nn.experiment import Experiment
from tui_nn.safe_text import printable

DATA_KEYS = ("m", "noise", "data_seed", "dev_fraction", "label", "layout", "features")
"""Config keys that say which data (and which draw or split of it) the model was trained on."""


def _number(value: Any) -> float | None:
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    return float(value) if ok else None


@dataclass(frozen=True)
class ModelRecord:
    """A loaded model's file name, the data set and config it records, its iteration and the
    accuracies it was saved with (each None when the file does not say, or says nonsense)."""

    file: str
    layer_dims: tuple[int, ...]
    dataset: str | None = None
    config: RunConfig | None = None
    iteration: int | None = None
    saved_accuracies: dict[str, float] = field(default_factory=dict)

    @classmethod
    def of(cls, path: str | Path, model: LoadedModel) -> "ModelRecord":
        extra = model.metadata.get("extra")
        extra = extra if isinstance(extra, dict) else {}
        dataset = extra.get("dataset")
        config = None
        if isinstance(extra.get("config"), dict):
            try:
                config = from_mapping(extra["config"], "model config")
            except ConfigError:
                config = None
        iteration = extra.get("iteration")
        accuracies = {k: v for k in ("train_accuracy", "dev_accuracy") if (v := _number(extra.get(k))) is not None}
        return cls(
            Path(path).name,
            tuple(model.spec.layer_dims),
            dataset if isinstance(dataset, str) and dataset.strip() else None,
            config,
            iteration if isinstance(iteration, int) and not isinstance(iteration, bool) and iteration >= 0 else None,
            accuracies,
        )

    @property
    def dataset_name(self) -> str:
        """The recorded data set, shortened and made safe to show."""
        return printable(self.dataset or "an unrecorded data set", 60)

    def data_config(self, current: RunConfig) -> RunConfig:
        """``current`` switched to the recorded data set, with the recorded draw or split of it
        (the network comes from the model itself)."""
        assert self.dataset is not None
        recorded = {key: getattr(self.config, key) for key in DATA_KEYS} if self.config else dict.fromkeys(DATA_KEYS)
        return current.with_changes(dataset=self.dataset, **recorded)

    def describe(self) -> str:
        """``model.npz: [12288, 7, 1] trained on catvnoncat for 2500 iterations (train 100.0 %, dev 72.0 % when saved)``."""
        text = f"{printable(self.file, 60)}: {list(self.layer_dims)} trained on {self.dataset_name}"
        if self.iteration is not None:
            text += f" for {self.iteration} iterations"
        if self.saved_accuracies:
            shown = ", ".join(f"{k.split('_')[0]} {100 * v:.1f} %" for k, v in self.saved_accuracies.items())
            text += f" ({shown} when saved)"
        return text


@np.errstate(all="ignore")
def accuracies_now(experiment: Experiment, parameters: dict[str, np.ndarray]) -> tuple[float | None, float | None]:
    """Train and dev accuracy of ``parameters`` on ``experiment``'s data (None for regression)."""
    ds, a = experiment.dataset, experiment.arrays
    return (accuracy(a.X_train, a.Y_train, parameters, experiment.spec),
            accuracy(a.X_dev, a.Y_dev, parameters, experiment.spec) if ds.m_dev else None)


def loaded_message(record: ModelRecord, experiment: Experiment, train: float | None, dev: float | None) -> str:
    """What the app says after loading: what the file is and how it does on the data on screen."""
    text = f"Loaded {record.describe()}."
    if train is not None:
        on = printable(experiment.dataset.name, 40)
        text += f" On {on} now: train {100 * train:.1f} %" + ("" if dev is None else f", dev {100 * dev:.1f} %") + "."
    return text
