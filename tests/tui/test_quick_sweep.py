"""The quick sweep with Pilot: the form, a real sweep in worker processes, its rows against ``tui-nn train``, stopping."""

from __future__ import annotations

import json
import multiprocessing
import subprocess
import sys
from pathlib import Path

from textual.widgets import Input

from tui_nn.run_history import labels
from tui_nn.widgets.compare_screen import CompareScreen
from tui_nn.widgets.cost_plot import CostPlot
from tui_nn.widgets.form import FormField
from tui_nn.widgets.quick_sweep_dialog import QuickSweepDialog
from tui_nn.widgets.runs_table import COLUMNS, RunsTable

UNITS = (1, 2, 3, 4, 5, 20, 50)
ITERATIONS = 1000
"""Fewer than the course's 5000 for CI time; the same for the sweep and for tui-nn train."""


async def open_form(pilot, app, until) -> QuickSweepDialog:
    await pilot.press("S")
    await until(pilot, lambda: isinstance(app.screen, QuickSweepDialog))
    return app.screen


async def type_into(pilot, form: QuickSweepDialog, key: str, text: str) -> None:
    """Replace a field's text with ``text`` as a person would: click-free, keys only."""
    field = form.query_one(f"#input-{key}", Input)
    field.focus()
    await pilot.pause()
    await pilot.press("home", "ctrl+k", *text)
    assert field.value == text


def end_record(run_dir: Path) -> dict:
    records = [json.loads(line) for line in (run_dir / "metrics.jsonl").read_text().splitlines()]
    return [r for r in records if r["type"] == "end"][-1]


def sweep_folders(out: Path) -> list[Path]:
    return sorted(p for p in out.iterdir() if (p / "plan.json").exists()) if out.exists() else []


async def test_a_quick_sweep_of_units_fills_seven_rows_that_match_tui_nn_train(app_factory, until, tmp_path):
    out = tmp_path / "runs"
    app = app_factory(iterations=ITERATIONS, out=str(out))
    async with app.run_test(size=(120, 36)) as pilot:
        form = await open_form(pilot, app, until)
        await type_into(pilot, form, "hidden", ",".join(map(str, UNITS)))
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, CompareScreen))  # it opens on the Compare view
        rows = app.history.records
        assert len(rows) == 7 and app.history.selected == [r.number for r in rows]
        await until(pilot, lambda: app._sweep is None and all(r.status == "finished" for r in rows), 240)
        assert labels(rows) == [f"hidden={n}" for n in UNITS]
        (folder,) = sweep_folders(out)  # written like any other sweep folder, under the config's out
        results = json.loads((folder / "results.json").read_text())["trials"]
        assert [r["values"] for r in results] == [{"hidden.1": n} for n in UNITS]
        screen = app.screen
        await until(pilot, lambda: screen.maps_shown, 30)
        assert screen.grid.tile_titles() == [f"hidden={n}  dev {r.dev_accuracy:.1%}" for n, r in zip(UNITS, rows)]
        assert "7/7 done, 0 running, 0 failed" in app._sweep_note

    for n, row in zip(UNITS, rows):  # each row is what `tui-nn train` gives for the same config
        solo = tmp_path / f"solo-{n}"
        done = subprocess.run([sys.executable, "-m", "tui_nn.cli", "train", "-n", str(ITERATIONS), "--hidden", str(n),
                               "--out", str(solo), "-q"], capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        end = end_record(next(solo.iterdir()))
        assert (row.train_accuracy, row.dev_accuracy, row.final_cost) == (end["train_accuracy"], end["dev_accuracy"], end["cost"])
        assert row.iterations == ITERATIONS and row.parameters is not None and row.curve.size == ITERATIONS // 100 + 1  # every evaluation, and the last step
    assert rows[0].train_accuracy < 0.70 and rows[3].train_accuracy > 0.85  # 1 unit cannot; 4 can


async def test_the_form_says_what_is_wrong_under_the_field_and_starts_nothing(app_factory, until, tmp_path, shown):
    out = tmp_path / "runs"
    app = app_factory(out=str(out))
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, app, until)
        await pilot.press("enter")  # nothing has several values
        field = form.query_one("#field-hidden", FormField)
        assert "give one field several values" in shown(field.query_one(".field-error"))
        await type_into(pilot, form, "hidden", "4,0")
        await pilot.press("enter")
        assert "hidden: each layer needs 1 to 4096 units, got 0" in shown(field.query_one(".field-error"))
        await type_into(pilot, form, "hidden", "2,4")
        await type_into(pilot, form, "learning_rate", "0.1,1")
        await pilot.press("enter")
        lr = form.query_one("#field-learning_rate", FormField)
        assert "one field at a time: hidden already has several values" in shown(lr.query_one(".field-error"))
        await type_into(pilot, form, "learning_rate", "-1")
        await pilot.press("enter")
        assert "learning_rate" in shown(lr.query_one(".field-error"))
        assert isinstance(app.screen, QuickSweepDialog) and app._sweep is None and sweep_folders(out) == []
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, QuickSweepDialog))
        assert app.history.records == []


