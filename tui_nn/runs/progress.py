"""Training progress on stderr: a live one-line bar on a terminal, plain lines otherwise."""

from __future__ import annotations

import math
import shutil
import time
from typing import TextIO

from tui_nn.safe_text import printable_lines

__all__ = ["Progress", "default_every", "format_duration"]

REDRAW_SECONDS = 0.1


def default_every(iterations: int) -> int:
    """Plain-line interval: a power of ten giving about ten lines per run (at least 1)."""
    return 10 ** int(math.log10(max(1, iterations // 10)))


def format_duration(seconds: float) -> str:
    """``0.84 s``, ``12.3 s``, ``4 min 05 s``, ``2 h 03 min``."""
    if seconds < 10:
        return f"{seconds:.2f} s"
    if seconds < 60:
        return f"{seconds:.1f} s"
    if seconds < 3600:
        return f"{int(seconds // 60)} min {int(seconds % 60):02d} s"
    return f"{int(seconds // 3600)} h {int(seconds % 3600 // 60):02d} min"


def _pct(x: float | None) -> str:
    return "  -  " if x is None else f"{100 * x:5.1f}%"


class Progress:
    """Shows iterations, cost, accuracies and rate. Output errors (a hung-up terminal) silence it."""

    def __init__(self, stream: TextIO, total: int, every: int, start: int = 0, tty: bool | None = None, quiet: bool = False) -> None:
        self.stream = stream
        self.total = total
        self.every = max(1, every)
        self.start = start
        self.quiet = quiet
        try:
            self.tty = stream.isatty() if tty is None else tty
        except (OSError, ValueError):
            self.tty = False
        self.t0 = time.monotonic()
        self._next_draw = 0.0
        self._width = 0
        self._last_line_at: int | None = None
        self.train_accuracy: float | None = None
        self.dev_accuracy: float | None = None

    def _emit(self, text: str) -> None:
        if self.quiet:
            return
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):
            self.quiet = True

    def rate(self, done: int) -> float:
        """Iterations per second in this process."""
        elapsed = time.monotonic() - self.t0
        return (done - self.start) / elapsed if elapsed > 0 else 0.0

    def line(self, done: int, cost: float, learning_rate: float, paused: bool = False) -> str:
        """One status line (no newline)."""
        rate = "paused" if paused else f"{self.rate(done):,.0f} it/s"
        return (
            f"{done}/{self.total}  cost {cost:.6g}  train {_pct(self.train_accuracy)}  "
            f"dev {_pct(self.dev_accuracy)}  lr {learning_rate:g}  {rate}"
        )

    def update(self, done: int, cost: float, learning_rate: float, paused: bool = False, force: bool = False) -> None:
        """Record ``done`` iterations; draws when due (time-based on a terminal, every N otherwise)."""
        if self.quiet:
            return
        if self.tty:
            now = time.monotonic()
            if not force and now < self._next_draw:
                return
            self._next_draw = now + REDRAW_SECONDS
            frac = done / self.total if self.total else 1.0
            bar_w = 20
            filled = min(bar_w, int(frac * bar_w))
            self.draw(f"[{'#' * filled}{'.' * (bar_w - filled)}] " + self.line(done, cost, learning_rate, paused))
        elif (force or done % self.every == 0) and done != self._last_line_at:
            self._last_line_at = done
            self._emit(("paused at " if paused else "iteration ") + self.line(done, cost, learning_rate, paused) + "\n")

    def draw(self, text: str) -> None:
        """Redraw the live line (a terminal only), cut to the terminal's width."""
        width = max(20, shutil.get_terminal_size((100, 24)).columns - 1)
        text = text[:width]
        pad = max(0, self._width - len(text))
        self._width = len(text)
        self._emit("\r" + text + " " * pad)

    def note(self, text: str) -> None:
        """A message on a line of its own (the bar is redrawn after it); it may name files, so it is
        made printable (``tui_nn.safe_text``)."""
        if self.tty and self._width:
            self._emit("\r" + " " * self._width + "\r")
            self._width = 0
            self._next_draw = 0.0
        self._emit(printable_lines(text) + "\n")

    def close(self) -> None:
        """End the bar's line."""
        if self.tty and self._width:
            self._emit("\n")
            self._width = 0
