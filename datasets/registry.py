"""Every built-in dataset by name, with a one-line description."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .base import Dataset, DatasetError
from .planar import flower


@dataclass(frozen=True)
class BuiltinInfo:
    """A built-in dataset: its name, one-line description, task and generator."""

    name: str
    description: str
    task: str
    generate: Callable[..., tuple[np.ndarray, np.ndarray]]
    default_m: int


BUILTINS: dict[str, BuiltinInfo] = {
    "flower": BuiltinInfo("flower", "The course's planar data: two petal-shaped classes (m=400)", "binary", flower, 400),
}

DEV_SEED_OFFSET = 1000
"""Dev sets of generated data come from the same generator with seed + this."""


def load_builtin(name: str, m: int | None = None, noise: float | None = None, seed: int | None = None) -> Dataset:
    """A built-in by name. The training set is exactly the generator's output for
    ``seed`` (so course figures reproduce); the dev set is a fresh draw of ``m // 4``
    points from ``seed + 1000``."""
    try:
        info = BUILTINS[name]
    except KeyError:
        raise DatasetError(f"unknown dataset {name!r}; built-ins are: {', '.join(BUILTINS)}") from None
    kwargs = {}
    if noise is not None:
        kwargs["noise"] = noise
    m = info.default_m if m is None else m
    seed = 1 if seed is None else seed
    X, Y = info.generate(m=m, seed=seed, **kwargs)
    X_dev, Y_dev = info.generate(m=max(m // 4, 2), seed=seed + DEV_SEED_OFFSET, **kwargs)
    return Dataset(
        name=name,
        task=info.task,
        X_train=X,
        Y_train=Y,
        X_dev=X_dev,
        Y_dev=Y_dev,
        feature_names=("x1", "x2"),
        class_names=("0", "1"),
        description=info.description,
        provenance={"generator": name, "m": m, "seed": seed, **kwargs},
    )
