"""A sweep's progress on stderr: trials done / running / failed, the best so far and an ETA.

On a terminal, one line redrawn in place with a line per finished trial above it;
otherwise one plain line per finished trial. Output errors (a hung-up terminal) silence it.
"""

from __future__ import annotations

import time
from typing import Any, Callable, TextIO

from tui_nn.runs.progress import Progress, format_duration
from tui_nn.runs.sweep_results import TrialResult, rank
from tui_nn.runs.sweep_runner import SweepFinished, TrialFinished, TrialProgress, TrialStarted

__all__ = ["SweepProgress"]

BAD = ("failed", "diverged", "crashed")


class SweepProgress:
    """Call with each runner event (``on_event``); ``total`` is the number of trials this run will train."""

    def __init__(self, stream: TextIO, total: int, describe: Callable[[int], str], tty: bool | None = None,
                 quiet: bool = False, clean: Callable[[str], str] = str) -> None:
        self.out = Progress(stream, total, 1, tty=tty, quiet=quiet)
        """The stream, its terminal check and the live line, shared with ``tui-nn train``'s progress."""
        self.total = total
        self.describe = describe
        """Trial index -> its varied values as text."""
        self.clean = clean
        self.t0 = time.monotonic()
        self.running: dict[int, float] = {}
        """Running trial -> the fraction of its iterations done."""
        self.results: list[TrialResult] = []

    @property
    def tty(self) -> bool:
        return self.out.tty

    def status(self) -> str:
        """``3/7 done  2 running  0 failed  best dev 93.0% trial-004 (hidden=5)  ETA 12 s``; the ETA
        counts the running trials' iterations too."""
        done = len(self.results)
        failed = sum(r.status in BAD for r in self.results)
        text = f"{done}/{self.total} done  {len(self.running)} running  {failed} failed"
        best = next((r for r in rank(self.results) if r.dev_accuracy is not None and r.status not in BAD), None)
        if best is not None:
            text += f"  best dev {100 * best.dev_accuracy:.1f}% {best.name} ({self.clean(self.describe(best.trial))})"
        progress = done + sum(self.running.values())
        if progress > 0 and done < self.total:
            elapsed = time.monotonic() - self.t0
            text += f"  ETA {format_duration(elapsed / progress * (self.total - progress))}"
        return text

    def _redraw(self) -> None:
        if self.tty:
            self.out.draw("sweep " + self.status())

    def note(self, text: str) -> None:
        """A line of its own above the live line."""
        self.out.note(text)

    def __call__(self, event: Any) -> None:
        if isinstance(event, TrialStarted):
            self.running[event.trial.index] = 0.0
            if not self.tty:
                self.note(f"{event.trial.name} ({self.clean(event.trial.describe())}) started")
        elif isinstance(event, TrialFinished):
            r = event.result
            self.running.pop(r.trial, None)
            self.results.append(r)
            dev = "" if r.dev_accuracy is None else f"  dev {100 * r.dev_accuracy:.1f}%"
            cost = "" if r.final_cost is None else f"  cost {r.final_cost:.6g}"
            why = f"  ({self.clean(r.reason)})" if r.status in BAD + ("terminated",) and r.reason else ""
            line = f"{r.name} ({self.clean(self.describe(r.trial))}) {r.status}{dev}{cost}  {format_duration(r.seconds)}{why}"
            self.note(line if self.tty else f"{line}  |  {self.status()}")
        elif isinstance(event, TrialProgress):
            if event.trial.index in self.running and event.target:
                self.running[event.trial.index] = min(1.0, event.iteration / event.target)
        elif isinstance(event, SweepFinished):
            if self.tty:
                self.note("sweep " + self.status())
            return
        self._redraw()
