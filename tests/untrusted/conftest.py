"""Helpers for the untrusted-input tests: crafted files (FIFOs, links to devices) and a hang guard."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

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


def one_error(error: type[Exception], call: Callable[[], object], path: object) -> str:
    """The message of the one ``error`` that ``call()`` raises: one line that starts with ``path``; never blocks."""
    with no_hang(), pytest.raises(error) as info:
        call()
    message = str(info.value)
    assert message.startswith(str(path)) and "\n" not in message, message
    return message


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


ESCAPES = ["\x1b]0;pwned\x07", "\x1b[2J", "\x9b31m", "\u202eevil", "a\x00b", "\r", "\x7f", "\u2028"]
"""Strings that would retitle, clear or confuse a terminal if printed raw."""

CONTROL_BYTES = set(range(0x00, 0x20)) - {0x0A} | {0x7F} | set(range(0x80, 0xA0))
"""Raw control characters that must never reach a terminal (newline separates lines)."""


def raw_controls(text: str) -> list[str]:
    """The control characters in ``text`` (C0 but newline, DEL, C1)."""
    return sorted({repr(c) for c in text if ord(c) in CONTROL_BYTES})


def run_cli(*args: str, cwd: Path, env: dict | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """``tui-nn ARGS`` in a subprocess; fails the test if it hangs or prints a traceback or a raw control character."""
    out = subprocess.run([sys.executable, "-m", "tui_nn.cli", *args], cwd=cwd, capture_output=True, text=True,
                         timeout=timeout, env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})})
    for stream in (out.stdout, out.stderr):
        assert "Traceback" not in stream, stream
        assert not raw_controls(stream), (raw_controls(stream), stream)
    return out
