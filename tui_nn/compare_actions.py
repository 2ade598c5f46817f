"""The trainer app's runs history, Compare view (``C``) and quick sweep (``S``).

A mixin for ``TuiNNApp``. Every run the app trains becomes a row of ``self.history``
when it starts and is kept current while it trains and when it stops (the weights come
with ``TrainingStopped``); a reset or another experiment ends it. A quick sweep's trials
become rows as the plan is made and fill in from the sweep's events. The app's thread
workers (in ``app.py``) run the sweep's event loop (``_follow_sweep``) and the grid's
maps (``_draw_maps``); this mixin only handles what they post.
"""

from __future__ import annotations

import time

import numpy as np

from tui_nn.config import RunConfig
from tui_nn.experiment import model_inputs, spec_for
from tui_nn.messages import Progress, QuickSweepEvent, TrainingStopped
from tui_nn.quick_sweep import TrialEnded
from tui_nn.run_history import RunHistory, RunRecord, sweep_progress
from tui_nn.runs.sweep_folder import create_sweep_folder
from tui_nn.runs.sweep_local import LocalBackend
from tui_nn.runs.sweep_plan import Plan
from tui_nn.runs.sweep_runner import SweepFinished, SweepRunner, TrialProgress, TrialStarted
from tui_nn.safe_text import markup_safe, printable
from tui_nn.widgets.compare_screen import CompareScreen
from tui_nn.widgets.map_grid import MapGrid
from tui_nn.widgets.quick_sweep_dialog import QuickSweepDialog

DATA_FIELDS = ("dataset", "m", "noise", "data_seed", "dev_fraction", "label", "layout")
"""Config fields that choose the data: a run on other data is loaded with its data read afresh."""
ON_COMPARE = {"compare", "quick_sweep", "stop_sweep", "help", "quit", "command_palette"}
"""App keys that still work on the Compare view (the others edit what it hides)."""
SWEEP_STOP_SECONDS = 30.0
"""Quitting (``q``) waits at most this long for the sweep's workers to end their trials."""


