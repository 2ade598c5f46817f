"""The hyperparameter editor (h): every training field typed from the keyboard, validated, and
applied with or without a reset; train more (t)."""

from __future__ import annotations

import pytest

from tui_nn.widgets.confirm_screen import ConfirmScreen
from tui_nn.widgets.form import FormField, show_value
from tui_nn.widgets.hyper_dialog import EDITOR_FIELDS, HyperparameterEditor
from tui_nn.widgets.status_line import StatusLine
from tui_nn.widgets.train_more_dialog import TrainMoreDialog

VALID = [  # key, typed text, the config value it gives
    ("learning_rate", "0.0075", 0.0075),
    ("iterations", "2500", 2500),
    ("hidden", "20, 7, 5", (20, 7, 5)),
    ("activations", "relu", ("relu",) * 3),  # one name for every layer
    ("output", "sigmoid", "sigmoid"),
    ("init", "he", "he"),
    ("init_scale", "0.05", 0.05),
    ("seed", "1", 1),
    ("optimizer", "adam", "adam"),
    ("beta1", "0.8", 0.8),
    ("beta2", "0.99", 0.99),
    ("batch_size", "64", 64),
    ("l2", "0.7", 0.7),
    ("dtype", "float32", "float32"),
    ("eval_every", "10", 10),
    ("out", "elsewhere", "elsewhere"),
]

BAD = [  # key, typed text, the error shown under the field
    ("learning_rate", "fast", "learning_rate: expected a number, got 'fast'"),
    ("learning_rate", "-1", "learning_rate: must be a positive number, got -1.0"),
    ("iterations", "lots", "iterations: expected a whole number, got 'lots'"),
    ("iterations", "0", "iterations: must be between 1 and 100000000, got 0"),
    ("hidden", "4,x", "hidden: expected whole numbers separated by commas, like 20,7,5, or 'none'"),
    ("hidden", "5000", "hidden: each layer needs 1 to 4096 units, got 5000"),
    ("activations", "swish", "activations: unknown activation 'swish'; expected one of"),
    ("activations", "relu,tanh", "activations: 1 hidden layers need 1 activations, got 2"),
    ("output", "softplus", "output: unknown output 'softplus'; expected one of sigmoid, softmax, linear"),
    ("output", "softmax", "output: "),  # flower is binary
    ("init", "ones", "init: unknown initialisation 'ones'; expected one of"),
    ("init_scale", "0", "init_scale: must be a positive number, got 0.0"),
    ("seed", "-1", "seed: must be between 0 and 2**32 - 1, got -1"),
    ("seed", "4294967296", "seed: must be between 0 and 2**32 - 1, got 4294967296"),
    ("optimizer", "sgd", "optimizer: unknown optimiser 'sgd'; expected one of gd, momentum, adam"),
    ("beta1", "1", "beta1: must be at least 0 and below 1, got 1.0"),
    ("beta2", "1.5", "beta2: must be at least 0 and below 1, got 1.5"),
    ("beta2", "x", "beta2: expected a number, got 'x'"),
    ("batch_size", "0", "batch_size: must be >= 1, got 0"),
    ("l2", "-0.1", "l2: must be >= 0, got -0.1"),
    ("dtype", "float16", "dtype: must be one of float64, float32, got 'float16'"),
    ("eval_every", "0", "eval_every: must be >= 1, got 0"),
]


async def open_editor(pilot, until, app) -> HyperparameterEditor:
    await pilot.press("h")
    await until(pilot, lambda: isinstance(app.screen, HyperparameterEditor))
    return app.screen


async def type_into(pilot, app, key: str, text: str) -> None:
    """Tab to field ``key``, delete what it holds with keys (end, ctrl+u) and type ``text``."""
    while app.focused is None or app.focused.id != f"input-{key}":
        await pilot.press("tab")
    await pilot.press("end", "ctrl+u", *text)


def test_every_training_field_of_the_run_config_is_in_the_editor():
    from tui_nn.config import FIELD_NAMES
    from tui_nn.widgets.data_dialog import data_fields  # noqa: F401  (the data keys' own dialog)

    data_keys = {"dataset", "m", "noise", "data_seed", "dev_fraction", "features", "label", "layout"}
    assert {spec.key for spec in EDITOR_FIELDS} == set(FIELD_NAMES) - data_keys


async def test_each_field_typed_and_applied(app_factory, until):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        for key, text, value in VALID:
            await open_editor(pilot, until, app)
            await type_into(pilot, app, key, text)
            await pilot.press("enter")
            await until(pilot, lambda: not isinstance(app.screen, HyperparameterEditor))
            await until(pilot, lambda: getattr(app.config, key) == value)
        cfg = app.config
        assert (cfg.hidden, cfg.activations, cfg.init, cfg.optimizer, cfg.dtype) == ((20, 7, 5), ("relu",) * 3, "he", "adam", "float32")
        assert app.experiment.spec.layer_dims == (2, 20, 7, 5, 1)
        assert app.trainer.config.beta1 == 0.8 and app.trainer.config.beta2 == 0.99
        assert app.trainer.config.batch_size == 64 and app.trainer.config.lambd == 0.7
        assert app.trainer.learning_rate == 0.0075 and app.trainer.num_iterations == 2500


