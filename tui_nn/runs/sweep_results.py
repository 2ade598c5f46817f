"""A sweep's results: one row per trial, read from the trial's own log; CSV, JSON and the ranked table.

Rows come from the trial's ``metrics.jsonl`` (never from what a worker says about
it), so ``results.csv`` and ``results.json`` always match the trials' logs. Stdlib only.
"""

from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, Iterable

from tui_nn.runs.files import to_plain_json
from tui_nn.runs.progress import format_duration
from tui_nn.runs.reader import RunTail, is_training
from tui_nn.runs.sweep_plan import Plan, Trial, format_value

__all__ = ["DONE_STATES", "SORT_KEYS", "TrialResult", "rank", "rank_key", "result_from_log", "results_csv", "results_json", "results_table"]

DONE_STATES = ("finished", "converged", "diverged", "stopped", "early-stopped", "failed")
"""States a trial does not leave: ``--resume`` runs every trial in another state again
(pending, running, terminated, crashed)."""
SORT_KEYS = ("dev", "cost", "time")
METRICS = ("final_cost", "best_cost", "train_accuracy", "dev_accuracy", "best_dev_accuracy", "iterations", "seconds")


@dataclass(frozen=True)
class TrialResult:
    """One row of results.csv / results.json."""

    trial: int
    name: str
    values: dict[str, Any]
    status: str
    """pending | running | finished | converged | diverged | stopped | early-stopped | terminated | crashed | failed."""
    final_cost: float | None = None
    best_cost: float | None = None
    train_accuracy: float | None = None
    """Of the final weights, as in ``tui-nn train``'s summary."""
    dev_accuracy: float | None = None
    best_dev_accuracy: float | None = None
    iterations: int = 0
    seconds: float = 0.0
    """Training time, summed over the trial's sessions (a resumed trial has several)."""
    reason: str = ""

    @property
    def done(self) -> bool:
        return self.status in DONE_STATES

    def to_json(self) -> dict[str, Any]:
        row = asdict(self)
        row["values"] = {k: list(v) if isinstance(v, tuple) else v for k, v in self.values.items()}
        return to_plain_json(row)


def number_or_none(value: Any) -> float | None:
    """A log record's number as a float, or None for anything else (booleans included)."""
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def result_from_records(trial: Trial, records: Iterable[dict[str, Any]], live: bool = False) -> TrialResult:
    """Fold a trial's log records into its row; ``live`` says a process is still training it."""
    best_cost: float | None = None
    final_cost = train = dev = best_dev = None
    iterations, seconds, status, reason = 0, 0.0, "pending", ""
    ended = False
    for r in records:
        kind = r.get("type")
        cost = number_or_none(r.get("cost"))
        if kind == "header" or kind == "resume":
            status, ended = "running", False
            if isinstance(r.get("iteration"), int):
                iterations = r["iteration"]
        elif kind == "eval":
            if isinstance(r.get("iteration"), int):
                iterations = r["iteration"] + 1
            final_cost = cost
            if cost is not None and math.isfinite(cost) and (best_cost is None or cost < best_cost):
                best_cost = cost
            dev = number_or_none(r.get("dev_accuracy"))
            train = number_or_none(r.get("train_accuracy"))
            if dev is not None and math.isfinite(dev):
                best_dev = dev if best_dev is None else max(best_dev, dev)
        elif kind == "end":
            ended = True
            status = str(r.get("state", "finished"))
            reason = str(r.get("reason", ""))
            if isinstance(r.get("iterations"), int):
                iterations = r["iterations"]
            final_cost = cost
            train, dev = number_or_none(r.get("train_accuracy")), number_or_none(r.get("dev_accuracy"))
            if r.get("best_dev_accuracy") is not None:
                best_dev = number_or_none(r.get("best_dev_accuracy"))
            seconds += number_or_none(r.get("elapsed")) or 0.0
    if status == "running" and not ended and not live:
        status, reason = "crashed", "no end record and no process training it"
    return TrialResult(trial.index, trial.name, dict(trial.values), status, final_cost, best_cost, train, dev,
                       best_dev, iterations, round(seconds, 4), reason)


def result_from_log(trial: Trial, run_dir: Path) -> TrialResult:
    """The row of ``trial`` from its run folder's log (``pending`` when there is no log yet)."""
    if not (run_dir / "metrics.jsonl").is_file():
        return TrialResult(trial.index, trial.name, dict(trial.values), "pending")
    with RunTail(run_dir) as tail:
        update = tail.poll_all()
    return result_from_records(trial, update.records, live=is_training(run_dir))


