"""The tui-nn Textual app: composition, key bindings, the training worker and message handlers."""

from __future__ import annotations

import sys
from typing import Callable

from textual import work
from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.widgets import Footer, Static
from textual.worker import Worker, WorkerState, get_current_worker

from tui_nn.architecture_actions import ArchitectureActions
from tui_nn.common_actions import CommonActions
from tui_nn.compare_actions import SWEEP_STOP_SECONDS, CompareActions
from tui_nn.compare_maps import compute_maps
from tui_nn.config import ConfigError, RunConfig
from tui_nn.data_actions import DataActions
from tui_nn.datasets import DatasetError
from tui_nn.diagnosis import CostSwings, InitContext
from tui_nn.core import LoadedModel
from tui_nn.experiment import Experiment, build_experiment, experiment_from_model
from tui_nn.export_actions import ExportActions
from tui_nn.file_actions import FileActions
from tui_nn.graphics import detect_graphics
from tui_nn.hyper_actions import HyperActions
from tui_nn.keys import TRAINER_KEYS
from tui_nn.layout import PANE_TITLES, PANES, apply_size
from tui_nn.terminal import GRACE, ExitGuard, run_to_exit
from tui_nn.messages import BoundaryUpdate, Progress, QuickSweepEvent, StatsUpdate, TrainingStopped
from tui_nn.quick_sweep import follow_sweep
from tui_nn.run_actions import RunActions
from tui_nn.safe_text import markup_safe, say
from tui_nn.stepthrough_actions import StepThroughActions
from tui_nn.training import TrainingDriver
from tui_nn.view_actions import VIEW_ACTIONS, ViewActions
from tui_nn.views import BoundaryProbe, ViewRequest
from tui_nn.widgets.boundary_pane import BoundaryPane, Points
from tui_nn.widgets.confirm_screen import ConfirmScreen
from tui_nn.widgets.cost_plot import CostPlot, accuracy_note
from tui_nn.widgets.gradcheck_screen import GradCheckScreen, check_gradients
from tui_nn.widgets.layers_pane import LayersPane
from tui_nn.widgets.map_grid import MapGrid
from tui_nn.widgets.model_pane import ModelPane
from tui_nn.widgets.status_line import StatusLine


SLOW_LINK_SLOWDOWN = 3.0


