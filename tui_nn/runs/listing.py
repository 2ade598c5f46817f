"""``tui-nn runs`` and ``tui-nn datasets``: plain tables on stdout."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Callable

from tui_nn.runs.reader import RunSummary, list_runs

__all__ = ["clean", "format_age", "runs_table", "datasets_table"]


def clean(text: str, limit: int = 60) -> str:
    """Text from a file made safe for a terminal: control characters removed, length capped."""
    out = "".join(c for c in text if c.isprintable())
    return out if len(out) <= limit else out[: limit - 1] + "…"


def format_age(seconds: float) -> str:
    """``12s``, ``5m``, ``3h``, ``2d`` ago."""
    seconds = max(0.0, seconds)
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{int(seconds // size)}{unit}"
    return f"{int(seconds)}s"


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.1f}%"


def runs_table(runs: list[RunSummary], now: float | None = None) -> str:
    """Name, state, iterations, best dev accuracy, last cost and age of each run."""
    now = time.time() if now is None else now
    rows = [("RUN", "STATE", "ITERATIONS", "BEST DEV", "COST", "AGE")]
    for r in runs:
        iters = f"{r.iterations}/{r.target_iterations}" if r.target_iterations else str(r.iterations)
        cost = "-" if r.last_cost is None else f"{r.last_cost:.4g}"
        rows.append((clean(r.path.name), r.state, iters, _pct(r.best_dev_accuracy), cost, format_age(now - r.updated)))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) if i < 2 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths))).rstrip() for row in rows]
    notes = [f"  {clean(r.path.name)}: {clean(r.detail, 120)}" for r in runs if r.malformed]
    return "\n".join(lines + notes)


def runs_command(folder: str, echo: Callable[[str], None] = print) -> int:
    """Print the runs in ``folder``; 1 when it is not a folder."""
    path = Path(folder)
    if not path.is_dir():
        echo(f"tui-nn runs: {clean(str(path), 200)}: no such folder")
        return 1
    try:
        runs = list_runs(path)
    except OSError as e:
        echo(f"tui-nn runs: {clean(str(path), 200)}: {e.strerror or e}")
        return 1
    if not runs:
        echo(f"no runs in {clean(str(path), 200)}")
        return 0
    echo(runs_table(runs))
    return 0


def datasets_table() -> str:
    """The built-in datasets: name, task, default size and description."""
    from tui_nn.datasets import BUILTINS

    rows = [(info.name, info.task, "file" if info.default_m is None else f"m={info.default_m}", info.description)
            for info in BUILTINS.values()]
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    return "\n".join(f"{r[0]:<{widths[0]}}  {r[1]:<{widths[1]}}  {r[2]:>{widths[2]}}  {r[3]}" for r in rows)
