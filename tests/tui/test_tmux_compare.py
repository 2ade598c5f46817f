"""The quick sweep and the Compare view in the real ``tui-nn`` under tmux, with keys only."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest

UNITS = (1, 2, 3, 4, 5, 20, 50)
TITLE = re.compile(r"hidden=(\d+)\s+(?:dev )?(\d+\.\d)%")


def sweep_results(out: Path) -> dict[int, float]:
    """Units -> dev accuracy (percent, one decimal) from the sweep folder's results.json."""
    (folder,) = [p for p in out.iterdir() if (p / "plan.json").exists()]
    rows = json.loads((folder / "results.json").read_text())["trials"]
    return {row["values"]["hidden.1"]: round(100 * row["dev_accuracy"], 1) for row in rows}


@pytest.mark.parametrize("size", [(120, 36), (80, 24)], ids=["120x36", "80x24"])
def test_a_quick_sweep_from_keys_ends_with_seven_titled_boundary_maps(tmux_app, tmp_path, size):
    width, height = size
    app = tmux_app("-n 1000", width=width, height=height, cwd=str(tmp_path))
    app.wait_for(r"READY", timeout=30)
    app.keys("S")
    app.wait_for(r"Quick sweep")
    time.sleep(0.5)  # a person reads the form first (keys typed while it opens reach the screen behind it)
    app.keys("BSpace")  # the units field has the focus, holding 4
    time.sleep(0.3)
    app.keys(",".join(map(str, UNITS)))
    app.wait_for(r"units \(layer 1\)\s+" + re.escape(",".join(map(str, UNITS))))  # in the field, not the hint
    app.keys("Enter")
    app.wait_for(r"7/7 done, 0 running, 0 failed", timeout=240)
    if width < 100:
        app.keys("3")  # a narrow terminal shows one part of the Compare view at a time: the maps
    expected = sweep_results(tmp_path / "runs")
    deadline = time.monotonic() + 30
    while True:  # the screen settles on seven maps titled by their units and dev accuracy
        screen = app.screen()
        lines = screen.splitlines()
        lines = lines[next((i for i, line in enumerate(lines) if "Decision boundaries" in line), 0):]  # the grid
        titles = {int(m.group(1)): float(m.group(2)) for line in lines for m in TITLE.finditer(line)}
        settled = titles == expected and "unsure" in screen and "drawing" not in screen  # every map drawn
        if settled or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert titles == expected, screen
    title_rows = [i for i, line in enumerate(lines) if TITLE.search(line)]
    assert len(title_rows) == 2  # two rows of tiles
    for row in title_rows:  # under each title line, a map for every title on it
        assert lines[row + 1].count("▀" * 8) >= len(TITLE.findall(lines[row])), screen
    assert "drawing" not in screen
    app.keys("q")
    app.wait_for(r"EXITED-0", timeout=30)


def test_a_signal_during_a_quick_sweep_restores_the_terminal_and_ends_its_trials(tmux_app, tmp_path, wait_gone):
    """Steps of a second or more: the workers end their trials after the app has left (it waits for
    them less than the second a signal gives it, or the process would end with the terminal still raw)."""
    app = tmux_app("-n 100000000 --hidden 2000,2000 --activations relu", cwd=str(tmp_path))
    app.wait_for(r"READY", timeout=30)
    app.keys("S")
    app.wait_for(r"Quick sweep")
    time.sleep(0.5)
    app.keys("BSpace")
    time.sleep(0.3)
    app.keys("1999,2000")
    app.wait_for(r"units \(layer 1\)\s+1999,2000")
    app.keys("Enter")
    app.wait_for(r"0/2 done, 2 running", timeout=120)
    pid = app.app_pid()
    children = [int(p) for p in subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()]
    assert len(children) >= 2  # the two workers (and multiprocessing's resource tracker)
    os.kill(pid, signal.SIGTERM)
    screen = app.wait_for(r"EXITED-143", timeout=30).string
    assert "Runs" not in screen and "quick sweep" not in screen  # the alternate screen is gone: the shell is back
    assert all(wait_gone(child, 30) for child in children)  # no worker lives on, orphaned
    (folder,) = [p for p in (tmp_path / "runs").iterdir() if (p / "plan.json").exists()]
    for trial in ("trial-000", "trial-001"):  # each trial ended between two steps, with its record
        last = json.loads((folder / trial / "metrics.jsonl").read_text().splitlines()[-1])
        assert last["type"] == "end" and last["state"] == "terminated"
