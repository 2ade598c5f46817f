"""Architecture and hyperparameter keys, and the confirmation before a reset."""

from __future__ import annotations

from tui_nn.widgets.confirm_screen import ConfirmScreen
from tui_nn.widgets.model_pane import ModelPane


async def test_layer_keys_edit_the_network(app_factory, until, shown):
    app = app_factory(hidden=(4,), activations=("tanh",))
    async with app.run_test(size=(120, 36)) as pilot:
        assert app.experiment.spec.layer_dims == (2, 4, 1)
        await pilot.press("a")
        assert app.experiment.spec.layer_dims == (2, 4, 4, 1)
        await pilot.press("down")
        assert app.selected_layer == 2
        await pilot.press("right_square_bracket", "right_square_bracket")
        assert app.experiment.spec.layer_dims == (2, 4, 6, 1)
        await pilot.press("left_square_bracket")
        assert app.experiment.spec.layer_dims == (2, 4, 5, 1)
        await pilot.press("g")
        assert app.experiment.spec.hidden_activations == ("tanh", "sigmoid")
        await pilot.press("up", "x")
        assert app.experiment.spec.layer_dims == (2, 5, 1)
        text = shown(app.query_one(ModelPane))
        assert "(5,2)" in text and "(1,5)" in text and "params: 21" in text


async def test_removing_every_hidden_layer_gives_logistic_regression(app_factory, until):
    app = app_factory(hidden=(4,), activations=("tanh",))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("x")
        assert app.experiment.spec.layer_dims == (2, 1)
        await pilot.press("x", "g", "right_square_bracket")  # nothing to act on: no change, no crash
        assert app.experiment.spec.layer_dims == (2, 1)
        await pilot.press("a")
        assert app.experiment.spec.layer_dims == (2, 4, 1)


async def test_init_and_optimiser_keys_cycle(app_factory):
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        seen_init = [app.config.init]
        for _ in range(4):
            await pilot.press("i")
            seen_init.append(app.config.init)
        assert seen_init == ["random", "he", "xavier", "zeros", "random"]
        seen_opt = [app.config.optimizer]
        for _ in range(3):
            await pilot.press("o")
            seen_opt.append(app.config.optimizer)
        assert seen_opt == ["gd", "momentum", "adam", "gd"]


async def test_changing_the_architecture_while_training_pauses_and_asks(app_factory, until):
    app = app_factory(iterations=10**7)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("space")
        await until(pilot, lambda: app.trainer.iteration > 100)
        await pilot.press("right_square_bracket")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert app.state == "paused"
        done = app.trainer.iteration
        await pilot.press("n")
        await until(pilot, lambda: app.state == "running")
        assert app.experiment.spec.layer_dims == (2, 4, 1)
        await until(pilot, lambda: app.trainer.iteration > done)
        await pilot.press("right_square_bracket")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await until(pilot, lambda: app.state == "ready")
        assert app.experiment.spec.layer_dims == (2, 5, 1)
        assert app.trainer.iteration == 0


async def test_dtype_key_switches_training_to_float32_and_back(app_factory, until, shown):
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        pane = app.query_one(ModelPane)
        assert "dtype float64" in shown(pane)
        await pilot.press("f")
        assert app.config.dtype == "float32" and "dtype float32" in shown(pane)
        assert {p.dtype.name for p in app.trainer.parameters_copy().values()} == {"float32"}
        await pilot.press("full_stop")
        await until(pilot, lambda: app.trainer.iteration == 1 and app.state == "paused")
        assert {p.dtype.name for p in app.trainer.parameters_copy().values()} == {"float32"}
        await pilot.press("f")  # progress would be lost: it asks first
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await until(pilot, lambda: app.config.dtype == "float64" and app.trainer.iteration == 0)
        assert "dtype float64" in shown(pane)
