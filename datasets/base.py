"""The one shape every dataset takes, and the one error every loader raises."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

TASKS: tuple[str, ...] = ("binary", "multiclass", "regression")


class DatasetError(Exception):
    """A dataset could not be built or read; the message names the file, line, column and token."""


@dataclass(frozen=True)
class Standardization:
    """Per-feature mean and std ``(n_x, 1)`` fitted on the training set only."""

    mean: np.ndarray
    std: np.ndarray

    def apply(self, X: np.ndarray) -> np.ndarray:
        """``(X - mean) / std`` for ``X (n_x, m)``."""
        return (X - self.mean) / self.std

    def to_json(self) -> dict[str, list[float]]:
        return {"mean": self.mean.ravel().tolist(), "std": self.std.ravel().tolist()}


@dataclass(frozen=True)
class Dataset:
    """A dataset in course layout.

    ``X_*`` are ``(n_x, m)`` float64. ``Y_*`` are ``(1, m)`` int64 labels for
    binary (0/1) and multiclass (0..K-1) tasks, ``(n_y, m)`` float64 for
    regression. ``X_test``/``Y_test`` exist where the source has a test set.
    """

    name: str
    task: str
    X_train: np.ndarray
    Y_train: np.ndarray
    X_dev: np.ndarray
    Y_dev: np.ndarray
    X_test: np.ndarray | None = None
    Y_test: np.ndarray | None = None
    feature_names: tuple[str, ...] = ()
    class_names: tuple[str, ...] = ()
    image_shape: tuple[int, ...] | None = None
    description: str = ""
    provenance: dict[str, Any] = field(default_factory=dict)
    standardization: Standardization | None = None

    @property
    def n_x(self) -> int:
        return int(self.X_train.shape[0])

    @property
    def m_train(self) -> int:
        return int(self.X_train.shape[1])

    @property
    def m_dev(self) -> int:
        return int(self.X_dev.shape[1])

    @property
    def n_classes(self) -> int:
        """Number of classes (0 for regression)."""
        return len(self.class_names) if self.task != "regression" else 0

    @property
    def n_y(self) -> int:
        """Output units the network needs: 1 (binary), K (multiclass) or the regression targets."""
        if self.task == "binary":
            return 1
        if self.task == "multiclass":
            return self.n_classes
        return int(self.Y_train.shape[0])

    @property
    def output(self) -> str:
        """The output activation that fits the task: sigmoid, softmax or linear."""
        return {"binary": "sigmoid", "multiclass": "softmax", "regression": "linear"}[self.task]

    def targets(self, Y: np.ndarray) -> np.ndarray:
        """``Y`` as the network's training target: ``(1, m)`` floats for binary,
        one-hot ``(K, m)`` for multiclass, unchanged for regression."""
        if self.task == "multiclass":
            return one_hot(Y, self.n_classes)
        return Y.astype(np.float64)


def one_hot(Y: np.ndarray, n_classes: int) -> np.ndarray:
    """``(1, m)`` integer labels to a ``(n_classes, m)`` one-hot float matrix."""
    labels = np.asarray(Y).reshape(-1).astype(np.int64)
    out = np.zeros((n_classes, labels.size))
    out[labels, np.arange(labels.size)] = 1.0
    return out
