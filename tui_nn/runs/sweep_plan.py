"""A sweep plan: a base run config, its axes and every trial's resolved config.

A sweep file is a run config (TOML or JSON, the same keys as ``tui-nn train --config``)
plus a ``[vary]`` table of axes and an optional ``[sweep]`` table::

    dataset = "flower"
    iterations = 5000
    [sweep]
    name = "hidden-sizes"
    repeats = 1                 # > 1 repeats every combination over seeds
    [vary]
    hidden = [1, 2, 3, 4, 5, 20, 50]
    learning_rate = { log = [0.01, 1], count = 3 }

Trials are the grid of all axes (the first axis varies slowest). ``build_plan``
refuses an invalid sweep before anything runs: unknown fields, empty axes, values
a field cannot take, and combinations the dataset cannot take (each trial's
dataset is opened, once per distinct dataset setting, and its network sized to it,
without drawing weights or training). Errors name the axis and value.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from tui_nn.config import ConfigError, RunConfig, from_mapping, read_document
from tui_nn.flags import merge
from tui_nn.runs.sweep_axes import Axis, SweepError, axis_from_value, repeat_axis

__all__ = ["MAX_TRIALS", "Plan", "SweepError", "Trial", "apply_values", "build_plan", "check_datasets", "load_sweep_file", "plan_from_json"]

MAX_TRIALS = 10_000
MAX_SWEEP_FILE_BYTES = 1 << 20
PLAN_VERSION = 1
DATA_KEYS = ("dataset", "m", "noise", "data_seed", "label", "layout")
"""Config fields that decide which data a trial trains on."""


@dataclass(frozen=True)
class Trial:
    """One point of the grid: its number, the varied values and the resolved config."""

    index: int
    values: dict[str, Any]
    """Axis key -> value, in axis order (``{"hidden": (4,), "learning_rate": 0.1}``)."""
    config: RunConfig

    @property
    def name(self) -> str:
        """The trial's run folder name inside the sweep folder: ``trial-003``."""
        return f"trial-{self.index:03d}"

    def describe(self) -> str:
        """``hidden=4 learning_rate=0.1``."""
        return " ".join(f"{k}={format_value(v, k)}" for k, v in self.values.items())


def format_value(value: Any, key: str = "") -> str:
    """A varied value as ``--vary`` writes it: ``(20, 7, 5)`` -> ``20x7x5``, ``0.1`` -> ``0.1``,
    features ``("x1", "x1^2")`` -> ``x1+x1^2``, None -> ``none``, a case
    ``{"init": "random", "init_scale": 10}`` -> ``init=random,init_scale=10``."""
    if isinstance(value, dict):
        return ",".join(f"{k}={format_value(v, k)}" for k, v in value.items())
    if value is None:
        return "none"
    if isinstance(value, (tuple, list)):
        return ("+" if key == "features" else "x").join(str(v) for v in value) if value else "-"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


@dataclass(frozen=True)
class Plan:
    """A base config, its axes and the trials they expand to."""

    base: RunConfig
    axes: tuple[Axis, ...]
    trials: tuple[Trial, ...]
    name: str = "sweep"
    source: str = "command line"
    extras: dict[str, Any] = field(default_factory=dict)
    """Settings from the ``[sweep]`` table kept in plan.json (e.g. ``repeats``)."""

    @property
    def varied(self) -> tuple[str, ...]:
        """The axis keys, in order."""
        return tuple(a.key for a in self.axes)

    def to_json(self) -> dict[str, Any]:
        """plan.json: everything needed to run or resume the sweep, with every trial's config."""
        return {
            "type": "sweep_plan",
            "version": PLAN_VERSION,
            "name": self.name,
            "source": self.source,
            "base": self.base.to_dict(),
            "axes": [a.to_json() for a in self.axes],
            "extras": self.extras,
            "trials": [
                {"trial": t.index, "name": t.name, "values": {k: _plain(v) for k, v in t.values.items()},
                 "config": t.config.to_dict()}
                for t in self.trials
            ],
        }


