"""The course's HDF5 files (``train_set_x``/``train_set_y``/``list_classes`` and the ``test_`` twin).

A file is checked for the HDF5 signature before h5py opens it; external
links, soft links, external storage and virtual datasets are refused, and
every h5py failure becomes a ``DatasetError`` that names the file.
"""

from __future__ import annotations

import math
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import numpy as np

from .assemble import assemble
from .base import Dataset, DatasetError
from .extras import require
from .budget import check_load
from .files import MAX_FILE_BYTES, file_label, file_sha256, hdf5_signature_at, open_checked
from .labels import MAX_CLASSES
from .images import images_to_columns
from .split import DEV_FRACTION

SUFFIXES = (".h5", ".hdf5", ".he5")
_H5_ERRORS = (OSError, ValueError, KeyError, TypeError, RuntimeError, IndexError, OverflowError, AttributeError)


@contextmanager
def _h5_errors(where: str, doing: str = "not a readable HDF5 file (corrupt or truncated)") -> Iterator[None]:
    """Turn h5py's own exceptions into one ``DatasetError`` without its raw message."""
    try:
        yield
    except DatasetError:
        raise
    except _H5_ERRORS:
        raise DatasetError(f"{where}: {doing}") from None


def _dataset(f, key: str, where: str, keys: list[str]):
    """``f[key]`` after refusing links and external or virtual storage."""
    h5py = require("h5py")
    if key not in keys:
        raise DatasetError(f"{where}: no key {key!r}; the keys found are: {', '.join(map(repr, keys)) or 'none'}")
    link = f.get(key, getlink=True)
    if isinstance(link, h5py.ExternalLink):
        raise DatasetError(f"{where}: {key!r} is an external link to {link.filename!r}; links to other files are refused")
    if isinstance(link, h5py.SoftLink):
        raise DatasetError(f"{where}: {key!r} is a soft link to {link.path!r}; only plain datasets are read")
    obj = f[key]
    if not isinstance(obj, h5py.Dataset):
        raise DatasetError(f"{where}: {key!r} is a group, not an array")
    if obj.is_virtual:
        raise DatasetError(f"{where}: {key!r} is a virtual dataset (its data may live in other files); refused")
    if obj.external:
        raise DatasetError(f"{where}: {key!r} keeps its data in external files; refused")
    if obj.shape is None:
        raise DatasetError(f"{where}: {key!r} is an empty dataset (no shape)")
    nbytes = math.prod(obj.shape) * obj.dtype.itemsize
    if nbytes > MAX_FILE_BYTES:
        raise DatasetError(f"{where}: {key!r} declares shape {obj.shape} ({nbytes} bytes), more than {MAX_FILE_BYTES} allowed")
    return obj


def read_split(path: Path, split: str) -> tuple[np.ndarray, np.ndarray, tuple[str, ...] | None]:
    """``({split}_set_x, {split}_set_y, list_classes or None)`` from one file, checked.

    h5py reads the already-opened regular file (never the path again), and the
    arrays' declared sizes are checked against the memory budget before reading.
    """
    where = file_label(path)
    h5py = require("h5py")
    with open_checked(path) as raw:
        if hdf5_signature_at(raw) is None:
            raise DatasetError(f"{where}: not an HDF5 file (no HDF5 signature)")
        raw.seek(0)
        with _h5_errors(where):
            with h5py.File(raw, "r", locking=False) as f:
                keys = list(f.keys())
                xk, yk = f"{split}_set_x", f"{split}_set_y"
                dx, dy = _dataset(f, xk, where, keys), _dataset(f, yk, where, keys)
                for key, d in ((xk, dx), (yk, dy)):
                    if d.dtype.kind not in "biuf":
                        raise DatasetError(f"{where}: {key!r} has dtype {d.dtype}; expected numbers")
                check_load(where, dx.size + dy.size, dx.size * dx.dtype.itemsize + dy.size * dy.dtype.itemsize)
                x, y = dx[()], dy[()]
                classes = _classes(f, where, keys)
    if x.ndim < 2:
        raise DatasetError(f"{where}: {xk!r} has shape {x.shape}; expected (m, n_x) or images (m, h, w[, c])")
    if y.ndim > 2 or (y.ndim == 2 and 1 not in y.shape):
        raise DatasetError(f"{where}: {yk!r} has shape {y.shape}; expected (m,) or (1, m) labels")
    if x.shape[0] != y.size:
        raise DatasetError(f"{where}: {xk!r} holds {x.shape[0]} examples but {yk!r} holds {y.size} labels")
    return x, y.reshape(1, -1), classes