async def test_bad_and_out_of_range_values_stay_in_the_editor_with_an_error_naming_the_field(app_factory, until, shown):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await open_editor(pilot, until, app)
        for key, text, message in BAD:
            await type_into(pilot, app, key, text)
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, HyperparameterEditor), key
            field = editor.query_one(f"#field-{key}", FormField)
            assert field.has_class("-error"), (key, text)
            assert message in " ".join(shown(field.query_one(".field-error")).split()), (key, text)
            others = [f.spec.key for f in editor.fields if f.has_class("-error")]
            assert others == [key], (key, others)
            await type_into(pilot, app, key, show_value(getattr(app.config, key)))
        assert app.config == app.experiment.config and app.config.learning_rate == 1.2  # nothing changed
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, HyperparameterEditor))


async def test_hidden_none_is_logistic_regression_in_the_editor_and_the_model_pane(app_factory, until, shown):
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_editor(pilot, until, app)
        await type_into(pilot, app, "hidden", "none")
        await pilot.press("enter")
        await until(pilot, lambda: app.experiment.spec.L == 1)
        assert app.config.hidden == () and app.config.activations == ()
        pane = " ".join(shown(app.query_one("#model-pane")).split())
        assert "L = 1: logistic regression" in pane and "1 1 sigmoid (1,2)" in pane and "n[l]" in pane
        await open_editor(pilot, until, app)
        assert app.screen.query_one("#field-hidden", FormField).text == "none"
        await pilot.press("escape")


async def test_learning_rate_and_iterations_change_without_a_reset_other_fields_ask(app_factory, until):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(3):
            await pilot.press("full_stop")
            await until(pilot, lambda: app.state == "paused")
        done = app.trainer.iteration
        assert done == 3
        await open_editor(pilot, until, app)
        await type_into(pilot, app, "learning_rate", "0.6")
        await type_into(pilot, app, "iterations", "50")
        await pilot.press("enter")
        await until(pilot, lambda: app.config.learning_rate == 0.6)
        assert not isinstance(app.screen, ConfirmScreen)
        assert app.trainer.iteration == done and app.query_one(StatusLine).total == 50
        await pilot.press("full_stop")  # the worker takes them before its next step
        await until(pilot, lambda: app.state == "paused" and app.trainer.iteration == done + 1)
        assert app.trainer.learning_rate == 0.6 and app.trainer.num_iterations == 50
        done += 1
        # fewer iterations than were taken, without a reset: refused in the field
        await open_editor(pilot, until, app)
        await type_into(pilot, app, "iterations", "2")
        await pilot.press("enter")
        await pilot.pause()
        assert "iterations: the run has taken 4 steps; give at least 4" in " ".join(
            str(app.screen.query_one("#field-iterations", FormField).query_one(".field-error").render()).split())
        await type_into(pilot, app, "iterations", "50")
        # a field that resets asks first
        await type_into(pilot, app, "seed", "7")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("n")
        await until(pilot, lambda: not isinstance(app.screen, ConfirmScreen))
        assert app.config.seed == 3 and app.trainer.iteration == done
        await open_editor(pilot, until, app)
        await type_into(pilot, app, "seed", "7")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await until(pilot, lambda: app.config.seed == 7 and app.trainer.iteration == 0)
        assert app.config.learning_rate == 0.6 and app.config.iterations == 50


async def test_ctrl_t_goes_on_to_the_data_dialog(app_factory, until):
    from tui_nn.widgets.data_dialog import DataDialog

    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_editor(pilot, until, app)
        await pilot.press("ctrl+t")
        await until(pilot, lambda: isinstance(app.screen, DataDialog))
        await pilot.press("escape")


async def test_train_more_extends_a_finished_run_without_a_reset(app_factory, until, shown):
    app = app_factory(iterations=200)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e")
        await until(pilot, lambda: app.state == "finished")
        first = app.trainer.parameters_copy()
        await pilot.press("space")  # the run is complete: says how to go on
        await pilot.pause()
        assert app.state == "finished" and app.trainer.iteration == 200
        assert any("The run is complete (200 iterations): t trains more, r resets it." in str(n.message)
                   for n in app._notifications)
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, TrainMoreDialog))
        await pilot.press("end", "ctrl+u", "0", "enter")  # out of range: stays
        await pilot.pause()
        assert isinstance(app.screen, TrainMoreDialog)
        assert "iterations to add: must be between 1 and" in str(app.screen.query_one("#more-error").render())
        await pilot.press("ctrl+u", "3", "0", "0", "enter")
        await until(pilot, lambda: app.state == "finished" and app.trainer.iteration == 500, timeout=30)
        assert app.config.iterations == 500 and app.trainer.num_iterations == 500
        assert "500/500" in shown(app.query_one(StatusLine))
    # the same weights as one 500-iteration run: nothing was reset on the way
    from tui_nn.config import RunConfig
    from tui_nn.experiment import build_experiment

    straight = build_experiment(RunConfig(iterations=500)).new_trainer()
    for _ in straight.run():
        pass
    import numpy as np

    assert all(np.array_equal(straight.parameters[k], v) for k, v in app.trainer.parameters_copy().items())
    assert not all(np.array_equal(first[k], v) for k, v in app.trainer.parameters_copy().items())
