"""Input features for 2-feature data: the raw inputs and the crosses TensorFlow Playground offers.

A feature list such as ``("x1^2", "x2^2")`` turns raw inputs ``X (2, m)`` into the
network's inputs ``(len(features), m)``, so a linear model can separate a circle
with ``x1² + x2²``. Names resolve through the fixed table ``FEATURES``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable, Sequence

import numpy as np

from .base import Dataset, DatasetError


def _x1(X: np.ndarray) -> np.ndarray:
    return X[0]


def _x2(X: np.ndarray) -> np.ndarray:
    return X[1]


FEATURES: dict[str, tuple[str, Callable[[np.ndarray], np.ndarray]]] = {
    "x1": ("x1", _x1),
    "x2": ("x2", _x2),
    "x1^2": ("x1²", lambda X: X[0] * X[0]),
    "x2^2": ("x2²", lambda X: X[1] * X[1]),
    "x1x2": ("x1·x2", lambda X: X[0] * X[1]),
    "sin_x1": ("sin x1", lambda X: np.sin(X[0])),
    "sin_x2": ("sin x2", lambda X: np.sin(X[1])),
}
"""Canonical name -> (how it is shown, function of raw ``X (2, m)`` returning ``(m,)``)."""

ALIASES: dict[str, str] = {
    "x1²": "x1^2", "x2²": "x2^2", "x1**2": "x1^2", "x2**2": "x2^2", "x1*x2": "x1x2", "x1·x2": "x1x2",
    "sin(x1)": "sin_x1", "sin(x2)": "sin_x2", "sinx1": "sin_x1", "sinx2": "sin_x2",
}
"""Other spellings people type, mapped to the canonical names."""


def canonical_feature(name: str) -> str:
    """The canonical name of a feature; ``ValueError`` listing the choices for an unknown one."""
    key = str(name).strip().lower().replace(" ", "")
    key = ALIASES.get(key, key)
    if key not in FEATURES:
        raise ValueError(f"unknown input feature {str(name)[:40]!r}; expected some of {', '.join(FEATURES)}")
    return key


def check_features(names: Sequence[str]) -> tuple[str, ...]:
    """Canonical, non-empty, duplicate-free feature names (``ValueError`` otherwise)."""
    out = tuple(canonical_feature(n) for n in names)
    if not out:
        raise ValueError("at least one input feature is needed")
    if len(set(out)) != len(out):
        raise ValueError(f"an input feature is listed twice: {', '.join(out)}")
    return out


def feature_label(name: str) -> str:
    """How a feature is shown: ``x1²``, ``x1·x2``, ``sin x1``."""
    return FEATURES[canonical_feature(name)][0]


def apply_features(X: np.ndarray, names: Sequence[str]) -> np.ndarray:
    """The features of raw inputs ``X (2, m)`` as ``(len(names), m)``, in the order named."""
    if X.ndim != 2 or X.shape[0] != 2:
        raise ValueError(f"input features need raw inputs of shape (2, m), got {X.shape}")
    return np.stack([FEATURES[canonical_feature(n)][1](X) for n in names]).astype(X.dtype, copy=False)


def with_features(dataset: Dataset, names: Sequence[str]) -> Dataset:
    """``dataset`` with every split's ``X`` replaced by its features (2-feature data only).

    Raises ``DatasetError`` for data with other than two features.
    """
    names = check_features(names)
    if dataset.n_x != 2:
        raise DatasetError(
            f"{dataset.name}: input features (x1^2, sin_x1, ...) need 2-feature data; it has {dataset.n_x} features"
        )

    def make(X: np.ndarray | None) -> np.ndarray | None:
        return None if X is None else np.ascontiguousarray(apply_features(np.asarray(X), names))

    return replace(
        dataset,
        X_train=make(dataset.X_train),
        X_dev=make(dataset.X_dev),
        X_test=make(dataset.X_test),
        feature_names=tuple(feature_label(n) for n in names),
        provenance={**dataset.provenance, "features": list(names)},
    )
