"""Atomic file replacement: write a temporary file beside the target, fsync, then ``os.replace``.

A reader (or a crash at any moment) sees the old file or the new one, never a
mix. The temporary file gets the permissions of an ordinary new file
(``0o666`` less the umask), so other users can read what is written.
"""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path
from typing import BinaryIO, Callable

_TEMP = re.compile(r"\.(?P<name>.+)\.[0-9a-f]{8}\.tmp")


def temp_path(path: Path) -> Path:
    """A fresh temporary name beside ``path``: ``.NAME.<8 hex>.tmp``."""
    folder = path.parent if str(path.parent) else Path(".")
    return folder / f".{path.name}.{secrets.token_hex(4)}.tmp"


def remove_stale_temps(path: str | os.PathLike) -> list[Path]:
    """Delete the temporary files a killed ``write_atomically`` of ``path`` left behind; returns them.

    Call it only while no other process may be writing ``path`` (a run's trainer
    holds its lock). Other files in the folder are never touched.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    removed = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    for name in names:
        match = _TEMP.fullmatch(name)
        if match is not None and match.group("name") == path.name:
            try:
                os.unlink(folder / name)
                removed.append(folder / name)
            except OSError:
                pass
    return removed


def write_atomically(path: str | os.PathLike, write: Callable[[BinaryIO], None]) -> Path:
    """Call ``write(f)`` on a temporary file in ``path``'s folder, then replace ``path`` with it.

    On any error the temporary file is removed and ``path`` is untouched; the
    error (``OSError`` for file-system problems) propagates.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    tmp = temp_path(path)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    _fsync_folder(folder)
    return path


def _fsync_folder(folder: Path) -> None:
    """Make the rename durable (best effort: some file systems refuse)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
