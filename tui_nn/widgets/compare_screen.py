"""The Compare view: the runs history as a table, the selected runs' cost curves overlaid, a grid of their maps.

Attributes down: the app owns the ``RunHistory`` and changes it (runs train, sweep trials
end); this screen redraws when the history's version changes (at most twice a second)
and changes only the selection. Messages up: ``Load`` (trainer app: make a run's config
the current experiment), ``Watch`` (watcher: follow a run in the panes), and the grid's
``MapGrid.MapsWanted``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from tui_nn.compare_maps import has_map
from tui_nn.keys import COMPARE_KEYS, COMPARE_PANE_TITLES
from tui_nn.layout import apply_size
from tui_nn.plot_legend import series_style
from tui_nn.run_history import SORTS, RunHistory, RunRecord, labels
from tui_nn.safe_text import printable
from tui_nn.widgets.cost_plot import CostPlot
from tui_nn.widgets.map_grid import MapGrid
from tui_nn.widgets.run_config_screen import RunConfigScreen
from tui_nn.widgets.runs_table import RunsTable

REDRAW_INTERVAL = 0.5
"""Seconds between checks of the history for changes (a redraw only when it changed)."""
PARTS = ("runs-table", "compare-plot", "map-grid")
SORT_NAMES = {"order": "as they ran", "dev": "best dev accuracy", "cost": "lowest cost", "time": "fastest"}


class CompareScreen(Screen[None]):
    """Compare the runs of a session (trainer) or of the watched runs and sweeps (watcher)."""

    BINDINGS = COMPARE_KEYS
    SCREEN_KEYS = COMPARE_KEYS
    """What help and the palette list for this screen (before the app's keys)."""

    @dataclass
    class Load(Message):
        """Load this run's config into the app as the current experiment."""

        record: RunRecord

    @dataclass
    class Watch(Message):
        """Show this run in the watcher's panes (steer it there)."""

        record: RunRecord

    def __init__(self, history: RunHistory, note: Callable[[], str] = str, can_load: bool = False,
                 can_watch: bool = False) -> None:
        super().__init__()
        self.history = history
        self.note = note
        """A line from the app about what is going on (a quick sweep's progress, a watched sweep's state);
        the app bumps the history's version when it changes."""
        self.can_load = can_load
        self.can_watch = can_watch
        self._drawn = -1
        self._part = 0

    def compose(self) -> ComposeResult:
        with Vertical(id="compare-main"):
            with Horizontal(id="compare-top"):
                yield RunsTable(id="runs-table")
                yield CostPlot(id="compare-plot", empty_hint="space selects runs")
            yield MapGrid(id="map-grid")
        yield Static("   ".join(f"{i + 1} {t}" for i, t in enumerate(COMPARE_PANE_TITLES)), id="compare-tabs")
        yield Static(id="compare-status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.table = self.query_one(RunsTable)
        self.plot = self.query_one(CostPlot)
        self.grid = self.query_one(MapGrid)
        self.table.border_title = "Runs"
        self.plot.border_title = "Cost"
        self.plot.log_scale = True  # curves of different runs span decades
        self.set_interval(REDRAW_INTERVAL, self._redraw_if_changed)
        self.redraw()
        self._apply_size()
        self.table.focus()

    def on_resize(self) -> None:
        self._apply_size()

    def _apply_size(self) -> None:
        parts = [self.query_one(f"#{part}") for part in PARTS]
        apply_size(self, parts, self._part, self.size.width, self.size.height, lower="map-grid")

    # --- drawing ----------------------------------------------------------------------------

    def _redraw_if_changed(self) -> None:
        if self.history.version != self._drawn:
            self.redraw()

    def redraw(self) -> None:
        """Table, curves, grid and status from the history as it is now."""
        history = self.history
        self._drawn = history.version
        selected = history.selected_records()
        mode = self.plot.colour_mode
        styles = {r.number: series_style(i, mode) for i, r in enumerate(selected)}
        self.table.show(history, history.rows(history.sort), styles)
        names = labels(selected)
        self.plot.clear_points()
        for record, name in zip(selected, names):
            its, costs = record.curve.arrays()
            self.plot.extend(name, its.copy(), costs.copy())
        self.grid.show_runs(selected, names)
        maps = any(r.map_data is not None for r in selected)
        self.grid.border_title = f"{'Decision boundaries' if maps else 'Dev accuracy'} of the selected runs"
        self._show_status()

    def _show_status(self) -> None:
        history = self.history
        parts = [self.note()] if self.note() else []  # what is going on first: it matters most
        parts += [f"{len(history.records)} runs, {len(history.selected)} selected", f"sorted: {SORT_NAMES[history.sort]}"]
        record = self._highlighted()
        if record is not None and record.notes:
            parts.append(f"#{record.number}: {record.notes[-1]}")
        self.query_one("#compare-status", Static).update(Text(printable("  ·  ".join(parts), 400), no_wrap=True,
                                                              overflow="ellipsis"))

    def _highlighted(self) -> RunRecord | None:
        number = self.table.highlighted
        return None if number is None else self.history.find(number)

    def on_map_grid_maps_wanted(self, msg: MapGrid.MapsWanted) -> None:
        # Asked while this screen redraws, the message counts as sent by the screen and would stop
        # bubbling here; the app computes maps, so hand it on.
        msg.stop()
        self.app.post_message(MapGrid.MapsWanted(msg.grid, msg.jobs))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_status()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_config()

    # --- keys ----------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "load_run":
            return self.can_load
        if action == "watch_run":
            return self.can_watch
        return True

    def action_toggle_select(self) -> None:
        record = self._highlighted()
        if record is not None:
            self.history.toggle(record.number)
            self.redraw()

    def action_select_all(self) -> None:
        everything = [r.number for r in self.history.records]
        self.history.select([] if len(self.history.selected) == len(everything) else everything)
        self.redraw()

    def action_cycle_sort(self) -> None:
        history = self.history
        history.sort = SORTS[(SORTS.index(history.sort) + 1) % len(SORTS)]
        self.redraw()

    def action_open_config(self) -> None:
        record = self._highlighted()
        if record is not None:
            self.app.push_screen(RunConfigScreen(record, self.can_load),
                                 lambda load: self.post_message(self.Load(record)) if load else None)

    def action_load_run(self) -> None:
        record = self._highlighted()
        if record is not None and record.config is not None and self.can_load:
            self.post_message(self.Load(record))

    def action_watch_run(self) -> None:
        record = self._highlighted()
        if record is not None and self.can_watch:
            self.post_message(self.Watch(record))

    def action_toggle_log(self) -> None:
        self.plot.log_scale = not self.plot.log_scale

    def action_show_part(self, index: int) -> None:
        self._part = index
        self._apply_size()

    def action_close(self) -> None:
        if self.app.screen is self:
            self.app.pop_screen()

    # --- for tests and the app -------------------------------------------------------------------

    @property
    def maps_shown(self) -> bool:
        """Whether every selected run that can have a map has one drawn."""
        return all(not has_map(r) or self.grid.has_drawn(r) for r in self.history.selected_records())
