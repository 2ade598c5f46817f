"""Helpers for the untrusted-input tests: crafted files (FIFOs, links to devices) and a hang guard."""

from __future__ import annotations

import os
import signal
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest


@contextmanager
def no_hang(seconds: int = 5) -> Iterator[None]:
    """Fail (instead of blocking the test run) when the body takes longer than ``seconds``."""

    def expired(signum, frame):
        raise TimeoutError(f"blocked for more than {seconds} s")

    old = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def fifo(path: Path) -> Path:
    """A named pipe at ``path`` (opening it for reading blocks until a writer comes)."""
    os.mkfifo(path)
    return path


def link_to(path: Path, target: str) -> Path:
    """A symlink at ``path`` to ``target`` (e.g. ``/dev/zero``)."""
    os.symlink(target, path)
    return path


@pytest.fixture
def small_memory(monkeypatch) -> int:
    """A 64 MiB memory budget for this test (``TUI_NN_MEMORY_LIMIT``)."""
    monkeypatch.setenv("TUI_NN_MEMORY_LIMIT", "64M")
    return 64 << 20
