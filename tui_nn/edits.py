"""Edits the app's keys make to a ``RunConfig``: pure functions, each returning a new config.

Hidden layers are numbered 1..L-1 as in the course; ``layer`` below is that number.
"""

from __future__ import annotations

from tui_nn.config import DTYPES, FIELD_NAMES, MAX_HIDDEN_LAYERS, MAX_ITERATIONS, MAX_UNITS, RunConfig
from tui_nn.core import HIDDEN_ACTIVATIONS, INIT_SCHEMES, OPTIMIZERS

LR_FACTOR = 2.0
MIN_LR, MAX_LR = 1e-6, 1e3


def _cycle(options: tuple[str, ...], current: str) -> str:
    return options[(options.index(current) + 1) % len(options)] if current in options else options[0]


def add_layer(cfg: RunConfig, after: int) -> RunConfig:
    """Insert a hidden layer after hidden layer ``after`` (0: first), copying its neighbour's size and activation."""
    if len(cfg.hidden) >= MAX_HIDDEN_LAYERS:
        return cfg
    hidden, acts = list(cfg.hidden), list(cfg.activations)
    src = min(max(after, 1), len(hidden)) - 1
    units = hidden[src] if hidden else 4
    act = acts[src] if acts else "tanh"
    hidden.insert(after, units)
    acts.insert(after, act)
    return cfg.with_changes(hidden=tuple(hidden), activations=tuple(acts))


def remove_layer(cfg: RunConfig, layer: int) -> RunConfig:
    """Remove hidden layer ``layer`` (logistic regression when none are left)."""
    if not 1 <= layer <= len(cfg.hidden):
        return cfg
    hidden, acts = list(cfg.hidden), list(cfg.activations)
    del hidden[layer - 1], acts[layer - 1]
    return cfg.with_changes(hidden=tuple(hidden), activations=tuple(acts))


def resize_layer(cfg: RunConfig, layer: int, delta: int) -> RunConfig:
    """Add ``delta`` units to hidden layer ``layer`` (kept within 1..MAX_UNITS)."""
    if not 1 <= layer <= len(cfg.hidden):
        return cfg
    hidden = list(cfg.hidden)
    hidden[layer - 1] = min(MAX_UNITS, max(1, hidden[layer - 1] + delta))
    return cfg.with_changes(hidden=tuple(hidden))


def cycle_activation(cfg: RunConfig, layer: int) -> RunConfig:
    """Give hidden layer ``layer`` the next activation in ``HIDDEN_ACTIVATIONS``."""
    if not 1 <= layer <= len(cfg.hidden):
        return cfg
    acts = list(cfg.activations)
    acts[layer - 1] = _cycle(HIDDEN_ACTIVATIONS, acts[layer - 1])
    return cfg.with_changes(activations=tuple(acts))


def cycle_init(cfg: RunConfig) -> RunConfig:
    """The next initialisation scheme."""
    return cfg.with_changes(init=_cycle(INIT_SCHEMES, cfg.init))


def cycle_optimizer(cfg: RunConfig) -> RunConfig:
    """The next optimiser."""
    return cfg.with_changes(optimizer=_cycle(OPTIMIZERS, cfg.optimizer))


def cycle_dtype(cfg: RunConfig) -> RunConfig:
    """The next training dtype (float64, float32)."""
    return cfg.with_changes(dtype=_cycle(DTYPES, cfg.dtype))


def scale_learning_rate(lr: float, up: bool) -> float:
    """The learning rate doubled or halved, kept within [1e-6, 1000]."""
    new = lr * LR_FACTOR if up else lr / LR_FACTOR
    return float(min(MAX_LR, max(MIN_LR, new)))


LIVE_KEYS = frozenset({"learning_rate", "iterations", "eval_every", "out"})
"""Config keys that change without a reset: the trainer takes the learning rate, the iteration
budget and the evaluation interval between steps; ``out`` only matters to ``tui-nn train``."""


def resets_training(old: RunConfig, new: RunConfig) -> bool:
    """Whether going from ``old`` to ``new`` needs new weights (any key outside ``LIVE_KEYS``)."""
    return any(getattr(old, k) != getattr(new, k) for k in FIELD_NAMES if k not in LIVE_KEYS)


def fit_activations(cfg: RunConfig, changes: dict) -> dict:
    """Complete typed ``hidden``/``activations`` changes: no hidden layer needs no activation,
    one name is repeated for every layer (as ``--activations relu``), and activations left as
    they were follow a new layer count (kept per layer, the last one repeated for new layers).
    Anything else is left for validation to name."""
    hidden = changes.get("hidden", cfg.hidden)
    acts = changes.get("activations", cfg.activations)
    if not isinstance(hidden, tuple) or not isinstance(acts, tuple) or len(acts) == len(hidden):
        return changes
    if not hidden:
        acts = ()
    elif len(acts) == 1:
        acts = acts * len(hidden)
    elif acts == cfg.activations:
        last = acts[-1] if acts else RunConfig.activations[0]
        acts = (*acts[: len(hidden)], *[last] * (len(hidden) - len(acts)))
    return {**changes, "activations": acts}


def train_more(cfg: RunConfig, done: int, more: int) -> RunConfig:
    """The config with ``more`` iterations beyond the budget (or beyond ``done``, the steps taken,
    when that is further), at most ``MAX_ITERATIONS``."""
    return cfg.with_changes(iterations=min(MAX_ITERATIONS, max(done, cfg.iterations) + more))
