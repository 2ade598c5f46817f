"""From checked raw arrays to a ``Dataset``: labels, train/dev split, standardisation."""

from __future__ import annotations

from typing import Any

import numpy as np

from .base import Dataset, DatasetError, Standardization, show_token
from .labels import encode_labels, infer_task
from .split import DEV_FRACTION, random_split, stratified_split


def _label_values(Y: np.ndarray) -> np.ndarray:
    """``(1, m)`` label values as a 1-D array of text, int64 or float64."""
    v = Y.reshape(-1)
    if v.dtype.kind in "biu":
        return v.astype(np.int64)
    if v.dtype.kind in "US":
        return v.astype(str)
    return v.astype(np.float64)


def _one_hot_labels(Y: np.ndarray) -> np.ndarray | None:
    """Labels ``(m,)`` when ``Y (K, m)``, K >= 2, is exactly one-hot; else None."""
    if Y.shape[0] < 2 or Y.dtype.kind not in "biuf":
        return None
    if not np.isin(Y, (0, 1)).all() or not (Y.sum(axis=0) == 1).all():
        return None
    return np.argmax(Y, axis=0)


def _codes(values: np.ndarray, classes: tuple[str, ...], task: str, what: str) -> np.ndarray:
    """Labels that are already codes ``0..K-1`` into ``classes``, checked, as ``(1, m)`` int64."""
    if task == "binary" and len(classes) != 2:
        raise DatasetError(f"{what}: {len(classes)} classes listed where a binary task has 2")
    if values.dtype.kind in "US" or (values.dtype.kind == "f" and (values != np.round(values)).any()):
        bad = values[0] if values.dtype.kind in "US" else values[np.argmax(values != np.round(values))]
        raise DatasetError(f"{what}: label {show_token(bad)} is not a class number 0..{len(classes) - 1}")
    codes = values.astype(np.int64)
    bad = (codes < 0) | (codes >= len(classes))
    if bad.any():
        raise DatasetError(f"{what}: label {codes[np.argmax(bad)]} is outside the {len(classes)} classes listed (0..{len(classes) - 1})")
    return codes.reshape(1, -1)