def failed_result(trial: Trial, reason: str) -> TrialResult:
    """A trial that could not train at all (its dataset vanished, its worker died, ...)."""
    return TrialResult(trial.index, trial.name, dict(trial.values), "failed", reason=reason)


def with_status(result: TrialResult, status: str, reason: str = "") -> TrialResult:
    return replace(result, status=status, reason=reason or result.reason)


def rank_key(sort: str):
    """The sort key ``rank`` uses, for anything with a row's ``status``, ``final_cost``,
    ``dev_accuracy``, ``seconds`` and ``trial`` (the app's runs history sorts its rows with it)."""

    def key(r: TrialResult) -> tuple:
        usable = r.status not in ("failed", "pending", "running", "crashed") and r.final_cost is not None
        cost = r.final_cost if r.final_cost is not None and math.isfinite(r.final_cost) else math.inf
        if sort == "cost":
            return (not usable, cost, r.trial)
        if sort == "time":
            return (not usable, r.seconds, r.trial)
        dev = r.dev_accuracy if r.dev_accuracy is not None else -1.0
        return (not usable, -dev, cost, r.trial)

    return key


def rank(results: Iterable[TrialResult], sort: str = "dev") -> list[TrialResult]:
    """Best first: dev accuracy (ties: lower cost), ``cost`` (lowest final cost) or ``time`` (fastest).
    Failed, pending and crashed trials come last."""
    if sort not in SORT_KEYS:
        raise ValueError(f"sort must be one of {', '.join(SORT_KEYS)}, got {sort!r}")
    return sorted(results, key=rank_key(sort))


def results_json(plan: Plan, results: Iterable[TrialResult]) -> str:
    """results.json: the sweep's name, its axes and one row per trial, strict JSON."""
    doc = {"type": "sweep_results", "name": plan.name, "varied": list(plan.varied), "trials": [r.to_json() for r in results]}
    return json.dumps(doc, indent=1, allow_nan=False) + "\n"


def _cell(value: Any, key: str = "") -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else str(value)
    return format_value(value, key)


def _varied_cell(values: dict[str, Any], key: str) -> str:
    """A varied value exactly (floats in full), ``none`` for a None value."""
    if key not in values:
        return ""
    return "none" if values[key] is None else _cell(values[key], key)


def results_csv(plan: Plan, results: Iterable[TrialResult]) -> str:
    """results.csv: trial, the varied values, status, metrics, reason, run folder."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["trial", *plan.varied, "status", *METRICS, "reason", "run"])
    for r in results:
        writer.writerow([r.trial, *(_varied_cell(r.values, k) for k in plan.varied), r.status,
                         *(_cell(getattr(r, m)) for m in METRICS), r.reason, r.name])
    return out.getvalue()


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.1f}%"


def _cost(x: float | None) -> str:
    return "-" if x is None else f"{x:.6g}"


def results_table(plan: Plan, results: Iterable[TrialResult], sort: str = "dev", clean=str) -> str:
    """The ranked summary: rank, trial, varied values, status, dev and train accuracy, costs, time.

    ``clean`` makes text from files safe for a terminal (``tui_nn.safe_text.printable``).
    """
    head = ("#", "TRIAL", *(k.upper() for k in plan.varied), "STATUS", "DEV", "TRAIN", "COST", "BEST COST", "ITERS", "TIME")
    rows = [head]
    for i, r in enumerate(rank(results, sort), 1):
        rows.append((str(i), r.name, *(clean(format_value(r.values.get(k, "-"), k)) for k in plan.varied), r.status,
                     _pct(r.dev_accuracy), _pct(r.train_accuracy), _cost(r.final_cost), _cost(r.best_cost),
                     str(r.iterations), format_duration(r.seconds) if r.seconds else "-"))
    widths = [max(len(row[c]) for row in rows) for c in range(len(head))]
    left = 2 + len(plan.varied) + 1
    lines = ["  ".join(cell.ljust(w) if c < left else cell.rjust(w) for c, (cell, w) in enumerate(zip(row, widths))).rstrip()
             for row in rows]
    notes = [f"  {r.name}: {clean(r.reason)}" for r in results if r.status in ("diverged", "failed", "crashed") and r.reason]
    return "\n".join(lines + notes)
