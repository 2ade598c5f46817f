"""Run configuration: one record shared by the app, ``tui-nn train`` and config files.

Files are TOML (read with ``tomllib``) or JSON. Unknown keys, wrong types and
out-of-range values raise ``ConfigError`` naming the key; every name (dataset,
activation, initialisation, optimiser) resolves through a fixed table.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any, Mapping

from tui_nn.core import HIDDEN_ACTIVATIONS, INIT_SCHEMES, OPTIMIZERS, OUTPUTS
from tui_nn.core.plainjson import PlainDataError, parse_json, parse_toml
from tui_nn.core.safefile import FileRefused, read_regular
from tui_nn.datasets import check_features

DTYPES: tuple[str, ...] = ("float64", "float32")
"""Floating-point types a run can train in, in the order the app cycles through them."""
MAX_UNITS = 4096
MAX_HIDDEN_LAYERS = 16
MAX_ITERATIONS = 10**8
MIN_M, MAX_M = 4, 10**7
"""Examples a generated data set may draw."""
MIN_DEV_FRACTION, MAX_DEV_FRACTION = 0.05, 0.5
"""The dev set's share: at most half, so a generated dev set is never larger than its training set."""
MAX_CONFIG_BYTES = 1 << 20


class ConfigError(Exception):
    """A configuration value is unknown, of the wrong type or out of range."""


