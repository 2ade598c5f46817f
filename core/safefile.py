"""Opening untrusted files: regular files only, never blocking, never more than a stated size.

``stat`` follows symlinks, so a link to ``/dev/zero`` is refused as a character
device. The file is then opened with ``O_NONBLOCK | O_NOCTTY`` (a FIFO swapped in
after the ``stat`` cannot block the open) and checked again with ``fstat``, so what
is read is the regular file that was checked. Messages name the file and say why.
"""

from __future__ import annotations

import os
import stat
from typing import BinaryIO

__all__ = ["FileRefused", "describe_size", "open_regular", "read_regular"]

_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
_KINDS = (
    (stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"),
)


class FileRefused(Exception):
    """The file is missing, unreadable, not a regular file or too large; the message names it."""


def describe_size(n: float) -> str:
    """``512 bytes``, ``3.2 MiB``, ``305 GiB``."""
    for unit, size in (("TiB", 1 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= size:
            return f"{n / size:.3g} {unit}"
    return f"{int(n)} bytes"


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def _refuse_irregular(label: str, mode: int) -> None:
    if not stat.S_ISREG(mode):
        raise FileRefused(f"{label}: is {_kind(mode)}, not a regular file; refused")


def open_regular(path: str | os.PathLike, max_bytes: int | None = None, what: str = "file") -> BinaryIO:
    """``path`` opened for reading in binary, after checking it is a regular file of at most ``max_bytes``.

    Raises ``FileRefused`` (never blocks: FIFOs and devices are refused before
    and after the open). ``what`` names the kind of file in messages ("config file").
    """
    label = os.fspath(path)
    try:
        _refuse_irregular(label, os.stat(path).st_mode)
        fd = os.open(path, _OPEN_FLAGS)
    except FileNotFoundError:
        raise FileRefused(f"{label}: no such {what}") from None
    except OSError as e:
        raise FileRefused(f"{label}: cannot read the {what} ({e.strerror or type(e).__name__})") from None
    try:
        st = os.fstat(fd)
        _refuse_irregular(label, st.st_mode)  # replaced between the stat and the open
        if max_bytes is not None and st.st_size > max_bytes:
            raise FileRefused(f"{label}: {describe_size(st.st_size)}, more than the {describe_size(max_bytes)} a {what} may have")
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_regular(path: str | os.PathLike, max_bytes: int, what: str = "file") -> bytes:
    """The whole of a regular file of at most ``max_bytes`` (one that grows past it while read is refused).

    Reads what ``fstat`` reports plus one byte, so no buffer of ``max_bytes`` is
    set aside for a small file.
    """
    label = os.fspath(path)
    with open_regular(path, max_bytes, what) as f:
        try:
            want = min(max_bytes, os.fstat(f.fileno()).st_size) + 1
            data = f.read(want)
            if len(data) == want and want <= max_bytes:  # it grew since the fstat
                data += f.read(max_bytes + 1 - want)
        except OSError as e:
            raise FileRefused(f"{label}: cannot read the {what} ({e.strerror or type(e).__name__})") from None
    if len(data) > max_bytes:
        raise FileRefused(f"{label}: more than the {describe_size(max_bytes)} a {what} may have")
    return data
