"""Reading the user's files safely: regular files only, size limits, signatures, and ``load_path``'s dispatch."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path
from typing import BinaryIO

from .base import Dataset, DatasetError

MAX_FILE_BYTES = 1 << 30
"""Files (and the sum of an NPZ's declared array sizes) above this are refused."""

HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"
ZIP_SIGNATURE = b"PK\x03\x04"
LAYOUTS = ("columns", "rows")


def file_label(path: str | os.PathLike) -> str:
    """How messages name a file: the path as the user gave it."""
    return os.fspath(path)


_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)


def _refuse_irregular(path: str | os.PathLike, mode: int) -> None:
    if not stat.S_ISREG(mode):
        kind = "a folder" if stat.S_ISDIR(mode) else "a FIFO" if stat.S_ISFIFO(mode) else "a device or socket"
        raise DatasetError(f"{file_label(path)}: not a regular file ({kind})")


def open_checked(path: str | os.PathLike) -> BinaryIO:
    """``path`` opened for binary reading: a regular file (links followed; FIFOs and devices
    refused before and after a non-blocking open) of at most ``MAX_FILE_BYTES``."""
    try:
        _refuse_irregular(path, os.stat(path).st_mode)
        fd = os.open(path, _OPEN_FLAGS)
    except FileNotFoundError:
        raise DatasetError(f"{file_label(path)}: no such file") from None
    except OSError as e:
        raise DatasetError(f"{file_label(path)}: cannot be read ({e.strerror or type(e).__name__})") from None
    try:
        st = os.fstat(fd)
        _refuse_irregular(path, st.st_mode)
        if st.st_size > MAX_FILE_BYTES:
            raise DatasetError(f"{file_label(path)}: {st.st_size} bytes, more than the {MAX_FILE_BYTES} bytes allowed")
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def checked_file(path: str | os.PathLike) -> Path:
    """``path`` as a ``Path`` to an existing regular file no larger than ``MAX_FILE_BYTES``."""
    open_checked(path).close()
    return Path(path)


def sha256(f: BinaryIO) -> str:
    """Hex SHA-256 of an open file's whole content, for provenance (leaves it at its end)."""
    h = hashlib.sha256()
    f.seek(0)
    for chunk in iter(lambda: f.read(1 << 20), b""):
        h.update(chunk)
    return h.hexdigest()


def hdf5_signature_at(f: BinaryIO) -> int | None:
    """The offset of the HDF5 superblock signature (0, 512, 1024, ...) in an open file, or None."""
    size = os.fstat(f.fileno()).st_size
    offset = 0
    while offset + len(HDF5_SIGNATURE) <= size:
        f.seek(offset)
        if f.read(len(HDF5_SIGNATURE)) == HDF5_SIGNATURE:
            return offset
        offset = 512 if offset == 0 else offset * 2
    return None


def file_kind(path: str | os.PathLike) -> str:
    """``"csv"``, ``"npz"`` or ``"h5"``: from the suffix (``.csv``/``.txt``/``.tsv``, ``.npz``,
    ``.h5``/``.hdf5``), otherwise from the content (HDF5 or zip signature, else CSV)."""
    suffix = Path(path).suffix.lower()
    if suffix not in (".csv", ".txt", ".tsv", ".npz", ".h5", ".hdf5", ".he5"):
        with open_checked(path) as f:
            head = f.read(8)
            if hdf5_signature_at(f) is not None:
                suffix = ".h5"
            elif head.startswith(ZIP_SIGNATURE) or head.startswith(b"PK\x05\x06"):
                suffix = ".npz"
    return {".npz": "npz", ".h5": "h5", ".hdf5": "h5", ".he5": "h5"}.get(suffix, "csv")


def file_sha256(path: str | os.PathLike) -> str:
    """Hex SHA-256 of a checked regular file."""
    with open_checked(path) as f:
        return sha256(f)


def load_path(
    path: str | os.PathLike,
    label: str | None = None,
    layout: str | None = None,
    *,
    task: str | None = None,
    seed: int = 1,
    dev_fraction: float | None = None,
) -> Dataset:
    """A ``Dataset`` from the user's CSV, NPZ or HDF5 file, or a folder holding a course HDF5 pair.

    The format comes from ``file_kind``.
    ``label`` names the CSV label column (default: the last); ``layout`` is the
    NPZ layout, ``"columns"`` (arrays ``X (n_x, m)``, ``Y``) or ``"rows"``
    (arrays ``x (m, n_x)``, ``y``). ``task`` (binary, multiclass, regression)
    is checked against the labels; by default it follows from them.
    Raises ``DatasetError`` naming the file (and line, column, token) for any bad input.
    """
    from .csv_loader import load_csv
    from .h5_loader import load_h5
    from .npz_loader import load_npz

    if layout is not None and layout not in LAYOUTS:
        raise DatasetError(f"{file_label(path)}: layout must be 'columns' or 'rows', got {layout!r}")
    p = Path(path)
    opts: dict = {"task": task, "seed": seed}
    if dev_fraction is not None:
        opts["dev_fraction"] = dev_fraction
    if p.is_dir():
        if label is not None or layout is not None:
            raise DatasetError(f"{file_label(path)}: a folder is read as a course HDF5 pair; label and layout do not apply")
        return load_h5(p, **opts)
    kind = file_kind(p)
    if label is not None and kind != "csv":
        raise DatasetError(f"{file_label(path)}: a label column only applies to CSV files")
    if layout is not None and kind != "npz":
        raise DatasetError(f"{file_label(path)}: a layout only applies to NPZ files")
    if kind == "npz":
        return load_npz(p, layout=layout, **opts)
    if kind == "h5":
        return load_h5(p, **opts)
    return load_csv(p, label=label, **opts)
