"""The Decision boundary pane: a map for 2-D data (or one per hidden unit), thumbnails for images,
else a confusion matrix.

The map's colours come from a palette chosen for the terminal's colour system
(``tui_nn.palettes``), so classes and confidence stay apart in truecolor, 256 colours,
16 colours and with ``NO_COLOR``; a legend line under the map names the classes. On a
terminal that draws pictures (``graphics``: sixel or kitty's protocol) the map is a
picture at pixel resolution in a child ``MapImage`` over the map area.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rich.console import Group
from rich.text import Text
from textual import events
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Static

from tui_nn.datasets import Dataset
from tui_nn.map_drawing import Marks, map_text
from tui_nn.map_legend import POINT_SHOWS, map_legend
from tui_nn.palettes import MapPalette, class_glyphs, colour_mode, palette_for
from tui_nn.picture import map_picture
from tui_nn.thumbnail_drawing import confusion_table, thumbnails_text
from tui_nn.unit_drawing import units_legend, units_text
from tui_nn.views import BoundaryView, ConfusionView, HeatmapView, ThumbnailView, UnitMapsView, pixel_of

LEGEND_LINES = 1
"""Lines under a map for its legend."""
REGRESSION_GLYPHS = ("-", "+")


@dataclass(frozen=True, eq=False)
class Points:
    """The points of 2-feature data: training ``X (2, m)`` and labels or targets ``Y``, and the
    dev set's ``X_dev``, ``Y_dev``."""

    X: np.ndarray
    Y: np.ndarray
    task: str
    class_names: tuple[str, ...]
    X_dev: np.ndarray | None = None
    Y_dev: np.ndarray | None = None

    @classmethod
    def of(cls, dataset: Dataset) -> "Points | None":
        """The points of 2-feature data (None for other data)."""
        if dataset.n_x != 2:
            return None
        return cls(dataset.X_train[:2], dataset.Y_train, dataset.task, dataset.class_names,
                   dataset.X_dev[:2], dataset.Y_dev)

    @property
    def target_range(self) -> tuple[float, float]:
        """Regression: the training targets' range (the map's colours span it)."""
        return float(np.min(self.Y)), float(np.max(self.Y))

    def classes(self, Y: np.ndarray) -> np.ndarray:
        """Each point's class ``(m,)``; regression: 1 above the middle of the target range."""
        y = Y[0] if Y.ndim == 2 else Y
        if self.task == "regression":
            lo, hi = self.target_range
            return (y > (lo + hi) / 2).astype(np.int64)
        return y.astype(np.int64)

    def marks(self, extent: tuple[float, float, float, float], rows: int, cols: int, show: str) -> Marks:
        """The points ``show`` asks for (``POINT_SHOWS``) on a ``(rows, cols)`` grid over ``extent``."""
        sets = []
        if show in ("train", "both"):
            sets.append((self.X, self.Y, False))
        if show in ("dev", "both") and self.X_dev is not None:
            sets.append((self.X_dev, self.Y_dev, True))
        if not sets:
            return Marks.empty()
        parts = [(*pixel_of(X, extent, rows, cols), self.classes(Y), np.full(X.shape[1], dev)) for X, Y, dev in sets]
        return Marks(*(np.concatenate([p[i] for p in parts]) for i in range(4)))


def map_values(view: HeatmapView, points: Points | None) -> np.ndarray:
    """The view's values as ``classify`` takes them; regression outputs scaled to the targets' range."""
    if points is not None and points.task == "regression":
        lo, hi = points.target_range
        return np.clip((view.values - lo) / (hi - lo if hi > lo else 1.0), 0, 1)
    return view.values


def heatmap_text(view: HeatmapView, points: Points | None, palette: MapPalette, show: str, width: int) -> Group:
    """The map with its points and the legend line below it."""
    values = map_values(view, points)
    rows, cols = values.shape[-2:]
    if points is None:
        return Group(map_text(values, palette, Marks.empty(), ()))
    names, glyphs = legend_names(points, values)
    marks = points.marks(view.extent, rows, cols, show)
    return Group(map_text(values, palette, marks, glyphs), map_legend(palette, names, glyphs, show, width))


