"""The data ``tui-nn predict`` runs a model on: raw input columns checked against the model, and labels if any.

Files are read with the loaders' own parsers (``datasets``) but never standardised
on their own statistics and never split: every row, in file order, gets a prediction.
Columns are matched by the names the model recorded; a missing or extra column, a
wrong feature count or an unreadable dtype is one ``DatasetError`` naming it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tui_nn.datasets import BUILTINS, DatasetError, load_builtin
from tui_nn.datasets.base import show_token
from tui_nn.datasets.csv_loader import is_number, numeric_columns, read_table
from tui_nn.datasets.files import file_kind
from tui_nn.datasets.h5_loader import read_split
from tui_nn.datasets.images import images_to_columns
from tui_nn.datasets.labels import encode_labels
from tui_nn.datasets.npz_loader import read_arrays
from tui_nn.pipeline import ModelPipeline

SPLITS = ("train", "dev", "test")


@dataclass(frozen=True)
class PredictData:
    """Raw inputs ``X (n_in, m)`` float64 in the model's column order, and the labels when the data has them:
    ``(1, m)`` int64 class codes into the model's class names, or ``(n_y, m)`` float64 regression targets."""

    where: str
    X: np.ndarray
    Y: np.ndarray | None


def read_predict_data(
    source: str, pipe: ModelPipeline, *, split: str | None = None, label: str | None = None, layout: str | None = None
) -> PredictData:
    """``source`` (a built-in data set's split, or a CSV / NPZ / HDF5 file) as the model's raw inputs."""
    if source in BUILTINS and not Path(source).exists():
        if label is not None or layout is not None:
            raise DatasetError(f"{source}: a built-in data set; --label and --layout apply to files")
        return _builtin(source, pipe, split or "dev")
    if split is not None:
        raise DatasetError(f"{source}: --split applies to built-in data sets; a file is predicted whole")
    if Path(source).is_dir():
        raise DatasetError(f"{source}: a folder; give the one file to predict (e.g. its test_*.h5)")
    kind = file_kind(source)
    if kind == "csv":
        return _csv(source, pipe, label)
    if label is not None:
        raise DatasetError(f"{source}: a label column only applies to CSV files")
    if kind == "npz":
        return _npz(source, pipe, layout)
    if layout is not None:
        raise DatasetError(f"{source}: a layout only applies to NPZ files")
    return _h5(source, pipe)


def _builtin(name: str, pipe: ModelPipeline, split: str) -> PredictData:
    if split not in SPLITS:
        raise DatasetError(f"split: expected one of {', '.join(SPLITS)}, got {split!r}")
    # The model's own data set is drawn as it was for training (its m, noise and data seed).
    cfg = pipe.config if pipe.dataset == name else {}
    keys = (("m", "m"), ("noise", "noise"), ("seed", "data_seed")) if BUILTINS[name].adjustable else (("seed", "data_seed"),)
    ds = load_builtin(name, raw=True, **{arg: cfg[key] for arg, key in keys if type(cfg.get(key)) in (int, float)})
    X, Y = getattr(ds, f"X_{split}"), getattr(ds, f"Y_{split}")
    if X is None:
        raise DatasetError(f"{name}: has no {split} split (it has train and dev)")
    where = f"{name} ({split})"
    if ds.feature_names and pipe.input_columns and tuple(ds.feature_names) != pipe.input_columns:
        raise DatasetError(f"{where}: its columns ({_listed(ds.feature_names)}) are not the model's inputs "
                           f"({_listed(pipe.input_columns)})")
    _check_count(where, "features", X.shape[0], pipe)
    if ds.task == "regression":
        return PredictData(where, X, Y if pipe.task == "regression" else None)
    names = np.array(ds.class_names)[Y.reshape(-1)]
    return PredictData(where, X, _codes(names, pipe, f"{where}: labels"))


def _csv(path: str, pipe: ModelPipeline, label: str | None) -> PredictData:
    table = read_table(path)
    where, names = table.where, table.names
    label = label or pipe.label_column
    if label is not None and label not in names and label != pipe.label_column:
        raise DatasetError(f"{where}: no column {show_token(label)} (--label); the header has: {_listed(names)}")
    has_label = label in names
    if pipe.input_columns is not None:
        for column in pipe.input_columns:
            if column not in names:
                raise DatasetError(f"{where}: no column {show_token(column)}, which the model takes as an input "
                                   f"(its inputs: {_listed(pipe.input_columns)}; the header has: {_listed(names)})")
        for column in names:
            if column not in pipe.input_columns and column != label:
                hint = f" nor its label column {show_token(label)}" if label else " (name the label column with --label)"
                raise DatasetError(f"{where}: column {show_token(column)} is not one of the model's inputs "
                                   f"({_listed(pipe.input_columns)}){hint}")
        inputs = [names.index(c) for c in pipe.input_columns]
    else:
        inputs = [k for k, n in enumerate(names) if n != label]
        _check_count(where, "feature columns", len(inputs), pipe)
    X = numeric_columns(table.rows, inputs, names, where)
    if not has_label:
        return PredictData(where, X, None)
    j = names.index(label)
    what = f"{where}: column {show_token(label)}"
    if pipe.task == "regression":
        return PredictData(where, X, numeric_columns(table.rows, [j], names, where))
    values = [record[j].strip() for _, record in table.rows]
    return PredictData(where, X, _codes(np.array(values), pipe, what))


