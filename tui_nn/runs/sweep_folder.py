"""The sweep folder on disk, and a reader of its state for ``tui-nn runs`` and a UI.

A sweep folder holds::

    plan.json       the plan: base config, axes, every trial's resolved config
    results.csv     one row per trial (trial, varied values, status, costs, accuracies, time)
    results.json    the same rows as strict JSON
    trial-000/ ...  one ordinary run folder per trial (config.toml, metrics.jsonl, last.npz, ...)

Only the driver writes plan.json and the results (atomically); a trial's run folder is
written by the process training it (locally) or by the driver from the metrics a
Ray trial reports (on a cluster).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from tui_nn.atomic import write_text_atomic
from tui_nn.core.safefile import FileRefused, read_regular
from tui_nn.runs.files import strict_loads, StrictJSONError
from tui_nn.runs.log import make_run_dir
from tui_nn.runs.sweep_axes import SweepError
from tui_nn.runs.sweep_plan import Plan, place, plan_from_json
from tui_nn.runs.sweep_results import TrialResult, failed_result, result_from_log, results_csv, results_json

__all__ = ["PLAN_NAME", "RESULTS_CSV", "RESULTS_JSON", "SweepState", "create_sweep_folder", "is_sweep_dir",
           "read_plan", "read_sweep", "recorded_statuses", "write_results"]

PLAN_NAME = "plan.json"
RESULTS_CSV = "results.csv"
RESULTS_JSON = "results.json"
MAX_PLAN_BYTES = 64 << 20


def is_sweep_dir(path: str | Path) -> bool:
    """True when ``path`` is a folder with a plan.json."""
    return (Path(path) / PLAN_NAME).is_file()


def create_sweep_folder(plan: Plan, out: str | Path) -> tuple[Path, Plan]:
    """A new folder ``out/<date>-<time>-<name>-<hex>`` with plan.json; returns it and the placed plan
    (every trial's ``out`` is the sweep folder)."""
    folder = make_run_dir(out, plan.name)
    placed = place(plan, folder)
    write_text_atomic(folder / PLAN_NAME, json.dumps(placed.to_json(), indent=1) + "\n")
    return folder, placed


def read_plan(folder: str | Path) -> Plan:
    """The plan in ``folder``/plan.json; raises ``SweepError`` naming the file."""
    path = Path(folder) / PLAN_NAME
    if not os.path.lexists(path):
        raise SweepError(f"{folder}: not a sweep folder (no {PLAN_NAME})")
    try:
        doc = strict_loads(read_regular(path, MAX_PLAN_BYTES, "sweep plan"))  # never a FIFO or a device
    except FileRefused as e:
        raise SweepError(str(e)) from None
    except StrictJSONError as e:
        raise SweepError(f"{path}: {e}") from None
    if doc.get("type") != "sweep_plan":
        raise SweepError(f"{path}: not a sweep plan")
    return plan_from_json(doc, str(path))


def write_results(folder: Path, plan: Plan, results: list[TrialResult]) -> None:
    """Replace results.csv and results.json (atomically; readers see the old or the new table)."""
    write_text_atomic(folder / RESULTS_JSON, results_json(plan, results))
    write_text_atomic(folder / RESULTS_CSV, results_csv(plan, results))


@dataclass(frozen=True)
class SweepState:
    """What a sweep folder says right now: the plan and every trial's row, read from its log."""

    folder: Path
    plan: Plan
    results: tuple[TrialResult, ...]

    def count(self, *statuses: str) -> int:
        return sum(r.status in statuses for r in self.results)

    @property
    def unfinished(self) -> tuple[int, ...]:
        """Trials ``--resume`` would run: pending, terminated, crashed or running with nobody training."""
        return tuple(r.trial for r in self.results if not r.done)


def read_sweep(folder: str | Path) -> SweepState:
    """Read a sweep folder (a finished one, or one a driver is writing): plan.json plus each trial's log.

    Safe to call from a UI thread while the sweep runs (reads only); a trial whose
    folder does not exist yet is ``pending``.
    """
    folder = Path(folder)
    plan = read_plan(folder)
    recorded = recorded_statuses(folder)
    results = []
    for t in plan.trials:
        r = result_from_log(t, folder / t.name)
        if r.status == "pending" and t.index in recorded and recorded[t.index][0] == "failed":
            r = failed_result(t, recorded[t.index][1])  # it never got a log: the driver recorded why
        results.append(r)
    return SweepState(folder, plan, tuple(results))


def recorded_statuses(folder: Path) -> dict[int, tuple[str, str]]:
    """Trial -> (status, reason) from results.json; empty when it is missing or unreadable."""
    try:
        doc = strict_loads(read_regular(folder / RESULTS_JSON, MAX_PLAN_BYTES, "results file"))
        rows = doc.get("trials", [])
        return {r["trial"]: (str(r.get("status")), str(r.get("reason", ""))) for r in rows
                if isinstance(r, dict) and isinstance(r.get("trial"), int)}
    except (FileRefused, StrictJSONError, AttributeError):
        return {}
