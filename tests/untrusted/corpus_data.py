"""Hostile dataset files: CSV, NPZ and HDF5, crafted, with bombs that declare far more than they store."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any, Callable

import numpy as np

from corpus_base import ESC, Case, lying_header, npy, special_cases, write_bytes, zip_bytes

CSV_ROWS = "".join(f"{i},{(i * 7) % 5},{i % 2}\n" for i in range(20))


def csv_cases() -> list[Case]:
    texts = {
        "plain": "a,b,label\n" + CSV_ROWS,
        "bom": "\ufeffa,b,label\n" + CSV_ROWS,
        "crlf and tabs": ("a\tb\tlabel\n" + CSV_ROWS.replace(",", "\t")).replace("\n", "\r\n"),
        "escapes in header and labels": f"a{ESC},b,label\n" + "".join(f"{i},{i % 3},{ESC if i % 2 else 'ok'}\n" for i in range(20)),
        "underscore number": "a,b,label\n" + CSV_ROWS + "1_07,1,0\n",
        "arabic-indic digits": "a,b,label\n" + CSV_ROWS + "\u0661\u0660,1,0\n",
        "fullwidth digits": "a,b,label\n" + CSV_ROWS + "\uff11,1,0\n",
        "nan": "a,b,label\n" + CSV_ROWS + "nan,1,0\n",
        "infinity": "a,b,label\n" + CSV_ROWS + "1,Infinity,0\n",
        "1e999": "a,b,label\n" + CSV_ROWS + "1e999,1,0\n",
        "values near 1e300": "a,b,label\n" + "".join(f"{(i + 1) * 1e299:.3e},{(-1) ** i * 1.7e308:.3e},{i % 2}\n" for i in range(20)),
        "5000-digit number": "a,b,label\n" + CSV_ROWS + "9" * 5000 + ",1,0\n",
        "empty cells": "a,b,label\n" + CSV_ROWS + ",,\n",
        "quoted newline": 'a,b,label\n' + CSV_ROWS + '"1\n2",3,0\n',
        "unterminated quote": 'a,b,label\n' + CSV_ROWS + '"1,2,0\n',
        "nul byte": "a,b,label\n" + CSV_ROWS + "1,\x002,0\n",
        "one column": "label\n" + "".join(f"{i % 2}\n" for i in range(20)),
        "duplicate header": "a,a,label\n" + CSV_ROWS,
        "only a header": "a,b,label\n",
        "one class": "a,b,label\n" + "".join(f"{i},{i},same\n" for i in range(20)),
        "1 MB cell": "a,b,label\n" + CSV_ROWS + "x" * (1 << 20) + ",1,0\n",
        "1000 columns": ",".join(f"c{i}" for i in range(1000)) + ",label\n" + "".join(
            ",".join(str((i * j) % 7) for j in range(1000)) + f",{i % 2}\n" for i in range(20)),
        "ragged rows": "a,b,label\n" + CSV_ROWS + "1,2\n",
        "whitespace only": "   \n\t\n",
        "bidi and zero-width": "a\u202e,b\u200b,label\n" + CSV_ROWS,
    }
    cases = [Case("csv", name, write_bytes("data.csv", text)) for name, text in texts.items()]
    cases.append(Case("csv", "invalid utf-8", write_bytes("data.csv", b"a,b,label\n1,\xff,0\n" + CSV_ROWS.encode())))
    return cases + special_cases("csv")


def _npz(**arrays: Any) -> bytes:
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    return buf.getvalue()



def npz_image_bomb(folder: Path, pixels: int = 64 << 20) -> Path:
    """Zero uint8 images declaring ``pixels`` values, compressed to a few hundred KB."""
    side = int((pixels // 3 // 64) ** 0.5)
    path = folder / "bomb.npz"
    path.write_bytes(_npz(x=np.zeros((64, side, side, 3), dtype=np.uint8), y=np.arange(64) % 2))
    return path


def npz_cases() -> list[Case]:
    X, Y = np.arange(40.0).reshape(2, 20), (np.arange(20) % 2).reshape(1, 20)
    docs: dict[str, bytes] = {
        "plain": _npz(X=X, Y=Y),
        "pickled object array": zip_bytes({"X.npy": npy(np.array([{"a": 1}] * 20, dtype=object), True), "Y.npy": npy(Y)}),
        "structured dtype": _npz(X=np.zeros(20, dtype=[("a", "f8"), ("b", "i4")]), Y=Y),
        "header larger than data": zip_bytes({"X.npy": lying_header((300000, 40000)), "Y.npy": npy(Y)}),
        "nan features": _npz(X=np.where(X > 30, np.nan, X), Y=Y),
        "inf labels": _npz(X=X, Y=np.where(Y > 0, np.inf, 0.0)),
        "mismatched examples": _npz(X=X, Y=Y[:, :7]),
        "0-d arrays": _npz(X=np.array(1.0), Y=np.array(0)),
        "text labels with escapes": _npz(X=X, Y=np.array([[ESC if i % 2 else "b" for i in range(20)]])),
        "big-endian fortran": _npz(X=np.asfortranarray(X.astype(">f8")), Y=Y.astype(">i4")),
        "both layouts": _npz(X=X, Y=Y, x=X.T, y=Y.ravel()),
        "no arrays": zip_bytes({}),
        "not a zip": b"PK\x03\x04" + b"\x00" * 200,
        "truncated": _npz(X=X, Y=Y)[:150],
        "1000 members": zip_bytes({f"a{i}.npy": npy(np.zeros(1)) for i in range(1000)}),
        "escape in an array name": _npz(**{f"X{ESC}": X}, Y=Y),
        "5-d images": _npz(x=np.zeros((20, 2, 2, 2, 2), dtype=np.uint8), y=np.arange(20) % 2),
        "pixels out of range": _npz(x=np.full((20, 2, 2), 300.0), y=np.arange(20) % 2),
    }
    cases = [Case("npz", name, write_bytes("data.npz", data)) for name, data in docs.items()]
    cases.append(Case("npz", "bomb: 64 M zero pixels", npz_image_bomb, declares=(64 << 20) * 9))
    return cases + special_cases("npz")


def h5_gzip_bomb(folder: Path, pixels: int = 64 << 20) -> Path:
    """A course-layout HDF5 whose gzip-compressed zero images declare ``pixels`` values."""
    import h5py

    side = int((pixels // 3 // 64) ** 0.5)
    path = folder / "train_bomb.h5"
    with h5py.File(path, "w") as f:
        f.create_dataset("train_set_x", data=np.zeros((64, side, side, 3), dtype=np.uint8), compression="gzip",
                         compression_opts=9, chunks=(1, side, side, 3))
        f["train_set_y"] = np.arange(64) % 2
    return path


def h5_sparse_bomb(folder: Path) -> Path:
    """A dataset declaring 1 GiB of float64 whose chunks were never written (all fill value)."""
    import h5py

    path = folder / "train_sparse.h5"
    with h5py.File(path, "w") as f:
        f.create_dataset("train_set_x", shape=(1 << 14, 1 << 13), dtype="f8", chunks=(64, 1 << 13), fillvalue=1.0)
        f.create_dataset("train_set_y", shape=(1 << 14,), dtype="i8", fillvalue=0)
    return path


def _h5(build: Callable[[Any], None]) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        import h5py

        path = folder / "train_data.h5"
        with h5py.File(path, "w") as f:
            build(f)
        return path

    return make


def hdf5_cases() -> list[Case]:
    import h5py

    x, y = np.arange(20 * 12, dtype=np.uint8).reshape(20, 2, 2, 3), np.arange(20) % 2

    def course(f):
        f["train_set_x"], f["train_set_y"] = x, y
        f["list_classes"] = np.array([b"non-cat", ESC.encode()])

    def pair(x_data: Any, y_data: Any = y) -> Callable[[Any], None]:
        def build(f: Any) -> None:
            f["train_set_x"], f["train_set_y"] = x_data, y_data

        return build

    def many_classes(f: Any) -> None:
        pair(x)(f)
        f["list_classes"] = np.array([b"c"] * 100000)

    def group(f: Any) -> None:
        f.create_group("train_set_x")
        f["train_set_y"] = y

    def soft(f: Any) -> None:
        f["real"] = x
        pair(h5py.SoftLink("/real"))(f)

    builds: dict[str, Callable[[Any], None]] = {
        "plain with escapes in class names": course,
        "external link": pair(h5py.ExternalLink("/etc/passwd", "/x")),
        "soft link": soft,
        "group instead of data": group,
        "strings as pixels": pair(np.array([b"ab"] * 20)),
        "nan pixels": pair(np.full((20, 2, 2), np.nan)),
        "mismatched labels": pair(x, y[:5]),
        "scalar data": pair(3.0),
        "100000 class names": many_classes,
        "missing keys": lambda f: f.create_dataset("other", data=x),
    }
    cases = [Case("hdf5", name, _h5(build)) for name, build in builds.items()]
    cases.append(Case("hdf5", "truncated", lambda folder: _truncated_h5(folder)))
    cases.append(Case("hdf5", "bomb: gzip 64 M zero pixels", h5_gzip_bomb, declares=(64 << 20) * 9))
    cases.append(Case("hdf5", "bomb: 1 GiB never written", h5_sparse_bomb, declares=(1 << 30) * 5))
    return cases + special_cases("hdf5")


def _truncated_h5(folder: Path) -> Path:
    def build(f: Any) -> None:
        f["train_set_x"], f["train_set_y"] = np.zeros((20, 4)), np.arange(20) % 2

    path = _h5(build)(folder)
    path.write_bytes(path.read_bytes()[:700])
    return path