def assemble(
    name: str,
    X: np.ndarray,
    Y: np.ndarray,
    *,
    where: str,
    label_name: str = "Y",
    X_test: np.ndarray | None = None,
    Y_test: np.ndarray | None = None,
    test_where: str | None = None,
    task: str | None = None,
    class_names: tuple[str, ...] | None = None,
    feature_names: tuple[str, ...] = (),
    image_shape: tuple[int, ...] | None = None,
    standardize: bool = True,
    dev_from_test: bool = False,
    seed: int = 1,
    dev_fraction: float = DEV_FRACTION,
    description: str = "",
    provenance: dict[str, Any] | None = None,
) -> Dataset:
    """A ``Dataset`` from finite ``X (n_x, m)`` float64 and raw ``Y (n_y, m)``.

    ``Y`` holds label values (text or numbers, ``(1, m)``), an exact one-hot
    ``(K, m)`` matrix, or regression targets. ``class_names`` fixes the classes
    when ``Y`` already holds codes ``0..K-1``. The dev set is a seeded split of
    the training examples (stratified for classes), or the test set itself when
    ``dev_from_test`` (the course's files have no dev set). With ``standardize``
    the features are standardised with statistics fitted on train only.
    ``where`` (and ``test_where``) name the source in error messages.
    """
    if not 0 < dev_fraction < 1:
        raise DatasetError(f"{where}: dev_fraction must be between 0 and 1, got {dev_fraction}")
    if X.shape[1] != Y.shape[1]:
        raise DatasetError(f"{where}: X has {X.shape[1]} examples but {label_name} has {Y.shape[1]}")
    if X.shape[1] == 0:
        raise DatasetError(f"{where}: no examples")
    test_where = test_where or where
    if X_test is not None:
        if X_test.shape[0] != X.shape[0]:
            raise DatasetError(
                f"{test_where}: the test set has {X_test.shape[0]} features but the training set ({where}) has {X.shape[0]}"
            )
        if X_test.shape[1] != Y_test.shape[1]:
            raise DatasetError(f"{test_where}: the test X has {X_test.shape[1]} examples but its labels have {Y_test.shape[1]}")
    what = f"{where}: {label_name}"
    test_what = f"{test_where}: {label_name}"
    onehot = _one_hot_labels(Y) if task != "regression" else None
    if onehot is not None:
        class_names = class_names or tuple(str(k) for k in range(Y.shape[0]))
        Y = onehot.reshape(1, -1)
        if Y_test is not None:
            test_onehot = _one_hot_labels(Y_test)
            if test_onehot is None or Y_test.shape[0] != len(class_names):
                raise DatasetError(f"{test_what}: the test labels are not one-hot over the {len(class_names)} classes of the training set")
            Y_test = test_onehot.reshape(1, -1)
    if Y.shape[0] != 1:
        if task in ("binary", "multiclass"):
            raise DatasetError(f"{what} has {Y.shape[0]} rows; class labels are one row (1, m) or one-hot")
        task = "regression"
    elif class_names is not None:
        task = task or ("binary" if len(class_names) == 2 else "multiclass")
    else:
        task = infer_task(_label_values(Y), task, what)
    if task != "regression" and Y_test is not None and Y_test.shape[0] != 1:
        raise DatasetError(f"{test_what}: the test labels have {Y_test.shape[0]} rows; class labels are one row")
    if task == "regression":
        if Y.dtype.kind not in "biuf":
            raise DatasetError(f"{what} holds text, but regression needs numbers")
        Y = Y.astype(np.float64)
        Y_test = None if Y_test is None else Y_test.astype(np.float64)
        if Y_test is not None and Y_test.shape[0] != Y.shape[0]:
            raise DatasetError(f"{test_what}: the test targets have {Y_test.shape[0]} rows, the training targets {Y.shape[0]}")
        class_names = ()
    elif class_names is not None:
        class_names = tuple(class_names)
        Y = _codes(_label_values(Y), class_names, task, what)
        if np.unique(Y).size < 2:
            raise DatasetError(
                f"{what}: every label is the single class {show_token(class_names[int(Y[0, 0])])}; "
                f"a {task} task needs at least 2 classes"
            )
        if Y_test is not None:
            Y_test = _codes(_label_values(Y_test), class_names, task, test_what)
    else:
        Y, class_names = encode_labels(_label_values(Y), task, what)
        if Y_test is not None:
            Y_test, _ = encode_labels(_label_values(Y_test), task, test_what, class_names)
    if dev_from_test:
        if X_test is None:
            raise DatasetError(f"{where}: no test set to use as the dev set")
        X_train, Y_train, X_dev, Y_dev = X, Y, X_test, Y_test
    else:
        try:
            if task == "regression":
                tr, dv = random_split(X.shape[1], dev_fraction, seed)
            else:
                tr, dv = stratified_split(Y, dev_fraction, seed)
        except DatasetError as e:
            raise DatasetError(f"{where}: {e}") from None
        X_train, Y_train, X_dev, Y_dev = X[:, tr], Y[:, tr], X[:, dv], Y[:, dv]
    std = None
    if standardize:
        std = Standardization.fit(X_train)
        with np.errstate(over="ignore", invalid="ignore"):
            X_train, X_dev = std.apply(X_train), std.apply(X_dev)
            X_test = None if X_test is None else std.apply(X_test)
        for split, A in (("training", X_train), ("dev", X_dev), ("test", X_test)):
            if A is not None and not np.isfinite(A).all():
                raise DatasetError(
                    f"{where}: the {split} features overflow when standardised (values near the 64-bit float limit); "
                    f"rescale them"
                )
    prov = dict(provenance or {})
    prov.update(split_seed=seed, dev="test set" if dev_from_test else f"{dev_fraction:g} of train")
    return Dataset(
        name=name,
        task=task,
        X_train=np.ascontiguousarray(X_train),
        Y_train=np.ascontiguousarray(Y_train),
        X_dev=np.ascontiguousarray(X_dev),
        Y_dev=np.ascontiguousarray(Y_dev),
        X_test=X_test,
        Y_test=Y_test,
        feature_names=feature_names,
        class_names=class_names,
        image_shape=image_shape,
        description=description,
        provenance=prov,
        standardization=std,
    )
