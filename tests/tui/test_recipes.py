"""Recommended settings per data set: offered when the data set changes (apply or keep), and
filled into the editor on ctrl+r."""

from __future__ import annotations

import pytest

from tui_nn.config import RunConfig
from tui_nn.recipes import RECIPES, differs, recipe_for
from tui_nn.widgets.confirm_screen import ConfirmScreen
from tui_nn.widgets.dataset_picker import DatasetPicker
from tui_nn.widgets.hyper_dialog import HyperparameterEditor

pytest.importorskip("sklearn", reason="the digits data set needs the sklearn extra")


def test_the_course_recipes_and_their_provenance():
    flower = RECIPES["flower"].apply(RunConfig(dataset="flower"))
    assert flower == RunConfig()  # the app's defaults are the course's planar net
    cat = RECIPES["catvnoncat"].apply(RunConfig(dataset="catvnoncat"))
    assert (cat.hidden, cat.activations, cat.init, cat.seed, cat.learning_rate, cat.iterations) == (
        (20, 7, 5), ("relu",) * 3, "xavier", 1, 0.0075, 2500)
    assert RECIPES["catvnoncat"].describe() == "[20, 7, 5] relu, xavier init, seed 1, lr 0.0075, 2500 iterations"
    assert all(r.source.endswith(")." ) or r.source.endswith(".") for r in RECIPES.values())
    assert recipe_for("../shared/data/catvnoncat/train_catvnoncat.h5") is RECIPES["catvnoncat"]
    assert recipe_for("spiral") is None
    assert not differs(RECIPES["flower"], RunConfig())


async def pick(pilot, until, app, name: str) -> None:
    await pilot.press("d")
    await until(pilot, lambda: isinstance(app.screen, DatasetPicker))
    await pilot.press("tab", *name, "enter")


async def test_switching_the_data_set_offers_its_recipe_and_y_applies_it(app_factory, until, shown):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pick(pilot, until, app, "digits")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        question = " ".join(shown(app.screen.query_one("Static")).split())
        assert "Recommended for digits: [64] relu, he init, seed 1, adam, mini-batch 64, lr 0.001, 100 iterations" in question
        assert "Measured for tui-nn" in question
        await pilot.press("y")
        await until(pilot, lambda: app.config.dataset == "digits", timeout=30)
        cfg = app.config
        assert (cfg.hidden, cfg.activations, cfg.init, cfg.optimizer, cfg.batch_size, cfg.learning_rate, cfg.iterations) == (
            (64,), ("relu",), "he", "adam", 64, 0.001, 100)
        assert app.experiment.spec.layer_dims == (64, 64, 10)


async def test_n_keeps_the_current_settings_on_the_new_data_set(app_factory, until):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pick(pilot, until, app, "digits")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("n")
        await until(pilot, lambda: app.config.dataset == "digits", timeout=30)
        cfg = app.config
        assert (cfg.hidden, cfg.activations, cfg.learning_rate, cfg.iterations, cfg.init) == ((4,), ("tanh",), 1.2, 10000, "random")


async def test_ctrl_r_fills_the_recipe_into_the_editor(app_factory, until):
    app = app_factory(hidden=(9,), learning_rate=0.3, init="he")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("h")
        await until(pilot, lambda: isinstance(app.screen, HyperparameterEditor))
        await pilot.press("ctrl+r", "enter")
        await until(pilot, lambda: app.config == RunConfig())