async def test_a_single_value_changes_the_base_of_the_sweep(app_factory, until, tmp_path):
    out = tmp_path / "runs"
    app = app_factory(out=str(out), iterations=200)
    async with app.run_test(size=(120, 36)) as pilot:
        form = await open_form(pilot, app, until)
        await type_into(pilot, form, "learning_rate", "log:0.1:1:2")
        await type_into(pilot, form, "iterations", "150")
        await type_into(pilot, form, "activations", "relu")
        await pilot.press("enter")
        await until(pilot, lambda: app._sweep is None and len(app.history.records) == 2
                    and all(r.ended for r in app.history.records), 120)
        configs = [r.config for r in app.history.records]
        assert [c.learning_rate for c in configs] == [0.1, 1.0]
        assert all(c.iterations == 150 and c.activations == ("relu",) for c in configs)
        assert all(r.iterations == 150 for r in app.history.records)
        assert labels(app.history.records) == ["lr=0.1", "lr=1"]


async def test_stopping_the_sweep_ends_its_trials_cleanly_and_quitting_does_too(app_factory, until, tmp_path, shown):
    out = tmp_path / "runs"
    app = app_factory(iterations=10_000_000, out=str(out))
    async with app.run_test(size=(120, 36)) as pilot:
        form = await open_form(pilot, app, until)
        await type_into(pilot, form, "hidden", "5,4,3,2")  # largest first: the workers take them in plan order
        await pilot.press("enter")
        rows = app.history.records
        await until(pilot, lambda: sum(r.status == "running" and r.iterations > 100 for r in rows) == 2, 120)
        plot = app.screen.query_one(CostPlot)  # the running trials' curves grow on the Compare view
        await until(pilot, lambda: plot.point_count("hidden=5") >= 2 and plot.point_count("hidden=4") >= 2, 60)
        running = [r for r in rows if r.status == "running"]  # and their rows show train accuracy and time
        assert all(r.train_accuracy is not None and r.seconds > 0 for r in running), running
        table = app.screen.query_one(RunsTable)

        def cell(record, column: str) -> str:
            return str(table.get_row(str(record.number))[COLUMNS.index(column)])

        await until(pilot, lambda: all(cell(r, "TIME") != "-" and cell(r, "TRAIN").endswith("%") for r in running), 30)
        await pilot.press("S")  # S again: stop the sweep
        await until(pilot, lambda: app._sweep is None, 60)
        assert [r.status for r in rows] == ["terminated", "terminated", "pending", "pending"]
        grid = shown(app.screen.grid).splitlines()
        assert "pending" in grid[grid.index(next(g for g in grid if "hidden=3" in g)) + 1]  # a tile says why it is empty
        assert not multiprocessing.active_children()  # the workers are gone
        (folder,) = sweep_folders(out)
        assert end_record(folder / "trial-000")["state"] == "terminated"
        assert "stopped" in app._sweep_note

        await pilot.press("S")
        form = await until_form(pilot, app, until)
        await type_into(pilot, form, "seed", "1,2")
        await pilot.press("enter")
        await until(pilot, lambda: sum(r.status == "running" and r.iterations > 100 for r in app.history.records) == 2, 120)
        await pilot.press("q")  # quitting stops the workers first
    assert not multiprocessing.active_children()
    second = [f for f in sweep_folders(out) if f != folder]
    assert [end_record(second[0] / t)["state"] for t in ("trial-000", "trial-001")] == ["terminated", "terminated"]


async def until_form(pilot, app, until) -> QuickSweepDialog:
    await until(pilot, lambda: isinstance(app.screen, QuickSweepDialog))
    return app.screen
