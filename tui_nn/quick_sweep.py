"""The app's quick sweep: one field of the current experiment over several values (no Textual).

The form (``tui_nn.widgets.quick_sweep_dialog``) shows a few fields of the current
config, each with its value; the one given several values (``1,2,3,4,5,20,50``,
``log:0.01:1:5``, as ``tui-nn sweep --vary`` reads them) is the sweep's axis, and a
field given one other value changes the base config. ``quick_plan`` checks it all like
``tui-nn sweep`` does before anything runs. ``follow_sweep`` turns the runner's events
into what the app shows, reading each ended trial's curve and (small) weights from its
run folder; it runs on the app's sweep worker thread.
"""

from __future__ import annotations

import queue
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

import numpy as np

from tui_nn.config import ConfigError, RunConfig
from tui_nn.core import ModelFileError, load_model
from tui_nn.run_history import MAX_RUN_PARAMETERS
from tui_nn.runs.files import LAST_MODEL
from tui_nn.runs.reader import RunTail
from tui_nn.runs.sweep_axes import Axis, SweepError, axis_from_flag
from tui_nn.runs.sweep_plan import Plan, apply_values, build_plan
from tui_nn.runs.sweep_results import TrialResult
from tui_nn.runs.sweep_runner import SweepRunner, TrialFinished

FIELDS = ("hidden", "activations", "learning_rate", "init", "l2", "seed", "iterations")
"""The form's fields in order: units and activation of the selected layer, then whole-network settings."""
PER_LAYER = ("hidden", "activations")
MAX_MODEL_BYTES = MAX_RUN_PARAMETERS * 8 + (64 << 10)
"""A trial's last.npz is read for the grid only below this size (weights the history would keep)."""
STOP_POLL = 0.2


def axis_key(key: str, layer: int) -> str:
    """The sweep axis of a form field: ``hidden`` of layer 2 is ``hidden.2``."""
    return f"{key}.{layer}" if key in PER_LAYER else key


def current_value(config: RunConfig, key: str, layer: int) -> Any:
    """What a form field shows at first: the config's value (the selected layer's, per layer)."""
    if key in PER_LAYER:
        values = getattr(config, key)
        return values[layer - 1] if 1 <= layer <= len(values) else None
    return getattr(config, key)


def _without_flag(message: str) -> str:
    return str(message).removeprefix("--vary ")


def quick_plan(config: RunConfig, layer: int, texts: dict[str, str], dataset: Any = None) -> tuple[Plan | None, dict[str, str]]:
    """The sweep a filled-in form asks for, or the errors to show under each field (by key).

    ``texts`` maps form fields (``FIELDS``) to their text; an empty field keeps the current
    value. Exactly one field must hold several values. ``dataset`` is the experiment's data as
    loaded, so the trials' networks are checked against it without reading it again.
    """
    axes: dict[str, Axis] = {}
    errors: dict[str, str] = {}
    for key, text in texts.items():
        if text.strip():
            try:
                axes[key] = axis_from_flag(f"{axis_key(key, layer)}={text.strip()}")
            except SweepError as e:
                errors[key] = _without_flag(e)
    several = [k for k, a in axes.items() if len(a.values) > 1]
    if not errors and not several:
        errors[next(iter(texts), "hidden")] = "give one field several values (1,2,3 or log:0.01:1:5) to sweep over them"
    if len(several) > 1:
        errors[several[1]] = f"one field at a time: {several[0]} already has several values"
    if errors:
        return None, errors
    (swept,) = several
    base = config
    for key, axis in axes.items():
        if key != swept and axis.values[0] != current_value(config, key, layer):
            try:
                base = apply_values(base, {axis.key: axis.values[0]})
            except ConfigError as e:
                errors[key] = str(e).removeprefix("sweep: ")
    if errors:
        return None, errors
    try:
        plan = build_plan(base, [axes[swept]], name=f"quick-{swept}", source="tui-nn quick sweep", opened_data=dataset)
    except ConfigError as e:
        return None, {swept: str(e)}
    return plan, {}


@dataclass(frozen=True, eq=False)
class TrialEnded:
    """A trial ended: its row, its folder, its cost curve ``(iterations, costs)`` from the log and its
    final weights (None when too large to keep or unreadable)."""

    result: TrialResult
    run_dir: Path
    curve: tuple[np.ndarray, np.ndarray]
    parameters: dict[str, np.ndarray] | None


def trial_curve(run_dir: Path) -> tuple[np.ndarray, np.ndarray]:
    """The cost at every evaluation in a run folder's log (iterations and costs)."""
    with RunTail(run_dir) as tail:
        records = tail.poll_all().records
    points = [(r["iteration"], r["cost"]) for r in records
              if r.get("type") == "eval" and isinstance(r.get("iteration"), int) and isinstance(r.get("cost"), float)]
    its = np.array([p[0] for p in points], dtype=np.int64)
    return its, np.array([p[1] for p in points], dtype=np.float64)


def trial_weights(run_dir: Path) -> dict[str, np.ndarray] | None:
    """The run's last.npz weights when small enough for the grid, else None."""
    path = run_dir / LAST_MODEL
    try:
        if path.stat().st_size > MAX_MODEL_BYTES:
            return None
        return load_model(path).parameters
    except (OSError, ModelFileError, ValueError):
        return None


def follow_sweep(runner: SweepRunner, cancelled: Callable[[], bool]) -> Iterator[object]:
    """Yield a started ``runner``'s events until it ends (``TrialEnded`` in place of
    ``TrialFinished``); once ``cancelled()`` is true the runner is cancelled, and its last
    events (the running trials ending as ``terminated``, then ``SweepFinished``) still come."""
    stopping = False
    while True:
        if not stopping and cancelled():
            runner.cancel()
            stopping = True
        try:
            event = runner.events.get(timeout=STOP_POLL)
        except queue.Empty:
            continue
        if event is None:
            return
        if isinstance(event, TrialFinished):
            yield TrialEnded(event.result, event.run_dir, trial_curve(event.run_dir), trial_weights(event.run_dir))
        else:
            yield event
