"""What ``tui-nn watch`` follows: run folders, and sweep folders whose trials appear as they start (no UI),
and what its polling worker keeps about each run.

A sweep folder (``plan.json``, ``results.json``, ``trial-NNN/``) is followed whole: its
plan names every trial, and a trial's run folder is watched like any run once its log
exists (the driver's ``results.json`` says which trials failed before they had one).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tui_nn.runs.reader import RunTail, is_run_dir
from tui_nn.runs.sweep_folder import is_sweep_dir, read_plan
from tui_nn.runs.sweep_plan import Plan
from tui_nn.views import BoundaryProbe


@dataclass(frozen=True)
class WatchedSweep:
    """A sweep folder and its plan (read once: the driver never changes it)."""

    folder: Path
    plan: Plan

    def trial_dirs(self) -> list[Path]:
        return [self.folder / t.name for t in self.plan.trials]


@dataclass
class WatchTargets:
    """The runs being watched, in the order they were found, and the sweeps they belong to."""

    runs: list[Path] = field(default_factory=list)
    sweeps: list[WatchedSweep] = field(default_factory=list)

    @classmethod
    def from_paths(cls, paths: list[Path]) -> "WatchTargets":
        """Run folders as given; sweep folders with the trials that have a log so far.

        Raises ``SweepError`` (naming the file) for a sweep folder whose plan cannot be read.
        """
        targets = cls()
        for path in paths:
            if is_sweep_dir(path):
                targets.sweeps.append(WatchedSweep(Path(path), read_plan(path)))
            else:
                targets.runs.append(Path(path))
        targets.discover()
        return targets

    def discover(self) -> list[Path]:
        """Trial folders whose log appeared since the last call (appended to ``runs``), in trial order."""
        known = set(self.runs)
        new = [d for s in self.sweeps for d in s.trial_dirs() if d not in known and is_run_dir(d)]
        self.runs.extend(new)
        return new

    def sweep_of(self, run: Path) -> WatchedSweep | None:
        return next((s for s in self.sweeps if run.parent == s.folder), None)


@dataclass
class Follow:
    """What the polling worker keeps about one watched run."""

    path: Path
    tail: RunTail
    probe: BoundaryProbe | None = None
    model_stamp: tuple | None = None
    opened: bool = False
    error: str | None = None
    """The last error reported (reported again only when it changes)."""
