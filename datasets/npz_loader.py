"""NPZ files: arrays ``X``/``Y`` in course layout or ``x``/``y`` with examples as rows.

Arrays are read without ``np.load``: each member's ``.npy`` header is parsed
first and its dtype (no Python objects: nothing is unpickled) and declared size
(against the zip directory's, before any data is read) are checked.
"""

from __future__ import annotations

import math
import os
import struct
import zipfile
import zlib

import numpy as np

from .assemble import assemble
from .base import Dataset, DatasetError
from .files import MAX_FILE_BYTES, checked_file, file_label, sha256
from .images import images_to_columns
from .split import DEV_FRACTION

NAMES = {"columns": ("X", "Y"), "rows": ("x", "y")}
MAX_DEFLATE_RATIO = 1100
"""Deflate cannot compress better than about 1032:1, so a larger declared ratio is a lie."""

_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, struct.error,
               NotImplementedError, RuntimeError, OverflowError, KeyError, IndexError)


def _check_member(info: zipfile.ZipInfo, where: str) -> None:
    """Refuse an encrypted member or one whose declared size is absurd, before reading it."""
    name = info.filename
    if info.flag_bits & 0x1:
        raise DatasetError(f"{where}: array {name!r} is encrypted")
    if info.file_size > MAX_FILE_BYTES:
        raise DatasetError(f"{where}: array {name!r} declares {info.file_size} bytes, more than the {MAX_FILE_BYTES} allowed")
    if info.compress_type == zipfile.ZIP_STORED and info.file_size != info.compress_size:
        raise DatasetError(f"{where}: array {name!r} declares {info.file_size} bytes but stores {info.compress_size}")
    if info.compress_type != zipfile.ZIP_STORED and info.file_size > MAX_DEFLATE_RATIO * info.compress_size + 4096:
        raise DatasetError(
            f"{where}: array {name!r} declares {info.file_size} bytes from {info.compress_size} compressed; "
            f"that ratio is impossible (a zip bomb or a corrupt file)"
        )


