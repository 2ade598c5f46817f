"""``tui-nn runs`` and ``tui-nn datasets``: plain tables on stdout.

``tui-nn runs`` lists the runs in a folder with the config values that differ between
them (hidden sizes, learning rate, ...), then each sweep folder in it with its trials
grouped under it; given a sweep folder, it lists that sweep's trials.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from tui_nn.runs.reader import RunSummary, is_run_dir, list_runs, read_run_summary
from tui_nn.safe_text import printable, say

__all__ = ["differing_config_values", "differing_values", "format_age", "runs_table", "datasets_table"]

SHORT_KEYS = {"learning_rate": "lr", "activations": "act", "iterations": "iters", "init_scale": "scale", "optimizer": "opt"}
SAME_FOR_ALL = ("out",)


def format_age(seconds: float) -> str:
    """``12s``, ``5m``, ``3h``, ``2d`` ago."""
    seconds = max(0.0, seconds)
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{int(seconds // size)}{unit}"
    return f"{int(seconds)}s"


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.1f}%"


def _show(value: object) -> str:
    if isinstance(value, list):
        return "x".join(str(v) for v in value) if value else "-"
    if isinstance(value, float):
        return f"{value:g}"
    return "-" if value is None else str(value)


def differing_config_values(configs: Sequence[Mapping[str, Any]]) -> list[str]:
    """For each config (a ``RunConfig.to_dict()`` or a log header's config), ``hidden=4 lr=1.2``:
    the values that are not the same in every one (``out`` left aside); empty when none differ."""
    keys: list[str] = []
    for c in configs:
        keys += [k for k in c if k not in keys and k not in SAME_FOR_ALL]
    varied = [k for k in keys if len({repr(_plain(c.get(k))) for c in configs}) > 1]
    return [" ".join(f"{SHORT_KEYS.get(k, k)}={_show(_plain(c.get(k)))}" for k in varied) for c in configs]


def _plain(value: object) -> object:
    return list(value) if isinstance(value, tuple) else value


def differing_values(runs: list[RunSummary]) -> list[str]:
    """For each run, ``hidden=4 lr=1.2``: the config values that are not the same in every run."""
    return differing_config_values([r.config if isinstance(r.config, dict) else {} for r in runs])


def runs_table(runs: list[RunSummary], now: float | None = None, indent: str = "") -> str:
    """Name, state, iterations, best dev accuracy, last cost, age and the values that differ between runs."""
    now = time.time() if now is None else now
    rows = [("RUN", "STATE", "ITERATIONS", "BEST DEV", "COST", "AGE", "VALUES")]
    for r, values in zip(runs, differing_values(runs) if len(runs) > 1 else [""] * len(runs)):
        iters = f"{r.iterations}/{r.target_iterations}" if r.target_iterations else str(r.iterations)
        cost = "-" if r.last_cost is None else f"{r.last_cost:.4g}"
        rows.append((printable(r.path.name, 60), printable(r.state, 20), iters, _pct(r.best_dev_accuracy), cost, format_age(now - r.updated),
                     printable(values, 80)))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [indent + "  ".join(cell.ljust(w) if i < 2 or i == 6 else cell.rjust(w)
                                for i, (cell, w) in enumerate(zip(row, widths))).rstrip() for row in rows]
    notes = [f"{indent}  {printable(r.path.name, 60)}: {printable(r.detail, 120)}" for r in runs if r.malformed]
    return "\n".join(lines + notes)


def _sweep_section(folder: Path, now: float | None = None, indent: str = "") -> str:
    """A sweep's title line (name, trials done, what varies) and its trials' table."""
    from tui_nn.runs.sweep_folder import read_sweep
    from tui_nn.runs.sweep_axes import SweepError

    try:
        state = read_sweep(folder)
    except SweepError as e:
        return f"{indent}sweep {printable(folder.name, 60)}: {printable(str(e), 160)}"
    plan = state.plan
    done = sum(r.done for r in state.results)
    title = (f"{indent}sweep {printable(plan.name, 40)}  {printable(folder.name, 60)}: {done}/{len(plan.trials)} trials done, "
             f"varying {printable(', '.join(plan.varied), 80)}")
    trials = [p for p in sorted(folder.iterdir()) if p.is_dir() and is_run_dir(p)]
    if not trials:
        return title + "\n" + indent + "  (no trial has started)"
    return title + "\n" + runs_table([read_run_summary(p) for p in trials], now, indent + "  ")


def runs_command(folder: str, echo: Callable[[str], None] = say) -> int:
    """Print the runs in ``folder``; 1 when it is not a folder."""
    path = Path(folder)
    if not path.is_dir():
        echo(f"tui-nn runs: {printable(path)}: no such folder")
        return 1
    from tui_nn.runs.sweep_folder import is_sweep_dir

    try:
        if is_sweep_dir(path):
            echo(_sweep_section(path))
            return 0
        runs = list_runs(path)
        sweeps = [p for p in sorted(path.iterdir()) if p.is_dir() and is_sweep_dir(p)]
        sections = [runs_table(runs)] if runs else []
        sections += [_sweep_section(p) for p in sweeps]
    except OSError as e:
        echo(f"tui-nn runs: {printable(path)}: {e.strerror or e}")
        return 1
    if not sections:
        echo(f"no runs in {printable(path)}")
        return 0
    echo("\n\n".join(sections))
    return 0


def datasets_table() -> str:
    """The built-in datasets: name, task, default size and description; under a set that cannot
    open here, what it needs (the install command, or where its files go)."""
    from tui_nn.datasets import BUILTINS, unavailable_reason

    rows = [(info.name, info.task, "file" if info.default_m is None else f"m={info.default_m}", info.description)
            for info in BUILTINS.values()]
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    indent = " " * (sum(widths) + 6)
    lines = []
    for r in rows:
        lines.append(f"{r[0]:<{widths[0]}}  {r[1]:<{widths[1]}}  {r[2]:>{widths[2]}}  {r[3]}")
        reason = unavailable_reason(r[0])
        if reason:
            lines.append(f"{indent}unavailable here: {reason}")
    return "\n".join(lines)
