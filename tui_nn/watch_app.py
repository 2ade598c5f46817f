"""``tui-nn watch RUN|SWEEP...``: follow runs and whole sweeps that other processes write, and steer them.

The panes are the trainer app's; a thread worker tails each log, finds a sweep's
trials as they start and loads the latest model files, posting messages; the UI only
draws and sends commands through each run's control file. A sweep opens on the Compare
view (``C``): its live table, the selected trials' curves and their maps.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from textual import work
from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Static
from textual.worker import Worker, WorkerState, get_current_worker

from tui_nn.common_actions import CommonActions
from tui_nn.config import ConfigError, from_mapping
from tui_nn.runs.control import ControlError, Controller
from tui_nn.core import ModelFileError, load_model
from tui_nn.datasets import DatasetError
from tui_nn.edits import scale_learning_rate
from tui_nn.experiment import Experiment, build_experiment
from tui_nn.graphics import detect_graphics
from tui_nn.keys import WATCH_KEYS
from tui_nn.layout import PANE_TITLES, PANES, apply_size
from tui_nn.terminal import ExitGuard, run_to_exit
from tui_nn.compare_maps import compute_maps
from tui_nn.messages import RunAdded, RunModelView, RunOpened, RunPolled, SweepPolled
from tui_nn.run_history import MAX_RUN_PARAMETERS
from tui_nn.runs.files import LAST_MODEL
from tui_nn.runs.reader import RunTail, TailUpdate
from tui_nn.runs.sweep_folder import recorded_statuses
from tui_nn.safe_text import markup_safe, printable
from tui_nn.view_actions import VIEW_ACTIONS, ViewActions
from tui_nn.views import BoundaryProbe, ViewRequest
from tui_nn.watch_compare import MAX_OVERLAID, WatchCompareActions
from tui_nn.watch_targets import Follow, WatchTargets
from tui_nn.watching import RunView
from tui_nn.widgets.boundary_pane import BoundaryPane, Points
from tui_nn.widgets.confirm_screen import ConfirmScreen
from tui_nn.widgets.compare_screen import CompareScreen
from tui_nn.widgets.cost_plot import CostPlot, accuracy_note
from tui_nn.widgets.layers_pane import LayersPane
from tui_nn.widgets.map_grid import MapGrid
from tui_nn.widgets.model_pane import ModelPane
from tui_nn.widgets.run_bar import RunBar
from tui_nn.widgets.status_line import StatusLine

POLL_INTERVAL = 0.25
"""Seconds between polls of every log: a record shows within about a quarter second."""
SWEEP_POLLS = 4
"""Polls between looks for a sweep's new trials and its driver's results (about once a second)."""


class WatchApp(CommonActions, WatchCompareActions, ViewActions, App[int]):
    """Follows runs and sweeps; one run at a time (n cycles) is shown in full and steered."""

    CSS_PATH = "app.tcss"
    TITLE = "tui-nn watch"
    BINDINGS = WATCH_KEYS

    def __init__(self, runs: list[Path], slow_link: bool = False, graphics: str | None = None) -> None:
        """``runs`` are run folders and sweep folders (a sweep's plan is read here: ``SweepError``)."""
        super().__init__()
        self.graphics = graphics
        self.slow_link = slow_link
        self.targets = WatchTargets.from_paths([Path(p) for p in runs])
        """What the polling worker follows (it adds a sweep's trials as they start)."""
        self.views: list[RunView] = []
        self.controllers: list[Controller] = []
        self.experiments: list[Experiment | None] = []
        for path in self.targets.runs:
            self._add_view(path)
        self._init_history(list(self.targets.sweeps), list(self.targets.runs))
        self.primary = 0
        self._view_request = ViewRequest((38, 20))
        """The boundary pane's size and view; the polling worker draws for it (replaced whole)."""
        self._probe: BoundaryProbe | None = None
        """The shown run's probe (its views and title), on the UI thread."""
        self._panes: list = []
        self._shown_pane = 0

    def compose(self) -> ComposeResult:
        with Vertical(id="main"):
            with Horizontal(id="top"):
                yield ModelPane(id="model-pane")
                yield CostPlot(id="cost-plot", empty_hint="waiting for the first evaluation")
                yield BoundaryPane(id="boundary-pane", graphics=self.graphics)
            yield LayersPane(id="layers-pane")
        yield Static("1 Model   2 Cost   3 Layers   4 Boundary", id="tabs")
        yield Static("Terminal too small for tui-nn watch: please enlarge it (at least 40x12).", id="too-small")
        yield RunBar(id="runs")
        yield StatusLine(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self._panes = [self.query_one(f"#{pane_id}") for pane_id in PANES]
        for pane, title in zip(self._panes, PANE_TITLES):
            pane.border_title = title
        self._panes[-1].border_title = "Decision boundary (last.npz)"
        self._boundary_pane = self.query_one(BoundaryPane)
        self._apply_size(self.size.width, self.size.height)
        self._cost_plot = self.query_one(CostPlot)
        if self.slow_link:
            self._cost_plot.replot_interval *= 3
        self._status = self.query_one(StatusLine)
        # Kept so handlers reach the panes while another screen (the Compare view, a dialog) is shown.
        self._model_pane, self._layers_pane = self.query_one(ModelPane), self.query_one(LayersPane)
        self._run_bar = self.query_one(RunBar)
        ExitGuard(self).install()
        self._poll(self.targets, len(self.views))
        self._show()
        self._show_runs()
        if self.targets.sweeps:
            self.action_compare()

    def on_resize(self, event) -> None:
        self._apply_size(event.size.width, event.size.height)

    def _apply_size(self, width: int, height: int) -> None:
        if self._panes:
            apply_size(self._panes[0].screen, self._panes, self._shown_pane, width, height)

    # --- the polling worker --------------------------------------------------------------

    def _add_view(self, path: Path) -> None:
        self.views.append(RunView(path))
        self.controllers.append(Controller(path))
        self.experiments.append(None)

    @work(thread=True, exclusive=True, exit_on_error=False, group="poll", name="poll")
    def _poll(self, targets: WatchTargets, count: int) -> None:
        """Tail the first ``count`` of ``targets.runs``, and the trials its sweeps start (this thread
        alone changes ``targets`` from now on)."""
        worker = get_current_worker()
        follows = [Follow(p, RunTail(p)) for p in targets.runs[:count]]
        polls = 0
        try:
            while not worker.is_cancelled:
                if targets.sweeps and polls % SWEEP_POLLS == 0:
                    for path in targets.discover():
                        follows.append(Follow(path, RunTail(path)))
                        self.post_message(RunAdded(len(follows) - 1, path))
                    for sweep in targets.sweeps:
                        self.post_message(SweepPolled(sweep.folder, recorded_statuses(sweep.folder)))
                polls += 1
                more = False
                for i, follow in enumerate(follows):
                    try:
                        more = self._poll_one(i, follow) or more
                    except Exception as e:  # this thread must never die silently: say why, keep polling
                        self._report(i, follow, TailUpdate(error=f"{follow.path}: cannot be read ({type(e).__name__}: {e})"))
                if not more:  # a long log is read in chunks without waiting
                    time.sleep(POLL_INTERVAL)
        finally:
            for follow in follows:
                follow.tail.close()

    def _poll_one(self, index: int, follow: Follow) -> bool:
        """Read run ``index``'s new records, open its experiment, refresh its model; True when more is waiting."""
        update = follow.tail.poll()
        if update.records or update.reset or update.malformed or update.error != follow.error:
            self._report(index, follow, update)
        if update.reset:
            follow.opened, follow.model_stamp = False, None
        header = next((r for r in update.records if r.get("type") == "header"), None)
        if header is not None and not follow.opened:
            follow.opened = True
            follow.probe = self._open(index, header)
        if follow.probe is not None:
            follow.model_stamp = self._refresh_model(index, follow.path, follow.probe, follow.model_stamp)
        return update.more

    def _report(self, index: int, follow: Follow, update: TailUpdate) -> None:
        follow.error = update.error
        self.post_message(RunPolled(index, update))

    def _open(self, index: int, header: dict) -> BoundaryProbe | None:
        """Rebuild the run's dataset and network from its header (worker thread)."""
        try:
            experiment = build_experiment(from_mapping(header.get("config") or {}, "run config"), for_training=False)
        except (ConfigError, DatasetError, ValueError, OSError) as e:
            self.post_message(RunOpened(index, None, f"cannot open the run's dataset: {e}"))
            return None
        self.post_message(RunOpened(index, experiment))
        return BoundaryProbe.for_experiment(experiment)

    def _refresh_model(self, index: int, path: Path, probe: BoundaryProbe, stamp):
        """Load ``last.npz`` when it changed and post its weights, with its boundary view when the
        run is the one shown (worker thread). A run that becomes the shown one gets its view even
        when its model no longer changes (a finished trial picked on the Compare view)."""
        model_path = path / LAST_MODEL
        try:
            st = os.stat(model_path)
        except OSError:
            return stamp
        shown = index == self.primary  # set by the UI thread; a stale read only costs one more load
        request = self._view_request if shown else None  # replaced whole by the UI thread; read once
        new_stamp = (st.st_ino, st.st_mtime_ns, request)
        if new_stamp == stamp:
            return stamp
        try:
            model = load_model(model_path)
            view = probe.compute(model.parameters, request) if request is not None else None
        except (ModelFileError, ValueError, KeyError):
            return stamp
        small = sum(v.size for v in model.parameters.values()) <= MAX_RUN_PARAMETERS
        self.post_message(RunModelView(index, view, model.parameters if small else None))
        return new_stamp

    @work(thread=True, exit_on_error=False, group="maps")
    def _draw_maps(self, grid: MapGrid, jobs: list) -> None:
        """The Compare view's maps, computed here and posted to its grid."""
        grid.post_message(MapGrid.MapsDrawn(compute_maps(jobs)))

    # --- messages --------------------------------------------------------------------------

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "poll" and event.state == WorkerState.ERROR:
            self.notify(f"Stopped reading the logs: {markup_safe(event.worker.error)}", severity="error", timeout=30)

    def on_run_polled(self, msg: RunPolled) -> None:
        view = self.views[msg.index]
        labels = self._run_labels()
        reset = view.apply(msg.update)
        self._update_record(msg.index)
        if reset or self._run_labels() != labels:  # a header can change what differs: rename the curves
            self._replot()
        else:
            self._plot_new_points(msg.index)
        if reset:
            self.notify(f"{markup_safe(view.name)}: {markup_safe(view.message)}", severity="warning")
        if msg.index == self.primary:
            self._show()
        self._show_runs()

    def on_run_opened(self, msg: RunOpened) -> None:
        self.experiments[msg.index] = msg.experiment
        if msg.experiment is None:
            self.notify(markup_safe(msg.error), severity="warning", timeout=8)
        else:
            record = self._record_of(self.views[msg.index].path)
            record.config, record.spec = msg.experiment.config, msg.experiment.spec
            self.history.attach_data(record, msg.experiment.source_dataset)
            self.history.touch()
        if msg.index == self.primary:
            self._show_experiment()

    BOUNDARY_TITLE_SUFFIX = " (last.npz)"

    def _redraw_boundary(self) -> None:
        """The polling worker sees the new request at its next poll and redraws."""

    def on_run_model_view(self, msg: RunModelView) -> None:
        self.history.keep_parameters(self._record_of(self.views[msg.index].path), msg.parameters)
        if msg.index == self.primary and msg.view is not None:
            if self._boundary_pane.is_attached:  # not once the app is quitting (a view can arrive late)
                self._boundary_pane.view = msg.view

    # --- what is on screen -------------------------------------------------------------------

    def _overlaid(self) -> bool:
        """Several runs, few enough to overlay: one curve each, named by what differs."""
        return 1 < len(self.views) <= MAX_OVERLAID

    def _plot_new_points(self, index: int) -> None:
        """Add run ``index``'s new points: one curve per run when they are overlaid, else the shown
        run's cost and dev cost."""
        view = self.views[index]
        if self._overlaid():
            curves = [(self._run_labels()[index], view.train_curve)]
        elif index == self.primary:
            curves = [("train", view.train_curve), ("dev", view.dev_curve)]
        else:
            return
        for name, curve in curves:
            its, costs = curve.take()
            if its.size:
                self._cost_plot.extend(name, its, costs, style=index if self._overlaid() else None)

    def _replot(self) -> None:
        """Redraw every run's curves from the start (after a log reset)."""
        self._cost_plot.clear_points()
        for i, view in enumerate(self.views):
            view.train_curve.taken = view.dev_curve.taken = 0
            self._plot_new_points(i)

    def _show_experiment(self) -> None:
        exp = self.experiments[self.primary] if self.views else None
        model = self._model_pane
        boundary = self._boundary_pane
        model.experiment = exp
        model.selected_layer = 0
        boundary.view = None
        if exp is None:
            boundary.points = None
            self._probe = None
            return
        ds = exp.source_dataset
        self._probe = BoundaryProbe.for_experiment(exp)
        self._request_view(mode="main")
        model.learning_rate = exp.config.learning_rate
        boundary.image_shape = ds.image_shape
        boundary.class_names = ds.class_names
        boundary.points = Points.of(ds)

    def _show(self) -> None:
        if not self.views:
            self._status.message = "waiting for the sweep's first trial to start"
            return
        view = self.views[self.primary]
        status = self._status
        status.state = view.state
        status.iteration, status.total = view.iteration, view.target or 0
        status.cost, status.rate = view.cost, view.rate
        status.train_accuracy, status.dev_accuracy = view.train_accuracy, view.dev_accuracy
        self._cost_plot.accuracy_note = accuracy_note(view.train_accuracy, view.dev_accuracy)
        notes = [] if self.controllers[self.primary].writable else ["read-only: watching only"]
        if view.malformed:
            notes.append(f"{view.malformed} malformed line(s) skipped")
        if view.message:
            notes.append(view.message)
        status.message = printable(" | ".join(notes), 300)
        if view.learning_rate is not None:
            self._model_pane.learning_rate = view.learning_rate
        layers = self._layers_pane
        layers.iteration = view.stats_iteration
        layers.stats = view.stats

    # --- steering ------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if isinstance(self.screen, CompareScreen) and action not in ("compare", "help", "quit", "command_palette"):
            return False  # on the Compare view its own keys apply
        if not self.views and action in ("toggle_pause", "stop", "learning_rate", "next_run", *VIEW_ACTIONS):
            return False
        if action in ("toggle_pause", "stop", "learning_rate"):
            view = self.views[self.primary]
            if not self.controllers[self.primary].writable or view.state not in ("running", "paused"):
                return None  # shown greyed out: read-only or not running
        if action == "next_run" and len(self.views) < 2:
            return False
        if action in VIEW_ACTIONS:
            return self.view_action_enabled(action)
        return True

    def _send(self, command: str, learning_rate: float | None = None) -> None:
        try:
            seq = self.controllers[self.primary].send(command, learning_rate)
        except ControlError as e:
            self.notify(markup_safe(e), title="Not sent", severity="error", timeout=8)
            return
        self.notify(f"sent {command} (#{seq}); waiting for the trainer to acknowledge it")

    def action_toggle_pause(self) -> None:
        self._send("resume" if self.views[self.primary].state == "paused" else "pause")

    def action_stop(self) -> None:
        name = printable(self.views[self.primary].name, 60)
        self.push_screen(ConfirmScreen(f"Stop the run {name}? It ends for good (resume continues it later)."),
                         lambda yes: self._send("stop") if yes else None)

    def action_learning_rate(self, up: bool) -> None:
        lr = self.views[self.primary].learning_rate
        if lr is not None:
            self._send("set_learning_rate", scale_learning_rate(float(lr), up))

    def action_next_run(self) -> None:
        self.primary = (self.primary + 1) % len(self.views)
        self._switch_shown()

    def _switch_shown(self) -> None:
        """Show run ``primary`` in the panes (its curves alone when the runs are not overlaid)."""
        self._show_experiment()
        self._show()
        self._show_runs()
        if not self._overlaid():
            self._replot()


def run_watch(runs: list[Path], slow_link: bool = False) -> int:
    """Watch the given run and sweep folders until the user quits (``slow_link``: redraw less often)."""
    return run_to_exit(WatchApp([Path(r) for r in runs], slow_link, None if slow_link else detect_graphics()))
