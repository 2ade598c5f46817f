"""Atomic text files (configs, control files): the core's temp-file, fsync and ``os.replace``."""

from __future__ import annotations

import os
from pathlib import Path

from tui_nn.core.atomicfile import write_atomically


def write_text_atomic(path: str | os.PathLike, text: str) -> Path:
    """Replace ``path`` with ``text`` (UTF-8) so a reader sees the old or the new file, never half."""
    data = text.encode("utf-8")
    return write_atomically(path, lambda f: f.write(data))
