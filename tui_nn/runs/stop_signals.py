"""Signals that ask a headless run to stop between steps (SIGTERM, SIGHUP, SIGINT)."""

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import Any


_pending: int | None = None
"""A stop signal that came before a run installed its handlers (see ``stop_pending``)."""


def stop_pending(signum: int) -> None:
    """Record a stop signal caught by an earlier handler (a sweep worker's, while it sets a trial
    up): the next ``StopSignals.install`` starts with it, so the run stops before its first step."""
    global _pending
    _pending = signum


class StopSignals:
    """SIGTERM, SIGHUP and SIGINT set a flag instead of killing the process mid-step.

    A SIGHUP that is already ignored (``nohup``) stays ignored.
    """

    def __init__(self) -> None:
        self.signum: int | None = None
        self._old: dict[int, Any] = {}

    def _handler(self, signum: int, frame: FrameType | None) -> None:
        if self.signum is None:
            self.signum = signum

    def install(self) -> "StopSignals":
        if threading.current_thread() is not threading.main_thread():
            return self  # a trial in a Ray worker's thread: the worker process owns the signals
        for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
            old = signal.getsignal(sig)
            if sig == signal.SIGHUP and old is signal.SIG_IGN:
                continue
            self._old[sig] = old
            signal.signal(sig, self._handler)
        global _pending
        if _pending is not None:  # read after the handlers are in: a signal now reaches one or the other
            self.signum = self.signum or _pending
            _pending = None
        return self

    def restore(self) -> None:
        for sig, old in self._old.items():
            signal.signal(sig, old)
        self._old.clear()