class CompareActions:
    """``C`` the Compare view, ``S`` a quick sweep (``S`` again stops it)."""

    def _init_compare(self) -> None:
        self.history = RunHistory()
        """Every run of this session (the Compare view's rows)."""
        self._app_runs: dict[int, RunRecord] = {}
        self._running_since: float | None = None
        self._sweep: SweepRunner | None = None
        self._sweep_thread = None
        self._sweep_rows: dict[int, RunRecord] = {}
        self._sweep_note = ""

    # --- the app's own runs ----------------------------------------------------------------

    def _record_start(self) -> None:
        """A run (or its continuation) starts: its row exists from now on."""
        record = self._app_runs.get(self.generation)
        if record is None:
            exp = self.experiment
            record = self.history.add(exp.config, "app", spec=exp.spec, dataset=exp.source_dataset)
            self._app_runs[self.generation] = record
        record.status = "running"
        self._running_since = time.monotonic()

    def _record_progress(self, msg: Progress) -> None:
        record = self._app_runs.get(msg.generation)
        if record is None:
            return
        record.curve.extend(msg.iterations, msg.costs)
        r = msg.latest
        record.final_cost, record.iterations = r.cost, r.iteration + (0 if r.divergence is not None else 1)
        record.train_accuracy, record.dev_accuracy = msg.train_accuracy, msg.dev_accuracy
        self.history.touch()

    def _record_stop(self, msg: TrainingStopped) -> None:
        """Training stopped (a pause, the end, a divergence): the row gets its time, state and weights."""
        record = self._app_runs.get(msg.generation)
        if record is None:
            return
        if self._running_since is not None:
            record.seconds += time.monotonic() - self._running_since
            self._running_since = None
        if msg.generation == self.generation:
            record.status = self.state
            record.config = self.config  # the learning rate as last set
        self.history.keep_parameters(record, msg.parameters)
        self.history.touch()

    def _record_end(self) -> None:
        """The run ends for good (a reset or another experiment)."""
        record = self._app_runs.pop(self.generation, None)
        if record is not None:
            if not record.ended:
                record.status = "stopped"
            record.curve.compact()
            self.history.touch()

    # --- the Compare view --------------------------------------------------------------------

    def action_compare(self) -> None:
        if isinstance(self.screen, CompareScreen):
            self.pop_screen()
        else:
            self.push_screen(CompareScreen(self.history, note=lambda: self._sweep_note, can_load=True))

    def compare_action_enabled(self, action: str) -> bool | None:
        """On the Compare view only ``ON_COMPARE`` keys work; ``S`` runs or stops a quick sweep."""
        if isinstance(self.screen, CompareScreen) and action not in ON_COMPARE:
            return False
        if action in ("quick_sweep", "stop_sweep"):
            return (self._sweep is not None) == (action == "stop_sweep")
        return True

    def on_compare_screen_load(self, msg: CompareScreen.Load) -> None:
        """Make a run's config the current experiment (asking first when progress would be lost)."""
        if msg.record.config is None:
            return
        config = msg.record.config.with_changes(out=self.config.out)  # a trial's out is its sweep folder
        if isinstance(self.screen, CompareScreen):
            self.pop_screen()
        self._apply_run_config(config)

    def _apply_run_config(self, config: RunConfig) -> None:
        if any(getattr(config, k) != getattr(self.config, k) for k in DATA_FIELDS):
            self._open_config(config)  # other data: read or drawn afresh off the UI thread
        else:
            self._confirm_change(config)

    def on_map_grid_maps_wanted(self, msg: MapGrid.MapsWanted) -> None:
        self._draw_maps(msg.grid, msg.jobs)

    # --- the quick sweep ---------------------------------------------------------------------

    def action_quick_sweep(self) -> None:
        layer = self.selected_layer if self.config.hidden else 0
        self.push_screen(QuickSweepDialog(self.config, layer, self.experiment.source_dataset), self._run_sweep)

    def _run_sweep(self, plan: Plan | None) -> None:
        if plan is None or self._sweep is not None:
            return
        try:
            folder, plan = create_sweep_folder(plan, plan.base.out)
        except OSError as e:
            self.notify(f"Cannot make the sweep folder: {markup_safe(e)}", severity="error", timeout=10)
            return
        source = self.experiment.source_dataset
        self._sweep_rows = {}
        for trial in plan.trials:
            spec = spec_for(trial.config, model_inputs(source, trial.config.features))
            self._sweep_rows[trial.index] = self.history.add(trial.config, f"{plan.name} {trial.name}", spec=spec,
                                                             dataset=source, run_dir=folder / trial.name, status="pending")
        self.history.select(r.number for r in self._sweep_rows.values())
        self._sweep = SweepRunner(folder, plan, LocalBackend(quiet=True))
        self._sweep_note = f"quick sweep {plan.name}: starting {len(plan.trials)} trials in {printable(folder)}"
        self._sweep_thread = self._sweep.start()
        self._follow_sweep(self._sweep)
        if not isinstance(self.screen, CompareScreen):
            self.action_compare()
        self.screen.refresh_bindings()

    def action_stop_sweep(self) -> None:
        if self._sweep is not None:
            self._sweep.cancel()
            self._sweep_note = "stopping the quick sweep: running trials end with their last.npz"
            self.history.touch()

    def _cancel_sweep(self) -> None:
        """Tell a quick sweep's workers to end their trials (safe from any thread)."""
        sweep = self._sweep
        if sweep is not None:
            sweep.cancel()

    def _stop_sweep_and_wait(self, timeout: float) -> None:
        """Cancel the sweep and wait at most ``timeout`` seconds until its workers have ended their trials."""
        thread = self._sweep_thread
        self._cancel_sweep()
        if thread is not None:
            thread.join(timeout)

    def on_quick_sweep_event(self, msg: QuickSweepEvent) -> None:
        event = msg.event
        if isinstance(event, TrialStarted):
            self._sweep_rows[event.trial.index].status = "running"
        elif isinstance(event, TrialProgress) and not self._sweep_rows[event.trial.index].ended:
            # (the runner's progress thread can report a trial's last evaluation after it ended)
            record = self._sweep_rows[event.trial.index]
            record.iterations, record.final_cost, record.dev_accuracy = event.iteration, event.cost, event.dev_accuracy
            record.train_accuracy = event.train_accuracy
            record.seconds = event.seconds if event.seconds is not None else record.seconds
            its, _ = record.curve.arrays()
            if event.cost is not None and (not its.size or its[-1] < event.iteration - 1):
                # The curve grows live (an evaluation a second); the log's whole curve replaces it at the end.
                record.curve.extend(np.array([event.iteration - 1]), np.array([event.cost]))
        elif isinstance(event, TrialEnded):
            self._trial_ended(event)
        elif isinstance(event, SweepFinished):
            self._sweep_finished(event)
        self._sweep_note = self._sweep_state() if self._sweep is not None else self._sweep_note
        self.history.touch()

    def _trial_ended(self, event: TrialEnded) -> None:
        result = event.result
        record = self._sweep_rows[result.trial]
        record.status, record.final_cost, record.iterations = result.status, result.final_cost, result.iterations
        record.train_accuracy, record.dev_accuracy, record.seconds = result.train_accuracy, result.dev_accuracy, result.seconds
        if result.reason and result.status not in ("finished", "converged"):
            record.note(result.reason)
        record.set_curve(*event.curve)
        self.history.keep_parameters(record, event.parameters)

    def _sweep_state(self) -> str:
        return sweep_progress("quick sweep", list(self._sweep_rows.values()))

    def _sweep_finished(self, event: SweepFinished) -> None:
        self._sweep = self._sweep_thread = None
        self._sweep_note = self._sweep_state() + f" · {'stopped' if event.cancelled else 'finished'}: {printable(event.folder)}"
        self.notify(markup_safe(self._sweep_note), title="Quick sweep", timeout=8)
        self.screen.refresh_bindings()
