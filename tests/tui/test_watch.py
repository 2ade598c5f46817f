"""``tui-nn watch`` with Pilot, on logs a real ``tui-nn train`` writes (or that the test writes by hand)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tui_nn.runs.files import LOG_NAME
from tui_nn.watch_app import WatchApp
from tui_nn.widgets.confirm_screen import ConfirmScreen
from tui_nn.widgets.cost_plot import CostPlot
from tui_nn.widgets.layers_pane import LayersPane
from tui_nn.widgets.status_line import StatusLine


@pytest.fixture
def live_run(tmp_path, cli, folder_in):
    proc = cli("train", tmp_path / "runs", "--iterations", "100000000", "--eval-every", "200")
    yield folder_in(tmp_path / "runs", LOG_NAME, 20)
    proc.terminate()
    proc.wait(timeout=10)


async def test_watcher_follows_a_live_run_and_steers_it(live_run, until, records):
    app = WatchApp([live_run])
    async with app.run_test(size=(120, 36)) as pilot:
        status = app.query_one(StatusLine)
        await until(pilot, lambda: status.iteration > 0 and app.query_one(CostPlot).point_count() > 2)
        first = status.iteration
        await until(pilot, lambda: status.iteration > first)  # it follows the log
        await until(pilot, lambda: app.query_one(LayersPane).stats is not None)
        assert status.cost is not None and status.train_accuracy is not None
        plot = app.query_one(CostPlot)
        await until(pilot, lambda: plot.point_count("dev") > 0)  # the dev curve too
        assert plot.border_subtitle.startswith("train ")

        await pilot.press("space")  # pause the trainer
        await until(pilot, lambda: any(r.get("type") == "ack" and r.get("command") == "pause" for r in records(live_run)))
        await until(pilot, lambda: status.state == "paused")
        await pilot.press("plus")
        await until(pilot, lambda: any(r.get("command") == "set_learning_rate" for r in records(live_run)))
        ack = [r for r in records(live_run) if r.get("command") == "set_learning_rate"][-1]
        assert ack["learning_rate"] == 2.4 and ack["ok"]
        await pilot.press("space")  # resume
        await until(pilot, lambda: status.state == "running")
        await pilot.press("s")  # asks first
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await until(pilot, lambda: status.state == "stopped")
        end = records(live_run)[-1]
        assert end["type"] == "end" and end["state"] == "stopped"
        evals = [r for r in records(live_run) if r.get("type") == "eval"]
        assert evals[-1]["learning_rate"] == 2.4


def write_log(path: Path, lines: list[str]) -> None:
    path.mkdir(parents=True, exist_ok=True)
    (path / LOG_NAME).write_text("".join(line + "\n" for line in lines))


def header(iterations: int = 1000) -> str:
    return json.dumps({"type": "header", "time": 0, "schema_version": 1, "run_id": "x",
                       "config": {"dataset": "flower", "iterations": iterations, "learning_rate": 1.2}})


def evaluation(i: int, cost: float) -> str:
    return json.dumps({"type": "eval", "time": 0, "iteration": i, "elapsed": i / 1000, "cost": cost,
                       "learning_rate": 1.2, "train_accuracy": 0.5, "dev_accuracy": 0.5, "status": "running"})


async def test_malformed_lines_are_counted_and_a_replaced_log_is_read_again(tmp_path, until):
    run = tmp_path / "run"
    write_log(run, [header(), evaluation(0, 0.69), "{not json", evaluation(100, 0.5)])
    app = WatchApp([run])
    async with app.run_test(size=(120, 36)) as pilot:
        status = app.query_one(StatusLine)
        await until(pilot, lambda: status.iteration == 101)
        assert "1 malformed line(s) skipped" in status.message
        assert app.query_one(CostPlot).point_count() == 2
        # The log is replaced by a shorter one: a new run, read from the start.
        write_log(run, [header(), evaluation(0, 0.7)])
        await until(pilot, lambda: status.iteration == 1)
        assert app.query_one(CostPlot).point_count() == 1
        assert "read" in status.message and "new run" in status.message
        # A half-written line waits until it is complete.
        with open(run / LOG_NAME, "a") as f:
            f.write(evaluation(100, 0.4)[:30])
        await pilot.pause(0.6)
        assert status.iteration == 1
        with open(run / LOG_NAME, "a") as f:
            f.write(evaluation(100, 0.4)[30:] + "\n")
        await until(pilot, lambda: status.iteration == 101)


async def test_two_runs_overlay_their_cost_curves_named_by_what_differs(tmp_path, until, shown, cli, records):
    out = tmp_path / "runs"
    for lr in ("1.2", "0.3"):
        proc = cli("train", out, "--iterations", "1000", "--learning-rate", lr)
        assert proc.wait(timeout=60) == 0, proc.stderr.read()
    runs = sorted(out.glob("*"))
    assert len(runs) == 2
    lrs = [records(r)[0]["config"]["learning_rate"] for r in runs]
    app = WatchApp(runs)
    async with app.run_test(size=(120, 36)) as pilot:
        plot = app.query_one(CostPlot)
        await until(pilot, lambda: all(plot.point_count(f"lr={lr:g}") == 11 for lr in lrs))
        legend = plot.render().plain
        bar = shown(app.query_one("#runs"))
        assert "lr" in legend  # one key varies: the legend names it once, above the values
        for run, lr in zip(runs, lrs):  # by what differs, never by the folder's date and time
            assert f"{lr:g}" in legend and f"lr={lr:g}" in bar
            assert run.name[:15] not in legend and run.name[:15] not in bar
        assert app.query_one(StatusLine).state == "finished"
        await pilot.press("n")
        assert app.primary == 1
        await until(pilot, lambda: app.query_one(StatusLine).iteration == 1000)


async def test_a_resumed_run_shows_its_new_budget(tmp_path, until, shown, cli, folder_in):
    """``train --resume RUN --iterations N`` logs the new config in its resume record; the watcher follows it."""
    out = tmp_path / "runs"
    proc = cli("train", out, "--iterations", "300", "--eval-every", "100")
    assert proc.wait(timeout=60) == 0, proc.stderr.read()
    run = folder_in(out, LOG_NAME, 20)
    resumed = subprocess.run([sys.executable, "-m", "tui_nn.cli", "train", "--resume", str(run), "--iterations", "500",
                              "--quiet"], capture_output=True, text=True, timeout=60)
    assert resumed.returncode == 0, resumed.stderr
    app = WatchApp([run])
    async with app.run_test(size=(120, 36)) as pilot:
        status = app.query_one(StatusLine)
        await until(pilot, lambda: status.state == "finished" and status.iteration == 500)
        assert status.total == 500
        assert "FINISHED  iter 500/500" in shown(status)