def _npz(path: str, pipe: ModelPipeline, layout: str | None) -> PredictData:
    where = os.fspath(path)
    names, _ = read_arrays(path, wanted=set())
    layout = layout or pipe.config.get("layout") or ("columns" if "X" in names else "rows")
    xn, yn = ("X", "Y") if layout == "columns" else ("x", "y")
    if xn not in names:
        raise DatasetError(f"{where}: no array {xn!r} (layout {layout!r}); found: {_listed(names) or 'no arrays'}")
    arrays = read_arrays(path, wanted={xn, yn})[1]
    x = arrays[xn]
    if x.dtype.kind not in "biuf":
        raise DatasetError(f"{where}: array {xn!r} has dtype {x.dtype}, which cannot be read as numbers")
    if layout == "columns":
        if x.ndim > 2:
            raise DatasetError(f"{where}: array {xn!r} has shape {x.shape}; layout 'columns' needs (n_x, m)")
        X = x.reshape(1, -1) if x.ndim == 1 else x
    elif x.ndim >= 3:
        X, _ = images_to_columns(x, f"{where}: array {xn!r}")
    else:
        X = (x.reshape(-1, 1) if x.ndim == 1 else x).T
    X = np.ascontiguousarray(X, dtype=np.float64)
    _check_count(f"{where}: array {xn!r}", "features", X.shape[0], pipe)
    _check_finite(X, f"{where}: array {xn!r}")
    if yn not in arrays:
        return PredictData(where, X, None)
    y = arrays[yn]
    Y = y.reshape(1, -1) if y.ndim == 1 else (y if layout == "columns" else y.T)
    return PredictData(where, X, _labels(Y, pipe, f"{where}: array {yn!r}", X.shape[1]))


def _h5(path: str, pipe: ModelPipeline) -> PredictData:
    where = os.fspath(path)
    split = "test" if Path(path).name.startswith("test_") else "train"
    x, y, _ = read_split(Path(path), split)
    key = f"{where}: '{split}_set_x'"
    if x.ndim >= 3:
        X, _ = images_to_columns(x, key)
    else:
        X = x.T.astype(np.float64)
        _check_finite(X, key)
    _check_count(key, "features (pixels)" if x.ndim >= 3 else "features", X.shape[0], pipe)
    return PredictData(where, X, _labels(y, pipe, f"{where}: '{split}_set_y'", X.shape[1]))


def _check_count(where: str, what: str, found: int, pipe: ModelPipeline) -> None:
    if found != pipe.n_inputs:
        named = f" ({_listed(pipe.input_columns)})" if pipe.input_columns else ""
        raise DatasetError(f"{where}: {found} {what}; the model takes {pipe.n_inputs}{named}")


def _check_finite(X: np.ndarray, where: str) -> None:
    if not np.isfinite(X).all():
        i, j = np.argwhere(~np.isfinite(X))[0]
        raise DatasetError(f"{where}: holds {X[i, j]} (feature {i}, example {j}); NaN and infinity are refused")


def _labels(Y: np.ndarray, pipe: ModelPipeline, what: str, m: int) -> np.ndarray:
    """Labels from an array: targets for regression, else values, codes or one-hot rows as class codes."""
    if Y.ndim != 2 or Y.shape[1] != m:
        raise DatasetError(f"{what}: shape {Y.shape} does not hold one label per example ({m})")
    if Y.dtype.kind not in "biufUS":
        raise DatasetError(f"{what}: dtype {Y.dtype} cannot be read as labels")
    if pipe.task == "regression":
        if Y.dtype.kind not in "biuf" or Y.shape[0] != pipe.spec.n_y:
            raise DatasetError(f"{what}: expected {pipe.spec.n_y} row(s) of numeric targets, got {Y.dtype} {Y.shape}")
        return Y.astype(np.float64)
    if Y.shape[0] > 1:
        if Y.shape[0] != len(pipe.class_names) or not np.isin(Y, (0, 1)).all() or not (Y.sum(axis=0) == 1).all():
            raise DatasetError(f"{what}: {Y.shape[0]} rows but not one-hot over the model's {len(pipe.class_names)} classes")
        return np.argmax(Y, axis=0).reshape(1, -1).astype(np.int64)
    return _codes(Y.reshape(-1), pipe, what)


def _codes(values: np.ndarray, pipe: ModelPipeline, what: str) -> np.ndarray:
    """``(1, m)`` codes of label values among the model's class names.

    Text is looked up by name. Numbers are looked up by name too when the class names are
    numbers (a CSV's ``0``/``1`` labels); otherwise they are class numbers ``0..K-1``
    (the course's HDF5 files, whose names are ``non-cat``, ``cat``).
    """
    if values.dtype.kind in "US" and all(is_number(v) for v in values.tolist()):
        values = values.astype(np.float64)
    if values.dtype.kind in "biuf" and not all(is_number(n) for n in pipe.class_names):
        K = len(pipe.class_names)
        bad = (values != np.round(values)) | (values < 0) | (values >= K)
        if bad.any():
            raise DatasetError(f"{what}: label {show_token(values[np.argmax(bad)])} is not a class number 0..{K - 1} "
                               f"({_listed(pipe.class_names)})")
        return values.astype(np.int64).reshape(1, -1)
    codes, _ = encode_labels(values, pipe.task, what, pipe.class_names)
    return codes


def _listed(names) -> str:
    names = list(names)
    return ", ".join(show_token(n) for n in names[:20]) + (", ..." if len(names) > 20 else "")
