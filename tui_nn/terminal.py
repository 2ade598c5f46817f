"""Leaving cleanly: signals and a lost terminal end an app, and quitting never waits for a worker.

- SIGTERM, SIGHUP and SIGINT end an app like a quit, with status 128 + signal
  (143, 129, 130), the terminal restored.
- A terminal that goes away (a hung-up tty: tmux kill-session, a dropped SSH
  link) ends it with 129, noticed by ``hangup.TerminalWatch`` even while the UI
  thread is stuck. The kernel sends the session leader SIGCONT with SIGHUP, and
  Textual's driver answers SIGCONT by restarting its output on the dead tty: a
  new writer thread that dies on EIO, whose queue then fills and blocks the
  app's shutdown for good (the app lived on, orphaned). SIGCONT on a hung-up
  terminal is therefore treated as the hang-up it is.
- Whatever ends the app, work stops first (training pauses after its step) and
  the process ends ``GRACE`` seconds later if the app has not left by then.
- ``run_to_exit`` runs an app without joining its worker threads at the end:
  Textual's ``App.run()`` ends with ``asyncio.run``, which waits for every
  thread of the default executor, i.e. for a training step that may take
  seconds on a large net.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import threading
from typing import Callable

from textual.app import App

from tui_nn.hangup import TerminalWatch, hung_up, terminal_fd

GRACE = 1.0
"""Seconds an app has to leave after a signal or a hang-up before the process ends regardless."""
EXIT_SIGNALS = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)
HANGUP_STATUS = 128 + signal.SIGHUP


def _hard_exit(code: int) -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass  # the terminal is gone
    os._exit(code)


class ExitGuard:
    """Ends ``app`` for a signal or a lost terminal, and makes sure the process ends.

    ``pause_work`` must be safe from any thread (it may run on the watch
    thread); ``before_exit`` runs on the app's loop just before ``app.exit``.
    """

    def __init__(self, app: App, before_exit: Callable[[], None] | None = None,
                 pause_work: Callable[[], None] | None = None, grace: float = GRACE) -> None:
        self.app = app
        self.before_exit = before_exit
        self.pause_work = pause_work
        self.grace = grace
        self.ending: int | None = None
        """The exit status once an end has begun."""
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None

    def install(self) -> None:
        """Hook the signals and watch the terminal; call from ``on_mount`` (it needs the running loop)."""
        self._loop = asyncio.get_running_loop()
        for sig in EXIT_SIGNALS:
            try:
                self._loop.add_signal_handler(sig, self.end, 128 + sig)
            except (NotImplementedError, RuntimeError, ValueError):
                pass  # not the main thread (tests) or no signals on this platform
        fd = None if self.app.is_headless else terminal_fd()
        if fd is None:
            return
        self._guard_sigcont(fd)
        TerminalWatch(fd, lambda: self.end(HANGUP_STATUS), lambda: self.app.is_running and self.ending is None).start()

    def _guard_sigcont(self, fd: int) -> None:
        """Let the driver resume after ctrl+z only on a terminal that is still there."""
        resume = signal.getsignal(signal.SIGCONT)
        if not callable(resume):
            return

        def on_sigcont(signum: int, frame: object) -> None:
            if hung_up(fd):
                self.end(HANGUP_STATUS)
            else:
                resume(signum, frame)

        try:
            signal.signal(signal.SIGCONT, on_sigcont)
        except ValueError:
            pass  # not the main thread

    def end(self, code: int) -> None:
        """Stop the work, ask the app to exit with ``code``, and end the process after ``grace`` seconds.

        Safe from any thread and idempotent (the first status wins).
        """
        with self._lock:
            if self.ending is not None:
                return
            self.ending = code
        if self.pause_work is not None:
            self.pause_work()
        deadline = threading.Timer(self.grace, _hard_exit, (code,))
        deadline.daemon = True
        deadline.start()
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._exit_app, code)

    def _exit_app(self, code: int) -> None:
        if self.before_exit is not None:
            self.before_exit()
        self.app.exit(return_code=code)


def run_to_exit(app: App[int]) -> int:
    """Run ``app`` until it exits and return its status, without waiting for busy worker threads."""
    loop = asyncio.new_event_loop()
    app.run(loop=loop)
    code = app.return_code or 0
    leave_without_waiting_for_workers(code)
    loop.run_until_complete(loop.shutdown_default_executor())
    loop.close()
    return code


def leave_without_waiting_for_workers(code: int) -> None:
    """Exit at once if a worker thread is still alive (the terminal is already restored).

    A training step of a large net can take seconds and cannot be interrupted;
    Python would wait for it at exit. The worker holds nothing that needs saving,
    so quitting (``q``, a signal, a hang-up) does not wait.
    """
    busy = [t for t in threading.enumerate() if t is not threading.main_thread() and not t.daemon and t.is_alive()]
    if busy:
        _hard_exit(code)
