"""Noticing that the terminal went away: a hung-up tty, whatever the UI thread is doing.

When tmux kills a session or an SSH link drops, the pty's master side closes and
the kernel hangs up the app's tty: reads return EOF, writes and ``tcgetattr``
fail with EIO, and ``poll`` reports POLLHUP. Signals are not enough to notice
it: SIGHUP goes only to the session leader (and, from a shell, to its jobs), and
an app whose UI thread is blocked never runs its asyncio signal callbacks.
``TerminalWatch`` is a small daemon thread that waits for POLLHUP on the tty.
"""

from __future__ import annotations

import errno
import select
import sys
import termios
import threading
from typing import Callable

POLL_MS = 250
"""How often the watch also checks ``tcgetattr`` and whether it should stop (ms)."""
HANGUP_EVENTS = select.POLLHUP | select.POLLERR | select.POLLNVAL


def terminal_fd() -> int | None:
    """The file descriptor of the app's terminal (stdin, else stderr), or None without one."""
    for stream in (sys.__stdin__, sys.__stderr__):
        try:
            if stream is not None and stream.isatty():
                return stream.fileno()
        except (OSError, ValueError):
            continue
    return None


def hung_up(fd: int) -> bool:
    """True when the terminal on ``fd`` is gone (hung up, closed, or failing with EIO)."""
    poller = select.poll()
    poller.register(fd, 0)  # no events asked: only POLLHUP, POLLERR and POLLNVAL are reported
    try:
        if any(mask & HANGUP_EVENTS for _, mask in poller.poll(0)):
            return True
        termios.tcgetattr(fd)
    except termios.error as e:
        return e.args[0] in (errno.EIO, errno.EBADF)
    except OSError as e:
        return e.errno in (errno.EIO, errno.EBADF)
    return False


class TerminalWatch:
    """Calls ``on_hangup`` once, from its own thread, when the terminal on ``fd`` goes away.

    ``keep_watching`` is asked every ``POLL_MS``; the thread ends when it returns False.
    """

    def __init__(self, fd: int, on_hangup: Callable[[], None], keep_watching: Callable[[], bool]) -> None:
        self.fd = fd
        self.on_hangup = on_hangup
        self.keep_watching = keep_watching
        self._thread = threading.Thread(target=self._watch, name="tui-nn-terminal-watch", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _watch(self) -> None:
        poller = select.poll()
        poller.register(self.fd, 0)
        while self.keep_watching():
            try:
                events = poller.poll(POLL_MS)
            except InterruptedError:
                continue
            if events or hung_up(self.fd):
                self.on_hangup()
                return
