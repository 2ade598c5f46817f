"""The Compare view with Pilot: history rows after real runs, sorting, selection, labels, the grid, loading a run back."""

from __future__ import annotations

import numpy as np
import pytest

from tui_nn.widgets.compare_screen import CompareScreen
from tui_nn.widgets.confirm_screen import ConfirmScreen
from tui_nn.widgets.cost_plot import CostPlot
from tui_nn.widgets.help_screen import HelpScreen
from tui_nn.widgets.run_config_screen import RunConfigScreen
from tui_nn.widgets.status_line import StatusLine


async def train_to_end(pilot, app, until) -> tuple[float, float, float]:
    """``e`` until finished; returns the status line's cost, train and dev accuracy."""
    await pilot.press("e")
    await until(pilot, lambda: app.state == "finished", 60)
    status = app.query_one(StatusLine)
    return status.cost, status.train_accuracy, status.dev_accuracy


async def change(pilot, app, until, key: str) -> None:
    """An architecture key after a run: it asks before the reset; yes."""
    await pilot.press(key)
    await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
    await pilot.press("y")
    await until(pilot, lambda: app.state == "ready")


def table_text(screen: CompareScreen) -> str:
    table = screen.table
    return "\n".join(" ".join(cell.plain for cell in table.get_row_at(row)) for row in range(table.row_count))


def table_order(screen: CompareScreen) -> list[int]:
    table = screen.table
    return [int(table.coordinate_to_cell_key((row, 0)).row_key.value) for row in range(table.row_count)]


async def test_runs_become_rows_that_sort_select_overlay_and_draw_titled_maps(app_factory, until, shown):
    app = app_factory(iterations=300)
    async with app.run_test(size=(120, 36)) as pilot:
        numbers = [await train_to_end(pilot, app, until)]  # 4 units
        await change(pilot, app, until, "right_square_bracket")
        numbers.append(await train_to_end(pilot, app, until))  # 5 units
        await change(pilot, app, until, "left_square_bracket")
        await pilot.press("left_square_bracket")  # no progress to lose: no question
        await until(pilot, lambda: app.config.hidden == (3,))
        numbers.append(await train_to_end(pilot, app, until))  # 3 units
        rows = app.history.records
        assert [r.config.hidden for r in rows] == [(4,), (5,), (3,)]
        for row, (cost, train, dev) in zip(rows, numbers):  # the row says what the status line said
            assert row.status == "finished" and row.iterations == 300 and row.seconds > 0
            assert (row.final_cost, row.train_accuracy, row.dev_accuracy) == (cost, train, dev)
            assert row.curve.size == 300 and row.parameters is not None
        assert [app.history.changes(r) for r in rows[1:]] == ["hidden=5", "hidden=3"]

        await pilot.press("C")
        await until(pilot, lambda: isinstance(app.screen, CompareScreen))
        screen = app.screen
        assert table_order(screen) == [1, 2, 3]
        text = table_text(screen).splitlines()
        assert [line.split()[:2] for line in text] == [["1", "dataset=flower"], ["2", "hidden=5"], ["3", "hidden=3"]]
        assert all(f"{r.dev_accuracy:.1%}" in line and "finished" in line and "300" in line for r, line in zip(rows, text))
        await pilot.press("s")  # best dev accuracy first (ties: lower cost)
        by_dev = sorted(rows, key=lambda r: (-r.dev_accuracy, r.final_cost))
        await until(pilot, lambda: table_order(screen) == [r.number for r in by_dev])
        await pilot.press("s")
        await until(pilot, lambda: table_order(screen) == [r.number for r in sorted(rows, key=lambda r: r.final_cost)])
        await pilot.press("s")
        await until(pilot, lambda: table_order(screen) == [r.number for r in sorted(rows, key=lambda r: r.seconds)])
        await pilot.press("escape", "C")  # the order is kept while the view is closed
        await until(pilot, lambda: isinstance(app.screen, CompareScreen) and app.screen is not screen)
        screen = app.screen
        await until(pilot, lambda: table_order(screen) == [r.number for r in sorted(rows, key=lambda r: r.seconds)])
        await pilot.press("s")
        await until(pilot, lambda: table_order(screen) == [1, 2, 3])

        await pilot.press("ctrl+home")  # the cursor followed its run through the sorts: back to the first row
        assert screen.table.highlighted == 1
        await pilot.press("space", "down", "down", "space")  # select runs 1 and 3
        assert app.history.selected == [1, 3]
        plot = screen.query_one(CostPlot)
        await until(pilot, lambda: plot.point_count("hidden=4") == 300 and plot.point_count("hidden=3") == 300)
        assert plot.point_count("hidden=5") == 0 and plot.log_scale
        legend = shown(plot)
        assert "hidden" in legend and "4" in legend and "3" in legend
        await until(pilot, lambda: screen.maps_shown)
        assert screen.grid.tile_titles() == [f"hidden=4  dev {rows[0].dev_accuracy:.1%}",
                                             f"hidden=3  dev {rows[2].dev_accuracy:.1%}"]
        grid = shown(screen.grid)
        assert "▀" in grid and "unsure" in grid  # two maps and the legend line

        await pilot.press("up", "up", "enter")  # run 1's config
        await until(pilot, lambda: isinstance(app.screen, RunConfigScreen))
        assert "hidden = [4]" in "\n".join(shown(w) for w in app.screen.query("Static"))
        await pilot.press("L")  # load it: the 3-unit run has progress, so the app asks first
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await until(pilot, lambda: app.config.hidden == (4,) and app.state == "ready")
        assert not isinstance(app.screen, CompareScreen) and rows[2].status == "finished"
        a, b = app.trainer.parameters, app.experiment.initial_parameters
        assert all(np.array_equal(a[k], b[k]) for k in a)  # from its initial weights, like run 1


