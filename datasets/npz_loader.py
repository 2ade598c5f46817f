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
from .budget import check_load
from .files import MAX_FILE_BYTES, file_label, open_checked, sha256
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


def _header(fp, info: zipfile.ZipInfo, where: str) -> tuple[tuple[int, ...], bool, np.dtype, int]:
    """``(shape, fortran_order, dtype, nbytes)`` of an open ``.npy`` member, refusing objects,
    odd dtypes and a shape larger than the member can hold."""
    key = info.filename[:-4]
    version = np.lib.format.read_magic(fp)
    if version not in ((1, 0), (2, 0)):
        raise DatasetError(f"{where}: array {key!r} uses .npy format version {version}, which is not supported")
    reader = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
    shape, fortran, dtype = reader(fp)
    if dtype.hasobject:
        raise DatasetError(f"{where}: array {key!r} holds Python objects (pickled data); refused, nothing was unpickled")
    if dtype.kind not in "biufUS" or dtype.names is not None or dtype.subdtype is not None:
        raise DatasetError(f"{where}: array {key!r} has dtype {dtype}; expected numbers (or text labels)")
    nbytes = math.prod(shape) * dtype.itemsize
    if nbytes > info.file_size:
        raise DatasetError(
            f"{where}: array {key!r} declares shape {shape} ({nbytes} bytes) but holds at most {info.file_size} bytes"
        )
    return shape, fortran, dtype, nbytes


def _read_npy(zf: zipfile.ZipFile, info: zipfile.ZipInfo, where: str) -> np.ndarray:
    """One ``.npy`` member, header checked before its data is read."""
    with zf.open(info) as fp:
        shape, fortran, dtype, nbytes = _header(fp, info, where)
        data = fp.read(nbytes)
        if len(data) != nbytes:
            raise DatasetError(f"{where}: array {info.filename[:-4]!r} is truncated")
    arr = np.frombuffer(data, dtype=dtype, count=math.prod(shape)).reshape(shape, order="F" if fortran else "C")
    return arr.astype(dtype.newbyteorder("="), copy=True)


def _members(zf: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    """The archive's ``.npy`` members by array name."""
    return {i.filename[:-4]: i for i in zf.infolist() if i.filename.endswith(".npy")}


def _read_members(zf: zipfile.ZipFile, where: str, wanted: set[str]) -> dict[str, np.ndarray]:
    """The arrays among ``wanted``, checked: sizes against the zip directory, then the memory the
    load will take against the budget, before any data is read."""
    take = [info for name, info in _members(zf).items() if name in wanted]
    for info in take:
        _check_member(info, where)
    if sum(i.file_size for i in take) > MAX_FILE_BYTES:
        raise DatasetError(f"{where}: the arrays declare more than {MAX_FILE_BYTES} bytes in all")
    headers = []
    for info in take:
        with zf.open(info) as fp:
            headers.append(_header(fp, info, where))
    check_load(where, sum(math.prod(h[0]) for h in headers), sum(h[3] for h in headers))
    return {i.filename[:-4]: _read_npy(zf, i, where) for i in take}


def read_arrays(path: str | os.PathLike, wanted: set[str] | None = None) -> tuple[list[str], dict[str, np.ndarray]]:
    """The array names in an NPZ and the arrays among ``wanted`` (all when None), checked as ``load_npz`` does."""
    where = file_label(path)
    with open_checked(path) as f:
        try:
            with zipfile.ZipFile(f) as zf:
                names = sorted(_members(zf))
                return names, _read_members(zf, where, set(names) if wanted is None else wanted)
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
    with open_checked(path) as f:
        try:
            with zipfile.ZipFile(f) as zf:
                names = sorted(_members(zf))
                layout = _choose_layout(names, layout, where)
                xn, yn = NAMES[layout]
                tn = (f"{xn}_test", f"{yn}_test")
                has_test = tn[0] in names or tn[1] in names
                if has_test and not all(n in names for n in tn):
                    raise DatasetError(f"{where}: a test set needs both {tn[0]!r} and {tn[1]!r}")
                arrays = _read_members(zf, where, {xn, yn, *(tn if has_test else ())})
        except _ZIP_ERRORS:
            raise DatasetError(f"{where}: not a readable NPZ file (not a zip archive of .npy arrays, or corrupt or truncated)") from None
        digest = sha256(f)
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
        provenance={"path": os.path.abspath(where), "format": "npz", "layout": layout, "sha256": digest},
    )
