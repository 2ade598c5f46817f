"""The watcher's runs history: every watched run and sweep trial as a row of the Compare view (``C``).

A mixin for ``WatchApp``: rows are made when watching starts (a sweep's trials from its
plan, pending until their log appears) and kept current from each run's ``RunView`` as
its log is polled, its header opened and its ``last.npz`` loaded. The run bar and the
Cost pane name runs by what differs between them. The polling worker (in
``watch_app.py``) finds new trials and computes the grid's maps; this mixin only handles
what it posts.
"""

from __future__ import annotations

from pathlib import Path

from tui_nn.config import ConfigError, from_mapping
from tui_nn.messages import RunAdded, SweepPolled
from tui_nn.run_history import RunHistory, RunRecord, labels, sweep_progress
from tui_nn.watch_targets import WatchedSweep
from tui_nn.widgets.compare_screen import CompareScreen
from tui_nn.widgets.cost_plot import rich_colour
from tui_nn.widgets.map_grid import MapGrid
from tui_nn.widgets.run_bar import RunEntry

MAX_OVERLAID = 10
"""With more runs than this, the Cost pane shows the shown run alone (the Compare view overlays the selected ones)."""


class WatchCompareActions:
    """``C`` the Compare view of the watched runs and sweeps."""

    def _init_history(self, sweeps: list[WatchedSweep], runs: list[Path]) -> None:
        self.history = RunHistory()
        self.sweeps = sweeps
        self._fed: dict[Path, int] = {}
        """Points of each run's curve already in its row."""
        for sweep in sweeps:
            for trial in sweep.plan.trials:
                self.history.add(trial.config, trial.name, run_dir=sweep.folder / trial.name, status="pending")
        for run in runs:
            self._record_of(run)
        if sweeps:
            self.history.select(r.number for r in self.history.records[:MAX_OVERLAID])

    def _record_of(self, run: Path) -> RunRecord:
        """The run's row (made for a run that is not a sweep's trial)."""
        return self.history.by_run_dir(run) or self.history.add(None, run.name, run_dir=run, status="waiting")

    def _run_labels(self) -> list[str]:
        """Each watched run named by what differs between them."""
        return labels([self._record_of(v.path) for v in self.views])

    # --- rows from what the worker read ------------------------------------------------------

    def _update_record(self, index: int) -> None:
        view, record = self.views[index], self._record_of(self.views[index].path)
        record.status, record.final_cost, record.iterations = view.state, view.cost, view.iteration
        record.train_accuracy, record.dev_accuracy, record.seconds = view.train_accuracy, view.dev_accuracy, view.seconds
        if record.config is None and isinstance(view.header, dict):
            try:
                record.config = from_mapping(view.header.get("config") or {}, "run config")
            except ConfigError as e:
                record.note(f"config not readable: {e}")
        fed, held = self._fed.get(view.path, 0), len(view.train_curve.its)
        if held < fed:  # the log was read again from the start
            record.curve.clear()
            fed = 0
        if held > fed:
            record.curve.extend(*view.train_curve.since(fed))
            self._fed[view.path] = held
        self.history.touch()

    def on_run_added(self, msg: RunAdded) -> None:
        """A sweep's trial started: watch it like the others."""
        self._add_view(msg.path)
        self._record_of(msg.path).status = "running"
        self._replot()
        self._show_runs()

    def on_sweep_polled(self, msg: SweepPolled) -> None:
        """What the sweep's driver recorded: trials that failed before they had a log."""
        watched = {v.path for v in self.views}
        for trial, (status, reason) in msg.statuses.items():
            record = self.history.by_run_dir(msg.folder / f"trial-{trial:03d}")
            if record is not None and record.run_dir not in watched and status == "failed" and record.status != "failed":
                record.status = "failed"
                record.note(reason)
                self.history.touch()

    # --- the Compare view and the run bar -------------------------------------------------------

    def _watch_note(self) -> str:
        notes = []
        for sweep in self.sweeps:
            rows = [r for r in self.history.records if r.run_dir is not None and r.run_dir.parent == sweep.folder]
            notes.append(sweep_progress(f"sweep {sweep.plan.name}", rows))
        return "  ·  ".join(notes)

    def action_compare(self) -> None:
        if isinstance(self.screen, CompareScreen):
            self.pop_screen()
        else:
            self.push_screen(CompareScreen(self.history, note=self._watch_note, can_watch=True))

    def on_compare_screen_watch(self, msg: CompareScreen.Watch) -> None:
        """Show the chosen run in the panes (where the keys steer it)."""
        paths = [v.path for v in self.views]
        if msg.record.run_dir not in paths:
            self.notify(f"{msg.record.origin} has no log yet", severity="warning")
            return
        self.primary = paths.index(msg.record.run_dir)
        if isinstance(self.screen, CompareScreen):
            self.pop_screen()
        self._switch_shown()

    def on_map_grid_maps_wanted(self, msg: MapGrid.MapsWanted) -> None:
        self._draw_maps(msg.grid, msg.jobs)

    def _show_runs(self) -> None:
        """The run bar: every run, named by what differs, the shown one marked, in its curve's colour."""
        bar = self._run_bar
        mode = self._cost_plot.colour_mode
        entries = [RunEntry(label, view.state, view.iteration, rich_colour(i, mode))
                   for i, (label, view) in enumerate(zip(self._run_labels(), self.views))]
        bar.show(entries, self.primary)