class TuiNNApp(CommonActions, RunActions, CompareActions, ArchitectureActions, HyperActions, DataActions, FileActions,
               ExportActions, StepThroughActions, ViewActions, App[int]):
    """Build, train and watch a fully connected network."""

    CSS_PATH = "app.tcss"
    TITLE = "tui-nn"
    BINDINGS = TRAINER_KEYS

    state: reactive[str] = reactive("ready", bindings=True)
    """ready / running / paused / finished / converged / diverged."""
    selected_layer: reactive[int] = reactive(1)

    def __init__(self, experiment: Experiment, slow_link: bool = False, graphics: str | None = None) -> None:
        super().__init__()
        self.graphics = graphics
        """``"sixel"``/``"tgp"`` when the terminal draws pictures (maps at pixel resolution), else None."""
        self.slowdown = SLOW_LINK_SLOWDOWN if slow_link else 1.0
        """Update intervals are this many times longer on a slow link."""
        self.experiment = experiment
        self.generation = 0
        self.trainer = experiment.new_trainer()
        self.training: TrainingDriver | None = None
        self._worker: Worker | None = None
        self._probe = BoundaryProbe.for_experiment(experiment)
        self._view_request = ViewRequest()
        self._shown_pane = 1  # the Cost pane first when the panes are tabs (below 100x30)
        self._panes: list = []
        self._diverged_at_lr = float("inf")
        self._swings = CostSwings()
        self._init_compare()

    @property
    def config(self) -> RunConfig:
        return self.experiment.config

    # --- composition ----------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id="main"):
            with Horizontal(id="top"):
                yield ModelPane(id="model-pane")
                yield CostPlot(id="cost-plot")
                yield BoundaryPane(id="boundary-pane", graphics=self.graphics)
            yield LayersPane(id="layers-pane")
        yield Static("1 Model   2 Cost   3 Layers   4 Boundary", id="tabs")
        yield Static("Terminal too small for tui-nn: please enlarge it (at least 40x12).", id="too-small")
        yield StatusLine(id="status")
        yield Footer()

    def on_mount(self) -> None:
        # Kept so handlers reach the panes while a dialog is the active screen.
        self._model_pane = self.query_one(ModelPane)
        self._cost_plot = self.query_one(CostPlot)
        self._cost_plot.replot_interval *= self.slowdown
        self._layers_pane = self.query_one(LayersPane)
        self._boundary_pane = self.query_one(BoundaryPane)
        self._status = self.query_one(StatusLine)
        self._panes = [self.query_one(f"#{pane_id}") for pane_id in PANES]
        for pane, title in zip(self._panes, PANE_TITLES):
            pane.border_title = title
        ExitGuard(self, before_exit=lambda: self._leave(GRACE / 2), pause_work=self._pause_work).install()
        self._show_experiment()
        self._apply_size(self.size.width, self.size.height)

    def on_resize(self, event) -> None:
        self._apply_size(event.size.width, event.size.height)

    def _apply_size(self, width: int, height: int) -> None:
        if not self._panes:  # a resize before mounting
            return
        apply_size(self._model_pane.screen, self._panes, self._shown_pane, width, height)

    # --- what is on screen ------------------------------------------------------------

    def _show_experiment(self) -> None:
        """Push the experiment's attributes down to the panes after a change or reset."""
        exp = self.experiment
        ds = exp.source_dataset
        model = self._model_pane
        self.selected_layer = min(max(self.selected_layer, 1 if exp.spec.L > 1 else 0), exp.spec.L - 1)
        model.experiment = exp
        model.selected_layer = self.selected_layer
        model.learning_rate = self.trainer.learning_rate
        boundary = self._boundary_pane
        boundary.image_shape = ds.image_shape
        boundary.class_names = ds.class_names
        boundary.points = Points.of(ds)
        self._layers_pane.stats = None
        self._layers_pane.context = InitContext.of(exp.spec.layer_dims, exp.initial_parameters, exp.arrays.X_train,
                                                   exp.config.init, exp.config.init_scale, exp.config.learning_rate)
        self._layers_pane.cost_warning = None
        self._swings.clear()
        self._cost_plot.clear_points()
        self._cost_plot.accuracy_note = ""
        status = self._status
        status.iteration, status.total = 0, self.trainer.num_iterations
        status.cost = status.train_accuracy = status.dev_accuracy = status.test_accuracy = None
        status.rate, status.message = 0.0, ""
        self.state = "ready"
        self._request_view(layer=self.selected_layer)

    def watch_state(self, state: str) -> None:
        self._status.state = state

    def watch_selected_layer(self, layer: int) -> None:
        self._model_pane.selected_layer = layer
        if self._panes and layer != self._view_request.layer:
            self._request_view(layer=layer)

    # --- the training worker ------------------------------------------------------------

    def _ensure_training(self) -> TrainingDriver:
        """The driver for the current trainer, its worker started on first use."""
        if self.training is None:
            self.training = TrainingDriver(self.trainer, self.post_message, self._probe, self.generation,
                                           test_score=self.experiment.test_accuracy)
            self.training.view_request = self._view_request
            self.training.slowdown = self.slowdown
            self._worker = self._train(self.training)
        return self.training

    @work(thread=True, exclusive=True, exit_on_error=False, group="training", name="training")
    def _train(self, driver: TrainingDriver) -> None:
        worker = get_current_worker()
        driver.loop(lambda: worker.is_cancelled)

    def _pause_work(self) -> None:
        """Let the worker stop after its current step and a quick sweep's trials end theirs (safe from
        any thread: a signal or a hang-up)."""
        training = self.training
        if training is not None:
            training.pause()
        self._cancel_sweep()

    @work(thread=True, exit_on_error=False, group="sweep", name="quick-sweep")
    def _follow_sweep(self, runner) -> None:
        """Post a quick sweep's events until its runner ends (cancelling it when this worker is)."""
        worker = get_current_worker()
        for event in follow_sweep(runner, lambda: worker.is_cancelled):
            self.post_message(QuickSweepEvent(event))

    @work(thread=True, exit_on_error=False, group="maps")
    def _draw_maps(self, grid: MapGrid, jobs: list) -> None:
        """The Compare view's maps, computed here and posted to its grid."""
        grid.post_message(MapGrid.MapsDrawn(compute_maps(jobs)))

    def _stop_worker(self) -> None:
        if self.training is not None:
            self.training.pause()
        if self._worker is not None:
            self._worker.cancel()
        self.training = self._worker = None

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.name == "training" and event.state == WorkerState.ERROR:
            error = event.worker.error
            self.training = self._worker = None
            self.state = "paused"
            self.notify(f"Training stopped by an error: {markup_safe(error)}", severity="error", timeout=10)

    def on_progress(self, msg: Progress) -> None:
        self._record_progress(msg)
        if msg.generation != self.generation:
            return
        r = msg.latest
        self._cost_plot.extend("train", msg.iterations, msg.costs)
        self._swings.extend(msg.costs)
        self._layers_pane.cost_warning = self._swings.warning(r.learning_rate)
        if msg.dev_iterations.size:
            self._cost_plot.extend("dev", msg.dev_iterations, msg.dev_costs)
        status = self._status
        # Steps done: a diverged step was not taken, so it does not count.
        status.iteration = r.iteration + (0 if r.divergence is not None else 1)
        status.cost, status.rate = r.cost, msg.rate
        status.total = self.trainer.num_iterations
        status.train_accuracy, status.dev_accuracy = msg.train_accuracy, msg.dev_accuracy
        status.test_accuracy = msg.test_accuracy
        self._cost_plot.accuracy_note = accuracy_note(msg.train_accuracy, msg.dev_accuracy, msg.test_accuracy)
        self._model_pane.learning_rate = r.learning_rate

    def on_stats_update(self, msg: StatsUpdate) -> None:
        if msg.generation == self.generation:
            pane = self._layers_pane
            pane.iteration = msg.iteration
            pane.stats = msg.stats

    def on_boundary_update(self, msg: BoundaryUpdate) -> None:
        if msg.generation == self.generation:
            self._boundary_pane.view = msg.view

    def on_training_stopped(self, msg: TrainingStopped) -> None:
        if msg.generation != self.generation:
            self._record_stop(msg)
            return
        r = msg.latest
        status = self._status
        status.rate = 0.0  # no speed while stopped
        if r is not None and r.divergence is not None:
            self._diverged_at_lr = r.learning_rate
            self.state = "diverged"
            status.message = r.divergence.describe()
            self.notify(r.divergence.describe(), title="Diverged", severity="error", timeout=15)
        else:
            status.message = ""
            self.state = "finished" if r is None else r.status if r.status in ("finished", "converged") else "paused"
        self._record_stop(msg)

    # --- run control --------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        enabled = self.compare_action_enabled(action)
        if action == "run" and enabled:
            return self.state != "running"
        if action == "pause" and enabled:
            return self.state == "running"
        if not enabled or action not in VIEW_ACTIONS:
            return enabled
        return self.view_action_enabled(action)

    def _rebuild(self, experiment: Experiment) -> None:
        self._stop_worker()
        self._record_end()
        self.generation += 1
        self.experiment = experiment
        self.trainer = experiment.new_trainer()
        self._probe = BoundaryProbe.for_experiment(experiment)
        self._show_experiment()

    # --- architecture and hyperparameters -------------------------------------------------

    def _confirm_change(self, cfg: RunConfig) -> None:
        """Apply a config that resets training, asking first when there is progress to lose."""
        if cfg == self.config:
            return
        try:
            experiment = build_experiment(cfg, self.experiment.source_dataset)
        except (ConfigError, ValueError) as e:
            self.notify(markup_safe(e), severity="error")
            return
        self._switch_experiment(experiment)

    # --- data ---------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="io")
    def _open_config(self, cfg: RunConfig, model: LoadedModel | None = None,
                     then: Callable[[Experiment], None] | None = None) -> None:
        """Load ``cfg``'s data afresh (a file, or a new draw) off the UI thread, then switch to it
        (with ``model``'s network and weights when given; ``then`` runs after the switch)."""
        try:
            experiment = build_experiment(cfg)
            if model is not None:
                experiment = experiment_from_model(experiment, model)
        except (DatasetError, ConfigError, ValueError) as e:
            self.call_from_thread(self.notify, markup_safe(e), title="Cannot open dataset", severity="error", timeout=10)
            return
        self.call_from_thread(self._switch_experiment, experiment, then)

    def _switch_experiment(self, experiment: Experiment, then: Callable[[Experiment], None] | None = None) -> None:
        """Start over on ``experiment``, asking first when training progress would be lost; ``then``
        runs after the switch. A run in progress pauses while the question is open and carries on after a no.
        """
        def switch() -> None:
            self._rebuild(experiment)
            if then is not None:
                then(experiment)

        if self.trainer.iteration == 0 and self.state != "running":
            switch()
            return
        was_running = self.state == "running"
        self.action_pause()

        def answer(yes: bool | None) -> None:
            if yes:
                switch()
            elif was_running:
                self._start()

        done = self.trainer.iteration
        question = f"This resets training ({done} iteration{'s' if done != 1 else ''} done). Continue?"
        self.push_screen(ConfirmScreen(question), answer)

    # --- checks and views ------------------------------------------------------------------

    def action_gradcheck(self) -> None:
        screen = GradCheckScreen()
        self.push_screen(screen)
        self._gradcheck(screen, self.trainer.parameters_copy())

    @work(thread=True, exclusive=True, exit_on_error=False, group="gradcheck")
    def _gradcheck(self, screen: GradCheckScreen, parameters: dict) -> None:
        try:
            result, note = check_gradients(self.experiment, parameters)
        except Exception as e:  # shown in the dialog; the app stays usable
            self.call_from_thread(screen.show_error, f"gradient check failed: {markup_safe(e)}")
            return
        self.call_from_thread(screen.show_result, result, note)

    @work(thread=True, exclusive=True, exit_on_error=False, group="stepthrough")
    def _compute_step(self, screen, request) -> None:
        """Build a ``StepRequest``'s step off the UI thread and hand it to its ``StepThroughScreen``."""
        try:
            view = request.compute()
        except Exception as e:  # shown in the dialog; the app stays usable
            self.call_from_thread(screen.show_error, request, f"the step could not be computed: {e}")
            return
        self.call_from_thread(screen.show_view, view)

    def _leave(self, sweep_wait: float = SWEEP_STOP_SECONDS) -> None:
        """Before exiting: stop training and a quick sweep's workers (waiting at most ``sweep_wait`` s for
        them to end their trials; after a signal, less than ``ExitGuard`` gives the app to leave)."""
        self._stop_worker()
        self._stop_sweep_and_wait(sweep_wait)

    def action_quit(self) -> None:
        self._leave()
        self.exit(0)


def run_app(config: RunConfig, slow_link: bool = False) -> int:
    """Open the dataset, then run the app until the user quits; returns the exit status.

    ``slow_link`` updates the screen three times less often (the CLI also asks
    Textual for 16 colours and fewer frames).
    """
    try:
        experiment = build_experiment(config)
    except (DatasetError, ConfigError, ValueError) as e:
        say(f"tui-nn: {e}", sys.stderr)
        return 2
    return run_to_exit(TuiNNApp(experiment, slow_link, None if slow_link else detect_graphics()))