def _classes(f, where: str, keys: list[str]) -> tuple[str, ...] | None:
    """``list_classes`` as text (at most ``MAX_CLASSES`` names), or None when absent."""
    if "list_classes" not in keys:
        return None
    h5py = require("h5py")
    dc = _dataset(f, "list_classes", where, keys)
    if dc.dtype.kind not in "SUO" or (dc.dtype.kind == "O" and h5py.check_string_dtype(dc.dtype) is None):
        raise DatasetError(f"{where}: 'list_classes' has dtype {dc.dtype}; expected strings")
    if dc.size > MAX_CLASSES:
        raise DatasetError(f"{where}: 'list_classes' holds {dc.size} names; at most {MAX_CLASSES} classes are allowed")
    raw = np.asarray(dc[()]).reshape(-1)
    return tuple(c.decode("utf-8", "replace") if isinstance(c, bytes) else str(c) for c in raw.tolist())


def _pair(path: Path) -> tuple[Path, Path | None]:
    """The training file and its ``test_`` twin (or None) for a file or a folder."""
    where = file_label(path)
    if path.is_dir():
        trains = sorted(p for p in path.iterdir() if p.name.startswith("train_") and p.suffix.lower() in SUFFIXES)
        if not trains:
            raise DatasetError(f"{where}: no train_*.h5 file in this folder")
        if len(trains) > 1:
            raise DatasetError(f"{where}: several training files ({', '.join(p.name for p in trains)}); give one file")
        train = trains[0]
    elif path.name.startswith("test_"):
        train = path.with_name("train_" + path.name[len("test_"):])
        if not train.is_file():
            raise DatasetError(f"{where}: a test file; its training file {train.name} is not beside it")
    else:
        train = path
    test = train.with_name("test_" + train.name[len("train_"):]) if train.name.startswith("train_") else None
    return train, test if test is not None and test.is_file() else None


def load_h5(
    path: str | os.PathLike,
    *,
    task: str | None = None,
    seed: int = 1,
    dev_fraction: float | None = None,
) -> Dataset:
    """A ``Dataset`` from a course HDF5 file or a folder holding ``train_*.h5`` and ``test_*.h5``.

    Images ``(m, h, w, c)`` become columns ``(h*w*c, m)`` scaled to [0, 1]
    (``X.reshape(m, -1).T / 255``); class names come from ``list_classes``.
    With a test file the dev set is the test set (the course has no dev set and
    trains on all of train), and a ``dev_fraction`` is refused; without one, dev is a
    stratified split of train (``dev_fraction`` of it, 0.2 by default).
    """
    train_path, test_path = _pair(Path(path))
    where = file_label(train_path if Path(path).is_dir() else path)
    x, Y, classes = read_split(train_path, "train")
    X, image_shape = _columns(x, f"{where}: 'train_set_x'")
    X_test = Y_test = None
    test_where = None
    if test_path is not None:
        test_where = file_label(test_path)
        xt, Y_test, test_classes = read_split(test_path, "test")
        X_test, test_shape = _columns(xt, f"{test_where}: 'test_set_x'")
        if test_shape != image_shape:
            raise DatasetError(
                f"{test_where}: test examples have shape {xt.shape[1:]}, the training examples ({where}) {x.shape[1:]}"
            )
        if classes is None:
            classes = test_classes
        if dev_fraction is not None:
            raise DatasetError(f"{where}: the dev set is the test file {test_where}; dev_fraction does not apply")
    return assemble(
        train_path.stem.removeprefix("train_") or train_path.stem,
        X,
        Y,
        where=where,
        label_name="the labels",
        X_test=X_test,
        Y_test=Y_test,
        test_where=test_where,
        task=task,
        class_names=classes,
        feature_names=() if image_shape else tuple(f"x{i + 1}" for i in range(X.shape[0])),
        image_shape=image_shape,
        standardize=image_shape is None,
        dev_from_test=test_path is not None,
        seed=seed,
        dev_fraction=DEV_FRACTION if dev_fraction is None else dev_fraction,
        description=f"HDF5 images {train_path.name}" + (f" + {test_path.name}" if test_path else ""),
        provenance={
            "path": os.path.abspath(train_path),
            "test_path": None if test_path is None else os.path.abspath(test_path),
            "format": "hdf5",
            "sha256": file_sha256(train_path),
        },
    )


def _columns(x: np.ndarray, what: str) -> tuple[np.ndarray, tuple[int, ...] | None]:
    """Images to scaled columns; a 2-D ``(m, n_x)`` table to ``(n_x, m)`` float64 (finite)."""
    if x.ndim >= 3:
        return images_to_columns(x, what)
    X = x.T.astype(np.float64)
    if not np.isfinite(X).all():
        raise DatasetError(f"{what}: holds NaN or infinite values")
    return X, None
