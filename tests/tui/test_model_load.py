"""Loading a model (ctrl+o): the app says what was loaded (file, data set, iterations, accuracy)
and offers to switch to the data set the file records when it is not the one on screen."""

from __future__ import annotations

import numpy as np
import pytest

from tui_nn.config import RunConfig
from tui_nn.core import accuracy, load_model, save_model
from tui_nn.experiment import build_experiment
from tui_nn.widgets.confirm_screen import ConfirmScreen
from tui_nn.widgets.path_prompt import PathPrompt
from tui_nn.widgets.status_line import StatusLine

pytest.importorskip("sklearn", reason="the iris data set needs the sklearn extra")

IRIS = RunConfig(dataset="iris", hidden=(8,), activations=("tanh",), init="xavier", seed=1, learning_rate=0.5,
                 iterations=300)


def trained_iris(path) -> tuple[dict, float]:
    """Train the iris recipe for 300 iterations and save it as tui-nn does; the weights and train accuracy."""
    exp = build_experiment(IRIS)
    trainer = exp.new_trainer()
    for _ in trainer.run():
        pass
    params = trainer.parameters_copy()
    ds = exp.dataset
    train = accuracy(ds.X_train, ds.targets(ds.Y_train), params, exp.spec)
    save_model(path, exp.spec, params, {**exp.model_metadata(300), "train_accuracy": train})
    return params, train


def messages(app) -> str:
    return " ".join(" ".join(str(n.message) for n in app._notifications).split())


async def load(pilot, until, app, path) -> None:
    await pilot.press("ctrl+o")
    await until(pilot, lambda: isinstance(app.screen, PathPrompt))
    app.screen.query_one("Input").value = ""
    await pilot.press(*str(path), "enter")


async def test_a_model_from_another_data_set_offers_the_switch_and_says_what_it_loaded(app_factory, until, tmp_path, shown):
    path = tmp_path / "iris-model.npz"
    params, train = trained_iris(path)
    record = load_model(path).metadata["extra"]
    assert record["dataset"] == "iris" and record["config"]["hidden"] == [8]
    assert record["input_columns"][:1] == ["sepal length (cm)"] and record["class_names"] == ["setosa", "versicolor", "virginica"]
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await load(pilot, until, app, path)
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        question = " ".join(shown(app.screen.query_one("Static")).split())
        assert "iris-model.npz: [4, 8, 3] trained on iris for 300 iterations" in question
        assert f"(train {100 * train:.1f} % when saved)" in question
        assert "Switch to iris to use it (y), or try it on flower (n)?" in question
        await pilot.press("y")
        await until(pilot, lambda: app.config.dataset == "iris", timeout=30)
        assert app.experiment.spec.layer_dims == (4, 8, 3)
        for k, v in params.items():
            np.testing.assert_array_equal(app.trainer.parameters_copy()[k], v)
        await until(pilot, lambda: "Loaded iris-model.npz" in messages(app))
        assert f"On iris now: train {100 * train:.1f} %, dev" in messages(app)
        status = app.query_one(StatusLine)
        assert status.train_accuracy == train and status.dev_accuracy is not None


async def test_no_tries_it_on_the_data_on_screen_and_says_why_it_does_not_fit(app_factory, until, tmp_path):
    path = tmp_path / "iris-model.npz"
    trained_iris(path)
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        before = app.experiment
        await load(pilot, until, app, path)
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("n")
        await until(pilot, lambda: "the model takes 4 inputs" in messages(app))
        assert "(it was trained on iris)" in messages(app)
        assert app.experiment is before


async def test_a_model_of_the_same_data_set_loads_at_once_with_its_accuracy(app_factory, until, tmp_path):
    app = app_factory(iterations=300)
    path = tmp_path / "flower.npz"
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("e")
        await until(pilot, lambda: app.state == "finished")
        train = app.query_one(StatusLine).train_accuracy
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, PathPrompt))
        app.screen.query_one("Input").value = ""
        await pilot.press(*str(path), "enter")
        await until(pilot, lambda: path.exists())
        assert load_model(path).metadata["extra"]["train_accuracy"] == train
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await until(pilot, lambda: app.trainer.iteration == 0)
        await load(pilot, until, app, path)
        await until(pilot, lambda: "Loaded flower.npz" in messages(app))
        assert f"[2, 4, 1] trained on flower for 300 iterations (train {100 * train:.1f} %" in messages(app)
        assert f"On flower now: train {100 * train:.1f} %" in messages(app)
        assert app.query_one(StatusLine).train_accuracy == train