def legend_names(points: Points, values: np.ndarray) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The legend's class names and point glyphs for a map of ``values``."""
    if points.task == "regression":
        lo, hi = points.target_range
        return (f"low {lo:.3g}", f"high {hi:.3g}"), REGRESSION_GLYPHS
    names = points.class_names or tuple(str(k) for k in range(max(values.shape[0] if values.ndim == 3 else 2, 2)))
    return names, class_glyphs(names)


class BoundaryPane(Static):
    """Draws the latest ``BoundaryView``; posts ``Resized`` so the worker sizes the grid."""

    view: reactive[BoundaryView | None] = reactive(None)
    """The newest view from the worker."""
    points: reactive[Points | None] = reactive(None)
    """Training and dev points overlaid on the map."""
    show_points: reactive[str] = reactive("train")
    """Which points the map shows: one of ``POINT_SHOWS``."""
    image_shape: tuple[int, ...] | None = None
    class_names: tuple[str, ...] = ()

    def __init__(self, *, id: str | None = None, graphics: str | None = None) -> None:
        super().__init__(id=id)
        self.graphics = graphics
        """``"sixel"`` or ``"tgp"``: draw maps as pictures in that protocol; None: half-blocks."""
        self._image = None

    @dataclass
    class Resized(Message):
        """The pane's map area changed: ``cells = (width, height)`` (the legend line left out),
        and with graphics its size in pixels, ``pixels = (rows, cols)``."""

        cells: tuple[int, int]
        pixels: tuple[int, int] | None = None

    def on_mount(self) -> None:
        if self.graphics:
            from tui_nn.widgets.map_image import MapImage

            self._image = MapImage(self.graphics, id="map-image")
            self._image.display = False
            self.mount(self._image)

    def on_resize(self, event: events.Resize) -> None:
        size = self.content_size
        cells = (size.width, max(size.height - LEGEND_LINES, 1))
        pixels = None
        if self._image is not None:
            from tui_nn.graphics import cell_pixels

            width, height = cell_pixels()
            pixels = (cells[1] * height, cells[0] * width)
            self._image.styles.height = cells[1]
        self.post_message(self.Resized(cells, pixels))

    @property
    def palette(self) -> MapPalette:
        """The palette for the app's colour system (``NO_COLOR`` included)."""
        app = self.app
        return palette_for(colour_mode(app.console.color_system, app.no_color))

    def watch_show_points(self, show: str) -> None:
        assert show in POINT_SHOWS
        self._subtitle()
        self._show_picture()

    def watch_view(self, view: BoundaryView | None) -> None:
        self._subtitle()
        self._show_picture()

    def watch_points(self, points: Points | None) -> None:
        self._show_picture()

    def _show_picture(self) -> None:
        """With graphics, the map as a picture over the map area (hidden for other views)."""
        image, view = self._image, self.view
        if image is None:
            return
        image.display = isinstance(view, HeatmapView)
        if isinstance(view, HeatmapView):
            values = map_values(view, self.points)
            rows, cols = values.shape[-2:]
            marks = Marks.empty() if self.points is None else self.points.marks(view.extent, rows, cols, self.show_points)
            image.show(map_picture(values, palette_for("truecolor"), marks))

    def _subtitle(self) -> None:
        heatmap = isinstance(self.view, HeatmapView) and self.points is not None
        names = {"train": "train points", "both": "train + dev points", "dev": "dev points"}
        self.border_subtitle = names[self.show_points] if heatmap else ""

    def render(self):
        view = self.view
        width = self.content_size.width
        if view is None:
            return Text("The decision boundary appears once training starts.", "dim")
        if isinstance(view, HeatmapView) and self._image is not None:
            if self.points is None:
                return Text("")
            names, glyphs = legend_names(self.points, view.values)
            blank = Text("\n" * max(self.content_size.height - LEGEND_LINES - 1, 0))
            return Group(blank, map_legend(palette_for("truecolor"), names, glyphs, self.show_points, width))
        if isinstance(view, HeatmapView):
            return heatmap_text(view, self.points, self.palette, self.show_points, width)
        if isinstance(view, UnitMapsView):
            palette = self.palette
            return Group(units_text(view, palette), units_legend(palette))
        if isinstance(view, ThumbnailView) and self.image_shape:
            return thumbnails_text(view, self.image_shape, self.class_names, width, self.content_size.height)
        if isinstance(view, ConfusionView):
            return confusion_table(view, self.class_names)
        return Text("")
