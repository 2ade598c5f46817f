"""What the decision-boundary pane shows, computed off the UI thread.

``BoundaryProbe.compute(parameters, request)`` runs the model on a grid (2-D
data: the decision boundary, or every hidden unit's activation), on dev images
(image data: a sample, or the ones the model gets wrong) or on the dev set
(anything else) and returns a small frozen view for the widget to draw.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Mapping, Sequence

import numpy as np

from tui_nn.core import NetworkSpec, model_forward, predict_proba
from tui_nn.core.metrics import predictions_from_output
from tui_nn.datasets import Dataset, apply_features
from tui_nn.unit_layout import UnitLayout, unit_layout

if TYPE_CHECKING:
    from tui_nn.experiment import Experiment

THUMBNAILS = 6
"""Dev images in the sample view."""
MISLABELLED_IMAGES = 24
"""At most this many wrong dev images are kept as pictures (all their indices are kept)."""
MAX_MAP_PIXELS = 320
"""A map drawn as a picture is computed at most this many pixels a side, then scaled."""

MODES = ("main", "units", "mislabelled")
"""``main``: the decision boundary, the dev images or the confusion matrix (what suits the
data); ``units``: one map per hidden unit (2-D data); ``mislabelled``: wrong dev images."""


@dataclass(frozen=True)
class ViewRequest:
    """What the pane asks the worker for: its map area, the view and the selected layer.

    ``cells = (width, height)`` characters; ``pixels = (rows, cols)`` when the map is
    drawn as a picture (a terminal graphics protocol), None for half-blocks (two
    pixels a character, ``(2 * height, width)``).
    """

    cells: tuple[int, int] = (40, 15)
    mode: str = "main"
    layer: int = 1
    pixels: tuple[int, int] | None = None


@dataclass(frozen=True, eq=False)
class HeatmapView:
    """Model output over a ``(rows, cols)`` pixel grid spanning ``extent`` (x0, x1, y0, y1).

    ``values`` is ``(rows, cols)`` for binary/regression, ``(K, rows, cols)`` for
    multi-class; row 0 is the top (largest x2). Pixels are square in data units.
    """

    values: np.ndarray
    extent: tuple[float, float, float, float]


@dataclass(frozen=True, eq=False)
class UnitLayer:
    """Hidden layer ``layer``'s units over the grid: ``values`` are ``A[l]`` as
    ``(n[l], rows, cols)`` and ``weights`` the incoming ``W[l] (n[l], n[l-1])``."""

    layer: int
    activation: str
    values: np.ndarray
    weights: np.ndarray


@dataclass(frozen=True, eq=False)
class UnitMapsView:
    """One small map per hidden unit, laid out by ``layout``, all over ``extent``."""

    layers: tuple[UnitLayer, ...]
    layout: UnitLayout
    extent: tuple[float, float, float, float]


@dataclass(frozen=True, eq=False)
class ThumbnailView:
    """Dev images with predicted and true labels.

    ``indices`` are the images' columns in the dev set. In the mislabelled view
    (``mislabelled``) ``wrong`` lists every dev example the model gets wrong, in
    order; ``images`` holds the first ``MISLABELLED_IMAGES`` of them.
    """

    images: tuple[np.ndarray, ...]
    predicted: tuple[int, ...]
    truth: tuple[int, ...]
    indices: tuple[int, ...] = ()
    mislabelled: bool = False
    wrong: tuple[int, ...] = ()
    dev_size: int = 0


@dataclass(frozen=True, eq=False)
class ConfusionView:
    """Dev-set confusion matrix ``(K, K)``: rows true class, columns predicted."""

    matrix: np.ndarray


BoundaryView = HeatmapView | UnitMapsView | ThumbnailView | ConfusionView


def data_extent(X: np.ndarray, margin: float = 0.1) -> tuple[float, float, float, float]:
    """The range of the first two features of ``X (2, m)`` widened by ``margin`` of each span."""
    x0, x1 = float(X[0].min()), float(X[0].max())
    y0, y1 = float(X[1].min()), float(X[1].max())
    dx = (x1 - x0) * margin or 1.0
    dy = (y1 - y0) * margin or 1.0
    return x0 - dx, x1 + dx, y0 - dy, y1 + dy


def fit_extent(extent: tuple[float, float, float, float], rows: int, cols: int) -> tuple[float, float, float, float]:
    """``extent`` widened along one axis so a ``(rows, cols)`` grid of square pixels shows it
    undistorted (equal data units per pixel on both axes), centred."""
    x0, x1, y0, y1 = extent
    unit = max((x1 - x0) / max(cols, 1), (y1 - y0) / max(rows, 1))
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    half_w, half_h = unit * cols / 2, unit * rows / 2
    return cx - half_w, cx + half_w, cy - half_h, cy + half_h


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


VIEW_TITLES = {"heatmap": "Decision boundary", "thumbnails": "Dev images", "confusion": "Dev confusion",
               "units": "Hidden units", "mislabelled": "Mislabelled dev images"}


def view_kind(dataset: Dataset) -> str:
    """``heatmap`` for 2-feature data, ``thumbnails`` for images, ``confusion`` otherwise."""
    return "heatmap" if dataset.n_x == 2 else ("thumbnails" if dataset.image_shape else "confusion")


def view_modes(dataset: Dataset, spec: NetworkSpec) -> tuple[str, ...]:
    """The views the pane can cycle through for this data and network."""
    kind = view_kind(dataset)
    if kind == "heatmap" and spec.L > 1:
        return ("main", "units")
    if kind == "thumbnails" and dataset.task != "regression":
        return ("main", "mislabelled")
    return ("main",)


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
        self.modes = view_modes(dataset, spec)

    @classmethod
    def for_experiment(cls, experiment: "Experiment") -> "BoundaryProbe":
        """The probe for an experiment: over its source data, through its input features."""
        return cls(experiment.source_dataset, experiment.spec, experiment.config.features)

    def title(self, mode: str = "main", layer: int = 1) -> str:
        """The pane title for a view."""
        if mode == "units" and "units" in self.modes:
            return VIEW_TITLES["units"]
        if mode == "mislabelled" and "mislabelled" in self.modes:
            return VIEW_TITLES["mislabelled"]
        return VIEW_TITLES[self.kind]

    def compute(self, parameters: Mapping[str, np.ndarray], request: ViewRequest) -> BoundaryView | None:
        """The view ``request`` asks for (the main view when its mode does not apply);
        None for regression without 2-D inputs.

        Weights near the float limit overflow to inf or NaN here; that is drawn, not warned about.
        """
        mode = request.mode if request.mode in self.modes else "main"
        with np.errstate(all="ignore"):
            if mode == "units":
                return self._units(parameters, request)
            if self.kind == "heatmap":
                return self._heatmap(parameters, request)
            if self.dataset.task == "regression":
                return None
            if self.kind == "thumbnails":
                return self._mislabelled(parameters) if mode == "mislabelled" else self._thumbnails(parameters)
            return self._confusion(parameters)

    def _grid(self, rows: int, cols: int) -> tuple[np.ndarray, tuple[float, float, float, float]]:
        """The network's inputs at the pixel centres of a ``(rows, cols)`` map, and its extent."""
        assert self.extent is not None
        extent = fit_extent(self.extent, rows, cols)
        grid = grid_inputs(extent, rows, cols)
        return (apply_features(grid, self.features) if self.features is not None else grid), extent

    def _heatmap(self, parameters: Mapping[str, np.ndarray], request: ViewRequest) -> HeatmapView:
        if request.pixels is not None:  # scaled down evenly, so the pixels stay square
            scale = min(1.0, MAX_MAP_PIXELS / max(request.pixels))
            rows, cols = (max(1, int(n * scale)) for n in request.pixels)
        else:
            cols, rows = max(request.cells[0], 1), max(request.cells[1], 1) * 2
        grid, extent = self._grid(rows, cols)
        AL = predict_proba(grid, parameters, self.spec)
        values = AL.reshape(rows, cols) if AL.shape[0] == 1 else AL.reshape(AL.shape[0], rows, cols)
        return HeatmapView(values, extent)

    def _units(self, parameters: Mapping[str, np.ndarray], request: ViewRequest) -> UnitMapsView | None:
        spec = self.spec
        layout = unit_layout(request.cells, spec.layer_dims[1:-1], request.layer)
        if layout is None:
            return None
        rows, cols = layout.pixels
        grid, extent = self._grid(rows, cols)
        _, caches = model_forward(grid, parameters, spec.activations)
        layers = tuple(
            UnitLayer(l, spec.activations[l - 1], caches[l - 1].A.reshape(-1, rows, cols).copy(),
                      np.array(parameters[f"W{l}"], copy=True))
            for l in layout.layers
        )
        return UnitMapsView(layers, layout, extent)

    def _predicted_dev(self, parameters: Mapping[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        """Predicted and true labels of the whole dev set, ``(m_dev,)`` each."""
        ds = self.dataset
        X = ds.X_dev if self.features is None else apply_features(ds.X_dev, self.features)
        pred = predictions_from_output(predict_proba(X, parameters, self.spec), self.spec.output)
        return pred.reshape(-1)[: ds.m_dev].astype(int), ds.Y_dev.reshape(-1).astype(int)

    def _thumbnails(self, parameters: Mapping[str, np.ndarray]) -> ThumbnailView:
        ds = self.dataset
        X = ds.X_dev[:, :THUMBNAILS]
        pred = predictions_from_output(predict_proba(X, parameters, self.spec), self.spec.output).reshape(-1)
        images = tuple(X[:, i].reshape(ds.image_shape) for i in range(X.shape[1]))
        return ThumbnailView(images, tuple(int(p) for p in pred), tuple(int(t) for t in ds.Y_dev[0, : X.shape[1]]),
                             tuple(range(X.shape[1])), dev_size=ds.m_dev)

    def _mislabelled(self, parameters: Mapping[str, np.ndarray]) -> ThumbnailView:
        """Every dev example the model gets wrong (the course's ``print_mislabeled_images``)."""
        ds = self.dataset
        pred, truth = self._predicted_dev(parameters)
        wrong = np.flatnonzero(pred != truth)
        shown = wrong[:MISLABELLED_IMAGES]
        images = tuple(np.array(ds.X_dev[:, i].reshape(ds.image_shape)) for i in shown)
        return ThumbnailView(images, tuple(int(pred[i]) for i in shown), tuple(int(truth[i]) for i in shown),
                             tuple(int(i) for i in shown), True, tuple(int(i) for i in wrong), ds.m_dev)

    def _confusion(self, parameters: Mapping[str, np.ndarray]) -> ConfusionView:
        k = max(self.dataset.n_classes, 2)
        pred, truth = self._predicted_dev(parameters)
        matrix = np.zeros((k, k), dtype=np.int64)
        np.add.at(matrix, (truth, np.clip(pred, 0, k - 1)), 1)
        return ConfusionView(matrix)