def _plain(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    return list(v) if isinstance(v, tuple) else v


def _unplain(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _unplain(x) for k, x in v.items()}
    return tuple(v) if isinstance(v, list) else v


def apply_values(base: RunConfig, values: Mapping[str, Any]) -> RunConfig:
    """``base`` with one trial's values: whole lists first, then single layers (``hidden.2``)."""
    flat: dict[str, Any] = {}
    for k, v in values.items():
        flat.update(v if k == "cases" else {k: v})
    values = flat
    whole = {k: v for k, v in values.items() if "." not in k}
    if isinstance(whole.get("hidden"), int):
        whole["hidden"] = (whole["hidden"],)
    if isinstance(whole.get("activations"), str):
        whole["activations"] = (whole["activations"].lower(),)
    if "hidden" in whole and "activations" not in whole and len(set(base.activations)) == 1:
        whole["activations"] = base.activations[:1]  # relu stays relu at any depth
    cfg = merge(base, whole, "sweep")
    per_layer = {k: v for k, v in values.items() if "." in k}
    if per_layer:
        lists = {"hidden": list(cfg.hidden), "activations": list(cfg.activations)}
        for key, value in per_layer.items():
            name, layer = key.split(".")
            if int(layer) > len(lists[name]):
                raise ConfigError(f"{key}: the network has {len(lists[name])} hidden layer(s), no layer {layer}")
            lists[name][int(layer) - 1] = value.lower() if isinstance(value, str) else value
        cfg = from_mapping({**cfg.to_dict(), **lists}, "sweep")
    return cfg


def _blame(error: Exception, values: Mapping[str, Any], index: int) -> SweepError:
    """Name the axis and value behind a config error, or the whole combination."""
    message = str(error).removeprefix("sweep: ")
    field_name = message.split(":", 1)[0]
    for key, value in values.items():
        if key == field_name or key.split(".")[0] == field_name or (isinstance(value, dict) and field_name in value):
            return SweepError(f"axis {key} = {format_value(value, key)}: {message}")
    combo = " ".join(f"{k}={format_value(v, k)}" for k, v in values.items())
    return SweepError(f"trial {index} ({combo or 'the base config'}): {message}")


def expand(base: RunConfig, axes: tuple[Axis, ...]) -> tuple[Trial, ...]:
    """The grid of ``axes`` over ``base``; raises ``SweepError`` naming the axis and value."""
    keys = [a.key for a in axes]
    if len(set(keys)) != len(keys):
        dup = next(k for k in keys if keys.count(k) > 1)
        raise SweepError(f"axis {dup} is given twice")
    total = 1
    for a in axes:
        total *= len(a.values)
    if total > MAX_TRIALS:
        raise SweepError(f"the sweep has {total} trials; at most {MAX_TRIALS} ({' x '.join(str(len(a.values)) for a in axes)})")
    trials = []
    for index, combo in enumerate(itertools.product(*(a.values for a in axes))):
        values = dict(zip(keys, combo))
        try:
            cfg = apply_values(base, values)
        except ConfigError as e:
            raise _blame(e, values, index) from None
        trials.append(Trial(index, values, cfg))
    return tuple(trials)


def check_datasets(trials: tuple[Trial, ...], opened_data: Any = None) -> None:
    """Open each distinct dataset once and size every trial's network to it, without training.

    ``opened_data`` is a dataset already open for the first trial's data settings (the app's),
    so it is not read again. Raises ``SweepError`` naming the trial's varied values when a
    dataset cannot be opened or cannot take the network (e.g. a softmax output on binary data).
    """
    from tui_nn.datasets import DatasetError
    from tui_nn.experiment import model_inputs, open_dataset, spec_for

    opened: dict[tuple, Any] = {}
    if opened_data is not None and trials:
        opened[tuple(getattr(trials[0].config, k) for k in DATA_KEYS)] = opened_data
    for trial in trials:
        cfg = trial.config
        key = tuple(getattr(cfg, k) for k in DATA_KEYS)
        try:
            if key not in opened:
                opened[key] = open_dataset(cfg)
            spec_for(cfg, model_inputs(opened[key], cfg.features))
        except (ConfigError, DatasetError) as e:
            raise _blame(e, trial.values, trial.index) from None


def build_plan(base: RunConfig, axes: list[Axis] | tuple[Axis, ...], name: str = "sweep", source: str = "command line",
               repeats: int | None = None, check_data: bool = True, opened_data: Any = None) -> Plan:
    """Expand and validate a sweep; ``repeats`` adds a last axis over seeds; ``opened_data`` is the
    base config's dataset when the caller has it open (see ``check_datasets``)."""
    axes = tuple(axes)
    extras: dict[str, Any] = {}
    if repeats is not None and repeats != 1:
        if any(a.field == "seed" for a in axes):
            raise SweepError("repeats: seed is already an axis; repeats vary the seed")
        axes = axes + (repeat_axis(repeats, base.seed),)
        extras["repeats"] = repeats
    if not axes:
        raise SweepError("nothing to vary: give --vary KEY=VALUES or a [vary] table")
    trials = expand(base, axes)
    if check_data:
        check_datasets(trials, opened_data)
    return Plan(base, axes, trials, name, source, extras)


def _read_document(path: Path) -> dict[str, Any]:
    try:
        if path.is_file() and path.stat().st_size > MAX_SWEEP_FILE_BYTES:
            raise SweepError(f"{path}: a sweep file is at most 1 MiB")
        data = read_document(path, "sweep")
    except OSError as e:
        raise SweepError(f"{path}: cannot read ({e.strerror or e})") from None
    except ConfigError as e:
        raise SweepError(str(e)) from None
    if not isinstance(data, dict):
        raise SweepError(f"{path}: expected a table of settings at the top level")
    return data


def _vary_entries(vary: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """``[vary]`` entries; TOML's dotted ``hidden.2 = [...]`` arrives as ``{"hidden": {"2": [...]}}``."""
    out = []
    for key, value in vary.items():
        if isinstance(value, Mapping) and value and all(str(k).isdigit() for k in value):
            out.extend((f"{key}.{layer}", v) for layer, v in value.items())
        else:
            out.append((key, value))
    return out


def load_sweep_file(path: str | Path) -> tuple[RunConfig, list[Axis], dict[str, Any]]:
    """Read a sweep file: the base config, the axes and the ``[sweep]`` settings (``name``, ``repeats``)."""
    path = Path(path)
    data = _read_document(path)
    vary = data.pop("vary", {})
    settings = data.pop("sweep", {})
    if not isinstance(vary, Mapping):
        raise SweepError(f"{path}: vary: expected a table of axes")
    if not isinstance(settings, Mapping):
        raise SweepError(f"{path}: sweep: expected a table (name, repeats)")
    unknown = set(settings) - {"name", "repeats"}
    if unknown:
        raise SweepError(f"{path}: sweep: unknown setting {sorted(unknown)[0]!r} (expected name, repeats)")
    try:
        base = from_mapping(data, str(path))
        axes = [axis_from_value(k, v) for k, v in _vary_entries(vary)]
    except SweepError as e:
        raise SweepError(f"{path}: {e}") from None
    return base, axes, dict(settings)


def plan_from_json(doc: Mapping[str, Any], source: str) -> Plan:
    """Rebuild a plan from plan.json (``--resume``); each trial's config is validated again."""
    try:
        base = from_mapping(doc["base"], f"{source}: base")
        axes = tuple(Axis(a["key"], tuple(_unplain(v) for v in a["values"]), a["kind"], a["spec"]) for a in doc["axes"])
        trials = []
        for i, t in enumerate(doc["trials"]):
            if t["trial"] != i:
                raise SweepError(f"{source}: trial {i} is numbered {t['trial']!r}")
            values = {k: _unplain(v) for k, v in t["values"].items()}
            trials.append(Trial(i, values, from_mapping(t["config"], f"{source}: trial {i}")))
        return Plan(base, axes, tuple(trials), str(doc.get("name", "sweep")), str(doc.get("source", "")), dict(doc.get("extras") or {}))
    except (KeyError, TypeError, AttributeError) as e:
        raise SweepError(f"{source}: not a sweep plan ({type(e).__name__}: {e})") from None


def place(plan: Plan, folder: Path) -> Plan:
    """The plan with every trial's ``out`` set to the sweep folder (where its run folder lives)."""
    trials = tuple(Trial(t.index, t.values, t.config.with_changes(out=str(folder))) for t in plan.trials)
    return Plan(plan.base, plan.axes, trials, plan.name, plan.source, plan.extras)
