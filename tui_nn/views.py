"""What the decision-boundary pane shows, computed off the UI thread.

``BoundaryProbe.compute(parameters, cells)`` runs the model on a grid (2-D
data), on a few dev images (image data) or on the dev set (anything else)
and returns a small frozen view for the widget to draw.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Mapping, Sequence

import numpy as np

from tui_nn.core import NetworkSpec, predict_proba
from tui_nn.core.metrics import predictions_from_output
from tui_nn.datasets import Dataset, apply_features

if TYPE_CHECKING:
    from tui_nn.experiment import Experiment

THUMBNAILS = 6


@dataclass(frozen=True, eq=False)
class HeatmapView:
    """Model output over a ``(rows, cols)`` pixel grid spanning ``extent`` (x0, x1, y0, y1).

    ``values`` is ``(rows, cols)`` for binary/regression, ``(K, rows, cols)`` for
    multi-class; row 0 is the top (largest x2).
    """

    values: np.ndarray
    extent: tuple[float, float, float, float]


@dataclass(frozen=True, eq=False)
class ThumbnailView:
    """A few dev images with predicted and true labels."""

    images: tuple[np.ndarray, ...]
    predicted: tuple[int, ...]
    truth: tuple[int, ...]


@dataclass(frozen=True, eq=False)
class ConfusionView:
    """Dev-set confusion matrix ``(K, K)``: rows true class, columns predicted."""

    matrix: np.ndarray


BoundaryView = HeatmapView | ThumbnailView | ConfusionView


def data_extent(X: np.ndarray, margin: float = 0.1) -> tuple[float, float, float, float]:
    """The range of the first two features of ``X (2, m)`` widened by ``margin`` of each span."""
    x0, x1 = float(X[0].min()), float(X[0].max())
    y0, y1 = float(X[1].min()), float(X[1].max())
    dx = (x1 - x0) * margin or 1.0
    dy = (y1 - y0) * margin or 1.0
    return x0 - dx, x1 + dx, y0 - dy, y1 + dy


def grid_inputs(extent: tuple[float, float, float, float], rows: int, cols: int) -> np.ndarray:
    """Pixel centres as ``X (2, rows * cols)``, row-major, top row first."""
    x0, x1, y0, y1 = extent
    xs = x0 + (np.arange(cols) + 0.5) * (x1 - x0) / cols
    ys = y1 - (np.arange(rows) + 0.5) * (y1 - y0) / rows
    gx, gy = np.meshgrid(xs, ys)
    return np.vstack([gx.ravel(), gy.ravel()])


def pixel_of(X: np.ndarray, extent: tuple[float, float, float, float], rows: int, cols: int) -> tuple[np.ndarray, np.ndarray]:
    """Row and column indices of the points ``X (2, m)`` on the grid (clipped to it)."""
    x0, x1, y0, y1 = extent
    c = np.clip(((X[0] - x0) / (x1 - x0) * cols).astype(int), 0, cols - 1)
    r = np.clip(((y1 - X[1]) / (y1 - y0) * rows).astype(int), 0, rows - 1)
    return r, c


VIEW_TITLES = {"heatmap": "Decision boundary", "thumbnails": "Dev images", "confusion": "Dev confusion"}


def view_kind(dataset: Dataset) -> str:
    """``heatmap`` for 2-feature data, ``thumbnails`` for images, ``confusion`` otherwise."""
    return "heatmap" if dataset.n_x == 2 else ("thumbnails" if dataset.image_shape else "confusion")


class BoundaryProbe:
    """Knows which view suits a dataset and computes it for given parameters.

    ``dataset`` is the data set as loaded (raw ``x1, x2`` for a map); ``features``
    names the input features the network takes instead, applied to the map's grid.
    """

    def __init__(self, dataset: Dataset, spec: NetworkSpec, features: Sequence[str] | None = None) -> None:
        self.dataset = dataset
        self.spec = spec
        self.features = tuple(features) if features else None
        self.extent = data_extent(dataset.X_train) if dataset.n_x == 2 else None
        self.kind = view_kind(dataset)

    @classmethod
    def for_experiment(cls, experiment: "Experiment") -> "BoundaryProbe":
        """The probe for an experiment: over its source data, through its input features."""
        return cls(experiment.source_dataset, experiment.spec, experiment.config.features)

    @property
    def title(self) -> str:
        """The pane title for this kind of view."""
        return VIEW_TITLES[self.kind]

    def compute(self, parameters: Mapping[str, np.ndarray], cells: tuple[int, int]) -> BoundaryView | None:
        """The view for a pane of ``cells = (width, height)`` characters; None for regression without 2-D."""
        if self.kind == "heatmap":
            return self._heatmap(parameters, cells)
        if self.dataset.task == "regression":
            return None
        if self.kind == "thumbnails":
            return self._thumbnails(parameters)
        return self._confusion(parameters)

    def _heatmap(self, parameters: Mapping[str, np.ndarray], cells: tuple[int, int]) -> HeatmapView:
        cols, rows = max(cells[0], 1), max(cells[1], 1) * 2
        assert self.extent is not None
        grid = grid_inputs(self.extent, rows, cols)
        if self.features is not None:
            grid = apply_features(grid, self.features)
        AL = predict_proba(grid, parameters, self.spec)
        if AL.shape[0] == 1:
            values = AL.reshape(rows, cols)
        else:
            values = AL.reshape(AL.shape[0], rows, cols)
        return HeatmapView(values, self.extent)

    def _thumbnails(self, parameters: Mapping[str, np.ndarray]) -> ThumbnailView:
        ds = self.dataset
        X = ds.X_dev[:, :THUMBNAILS]
        pred = predictions_from_output(predict_proba(X, parameters, self.spec), self.spec.output).reshape(-1)
        images = tuple(X[:, i].reshape(ds.image_shape) for i in range(X.shape[1]))
        return ThumbnailView(images, tuple(int(p) for p in pred), tuple(int(t) for t in ds.Y_dev[0, : X.shape[1]]))

    def _confusion(self, parameters: Mapping[str, np.ndarray]) -> ConfusionView:
        ds = self.dataset
        k = max(ds.n_classes, 2)
        pred = predictions_from_output(predict_proba(ds.X_dev, parameters, self.spec), self.spec.output)
        pred = pred.reshape(-1)[: ds.m_dev].astype(int)
        truth = ds.Y_dev.reshape(-1).astype(int)
        matrix = np.zeros((k, k), dtype=np.int64)
        np.add.at(matrix, (truth, np.clip(pred, 0, k - 1)), 1)
        return ConfusionView(matrix)
