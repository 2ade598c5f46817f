"""``tui-nn watch RUN...``: follow runs another process writes, and steer them.

The panes are the trainer app's; a thread worker tails each log and loads the
latest model file, posting messages; the UI only draws and sends commands
through each run's control file.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
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
from tui_nn.messages import RunModelView, RunOpened, RunPolled
from tui_nn.runs.files import LAST_MODEL
from tui_nn.runs.reader import RunTail, TailUpdate
from tui_nn.safe_text import markup_safe, printable
from tui_nn.view_actions import VIEW_ACTIONS, ViewActions
from tui_nn.views import BoundaryProbe, ViewRequest
from tui_nn.watching import RunView
from tui_nn.widgets.boundary_pane import BoundaryPane, Points
from tui_nn.widgets.confirm_screen import ConfirmScreen
from tui_nn.widgets.cost_plot import CostPlot, accuracy_note, rich_colour
from tui_nn.widgets.layers_pane import LayersPane
from tui_nn.widgets.model_pane import ModelPane
from tui_nn.widgets.status_line import StatusLine

POLL_INTERVAL = 0.25
"""Seconds between polls of every log: a record shows within about a quarter second."""


class WatchApp(CommonActions, ViewActions, App[int]):
    """Follows one or more runs; the first (n cycles) is shown in full and steered."""

    CSS_PATH = "app.tcss"
    TITLE = "tui-nn watch"
    BINDINGS = WATCH_KEYS

    def __init__(self, runs: list[Path], slow_link: bool = False, graphics: str | None = None) -> None:
        super().__init__()
        self.graphics = graphics
        self.slow_link = slow_link
        self.views = [RunView(Path(p)) for p in runs]
        self.controllers = [Controller(p) for p in runs]
        self.experiments: list[Experiment | None] = [None] * len(runs)
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
        yield Static(id="runs")
        yield StatusLine(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self._panes = [self.query_one(f"#{pane_id}") for pane_id in PANES]
        for pane, title in zip(self._panes, PANE_TITLES):
            pane.border_title = title
        self._panes[-1].border_title = "Decision boundary (last.npz)"
        self._boundary_pane = self.query_one(BoundaryPane)
        self._apply_size(self.size.width, self.size.height)
        self._plot = self.query_one(CostPlot)
        if self.slow_link:
            self._plot.replot_interval *= 3
        self._status = self.query_one(StatusLine)
        ExitGuard(self).install()
        self._poll([v.path for v in self.views])
        self._show()

    def on_resize(self, event) -> None:
        self._apply_size(event.size.width, event.size.height)

    def _apply_size(self, width: int, height: int) -> None:
        if self._panes:
            apply_size(self._panes[0].screen, self._panes, self._shown_pane, width, height)

    # --- the polling worker --------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="poll", name="poll")
    def _poll(self, paths: list[Path]) -> None:
        worker = get_current_worker()
        follows = [_Follow(p, RunTail(p)) for p in paths]
        try:
            while not worker.is_cancelled:
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

    def _poll_one(self, index: int, follow: "_Follow") -> bool:
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

    def _report(self, index: int, follow: "_Follow", update: TailUpdate) -> None:
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
        """Load ``last.npz`` when it changed and post its boundary view (worker thread)."""
        model_path = path / LAST_MODEL
        try:
            st = os.stat(model_path)
        except OSError:
            return stamp
        request = self._view_request  # replaced whole by the UI thread; read once
        new_stamp = (st.st_ino, st.st_mtime_ns, request)
        if new_stamp == stamp:
            return stamp
        try:
            model = load_model(model_path)
            view = probe.compute(model.parameters, request)
        except (ModelFileError, ValueError, KeyError):
            return stamp
        if view is not None:
            self.post_message(RunModelView(index, view))
        return new_stamp

    # --- messages --------------------------------------------------------------------------

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "poll" and event.state == WorkerState.ERROR:
            self.notify(f"Stopped reading the logs: {markup_safe(event.worker.error)}", severity="error", timeout=30)

    def on_run_polled(self, msg: RunPolled) -> None:
        view = self.views[msg.index]
        if view.apply(msg.update):
            self._replot()
            self.notify(f"{markup_safe(view.name)}: {markup_safe(view.message)}", severity="warning")
        else:
            self._plot_new_points(msg.index)
        if msg.index == self.primary:
            self._show()
        self._show_runs()

    def on_run_opened(self, msg: RunOpened) -> None:
        self.experiments[msg.index] = msg.experiment
        if msg.experiment is None:
            self.notify(markup_safe(msg.error), severity="warning", timeout=8)
        if msg.index == self.primary:
            self._show_experiment()

    BOUNDARY_TITLE_SUFFIX = " (last.npz)"

    def _redraw_boundary(self) -> None:
        """The polling worker sees the new request at its next poll and redraws."""

    def on_run_model_view(self, msg: RunModelView) -> None:
        if msg.index == self.primary:
            for pane in self.query(BoundaryPane):  # none once the app is quitting (a view can arrive late)
                pane.view = msg.view

    # --- what is on screen -------------------------------------------------------------------

    def _series_name(self, index: int) -> str:
        return printable(self.views[index].name, 40) if len(self.views) > 1 else "train"

    def _plot_new_points(self, index: int) -> None:
        """Add run ``index``'s new points: its cost curve, and the dev curve when it is the only run."""
        view = self.views[index]
        curves = [(self._series_name(index), view.train_curve)]
        if len(self.views) == 1:  # with several runs, one curve each keeps the plot readable
            curves.append(("dev", view.dev_curve))
        for name, curve in curves:
            its, costs = curve.take()
            if its.size:
                self._plot.extend(name, its, costs)

    def _replot(self) -> None:
        """Redraw every run's curves from the start (after a log reset)."""
        self._plot.clear_points()
        for i, view in enumerate(self.views):
            view.train_curve.taken = view.dev_curve.taken = 0
            self._plot_new_points(i)

    def _show_experiment(self) -> None:
        exp = self.experiments[self.primary]
        model = self.query_one(ModelPane)
        boundary = self.query_one(BoundaryPane)
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
        view = self.views[self.primary]
        status = self._status
        status.state = view.state
        status.iteration, status.total = view.iteration, view.target or 0
        status.cost, status.rate = view.cost, view.rate
        status.train_accuracy, status.dev_accuracy = view.train_accuracy, view.dev_accuracy
        self._plot.accuracy_note = accuracy_note(view.train_accuracy, view.dev_accuracy)
        notes = [] if self.controllers[self.primary].writable else ["read-only: watching only"]
        if view.malformed:
            notes.append(f"{view.malformed} malformed line(s) skipped")
        if view.message:
            notes.append(view.message)
        status.message = printable(" | ".join(notes), 300)
        if view.learning_rate is not None:
            self.query_one(ModelPane).learning_rate = view.learning_rate
        layers = self.query_one(LayersPane)
        layers.iteration = view.stats_iteration
        layers.stats = view.stats

    def _show_runs(self) -> None:
        line = Text(no_wrap=True, overflow="ellipsis")
        for i, view in enumerate(self.views):
            mark = "▶ " if i == self.primary else "  "
            line.append(f"{mark}{printable(view.name, 40)}", rich_colour(i))
            line.append(f" {view.state} {view.iteration}   ")
        self.query_one("#runs", Static).update(line)

    # --- steering ------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
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
        self._show_experiment()
        self._show()
        self._show_runs()

    def action_toggle_log(self) -> None:
        self._plot.log_scale = not self._plot.log_scale


@dataclass
class _Follow:
    """What the polling worker keeps about one watched run."""

    path: Path
    tail: RunTail
    probe: BoundaryProbe | None = None
    model_stamp: tuple | None = None
    opened: bool = False
    error: str | None = None
    """The last error reported (reported again only when it changes)."""


def run_watch(runs: list[Path], slow_link: bool = False) -> int:
    """Watch the given run folders until the user quits (``slow_link``: redraw less often)."""
    return run_to_exit(WatchApp([Path(r) for r in runs], slow_link, None if slow_link else detect_graphics()))
