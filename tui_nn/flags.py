"""Command-line flags for every ``RunConfig`` field, shared by ``tui-nn train`` and the app.

Flags are read as text and converted here, so a bad value is a ``ConfigError``
naming the config key (``hidden: expected whole numbers ...``). ``--config FILE``
is read first; flags override it.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import Any, Callable

from tui_nn.config import ConfigError, RunConfig, from_mapping, load_config

__all__ = ["CONFIG_FLAGS", "add_config_flags", "config_from_args", "flag_values"]


def _int(key: str, text: str) -> int:
    try:
        return int(text.replace("_", ""))
    except ValueError:
        raise ConfigError(f"{key}: expected a whole number, got {text!r}") from None


def _float(key: str, text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise ConfigError(f"{key}: expected a number, got {text!r}") from None


NO_HIDDEN_LAYERS = ("none", "logistic")
"""What ``--hidden`` takes for no hidden layer: logistic regression (L = 1)."""


def _hidden_sizes(key: str, text: str) -> tuple[int, ...]:
    """Layer sizes ``20,7,5``; ``none`` for no hidden layer (logistic regression)."""
    if text.strip().lower() in NO_HIDDEN_LAYERS:
        return ()
    if not text.strip():
        raise ConfigError(f"{key}: empty; give layer sizes like 20,7,5, or 'none' for no hidden layer "
                          "(logistic regression)")
    parts = [p.strip() for p in text.split(",")]
    try:
        values = tuple(int(p) for p in parts)  # an empty part ("4,,3") is an error, not skipped
    except ValueError:
        values = ()
    if not values:
        raise ConfigError(f"{key}: expected whole numbers separated by commas, like 20,7,5, "
                          f"or 'none' for no hidden layer, got {text!r}")
    if 0 in values:
        raise ConfigError(f"{key}: a layer needs at least 1 unit, got {text!r}; 'none' gives no hidden layer "
                          "(logistic regression)")
    return values


def _names(key: str, text: str) -> tuple[str, ...]:
    names = tuple(p.strip().lower() for p in text.split(","))
    if not all(names):
        raise ConfigError(f"{key}: expected one or more names separated by commas, got {text!r}")
    return names


def _optional_names(key: str, text: str) -> tuple[str, ...] | None:
    return None if text.strip().lower() in ("none", "raw") else _names(key, text)


def _str(key: str, text: str) -> str:
    return text


def _lower(key: str, text: str) -> str:
    return text.strip().lower()


def _optional_int(key: str, text: str) -> int | None:
    return None if text.strip().lower() in ("none", "full", "batch") else _int(key, text)


@dataclass(frozen=True)
class Flag:
    """One command-line flag and the ``RunConfig`` key it sets."""

    key: str
    names: tuple[str, ...]
    parse: Callable[[str, str], Any]
    metavar: str
    help: str


CONFIG_FLAGS: tuple[Flag, ...] = (
    Flag("dataset", ("--dataset", "-d"), _str, "NAME|PATH", "built-in dataset name (see `tui-nn datasets`) or a CSV/NPZ/HDF5 path"),
    Flag("m", ("--m", "--examples"), _int, "M", "examples to generate for a built-in dataset"),
    Flag("noise", ("--noise",), _float, "X", "noise of a generated dataset"),
    Flag("data_seed", ("--data-seed",), _int, "S", "seed of a generated dataset"),
    Flag("dev_fraction", ("--dev-fraction",), _float, "F",
         "share of the examples in the dev set, 0.05-0.5 (default 0.2; a generated set draws m F/(1-F) dev points)"),
    Flag("label", ("--label",), _str, "COLUMN", "CSV label column (default: the last)"),
    Flag("layout", ("--layout",), _str, "columns|rows", "NPZ array layout"),
    Flag("features", ("--features",), _optional_names, "NAME[,NAME...]",
         "input features for 2-feature data: x1, x2, x1^2, x2^2, x1x2, sin_x1, sin_x2 (default: x1, x2 as they are)"),
    Flag("hidden", ("--hidden",), _hidden_sizes, "N,N,...|none",
         "hidden layer sizes, e.g. 20,7,5 (default 4); none: no hidden layer, logistic regression"),
    Flag("activations", ("--activations", "--activation"), _names, "NAME[,NAME...]",
         "hidden activations, one per layer or one for all (relu, leaky_relu, tanh, sigmoid, linear)"),
    Flag("output", ("--output",), _str, "NAME", "output activation: sigmoid, softmax or linear (default: from the dataset)"),
    Flag("init", ("--init",), _str, "SCHEME", "initialisation: zeros, random, xavier, he (default random)"),
    Flag("init_scale", ("--init-scale",), _float, "X", "scale of the random initialisation (default 0.01)"),
    Flag("seed", ("--seed",), _int, "S", "seed of the initialisation and the mini-batch shuffle (default 3)"),
    Flag("optimizer", ("--optimizer", "--optimiser"), _str, "NAME", "gd, momentum or adam (default gd)"),
    Flag("beta1", ("--beta1",), _float, "B", "momentum's and Adam's first-moment decay, 0 <= B < 1 (default 0.9)"),
    Flag("beta2", ("--beta2",), _float, "B", "Adam's second-moment decay, 0 <= B < 1 (default 0.999)"),
    Flag("learning_rate", ("--learning-rate", "--lr"), _float, "X", "learning rate (default 1.2)"),
    Flag("iterations", ("--iterations", "-n"), _int, "N", "iterations (epochs) to train (default 10000)"),
    Flag("batch_size", ("--batch-size",), _optional_int, "B", "mini-batch size (default: the whole training set)"),
    Flag("l2", ("--l2",), _float, "LAMBDA", "L2 regularisation strength (default 0)"),
    Flag("eval_every", ("--eval-every",), _int, "N", "evaluate and log every N iterations (default 100)"),
    Flag("out", ("--out", "-o"), _str, "FOLDER", "folder for run folders (default runs)"),
    Flag("dtype", ("--dtype",), _lower, "float64|float32", "training arithmetic (default float64; float32 is faster)"),
)


def add_config_flags(parser: argparse.ArgumentParser, keys: tuple[str, ...] | None = None) -> None:
    """Add ``--config`` and the flags for ``keys`` (default: all) with no defaults set."""
    group = parser.add_argument_group("experiment (override --config)")
    group.add_argument("--config", "-c", metavar="FILE", default=argparse.SUPPRESS, help="a TOML or JSON run config")
    for flag in CONFIG_FLAGS:
        if keys is None or flag.key in keys:
            group.add_argument(*flag.names, dest=flag.key, metavar=flag.metavar, default=argparse.SUPPRESS, help=flag.help)


def flag_values(args: argparse.Namespace) -> dict[str, Any]:
    """The config keys given on the command line, converted; raises ``ConfigError`` naming the key."""
    return {f.key: f.parse(f.key, getattr(args, f.key)) for f in CONFIG_FLAGS if hasattr(args, f.key)}


def merge(base: RunConfig, values: dict[str, Any], source: str = "command line") -> RunConfig:
    """``base`` with ``values`` applied. One ``--activations`` name applies to every hidden layer.
    ``--hidden`` without ``--activations`` keeps the base's activations when the depth is
    unchanged, repeats the base's name when all its layers share one, and otherwise uses the
    default (tanh)."""
    merged = base.to_dict()
    if "output" not in values and base.output is None:
        merged.pop("output", None)
    merged.update(values)
    hidden = values.get("hidden")
    if hidden is not None and "activations" not in values and len(base.activations) != len(hidden):
        shared = set(base.activations)
        merged["activations"] = [shared.pop()] if len(shared) == 1 else RunConfig.activations[:1]
    return from_mapping(merged, source)


def config_from_args(args: argparse.Namespace) -> RunConfig:
    """``--config FILE`` (or the defaults) with the flags applied."""
    base = load_config(args.config) if getattr(args, "config", None) else RunConfig()
    return merge(base, flag_values(args))