@dataclass(frozen=True)
class RunConfig:
    """Everything that defines a training run. Defaults are the course's planar net."""

    dataset: str = "flower"
    """A built-in dataset name or a path to a CSV, NPZ or HDF5 file (or folder)."""
    m: int | None = None
    noise: float | None = None
    data_seed: int | None = None
    label: str | None = None
    """CSV label column by header name (default: the last column)."""
    layout: str | None = None
    """NPZ layout: "columns" (course X (n_x, m)) or "rows" (x (m, n_x))."""
    features: tuple[str, ...] | None = None
    """Input features for 2-feature data (``x1^2``, ``sin_x1``, ...); None feeds x1, x2 as they are."""
    dev_fraction: float | None = None
    """Share f of the examples in the dev set: a generated set draws ``m f / (1 - f)`` dev points,
    a file or scikit-learn set splits off f of its rows. None: 0.2 (generated: ``m // 4``)."""
    hidden: tuple[int, ...] = (4,)
    activations: tuple[str, ...] = ("tanh",)
    output: str | None = None
    """Output activation; None picks the one the dataset's task needs."""
    init: str = "random"
    init_scale: float = 0.01
    """Scale of the ``random`` scheme (xavier and he fix their own)."""
    seed: int = 3
    optimizer: str = "gd"
    beta1: float = 0.9
    """Momentum's velocity decay and Adam's first-moment decay (the course's beta1)."""
    beta2: float = 0.999
    """Adam's second-moment decay (the course's beta2); momentum and gd ignore it."""
    learning_rate: float = 1.2
    iterations: int = 10000
    batch_size: int | None = None
    l2: float = 0.0
    eval_every: int = 100
    out: str = "runs"
    dtype: str = "float64"
    """Training arithmetic: float64 (the course's) or float32 (faster, about 7 significant digits)."""

    def __post_init__(self) -> None:
        for key in ("hidden", "activations", "features"):
            if isinstance(getattr(self, key), list):
                object.__setattr__(self, key, tuple(getattr(self, key)))
        validate(self)
        if self.features is not None:
            object.__setattr__(self, "features", check_features(self.features))  # canonical names

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able values, None entries dropped."""
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(self).items() if v is not None}

    def with_changes(self, **changes: Any) -> "RunConfig":
        """A validated copy with some fields changed."""
        return replace(self, **changes)


_TYPES: dict[str, tuple[type, ...]] = {
    "dataset": (str,), "m": (int,), "noise": (int, float), "data_seed": (int,), "label": (str,),
    "layout": (str,), "features": (list, tuple), "dev_fraction": (int, float), "hidden": (list, tuple), "activations": (list, tuple), "output": (str,),
    "init": (str,), "init_scale": (int, float), "seed": (int,), "optimizer": (str,),
    "beta1": (int, float), "beta2": (int, float),
    "learning_rate": (int, float), "iterations": (int,), "batch_size": (int,), "l2": (int, float),
    "eval_every": (int,), "out": (str,), "dtype": (str,),
}
FIELD_NAMES = tuple(f.name for f in fields(RunConfig))
assert set(_TYPES) == set(FIELD_NAMES)


def _shown(value: Any) -> str:
    """A value from a file for a message: its type and a capped ``repr`` (which escapes control characters)."""
    return "null" if value is None else f"{type(value).__name__} {value!r:.60}"


def _fail(key: str, message: str) -> None:
    raise ConfigError(f"{key}: {message}")


def _check_range(cfg: RunConfig) -> None:
    def positive(key: str, value: float) -> None:
        if not (math.isfinite(value) and value > 0):
            _fail(key, f"must be a positive number, got {value}")

    positive("learning_rate", cfg.learning_rate)
    positive("init_scale", cfg.init_scale)
    if not 1 <= cfg.iterations <= MAX_ITERATIONS:
        _fail("iterations", f"must be between 1 and {MAX_ITERATIONS}, got {cfg.iterations}")
    for key in ("beta1", "beta2"):
        beta = getattr(cfg, key)
        if not (math.isfinite(beta) and 0 <= beta < 1):
            _fail(key, f"must be at least 0 and below 1, got {beta}")
    if not (math.isfinite(cfg.l2) and cfg.l2 >= 0):
        _fail("l2", f"must be >= 0, got {cfg.l2}")
    if not 0 <= cfg.seed < 2**32:
        _fail("seed", f"must be between 0 and 2**32 - 1, got {cfg.seed}")
    if cfg.data_seed is not None and not 0 <= cfg.data_seed < 2**32 - 1000:
        _fail("data_seed", f"must be between 0 and 2**32 - 1001, got {cfg.data_seed}")
    if cfg.batch_size is not None and cfg.batch_size < 1:
        _fail("batch_size", f"must be >= 1, got {cfg.batch_size}")
    if cfg.m is not None and not MIN_M <= cfg.m <= MAX_M:
        _fail("m", f"must be between {MIN_M} and {MAX_M}, got {cfg.m}")
    if cfg.noise is not None and not (math.isfinite(cfg.noise) and cfg.noise >= 0):
        _fail("noise", f"must be >= 0, got {cfg.noise}")
    if cfg.dev_fraction is not None and not (MIN_DEV_FRACTION <= cfg.dev_fraction <= MAX_DEV_FRACTION):
        _fail("dev_fraction", f"must be between {MIN_DEV_FRACTION:g} and {MAX_DEV_FRACTION:g}, got {cfg.dev_fraction}")
    if cfg.eval_every < 1:
        _fail("eval_every", f"must be >= 1, got {cfg.eval_every}")
    if not cfg.dataset.strip():
        _fail("dataset", "must name a built-in dataset or a file")


def _check_names(cfg: RunConfig) -> None:
    if len(cfg.hidden) > MAX_HIDDEN_LAYERS:
        _fail("hidden", f"at most {MAX_HIDDEN_LAYERS} hidden layers, got {len(cfg.hidden)}")
    for n in cfg.hidden:
        if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= MAX_UNITS:
            _fail("hidden", f"each layer needs 1 to {MAX_UNITS} units, got {n!r:.40}")
    if len(cfg.activations) != len(cfg.hidden):
        _fail("activations", f"{len(cfg.hidden)} hidden layers need {len(cfg.hidden)} activations, got {len(cfg.activations)}")
    for name in cfg.activations:
        if name not in HIDDEN_ACTIVATIONS:
            _fail("activations", f"unknown activation {name!r:.40}; expected one of {', '.join(HIDDEN_ACTIVATIONS)}")
    if cfg.output is not None and cfg.output not in OUTPUTS:
        _fail("output", f"unknown output {cfg.output!r:.40}; expected one of {', '.join(OUTPUTS)}")
    if cfg.init not in INIT_SCHEMES:
        _fail("init", f"unknown initialisation {cfg.init!r:.40}; expected one of {', '.join(INIT_SCHEMES)}")
    if cfg.optimizer not in OPTIMIZERS:
        _fail("optimizer", f"unknown optimiser {cfg.optimizer!r:.40}; expected one of {', '.join(OPTIMIZERS)}")
    if cfg.features is not None:
        try:
            check_features(cfg.features)
        except ValueError as e:
            _fail("features", str(e))
    if cfg.layout is not None and cfg.layout not in ("columns", "rows"):
        _fail("layout", f"must be 'columns' or 'rows', got {cfg.layout!r:.40}")
    if cfg.dtype not in DTYPES:
        _fail("dtype", f"must be one of {', '.join(DTYPES)}, got {cfg.dtype!r:.40}")


def validate(cfg: RunConfig) -> None:
    """Raise ``ConfigError`` naming the first bad field."""
    for f in fields(cfg):
        value = getattr(cfg, f.name)
        if value is None and f.default is None:
            continue
        allowed = _TYPES[f.name]
        if isinstance(value, bool) or not isinstance(value, allowed):
            expected = " or ".join(t.__name__ for t in allowed)
            _fail(f.name, f"expected {expected}, got {_shown(value)}")
    _check_names(cfg)
    _check_range(cfg)


def from_mapping(data: Mapping[str, Any], source: str = "config") -> RunConfig:
    """Build a config from a parsed file or flags; errors are prefixed with ``source``."""
    if not isinstance(data, Mapping):
        raise ConfigError(f"{source}: expected a table of settings at the top level")
    unknown = [k for k in data if k not in FIELD_NAMES]
    if unknown:
        raise ConfigError(f"{source}: unknown key {unknown[0]!r:.40}; known keys are: {', '.join(FIELD_NAMES)}")
    values = dict(data)
    for key in ("hidden", "activations", "features"):
        if key in values and isinstance(values[key], list):
            values[key] = tuple(values[key])
    if isinstance(values.get("activations"), str):
        values["activations"] = (values["activations"],)
    hidden = values.get("hidden", RunConfig.hidden)
    acts = values.get("activations", RunConfig.activations[:1] if "hidden" in values else None)
    if isinstance(hidden, tuple) and isinstance(acts, tuple) and len(acts) == 1:
        # One name for every hidden layer (none given: the default net's tanh), as on the command line.
        values["activations"] = acts * len(hidden)
    try:
        return RunConfig(**values)
    except ConfigError as e:
        raise ConfigError(f"{source}: {e}") from None


def load_config(path: str | Path) -> RunConfig:
    """Read a ``.toml`` or ``.json`` config file (see ``read_document``)."""
    return from_mapping(read_document(path), str(Path(path)))


def read_document(path: str | Path, what: str = "config") -> Any:
    """The parsed contents of a ``.json`` (by suffix) or TOML file, read as untrusted: a regular
    file of at most ``MAX_CONFIG_BYTES``, UTF-8 with or without a BOM, nesting and numbers bounded
    (``tui_nn.core.plainjson``). ``ConfigError`` names the file, line and column. Sweep files are
    read here too."""
    path = Path(path)
    try:
        data = read_regular(path, MAX_CONFIG_BYTES, f"{what} file")
        return parse_json(data) if path.suffix.lower() == ".json" else parse_toml(data)
    except FileRefused as e:
        raise ConfigError(str(e)) from None
    except PlainDataError as e:
        raise ConfigError(f"{path}: {e}") from None


def to_toml(cfg: RunConfig) -> str:
    """The config as TOML that ``load_config`` reads back to an equal config."""
    lines = ["# tui-nn run configuration"]
    for key, value in cfg.to_dict().items():
        lines.append(f"{key} = {json.dumps(value)}")
    return "\n".join(lines) + "\n"


def save_config(cfg: RunConfig, path: str | Path) -> Path:
    """Write the config as TOML (or JSON for a ``.json`` path), atomically."""
    from tui_nn.atomic import write_text_atomic

    path = Path(path)
    text = json.dumps(cfg.to_dict(), indent=2) + "\n" if path.suffix.lower() == ".json" else to_toml(cfg)
    write_text_atomic(path, text)
    return path
