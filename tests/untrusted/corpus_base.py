"""The pieces every part of the hostile-file corpus uses: ``Case``, plain writers, special files."""

from __future__ import annotations

import io
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

ESC = "\x1b]0;pwned\x07\x1b[2J"
AREAS = ("csv", "npz", "hdf5", "model", "config", "run-log", "control")
SUFFIX = {"csv": ".csv", "npz": ".npz", "hdf5": ".h5", "model": ".npz", "control": ""}


@dataclass(frozen=True)
class Case:
    """One hostile input: ``make(folder)`` writes it and returns the path to read."""

    area: str
    name: str
    make: Callable[[Path], Path]
    declares: int = 0
    """For a bomb: the bytes its contents declare (0 otherwise)."""


def write_bytes(name: str, data: bytes | str) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data)
        return path

    return make


def special_cases(area: str) -> list[Case]:
    """FIFOs, links to devices, folders, dangling links and empty files, for any area."""
    name = "control.json" if area == "control" else f"x{SUFFIX.get(area, '.toml')}"

    def fifo(folder: Path) -> Path:
        os.mkfifo(folder / name)
        return folder / name

    def link(target: str) -> Callable[[Path], Path]:
        def make(folder: Path) -> Path:
            os.symlink(target, folder / name)
            return folder / name

        return make

    def directory(folder: Path) -> Path:
        (folder / name).mkdir()
        return folder / name

    return [
        Case(area, "fifo", fifo), Case(area, "link to /dev/zero", link("/dev/zero")),
        Case(area, "link to /dev/urandom", link("/dev/urandom")), Case(area, "link to /dev/null", link("/dev/null")),
        Case(area, "folder", directory), Case(area, "dangling link", link("/nonexistent/x")),
        Case(area, "empty file", write_bytes(name, b"")), Case(area, "escape in the name", write_bytes(f"x{ESC}{SUFFIX.get(area, '.toml')}", b"x")),
    ]


def npy(array: np.ndarray, allow_pickle: bool = False) -> bytes:
    buf = io.BytesIO()
    np.lib.format.write_array(buf, np.asanyarray(array), allow_pickle=allow_pickle)
    return buf.getvalue()


def zip_bytes(members: dict[str, bytes], method: int = zipfile.ZIP_STORED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def lying_header(shape: tuple[int, ...], dtype: str = "<f8", body: bytes = b"\0" * 64) -> bytes:
    head = io.BytesIO()
    np.lib.format.write_array_header_1_0(head, {"descr": dtype, "fortran_order": False, "shape": shape})
    return head.getvalue() + body


