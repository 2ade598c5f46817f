"""What each pane shows: model shapes, layer statistics and warnings, boundary views, plot, sizes."""

from __future__ import annotations

import numpy as np

from tui_nn.views import ConfusionView
from tui_nn.widgets.boundary_pane import BoundaryPane
from tui_nn.widgets.cost_plot import CostPlot
from tui_nn.widgets.help_screen import HelpScreen
from tui_nn.widgets.layers_pane import LayersPane
from tui_nn.widgets.model_pane import ModelPane
from tui_nn.widgets.status_line import StatusLine


async def test_model_pane_shows_dataset_shapes_and_hyperparameters(app_factory, shown):
    app = app_factory(hidden=(5, 3), activations=("relu", "tanh"))
    async with app.run_test(size=(120, 36)):
        text = shown(app.query_one(ModelPane))
        for expected in ("flower", "binary", "m train 400", "dev 100", "n_x 2", "(5,2)", "(3,5)", "b[l] (n[l], 1)",
                         "(1,3)", "relu", "tanh", "sigmoid", "Z[l], A[l] (n[l], 400)", "params: 37", "lr 1.2",
                         "iters 10000", "init random x0.01", "seed 3", "opt gd"):
            assert expected in text, expected


async def test_layers_pane_shows_live_statistics(app_factory, until, shown):
    app = app_factory(iterations=50)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("e")
        await until(pilot, lambda: app.state == "finished" and app.query_one(LayersPane).stats is not None)
        stats = app.query_one(LayersPane).stats
        assert [s.layer for s in stats] == [1, 2]
        W1 = app.trainer.parameters_copy()["W1"]
        text = shown(app.query_one(LayersPane))
        assert "tanh" in text and "sat" in text
        assert abs(stats[0].W.std - W1.std()) < 0.05  # stats of a recent step, not of the initial weights only
        assert stats[0].dW.norm > 0


async def test_zero_initialisation_shows_the_symmetry_warning(app_factory, until, shown):
    app = app_factory(init="zeros", iterations=20)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("e")
        await until(pilot, lambda: app.state == "finished" and app.query_one(LayersPane).stats is not None)
        text = " ".join(shown(app.query_one(LayersPane)).split())
        assert "all 4 units are identical" in text
        assert "symmetry" in text


async def test_large_initial_weights_warn_of_saturation(app_factory, until, shown):
    app = app_factory(init="random", init_scale=10.0, hidden=(8,), activations=("tanh",))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("full_stop")
        await until(pilot, lambda: app.query_one(LayersPane).stats is not None)
        text = " ".join(shown(app.query_one(LayersPane)).split())
        assert "saturated" in text and "the pre-activations were large from the start: 2 inputs" in text


async def test_boundary_pane_draws_a_heatmap_sized_to_the_pane(app_factory, shown, trained_map):
    app = app_factory(iterations=200)
    async with app.run_test(size=(120, 36)) as pilot:
        pane, view = await trained_map(pilot, app)
        width, height = pane.content_size
        assert view.values.shape == (2 * (height - 1), width)  # the last line is the legend
        assert 0.0 <= view.values.min() < 0.5 < view.values.max() <= 1.0  # both classes appear
        lines = shown(pane).rstrip("\n").split("\n")
        assert len(lines) == height and "▀" in lines[0] and "unsure" in lines[-1]


async def test_boundary_pane_shows_a_confusion_matrix_for_tabular_data(app_factory, until, shown):
    app = app_factory(dataset="iris", hidden=(8,), activations=("tanh",), learning_rate=0.5, iterations=300)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("e")
        await until(pilot, lambda: app.state == "finished")
        view = app.query_one(BoundaryPane).view
        assert isinstance(view, ConfusionView)
        assert view.matrix.shape == (3, 3) and view.matrix.sum() == app.experiment.dataset.m_dev
        assert np.trace(view.matrix) / view.matrix.sum() > 0.8
        assert "rows: true" in shown(app.query_one(BoundaryPane))
        assert app.query_one(BoundaryPane).border_title == "Dev confusion"


async def test_log_scale_toggle_and_non_finite_points_do_not_crash_the_plot(app_factory):
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        plot = app.query_one(CostPlot)
        plot.extend("train", np.arange(4), np.array([0.7, np.nan, np.inf, 0.5]))
        await pilot.press("l")
        assert plot.log_scale
        await pilot.pause(0.4)
        assert plot.border_title == "Cost (log)"
        assert plot.render().plain.count("\n") > 5  # drawn, not crashed
        await pilot.press("l")
        assert not plot.log_scale and plot.border_title == "Cost"


async def test_help_screen_lists_every_key(app_factory, until, shown):
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        text = " ".join(str(w.render()) for w in app.screen.query("Static"))
        for key in ("Run", "Pause", "Step", "Reset", "New seed", "LR x2", "Add layer", "Activation", "Init",
                    "Optimiser", "Dataset", "Save model", "Load model", "Grad check", "Log scale", "Quit"):
            assert key in text or key in _help_rows(app.screen), key
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, HelpScreen))


def _help_rows(screen) -> str:
    from tui_nn.widgets.help_screen import keys_table

    table = keys_table(screen._keys)
    return " ".join(str(c) for col in table.columns for c in col._cells)


async def test_narrow_terminal_shows_one_pane_at_a_time(app_factory, until):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.screen.has_class("-narrow")
        await pilot.pause(0.1)
        # it opens on the Cost pane
        assert app.query_one(CostPlot).region.width > 60 and app.query_one("#tabs").display
        assert not app.query_one(ModelPane).region.width
        await pilot.press("1")
        await pilot.pause(0.1)
        assert app.query_one(ModelPane).region.width > 60
        assert not app.query_one(CostPlot).region.width


async def test_tiny_terminal_shows_a_notice_and_survives_resizes_while_training(app_factory, until):
    app = app_factory(iterations=10**7)
    async with app.run_test(size=(20, 5)) as pilot:
        assert app.screen.has_class("-tiny")
        assert app.query_one("#too-small").region.height > 0
        await pilot.press("space")
        for size in ((120, 36), (20, 5), (80, 24), (45, 13), (200, 60), (120, 36)):
            await pilot.resize_terminal(*size)
            await pilot.pause(0.15)
        assert app.trainer.iteration > 0 and app.state == "running"
        await until(pilot, lambda: app.query_one(StatusLine).iteration > 0)
        await pilot.press("space")


async def test_help_explains_every_key_in_a_sentence_and_the_palette_too(app_factory, until, shown):
    from tui_nn.keys import TRAINER_KEYS

    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        rows = _help_rows(app.screen)
        for b in TRAINER_KEYS:
            assert b.tooltip.endswith(".") and len(b.tooltip.split()) >= 5, b.action  # a sentence, not a label
            assert b.tooltip in rows, b.action
        assert "Train more Add iterations to the run and go on training from where it is, without a reset." in " ".join(
            shown(app.screen.query_one("#help-box")).split()) or "Add iterations to the run" in rows
        await pilot.press("escape")
        commands = {c.title: c.help for c in app.get_system_commands(app.screen)}
        assert commands["Edit (h)"].startswith("Type any hyperparameter: learning rate, iterations")
        assert commands["Train more (t)"] == "Add iterations to the run and go on training from where it is, without a reset."
