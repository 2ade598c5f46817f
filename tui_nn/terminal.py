"""Leaving cleanly: SIGTERM and SIGHUP end an app like a quit, and quitting never waits for a worker."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import threading
from typing import Callable

from textual.app import App


def exit_on_signals(app: App, before_exit: Callable[[], None] | None = None) -> None:
    """Make SIGTERM and SIGHUP exit ``app`` with status 128 + signal, restoring the terminal.

    Call from ``on_mount`` (it needs the running loop); ``before_exit`` runs first
    (e.g. to stop a training worker).
    """

    def handle(sig: int) -> None:
        if before_exit is not None:
            before_exit()
        app.exit(return_code=128 + sig)

    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGHUP):
        try:
            loop.add_signal_handler(sig, handle, sig)
        except (NotImplementedError, RuntimeError, ValueError):
            pass  # not the main thread (tests) or no signals on this platform


def leave_without_waiting_for_workers(code: int) -> None:
    """Exit at once if a worker thread is still busy (the terminal is already restored).

    A training step of a large net can take seconds and cannot be interrupted;
    Python would wait for it at exit. The worker holds nothing that needs saving,
    so quitting (``q``, SIGTERM, SIGHUP) does not wait.
    """
    busy = [t for t in threading.enumerate() if t is not threading.main_thread() and not t.daemon and t.is_alive()]
    if busy:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
