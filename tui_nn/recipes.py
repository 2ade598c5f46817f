"""Recommended settings per data set: the course's recipes where the course has one.

Each ``Recipe`` holds the run-config keys it sets (the network, initialisation, seed,
optimiser and budget; never the data keys) and one sentence of where it comes from.
The app offers a data set's recipe when the data set changes, and fills it into the
hyperparameter editor on ctrl+r; ``bench/recipes.py`` trains every recipe and prints
what it reaches.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tui_nn.config import RunConfig

TRAINING_KEYS = ("hidden", "activations", "output", "init", "init_scale", "seed", "optimizer", "beta1", "beta2",
                 "learning_rate", "iterations", "batch_size", "l2")
"""The keys a recipe decides; the ones it does not name go back to ``RunConfig``'s defaults."""


@dataclass(frozen=True)
class Recipe:
    """Recommended ``settings`` (run-config keys) for ``dataset``, and where they come from."""

    dataset: str
    settings: dict[str, Any]
    source: str

    def apply(self, config: RunConfig) -> RunConfig:
        """``config`` with this recipe's training keys (the rest of the training keys at their defaults)."""
        defaults = RunConfig()
        changes = {key: self.settings.get(key, getattr(defaults, key)) for key in TRAINING_KEYS}
        return config.with_changes(**changes)

    def describe(self) -> str:
        """One line: ``[20, 7, 5] relu, xavier init, seed 1, lr 0.0075, 2500 iterations``."""
        s = self.settings
        hidden = s.get("hidden", ())
        net = f"{list(hidden)} {', '.join(dict.fromkeys(s['activations']))}" if hidden else "logistic regression"
        init = s.get("init", "random")
        init_text = f"random x{s.get('init_scale', 0.01):g}" if init == "random" else init
        parts = [net, f"{init_text} init", f"seed {s.get('seed', RunConfig.seed)}"]
        if s.get("optimizer", "gd") != "gd":
            parts.append(s["optimizer"])
        if s.get("batch_size"):
            parts.append(f"mini-batch {s['batch_size']}")
        parts.append(f"lr {s['learning_rate']:g}, {s['iterations']} iterations")
        return ", ".join(parts)


RECIPES: dict[str, Recipe] = {
    r.dataset: r
    for r in (
        Recipe("flower", dict(hidden=(4,), activations=("tanh",), init="random", init_scale=0.01, seed=3,
                              learning_rate=1.2, iterations=10000),
               "Course 1, week 3, 'Planar data classification with one hidden layer': n_h = 4 tanh units, "
               "W = randn * 0.01 from seed 3, learning rate 1.2, 10000 iterations (about 90 % train)."),
        Recipe("catvnoncat", dict(hidden=(20, 7, 5), activations=("relu",) * 3, init="xavier", seed=1,
                                  learning_rate=0.0075, iterations=2500),
               "Course 1, week 4, 'Deep Neural Network - Application': the 4-layer model [12288, 20, 7, 5, 1], "
               "ReLU, W = randn / sqrt(n[l-1]) from seed 1 (xavier here), learning rate 0.0075, 2500 iterations "
               "(the course's 98.6 % train, 80 % test)."),
        Recipe("digits", dict(hidden=(64,), activations=("relu",), init="he", seed=1, optimizer="adam",
                              learning_rate=0.001, batch_size=64, iterations=100),
               "Measured for tui-nn (bench/recipes.py), no course recipe: 64 ReLU units, He init, Adam with "
               "mini-batches of 64 for 100 epochs reach about 100 % train and 98 % dev in a second."),
        Recipe("breast_cancer", dict(hidden=(8,), activations=("relu",), init="he", seed=1,
                                     learning_rate=0.1, iterations=1000),
               "Measured for tui-nn (bench/recipes.py), no course recipe: 8 ReLU units, He init, batch "
               "gradient descent at 0.1 for 1000 iterations (about 99 % train, 98 % dev)."),
        Recipe("iris", dict(hidden=(8,), activations=("tanh",), init="xavier", seed=1,
                            learning_rate=0.5, iterations=1000),
               "Measured for tui-nn (bench/recipes.py), no course recipe: 8 tanh units, Xavier init, learning "
               "rate 0.5 for 1000 iterations (about 98 % train, 93 % dev of 30 flowers)."),
        Recipe("wine", dict(hidden=(8,), activations=("tanh",), init="xavier", seed=1,
                            learning_rate=0.5, iterations=1000),
               "Measured for tui-nn (bench/recipes.py), no course recipe: 8 tanh units, Xavier init, learning "
               "rate 0.5 for 1000 iterations (100 % train, about 97 % dev)."),
    )
}
"""Recommended settings by data set name (built-ins only; files and other generated sets have none)."""


def recipe_for(dataset: str) -> Recipe | None:
    """The recipe for a data set name, or None. The course's cat files, given by path, are ``catvnoncat``."""
    if dataset in RECIPES:
        return RECIPES[dataset]
    lowered = dataset.replace("\\", "/").rstrip("/").lower()
    if lowered.endswith(("catvnoncat", "catvnoncat.h5")):
        return RECIPES["catvnoncat"]
    return None


def differs(recipe: Recipe, config: RunConfig) -> bool:
    """Whether applying ``recipe`` would change ``config``."""
    return recipe.apply(config) != config
