"""``tui-nn watch SWEEP_FOLDER`` with Pilot: the live table, the best so far, curves, maps, steering one trial."""

from __future__ import annotations

import json

import numpy as np

from tui_nn.config import RunConfig
from tui_nn.core import load_model
from tui_nn.runs.files import LAST_MODEL
from tui_nn.runs.sweep_axes import axis_from_flag
from tui_nn.runs.sweep_folder import create_sweep_folder
from tui_nn.runs.sweep_local import LocalBackend
from tui_nn.runs.sweep_plan import build_plan
from tui_nn.runs.sweep_runner import SweepRunner
from tui_nn.views import BoundaryProbe
from tui_nn.watch_app import WatchApp
from tui_nn.widgets.boundary_pane import BoundaryPane
from tui_nn.widgets.compare_screen import CompareScreen
from tui_nn.widgets.confirm_screen import ConfirmScreen
from tui_nn.widgets.cost_plot import CostPlot
from tui_nn.widgets.status_line import StatusLine


async def test_a_finished_sweep_opens_on_its_table_with_the_best_trial_curves_and_maps(tmp_path, until, shown, cli,
                                                                                     folder_in):
    done = cli("sweep", tmp_path / "runs", "-n", "300", "--vary", "hidden=1,3,5", "--workers", "2", "--name", "sizes")
    assert done.wait(timeout=180) == 0, done.stderr.read()
    folder = folder_in(tmp_path / "runs", "plan.json", 60)
    results = json.loads((folder / "results.json").read_text())["trials"]
    app = WatchApp([folder])
    async with app.run_test(size=(120, 36)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, CompareScreen))
        screen = app.screen
        rows = app.history.records
        await until(pilot, lambda: [r.status for r in rows] == ["finished"] * 3, 30)
        assert [r.dev_accuracy for r in rows] == [t["dev_accuracy"] for t in results]
        assert [r.final_cost for r in rows] == [t["final_cost"] for t in results]
        best = max(results, key=lambda t: (t["dev_accuracy"], -t["final_cost"]))
        note = f"sweep sizes: 3/3 done, 0 running, 0 failed · best dev {best['dev_accuracy']:.1%} (hidden={best['values']['hidden'][0]})"
        await until(pilot, lambda: note in shown(screen.query_one("#compare-status")))
        plot = screen.query_one(CostPlot)
        await until(pilot, lambda: all(plot.point_count(f"hidden={n}") == 4 for n in (1, 3, 5)))  # every eval of 300
        await until(pilot, lambda: screen.maps_shown, 30)
        assert screen.grid.tile_titles() == [f"hidden={t['values']['hidden'][0]}  dev {t['dev_accuracy']:.1%}"
                                             for t in results]
        await pilot.press("escape")  # the panes: the run bar names every trial by what differs
        await until(pilot, lambda: not isinstance(app.screen, CompareScreen))
        bar = shown(app.query_one("#runs"))
        assert "▶ hidden=1 finished 300" in bar and "hidden=3 finished 300" in bar and "trial-" not in bar
        pane = app.query_one(BoundaryPane)
        await pilot.press("C", "down", "down", "w")  # a finished trial picked on the table shows its own map
        await until(pilot, lambda: app.views[app.primary].path == folder / "trial-002")
        await until(pilot, lambda: pane.view is not None and pane.view.values.shape == own_map(app).values.shape, 30)
        np.testing.assert_array_equal(pane.view.values, own_map(app).values)


def own_map(app: WatchApp):
    """The shown run's boundary computed here from its last.npz, at the pane's request."""
    exp = app.experiments[app.primary]
    model = load_model(app.views[app.primary].path / LAST_MODEL)
    return BoundaryProbe.for_experiment(exp).compute(model.parameters, app._view_request)


async def test_a_live_sweep_fills_in_and_one_trial_is_steered_from_the_table(tmp_path, until, shown, cli, folder_in,
                                                                           records):
    # largest first, so the workers take the trials in plan order (they start the longest first)
    proc = cli("sweep", tmp_path / "runs", "-n", "100000000", "--eval-every", "200", "--vary", "hidden=4,3,2", "--workers", "2",
                 "--name", "live")
    try:
        folder = folder_in(tmp_path / "runs", "plan.json", 60)
        app = WatchApp([folder])
        async with app.run_test(size=(120, 36)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, CompareScreen))
            screen = app.screen
            rows = app.history.records
            assert len(rows) == 3  # every trial of the plan, pending until it starts
            await until(pilot, lambda: [r.status for r in rows] == ["running", "running", "pending"], 60)
            status = screen.query_one("#compare-status")
            await until(pilot, lambda: "sweep live: 0/3 done, 2 running, 0 failed" in shown(status))
            plot = screen.query_one(CostPlot)
            await until(pilot, lambda: plot.point_count("hidden=4") > 2 and plot.point_count("hidden=3") > 2, 30)
            await pilot.press("down", "w")  # follow trial-001 in the panes
            await until(pilot, lambda: not isinstance(app.screen, CompareScreen))
            assert app.views[app.primary].path == folder / "trial-001"
            assert "▶ hidden=3" in shown(app.query_one("#runs"))
            await pilot.press("space")  # pause that trial alone
            trial = folder / "trial-001"
            await until(pilot, lambda: any(r.get("command") == "pause" for r in records(trial)), 30)
            await until(pilot, lambda: app.query_one(StatusLine).state == "paused", 30)
            await pilot.press("s")
            await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
            await pilot.press("y")
            await until(pilot, lambda: rows[1].status == "stopped", 30)
            assert records(folder / "trial-000")[-1]["type"] != "end"  # the others go on
            await until(pilot, lambda: rows[2].status == "running", 60)  # the freed worker takes the next trial
            await pilot.press("C")
            await until(pilot, lambda: isinstance(app.screen, CompareScreen))
            assert "1/3 done, 2 running" in shown(app.screen.query_one("#compare-status"))
    finally:
        proc.terminate()
        proc.wait(timeout=60)


async def test_trials_that_failed_before_they_had_a_log_show_as_failed_with_why(tmp_path, until, shown):
    data = tmp_path / "points.csv"
    data.write_text("x1,x2,y\n" + "".join(f"{i % 7},{i % 5},{i % 2}\n" for i in range(40)))
    plan = build_plan(RunConfig(iterations=50, dataset=str(data)), [axis_from_flag("lr=0.5,1")], name="gone")
    folder, placed = create_sweep_folder(plan, tmp_path / "out")
    data.unlink()  # the trials cannot open their data: the driver records why
    SweepRunner(folder, placed, LocalBackend(workers=1)).run()
    app = WatchApp([folder])
    async with app.run_test(size=(120, 36)) as pilot:
        rows = app.history.records
        await until(pilot, lambda: [r.status for r in rows] == ["failed", "failed"], 30)
        assert all("points.csv" in r.notes[-1] for r in rows)
        assert "0/2 done" not in shown(app.screen.query_one("#compare-status"))
        assert "2/2 done, 0 running, 2 failed" in shown(app.screen.query_one("#compare-status"))
