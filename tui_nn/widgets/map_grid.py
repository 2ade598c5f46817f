"""The Compare view's grid: one small titled map per selected run (2-feature data), else its scores.

The grid asks its app for the maps it lacks (``MapsWanted``, computed off the UI thread)
and draws them as they come (``show_maps``), with one legend line for all of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Group
from rich.text import Text
from textual import events
from textual.message import Message
from textual.widgets import Static

from tui_nn.compare_maps import MapJob, MapKey, has_map, map_jobs, map_key
from tui_nn.grid_drawing import grid_layout, grid_lines, score_tile, tile_title
from tui_nn.map_drawing import map_text
from tui_nn.map_legend import map_legend
from tui_nn.palettes import colour_mode, palette_for
from tui_nn.run_history import RunRecord
from tui_nn.views import HeatmapView
from tui_nn.widgets.boundary_pane import Points, legend_names, map_values

LEGEND_LINES = 1


class MapGrid(Static):
    """Tiles for ``records`` titled by ``titles`` (what differs between them)."""

    @dataclass
    class MapsWanted(Message):
        """Maps the grid needs: the app computes them and calls ``grid.show_maps``."""

        grid: "MapGrid"
        jobs: list[MapJob]

    @dataclass
    class MapsDrawn(Message, bubble=False):
        """Maps computed for this grid (posted by the app's worker)."""

        maps: dict[MapKey, HeatmapView]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.records: list[RunRecord] = []
        self.titles: list[str] = []
        self._maps: dict[MapKey, HeatmapView] = {}
        self._asked: set[MapKey] = set()

    def show_runs(self, records: list[RunRecord], titles: list[str]) -> None:
        """Draw these runs (attributes down from the Compare view)."""
        self.records, self.titles = records, titles
        self._ask()
        self.refresh()

    def on_map_grid_maps_drawn(self, msg: "MapGrid.MapsDrawn") -> None:
        self.show_maps(msg.maps)

    def show_maps(self, maps: dict[MapKey, HeatmapView]) -> None:
        """Add maps computed for this grid; keep only those drawn at its present size."""
        self._asked -= set(maps)
        self._maps.update(maps)
        layout = self._layout()
        wanted = {map_key(r, layout.tile) for r in self.records} if layout is not None else set()
        self._maps = {k: v for k, v in self._maps.items() if k in wanted}  # only what is drawn now
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        self._ask()

    def _layout(self):
        size = self.content_size
        return grid_layout(len(self.records), size.width, size.height - LEGEND_LINES)

    def _ask(self) -> None:
        layout = self._layout()
        if layout is None:
            return
        jobs = map_jobs(self.records[: layout.shown], layout.tile, set(self._maps) | self._asked)
        if jobs:
            self._asked |= {job.key for job in jobs}
            self.post_message(self.MapsWanted(self, jobs))

    def has_drawn(self, record: RunRecord) -> bool:
        """Whether the run's map is drawn at the grid's present size."""
        layout = self._layout()
        return layout is not None and map_key(record, layout.tile) in self._maps

    def tile_titles(self) -> list[str]:
        """The titles of the tiles drawn now, as plain text (what a person reads above each map)."""
        layout = self._layout()
        if layout is None:
            return []
        return [tile_title(t, r.dev_accuracy, layout.tile[0]).plain for t, r in zip(self.titles, self.records)][: layout.shown]

    def render(self):
        if not self.records:
            return Text("Select runs (space) to see their maps here.", "dim")
        layout = self._layout()
        if layout is None:
            return Text("Too small for the grid: enlarge the terminal.", "dim")
        app = self.app
        palette = palette_for(colour_mode(app.console.color_system, app.no_color))
        width = layout.tile[0]
        shown = self.records[: layout.shown]
        titles = [tile_title(t, r.dev_accuracy, width) for t, r in zip(self.titles, shown)]
        bodies, legend = [], None
        for r in shown:
            if not has_map(r):
                body = score_tile(r.dev_accuracy, r.train_accuracy, r.mislabelled, r.dev_size, r.final_cost, width,
                                  layout.tile[1]) or [Text(r.status, "dim")]  # no numbers yet: pending, running
                bodies.append(body + [Text(n, "dim", no_wrap=True, overflow="ellipsis") for n in r.notes][:1])
                continue
            view = self._maps.get(map_key(r, layout.tile))
            if view is None:
                bodies.append([Text("drawing…", "dim")])
                continue
            points = Points.of(r.map_data)
            values = map_values(view, points)
            names, glyphs = legend_names(points, values)
            rows, cols = values.shape[-2:]
            marks = points.marks(view.extent, rows, cols, "train")
            bodies.append(map_text(values, palette, marks, glyphs).split("\n"))
            legend = legend or map_legend(palette, names, glyphs, "train", self.content_size.width)
        lines = grid_lines(titles, bodies, layout)
        more = len(self.records) - layout.shown
        footer = Text(f"{more} more selected: a larger terminal shows them", "dim") if more else legend
        return Group(*lines, *([footer] if footer is not None else []))
