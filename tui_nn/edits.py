"""Edits the app's keys make to a ``RunConfig``: pure functions, each returning a new config.

Hidden layers are numbered 1..L-1 as in the course; ``layer`` below is that number.
"""

from __future__ import annotations

from tui_nn.config import DTYPES, MAX_HIDDEN_LAYERS, MAX_UNITS, RunConfig
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
