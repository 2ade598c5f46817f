"""The Decision boundary pane: a heatmap for 2-D data, thumbnails for images, else a confusion matrix."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import events
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Static

from tui_nn.datasets import Dataset
from tui_nn.drawing import (
    class_colour,
    downsample,
    grey_or_rgb,
    halfblock,
    probability_colours,
    value_colours,
)
from tui_nn.safe_text import printable
from tui_nn.views import BoundaryView, ConfusionView, HeatmapView, ThumbnailView, pixel_of

THUMB_COLS = 12


@dataclass(frozen=True, eq=False)
class Points:
    """Training points to draw on the heatmap: ``X (2, m)``, labels or targets ``(1, m)``."""

    X: np.ndarray
    Y: np.ndarray
    task: str
    class_names: tuple[str, ...]

    @classmethod
    def of(cls, dataset: Dataset) -> "Points | None":
        """The training points of 2-feature data (None for other data)."""
        if dataset.n_x != 2:
            return None
        return cls(dataset.X_train[:2], dataset.Y_train, dataset.task, dataset.class_names)


def heatmap_rgb(view: HeatmapView, points: Points | None) -> np.ndarray:
    """The heatmap as ``(rows, cols, 3)`` colours with the training points drawn on top."""
    values = view.values
    rows, cols = values.shape[-2:]
    if points is not None and points.task == "regression":
        lo, hi = float(np.min(points.Y)), float(np.max(points.Y))
        rgb = value_colours(values, lo, hi) * 0.75
    else:
        n = values.shape[0] if values.ndim == 3 else 2
        rgb = probability_colours(values, n)
    if points is not None:
        r, c = pixel_of(points.X, view.extent, rows, cols)
        y = points.Y.reshape(-1)
        if points.task == "regression":
            rgb[r, c] = value_colours(y, float(y.min()), float(y.max()))
        else:
            rgb[r, c] = np.array([class_colour(int(k)) for k in y]) * 0.6 + 255 * 0.4
    return rgb


def thumbnails_text(view: ThumbnailView, image_shape: tuple[int, ...], class_names: tuple[str, ...], width: int) -> Group:
    """Half-block thumbnails in rows that fit ``width``; under each, the predicted
    label (green when right, red when wrong) and the true one."""
    h, w = image_shape[0], image_shape[1]
    cols = min(THUMB_COLS, w, max(width - 1, 4))
    rows = max(2, int(round(h * cols / w)) // 2 * 2)
    per_row = max(1, (width + 1) // (cols + 1))
    images = [downsample(grey_or_rgb(img), rows, cols) for img in view.images]
    gap = np.zeros((rows, 1, 3))
    parts: list = []

    def label(k: int) -> str:
        name = printable(class_names[k] if 0 <= k < len(class_names) else k, cols)
        return f"{name[:cols]:<{cols}} "

    for start in range(0, len(images), per_row):
        chunk = slice(start, start + per_row)
        parts.append(halfblock(np.concatenate([x for img in images[chunk] for x in (img, gap)], axis=1)))
        predicted, truth = Text(no_wrap=True), Text(no_wrap=True, style="dim")
        for p, t in zip(view.predicted[chunk], view.truth[chunk]):
            predicted.append(label(p), "green" if p == t else "red")
            truth.append(label(t))
        parts.extend([predicted, truth])
    parts.append(Text("top: predicted (green right, red wrong); below: true", "dim"))
    return Group(*parts)


def confusion_table(view: ConfusionView, class_names: tuple[str, ...]) -> Table:
    """Rows: true class; columns: predicted; the diagonal in bold."""
    k = view.matrix.shape[0]
    names = [printable(class_names[i] if i < len(class_names) else i, 8) for i in range(k)]
    table = Table(title="rows: true, columns: predicted", box=None, padding=(0, 1))
    table.add_column("")
    for n in names:
        table.add_column(n, justify="right")
    for i in range(k):
        cells = [Text(str(int(v)), "bold green" if i == j else ("red" if v else "dim")) for j, v in enumerate(view.matrix[i])]
        table.add_row(names[i], *cells)
    return table


class BoundaryPane(Static):
    """Draws the latest ``BoundaryView``; posts ``Resized`` so the worker sizes the grid."""

    view: reactive[BoundaryView | None] = reactive(None)
    """The newest view from the worker."""
    points: reactive[Points | None] = reactive(None)
    """Training points overlaid on the heatmap."""
    image_shape: tuple[int, ...] | None = None
    class_names: tuple[str, ...] = ()

    @dataclass
    class Resized(Message):
        """The pane's drawing area changed: ``cells = (width, height)``."""

        cells: tuple[int, int]

    def on_resize(self, event: events.Resize) -> None:
        self.post_message(self.Resized((self.content_size.width, self.content_size.height)))

    def render(self):
        view = self.view
        if view is None:
            return Text("The decision boundary appears once training starts.", "dim")
        if isinstance(view, HeatmapView):
            return halfblock(heatmap_rgb(view, self.points))
        if isinstance(view, ThumbnailView) and self.image_shape:
            return thumbnails_text(view, self.image_shape, self.class_names, self.content_size.width)
        if isinstance(view, ConfusionView):
            return confusion_table(view, self.class_names)
        return Text("")