async def test_the_running_run_is_a_row_kept_current_and_app_keys_wait_on_the_compare_view(app_factory, until, shown):
    app = app_factory(iterations=10_000_000)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("space")
        await until(pilot, lambda: app.history.records and app.history.records[0].iterations > 200)
        palette = [c.title for c in app.get_system_commands(app.screen)]
        assert "Compare (C)" in palette and "Quick sweep (S)" in palette
        await pilot.press("C")
        await until(pilot, lambda: isinstance(app.screen, CompareScreen))
        palette = [c.title for c in app.get_system_commands(app.screen)]  # the view's own keys, then the app's that work
        assert "Select (space)" in palette and "Load run (L)" in palette and "Del layer (x)" not in palette
        row = app.history.records[0]
        seen = row.iterations
        await until(pilot, lambda: row.iterations > seen)  # updated while it trains
        assert row.status == "running" and row.final_cost is not None
        await pilot.press("x")  # "remove a layer" edits what the Compare view hides: it waits
        assert app.config.hidden == (4,)
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        help_text = "\n".join(shown(w) for w in app.screen.query("Static"))
        assert "Select" in help_text and "Load run" in help_text and "Quick sweep" in help_text
        assert "Del layer" not in help_text
        await pilot.press("escape", "escape")
        await until(pilot, lambda: not isinstance(app.screen, CompareScreen | HelpScreen))
        await pilot.press("space")  # pause: the row has its time and weights
        await until(pilot, lambda: row.status == "paused" and row.parameters is not None)
        assert row.seconds > 0
        await pilot.press("r")  # a reset ends the run for good
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await until(pilot, lambda: row.status == "stopped")


async def test_image_data_compares_dev_accuracy_and_mislabelled_counts(app_factory, until, shown):
    pytest.importorskip("sklearn")
    app = app_factory(dataset="digits", hidden=(8,), activations=("relu",), init="he", learning_rate=0.3, iterations=40)
    async with app.run_test(size=(120, 36)) as pilot:
        await train_to_end(pilot, app, until)
        await change(pilot, app, until, "right_square_bracket")
        await train_to_end(pilot, app, until)
        await pilot.press("C")
        await until(pilot, lambda: isinstance(app.screen, CompareScreen))
        await pilot.press("a")  # select all
        screen = app.screen
        await until(pilot, lambda: screen.grid.tile_titles() != [])
        rows = app.history.records
        assert screen.grid.border_title.startswith("Dev accuracy")
        grid = shown(screen.grid)
        for row in rows:
            assert row.dev_size == app.experiment.dataset.m_dev
            assert row.mislabelled == round((1 - row.dev_accuracy) * row.dev_size) > 0
            assert f"{row.mislabelled} of {row.dev_size} dev wrong" in grid
        assert screen.grid.tile_titles() == [f"hidden=8  dev {rows[0].dev_accuracy:.1%}",
                                             f"hidden=9  dev {rows[1].dev_accuracy:.1%}"]
