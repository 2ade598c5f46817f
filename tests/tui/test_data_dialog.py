"""The Data dialog (D): typed, validated data settings and input features from the keyboard."""

from __future__ import annotations

import numpy as np

from tui_nn.widgets.data_dialog import DataDialog
from tui_nn.widgets.form import FormField
from tui_nn.widgets.status_line import StatusLine

LOGISTIC = dict(dataset="circle", hidden=(), activations=(), learning_rate=0.5, iterations=2000)


async def open_dialog(pilot, until, app) -> DataDialog:
    await pilot.press("D")
    await until(pilot, lambda: isinstance(app.screen, DataDialog))
    return app.screen


async def type_into(pilot, app, key: str, text: str) -> None:
    """Tab to field ``key`` from the first one, clear it and type ``text``."""
    dialog = app.screen
    while app.focused is None or app.focused.id != f"input-{key}":
        await pilot.press("tab")
    app.focused.value = ""
    await pilot.press(*text)


def dev_accuracy(app, shown) -> float:
    line = shown(app.query_one(StatusLine))
    return float(line.split("dev ")[1].split("%")[0]) / 100


async def train_to_end(pilot, until, app) -> None:
    await pilot.press("e")
    await until(pilot, lambda: app.state == "finished", timeout=60)


async def test_squared_features_chosen_with_keys_let_logistic_regression_solve_circle(app_factory, until, shown):
    app = app_factory(**LOGISTIC)
    async with app.run_test(size=(120, 36)) as pilot:
        await train_to_end(pilot, until, app)
        raw = dev_accuracy(app, shown)
        await open_dialog(pilot, until, app)
        await type_into(pilot, app, "features", "x1^2, x2^2")
        await pilot.press("enter")
        await until(pilot, lambda: not isinstance(app.screen, DataDialog))
        await pilot.press("y")  # the reset question: training progress is lost
        await until(pilot, lambda: app.config.features == ("x1^2", "x2^2") and app.state == "ready")
        assert "x1², x2²" in " ".join(shown(app.query_one("#model-pane")).split())
        await train_to_end(pilot, until, app)
        squared = dev_accuracy(app, shown)
    assert raw <= 0.65
    assert squared >= 0.95


async def test_bad_values_stay_in_the_dialog_with_an_error_naming_the_field_and_range(app_factory, until, shown):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_dialog(pilot, until, app)
        await type_into(pilot, app, "m", "2")
        await type_into(pilot, app, "noise", "lots")
        await pilot.press("enter")
        m_field = dialog.query_one("#field-m", FormField)
        noise_field = dialog.query_one("#field-noise", FormField)
        assert "noise: expected a number, got 'lots'" in shown(noise_field.query_one(".field-error"))
        assert isinstance(app.screen, DataDialog)
        await type_into(pilot, app, "noise", "0.3")
        await type_into(pilot, app, "dev_fraction", "0.9")
        await pilot.press("enter")
        assert "m: must be between 4 and 10000000, got 2" in shown(m_field.query_one(".field-error"))
        fraction_error = shown(dialog.query_one("#field-dev_fraction", FormField).query_one(".field-error"))
        assert "dev_fraction: must be between 0.05 and 0.5, got 0.9" in fraction_error  # both at once
        assert not noise_field.has_class("-error")
        assert isinstance(app.screen, DataDialog) and app.experiment.dataset.m_train == 400
        for field in dialog.query(FormField):  # every field visible at 80x24
            assert field.region.height > 0 and field.region.bottom <= 24
        await type_into(pilot, app, "m", "600")
        await type_into(pilot, app, "dev_fraction", "0.5")
        await pilot.press("enter")
        await until(pilot, lambda: app.experiment.dataset.m_train == 600)
        ds = app.experiment.dataset
        assert ds.m_dev == 600 and app.config.dev_fraction == 0.5 and app.config.noise == 0.3


async def test_ctrl_n_draws_the_data_anew_and_escape_changes_nothing(app_factory, until):
    app = app_factory(dataset="noisy_moons")
    async with app.run_test(size=(120, 36)) as pilot:
        before = np.array(app.experiment.dataset.X_train)
        dialog = await open_dialog(pilot, until, app)
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, DataDialog))
        assert app.config.data_seed is None
        dialog = await open_dialog(pilot, until, app)
        await pilot.press("ctrl+n")
        assert dialog.query_one("#field-data_seed", FormField).text == "2"
        await pilot.press("enter")
        await until(pilot, lambda: app.config.data_seed == 2)
        after = app.experiment.dataset.X_train
        assert after.shape == before.shape and not np.array_equal(after, before)


async def test_fields_that_do_not_apply_are_disabled_with_the_reason(app_factory, until):
    app = app_factory(dataset="iris", hidden=(8,), activations=("tanh",))
    async with app.run_test(size=(120, 36)) as pilot:
        dialog = await open_dialog(pilot, until, app)
        m_input = dialog.query_one("#input-m")
        assert m_input.disabled and "generated sets only" in m_input.placeholder
        assert "2-feature data only" in dialog.query_one("#input-features").placeholder
        assert not dialog.query_one("#input-dev_fraction").disabled
        assert app.focused.id == "input-dev_fraction"
        await pilot.press(*"0.4", "enter")
        await until(pilot, lambda: app.config.dev_fraction == 0.4)
        assert app.experiment.dataset.m_dev == 60  # 40 % of iris's 150 rows, 20 of each species
