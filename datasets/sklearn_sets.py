"""The small real data sets scikit-learn ships inside its wheel (no network needed)."""

from __future__ import annotations

import numpy as np

from .assemble import assemble
from .base import Dataset
from .extras import require

SKLEARN_SETS: dict[str, tuple[str, str]] = {
    "breast_cancer": ("load_breast_cancer", "Wisconsin breast cancer: benign or malignant from 30 features (569 rows)"),
    "digits": ("load_digits", "Handwritten digits 0-9 as 8x8 images scaled to [0, 1] (1797 rows)"),
    "iris": ("load_iris", "Iris flowers: 3 species from 4 measurements (150 rows)"),
    "wine": ("load_wine", "Wines: 3 cultivars from 13 chemical measurements (178 rows)"),
}
"""Name -> (scikit-learn loader, one-line description)."""


def load_sklearn(name: str, seed: int = 1, raw: bool = False, dev_fraction: float | None = None) -> Dataset:
    """One of ``SKLEARN_SETS`` with a seeded stratified train/dev split.

    Tabular sets are standardised on train (unless ``raw``, for a model that brings its own
    statistics); ``digits`` (pixel values 0..16) is scaled to [0, 1] instead and keeps its
    ``(8, 8)`` image shape.
    """
    loader_name, description = SKLEARN_SETS[name]
    bunch = getattr(require("sklearn.datasets"), loader_name)()
    X = np.asarray(bunch.data, dtype=np.float64).T
    Y = np.asarray(bunch.target).reshape(1, -1)
    images = name == "digits"
    if images:
        X = X / 16.0
    feature_names = tuple(str(f) for f in getattr(bunch, "feature_names", ()))
    return assemble(
        name,
        X,
        Y,
        where=f"scikit-learn {loader_name}()",
        class_names=tuple(str(c) for c in bunch.target_names),
        feature_names=feature_names,
        image_shape=(8, 8) if images else None,
        standardize=not (images or raw),
        seed=seed,
        **({} if dev_fraction is None else {"dev_fraction": dev_fraction}),
        description=description,
        provenance={"source": f"sklearn.datasets.{loader_name}"},
    )
