"""Leaving the terminal clean: SIGTERM and SIGHUP end an app like a quit."""

from __future__ import annotations

import asyncio
import signal
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
