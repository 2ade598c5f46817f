"""Reading the user's files safely: size limits, signatures, and ``load_path``'s dispatch."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from .base import Dataset, DatasetError

MAX_FILE_BYTES = 1 << 30
"""Files (and the sum of an NPZ's declared array sizes) above this are refused."""

HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"
ZIP_SIGNATURE = b"PK\x03\x04"
LAYOUTS = ("columns", "rows")


def file_label(path: str | os.PathLike) -> str:
    """How messages name a file: the path as the user gave it."""
    return os.fspath(path)


def checked_file(path: str | os.PathLike) -> Path:
    """``path`` as a ``Path`` to an existing regular file no larger than ``MAX_FILE_BYTES``."""
    p = Path(path)
    try:
        st = p.stat()
    except FileNotFoundError:
        raise DatasetError(f"{file_label(path)}: no such file") from None
    except OSError as e:
        raise DatasetError(f"{file_label(path)}: cannot be read ({e.strerror or type(e).__name__})") from None
    if not p.is_file():
        raise DatasetError(f"{file_label(path)}: not a regular file")
    if st.st_size > MAX_FILE_BYTES:
        raise DatasetError(f"{file_label(path)}: {st.st_size} bytes, more than the {MAX_FILE_BYTES} bytes allowed")
    return p


def read_bytes(path: str | os.PathLike) -> bytes:
    """The whole file, after ``checked_file``."""
    p = checked_file(path)
    try:
        return p.read_bytes()
    except OSError as e:
        raise DatasetError(f"{file_label(path)}: cannot be read ({e.strerror or type(e).__name__})") from None


def sha256(path: str | os.PathLike) -> str:
    """Hex SHA-256 of a file, for provenance."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def hdf5_signature_at(path: str | os.PathLike) -> int | None:
    """The offset of the HDF5 superblock signature (0, 512, 1024, ...) or None."""
    p = Path(path)
    size = p.stat().st_size
    with open(p, "rb") as f:
        offset = 0
        while offset + len(HDF5_SIGNATURE) <= size:
            f.seek(offset)
            if f.read(len(HDF5_SIGNATURE)) == HDF5_SIGNATURE:
                return offset
            offset = 512 if offset == 0 else offset * 2
    return None


def _head(path: Path) -> bytes:
    with open(path, "rb") as f:
        return f.read(8)


def file_kind(path: str | os.PathLike) -> str:
    """``"csv"``, ``"npz"`` or ``"h5"``: from the suffix (``.csv``/``.txt``/``.tsv``, ``.npz``,
    ``.h5``/``.hdf5``), otherwise from the content (HDF5 or zip signature, else CSV)."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in (".csv", ".txt", ".tsv", ".npz", ".h5", ".hdf5", ".he5"):
        checked_file(p)
        head = _head(p)
        if hdf5_signature_at(p) is not None:
            suffix = ".h5"
        elif head.startswith(ZIP_SIGNATURE) or head.startswith(b"PK\x05\x06"):
            suffix = ".npz"
    return {".npz": "npz", ".h5": "h5", ".hdf5": "h5", ".he5": "h5"}.get(suffix, "csv")


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