def _read_npy(zf: zipfile.ZipFile, info: zipfile.ZipInfo, where: str) -> np.ndarray:
    """One ``.npy`` member, header checked before its data is read."""
    key = info.filename[:-4]
    with zf.open(info) as fp:
        version = np.lib.format.read_magic(fp)
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(fp)
        elif version == (2, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(fp)
        else:
            raise DatasetError(f"{where}: array {key!r} uses .npy format version {version}, which is not supported")
        if dtype.hasobject:
            raise DatasetError(f"{where}: array {key!r} holds Python objects (pickled data); refused, nothing was unpickled")
        if dtype.kind not in "biufUS" or dtype.names is not None or dtype.subdtype is not None:
            raise DatasetError(f"{where}: array {key!r} has dtype {dtype}; expected numbers (or text labels)")
        count = math.prod(shape)
        nbytes = count * dtype.itemsize
        if nbytes > info.file_size:
            raise DatasetError(
                f"{where}: array {key!r} declares shape {shape} ({nbytes} bytes) but holds at most {info.file_size} bytes"
            )
        data = fp.read(nbytes)
        if len(data) != nbytes:
            raise DatasetError(f"{where}: array {key!r} is truncated")
    arr = np.frombuffer(data, dtype=dtype, count=count).reshape(shape, order="F" if fortran else "C")
    return arr.astype(dtype.newbyteorder("="), copy=True)


def read_arrays(path: str | os.PathLike, wanted: set[str] | None = None) -> tuple[list[str], dict[str, np.ndarray]]:
    """The array names in an NPZ and the arrays among ``wanted`` (all when None), checked."""
    where = file_label(path)
    p = checked_file(path)
    try:
        with zipfile.ZipFile(p) as zf:
            infos = {i.filename[:-4]: i for i in zf.infolist() if i.filename.endswith(".npy")}
            take = [infos[k] for k in infos if wanted is None or k in wanted]
            for info in take:
                _check_member(info, where)
            if sum(i.file_size for i in take) > MAX_FILE_BYTES:
                raise DatasetError(f"{where}: the arrays declare more than {MAX_FILE_BYTES} bytes in all")
            return sorted(infos), {i.filename[:-4]: _read_npy(zf, i, where) for i in take}
    except _ZIP_ERRORS:
        raise DatasetError(f"{where}: not a readable NPZ file (not a zip archive of .npy arrays, or corrupt or truncated)") from None


def _choose_layout(names: list[str], layout: str | None, where: str) -> str:
    found = ", ".join(repr(n) for n in names[:20]) or "no arrays"
    has = {k: all(n in names for n in NAMES[k]) for k in NAMES}
    if layout is None:
        if has["columns"] and has["rows"]:
            raise DatasetError(f"{where}: holds both X/Y and x/y; give the layout ('columns' or 'rows')")
        if not (has["columns"] or has["rows"]):
            raise DatasetError(f"{where}: expected arrays X and Y (layout 'columns') or x and y (layout 'rows'); found: {found}")
        return "columns" if has["columns"] else "rows"
    if not has[layout]:
        a, b = NAMES[layout]
        raise DatasetError(f"{where}: layout {layout!r} needs arrays {a!r} and {b!r}; found: {found}")
    return layout


def _as_course(x: np.ndarray, y: np.ndarray, layout: str, xname: str, yname: str, where: str):
    """``(X (n_x, m), Y (n_y, m), image_shape)`` from the file's arrays."""
    if x.dtype.kind not in "biuf":
        raise DatasetError(f"{where}: array {xname!r} has dtype {x.dtype}; features must be numbers")
    image_shape = None
    if layout == "columns":
        if x.ndim > 2:
            raise DatasetError(f"{where}: array {xname!r} has shape {x.shape}; layout 'columns' needs (n_x, m) (images: use layout 'rows')")
        X = x.reshape(1, -1) if x.ndim == 1 else x
        Y = y.reshape(1, -1) if y.ndim == 1 else y
        if Y.ndim != 2:
            raise DatasetError(f"{where}: array {yname!r} has shape {y.shape}; expected (n_y, m)")
    else:
        if x.ndim == 0 or y.ndim == 0 or y.ndim > 2:
            raise DatasetError(f"{where}: arrays {xname!r} {x.shape} and {yname!r} {y.shape}: expected (m, n_x) and (m,) or (m, n_y)")
        if x.ndim >= 3:
            X, image_shape = images_to_columns(x, f"{where}: array {xname!r}")
        else:
            X = (x.reshape(-1, 1) if x.ndim == 1 else x).T
        Y = y.reshape(1, -1) if y.ndim == 1 else y.T
    X = X.astype(np.float64)
    if not np.isfinite(X).all():
        i, j = np.argwhere(~np.isfinite(X))[0]
        raise DatasetError(f"{where}: array {xname!r} holds {X[i, j]} (feature {i}, example {j}); NaN and infinity are refused")
    if Y.dtype.kind == "f" and not np.isfinite(Y).all():
        i, j = np.argwhere(~np.isfinite(Y))[0]
        raise DatasetError(f"{where}: array {yname!r} holds {Y[i, j]} (example {j}); NaN and infinity are refused")
    if Y.dtype.kind == "b":
        Y = Y.astype(np.int64)
    return np.ascontiguousarray(X), np.ascontiguousarray(Y), image_shape


def load_npz(
    path: str | os.PathLike,
    layout: str | None = None,
    *,
    task: str | None = None,
    seed: int = 1,
    dev_fraction: float = DEV_FRACTION,
) -> Dataset:
    """A ``Dataset`` from an NPZ holding ``X``, ``Y`` (and optionally ``X_test``, ``Y_test``)
    in course layout, or ``x``, ``y`` (``x_test``, ``y_test``) with examples as rows.

    The layout is the one ``layout`` states or, when None, the one the array names
    state; a file holding both needs ``layout``. Rows of images ``(m, h, w[, c])``
    are flattened and scaled to [0, 1]; other features are standardised on train.
    """
    where = file_label(path)
    names, _ = read_arrays(path, wanted=set())
    layout = _choose_layout(names, layout, where)
    xn, yn = NAMES[layout]
    tn = (f"{xn}_test", f"{yn}_test")
    has_test = tn[0] in names or tn[1] in names
    if has_test and not all(n in names for n in tn):
        raise DatasetError(f"{where}: a test set needs both {tn[0]!r} and {tn[1]!r}")
    _, arrays = read_arrays(path, wanted={xn, yn, *(tn if has_test else ())})
    X, Y, image_shape = _as_course(arrays[xn], arrays[yn], layout, xn, yn, where)
    X_test = Y_test = None
    if has_test:
        X_test, Y_test, test_shape = _as_course(arrays[tn[0]], arrays[tn[1]], layout, *tn, where)
        if test_shape != image_shape and X_test.shape[0] == X.shape[0]:
            raise DatasetError(f"{where}: test images are {test_shape}, training images {image_shape}")
    return assemble(
        os.path.basename(where) or where,
        X,
        Y,
        where=where,
        label_name=f"array {yn!r}",
        X_test=X_test,
        Y_test=Y_test,
        task=task,
        feature_names=() if image_shape else tuple(f"x{i + 1}" for i in range(X.shape[0])),
        image_shape=image_shape,
        standardize=image_shape is None,
        seed=seed,
        dev_fraction=dev_fraction,
        description=f"NPZ file {where} ({layout} layout)",
        provenance={"path": os.path.abspath(where), "format": "npz", "layout": layout, "sha256": sha256(path)},
    )
