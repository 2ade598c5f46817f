"""The one shape every dataset takes, and the one error every loader raises."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

TASKS: tuple[str, ...] = ("binary", "multiclass", "regression")


class DatasetError(Exception):
    """A dataset could not be built or read; the message names the file, line, column and token."""


def show_token(token: object, limit: int = 40) -> str:
    """``token`` quoted for a message: ``repr`` (control characters escaped), cut at ``limit``."""
    text = str(token)
    if len(text) > limit:
        return repr(text[:limit]) + "..."
    return repr(text)


@dataclass(frozen=True)
class Standardization:
    """Per-feature mean and std ``(n_x, 1)`` fitted on the training set only."""

    mean: np.ndarray
    std: np.ndarray

    @classmethod
    def fit(cls, X: np.ndarray) -> "Standardization":
        """Mean and std of each row of ``X (n_x, m)``; a constant feature gets std 1.

        A feature whose values are so large that the sums overflow (values near
        1e300) is fitted on its values divided by their largest magnitude, then scaled back.
        """
        with np.errstate(over="ignore", invalid="ignore"):
            mean = X.mean(axis=1, keepdims=True)
            std = X.std(axis=1, keepdims=True)
            for i in np.flatnonzero(~(np.isfinite(mean) & np.isfinite(std)).ravel()):
                scale = np.abs(X[i]).max()
                row = X[i] / scale
                mean[i, 0], std[i, 0] = row.mean() * scale, row.std() * scale
        std[std == 0] = 1.0
        return cls(mean, std)

    def apply(self, X: np.ndarray) -> np.ndarray:
        """``(X - mean) / std`` for ``X (n_x, m)``, as a new array (one temporary, divided in place)."""
        Z = X - self.mean
        Z /= self.std
        return Z

    def to_json(self) -> dict[str, list[float]]:
        return {"mean": self.mean.ravel().tolist(), "std": self.std.ravel().tolist()}

    @classmethod
    def from_json(cls, record: dict[str, list[float]]) -> "Standardization":
        """The inverse of ``to_json`` (for a saved model's metadata)."""
        mean = np.asarray(record["mean"], dtype=np.float64).reshape(-1, 1)
        std = np.asarray(record["std"], dtype=np.float64).reshape(-1, 1)
        return cls(mean, std)


def _frozen(a: np.ndarray | None) -> np.ndarray | None:
    """A read-only view of ``a`` (the caller's array keeps its own flags)."""
    if a is None:
        return None
    view = a.view()
    view.flags.writeable = False
    return view


@dataclass(frozen=True)
class Dataset:
    """A dataset in course layout.

    ``X_*`` are ``(n_x, m)`` float64. ``Y_*`` are ``(1, m)`` int64 labels for
    binary (0/1) and multiclass (0..K-1) tasks, ``(n_y, m)`` float64 for
    regression. ``X_test``/``Y_test`` exist where the source has a test set.
    The arrays are read-only views; construction checks shapes, dtypes,
    finiteness and label ranges and raises ``DatasetError`` otherwise.
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

    def __post_init__(self) -> None:
        self._check()
        for name in ("X_train", "Y_train", "X_dev", "Y_dev", "X_test", "Y_test"):
            object.__setattr__(self, name, _frozen(getattr(self, name)))

    def _check(self) -> None:
        def fail(msg: str) -> None:
            raise DatasetError(f"dataset {self.name!r}: {msg}")

        if self.task not in TASKS:
            fail(f"unknown task {self.task!r}; expected one of {', '.join(TASKS)}")
        if (self.X_test is None) != (self.Y_test is None):
            fail("X_test and Y_test must both be given or both be None")
        classify = self.task != "regression"
        K = len(self.class_names)
        if classify and K < 2:
            fail(f"a {self.task} task needs at least 2 class names, got {K}")
        if self.task == "binary" and K != 2:
            fail(f"a binary task has 2 classes, got {K}")
        n_x = n_y = None
        for split in ("train", "dev", "test"):
            X, Y = getattr(self, f"X_{split}"), getattr(self, f"Y_{split}")
            if X is None:
                continue
            if X.ndim != 2 or X.dtype != np.float64:
                fail(f"X_{split} must be a 2-D float64 (n_x, m) array, got {X.dtype} {X.shape}")
            if Y.ndim != 2 or Y.shape[1] != X.shape[1]:
                fail(f"X_{split} has shape {X.shape} but Y_{split} has shape {Y.shape}")
            if X.shape[1] == 0:
                fail(f"the {split} set has no examples")
            n_x = X.shape[0] if n_x is None else n_x
            if X.shape[0] != n_x:
                fail(f"X_{split} has {X.shape[0]} features, X_train has {n_x}")
            if not np.isfinite(X).all():
                fail(f"X_{split} holds NaN or infinite values")
            if classify:
                if Y.shape[0] != 1 or Y.dtype != np.int64:
                    fail(f"Y_{split} must be (1, m) int64 labels, got {Y.dtype} {Y.shape}")
                if Y.min() < 0 or Y.max() >= K:
                    fail(f"Y_{split} holds labels outside 0..{K - 1}")
            else:
                n_y = Y.shape[0] if n_y is None else n_y
                if Y.dtype != np.float64 or Y.shape[0] != n_y or not np.isfinite(Y).all():
                    fail(f"Y_{split} must be finite float64 (n_y, m) targets, got {Y.dtype} {Y.shape}")
        if self.feature_names and len(self.feature_names) != n_x:
            fail(f"{len(self.feature_names)} feature names for {n_x} features")
        if self.image_shape is not None and int(np.prod(self.image_shape)) != n_x:
            fail(f"image shape {self.image_shape} does not hold {n_x} features")

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
    def m_test(self) -> int:
        """Examples in the test set (0 when there is none)."""
        return 0 if self.X_test is None else int(self.X_test.shape[1])

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
