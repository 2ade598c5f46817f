"""``tui-nn predict``: a saved model's probabilities and predicted classes for new data, as CSV."""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tui_nn.atomic import write_text_atomic
from tui_nn.core.metrics import predictions_from_output
from tui_nn.pipeline import ModelPipeline
from tui_nn.predict_data import PredictData
from tui_nn.safe_text import printable


@dataclass(frozen=True)
class Predictions:
    """The output ``A[L] (n_y, m)`` of a model on some data, and what it means."""

    pipeline: ModelPipeline
    data: PredictData
    AL: np.ndarray

    @property
    def labels(self) -> np.ndarray:
        """Predicted class codes ``(1, m)`` (classifiers) or the outputs themselves (regression)."""
        return predictions_from_output(self.AL, self.pipeline.spec.output)

    @property
    def probabilities(self) -> np.ndarray:
        """``(K, m)``: one row per class (a sigmoid output ``a`` gives ``1 - a, a``); regression: the outputs."""
        if self.pipeline.spec.output == "sigmoid":
            return np.vstack([1 - self.AL, self.AL])
        return self.AL

    def accuracy(self) -> float | None:
        """Fraction of examples whose predicted class is the label (None without labels or for regression)."""
        if self.data.Y is None or self.pipeline.task == "regression":
            return None
        return float(np.mean(self.labels == self.data.Y))

    def mean_squared_error(self) -> float | None:
        """Regression only: mean over examples and outputs of ``(A[L] - Y)^2`` (None without targets)."""
        if self.data.Y is None or self.pipeline.task != "regression":
            return None
        return float(np.mean((self.AL.astype(np.float64) - self.data.Y) ** 2))

    def to_csv(self) -> str:
        """A header and one row per example: ``p_<class>`` per class and ``predicted`` (classifiers), or
        ``y_hat`` per output (regression); ``label`` too when the data has labels. Floats round-trip exactly."""
        pipe = self.pipeline
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        names = [printable(n) for n in pipe.class_names]
        if pipe.task == "regression":
            n_y = self.AL.shape[0]
            header = ["y_hat"] if n_y == 1 else [f"y_hat_{k + 1}" for k in range(n_y)]
            columns = [[repr(float(v)) for v in row] for row in self.AL]
            if self.data.Y is not None:
                header += ["y"] if n_y == 1 else [f"y_{k + 1}" for k in range(n_y)]
                columns += [[repr(float(v)) for v in row] for row in self.data.Y]
        else:
            header = [f"p_{n}" for n in names] + ["predicted"]
            columns = [[repr(float(v)) for v in row] for row in self.probabilities]
            columns.append([names[k] for k in self.labels.reshape(-1)])
            if self.data.Y is not None:
                header.append("label")
                columns.append([names[k] for k in self.data.Y.reshape(-1)])
        writer.writerow(header)
        writer.writerows(zip(*columns))
        return out.getvalue()

    def summary(self) -> str:
        """One line: how many examples, and the accuracy (or MSE) when the data has labels."""
        m = self.AL.shape[1]
        line = f"{printable(self.data.where)}: {m} example{'s' if m != 1 else ''}"
        acc, mse = self.accuracy(), self.mean_squared_error()
        if acc is not None:
            line += f", accuracy {100 * acc:.1f} % ({int(round(acc * m))} of {m} correct)"
        elif mse is not None:
            line += f", mean squared error {mse:.6g}"
        else:
            line += " (no labels, so no accuracy)"
        return line


def predict(pipeline: ModelPipeline, data: PredictData) -> Predictions:
    """Run the model's pipeline on ``data.X (n_in, m)``."""
    return Predictions(pipeline, data, pipeline.predict_proba(data.X))


class OutputExists(Exception):
    """The output file exists and may not be replaced."""


def write_output(path: str | os.PathLike, text: str, force: bool) -> Path:
    """Write ``text`` to ``path`` atomically; an existing file only with ``force`` (else ``OutputExists``)."""
    path = Path(path)
    if path.exists() and not force:
        raise OutputExists(f"{printable(path)} exists; use --force to replace it")
    return write_text_atomic(path, text)
