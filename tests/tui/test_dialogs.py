"""Modal dialogs: gradient check, saving and loading models and configs, the dataset picker."""

from __future__ import annotations

import re
import sys

import numpy as np

from tui_nn.config import load_config
from tui_nn.core import load_model
from tui_nn.views import ThumbnailView
from tui_nn.widgets.confirm_screen import ConfirmScreen
from tui_nn.widgets.dataset_picker import DatasetPicker
from tui_nn.widgets.gradcheck_screen import GradCheckScreen
from tui_nn.widgets.model_pane import ModelPane
from tui_nn.widgets.path_prompt import PathPrompt


async def type_path(pilot, until, app, path: str) -> None:
    """Replace the prompt's text with ``path`` and press enter."""
    await until(pilot, lambda: isinstance(app.screen, PathPrompt))
    app.screen.query_one("Input").value = ""
    await pilot.press(*list(path))
    await pilot.press("enter")


async def pick_file(pilot, until, app, path) -> None:
    """Open the dataset picker, type ``path`` into its file field and press enter."""
    await pilot.press("d")
    await until(pilot, lambda: isinstance(app.screen, DatasetPicker))
    field = app.screen.query_one("Input")
    field.value = str(path)
    field.focus()
    await pilot.press("enter")


async def test_gradient_check_dialog_shows_errors_below_1e7(app_factory, until, shown):
    app = app_factory(hidden=(5, 3), activations=("tanh", "relu"), init="xavier")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, GradCheckScreen))
        body = app.screen.query_one("#gradcheck-body")
        await until(pilot, lambda: "e-" in shown(body))
        errors = [float(x) for x in re.findall(r"\d\.\d\de-\d\d", shown(body))]
        assert len(errors) == 4  # three layers and the total
        assert max(errors) < 1e-7
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, GradCheckScreen))


async def test_save_and_load_a_model_round_trips_the_weights(app_factory, until, tmp_path):
    app = app_factory(iterations=100)
    path = tmp_path / "flower.npz"
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("e")
        await until(pilot, lambda: app.state == "finished")
        trained = app.trainer.parameters_copy()  # the UI side always copies
        path.write_bytes(b"an older file")
        await pilot.press("ctrl+s")
        await type_path(pilot, until, app, str(path))
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))  # it exists: replace it?
        await pilot.press("y")
        await until(pilot, lambda: path.stat().st_size > 100)
        saved = load_model(path)
        for k, v in trained.items():
            np.testing.assert_array_equal(saved.parameters[k], v)
        await pilot.press("r")  # back to the initial weights, after a yes
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y", "full_stop")
        await until(pilot, lambda: app.trainer.iteration == 1)
        await pilot.press("ctrl+o")
        await type_path(pilot, until, app, str(path))
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await until(pilot, lambda: app.trainer.iteration == 0)
        for k, v in trained.items():
            np.testing.assert_array_equal(app.trainer.parameters_copy()[k], v)


async def test_loading_a_broken_model_file_says_why_and_keeps_the_model(app_factory, until, tmp_path):
    bad = tmp_path / "broken.npz"
    bad.write_bytes(b"PK\x03\x04 this is not a model")
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        before = app.experiment
        await pilot.press("ctrl+o")
        await type_path(pilot, until, app, str(bad))
        await until(pilot, lambda: any("broken.npz" in str(n.message) for n in app._notifications))
        assert app.experiment is before


async def test_save_config_writes_a_file_train_can_read(app_factory, until, tmp_path):
    app = app_factory(hidden=(6,), activations=("relu",), learning_rate=0.3)
    path = tmp_path / "exp.toml"
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("w")
        await type_path(pilot, until, app, str(path))
        await until(pilot, lambda: path.exists())
        assert load_config(path) == app.config


async def test_dataset_picker_switches_to_a_builtin(app_factory, until, shown):
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, DatasetPicker))
        options = app.screen.query_one("OptionList")
        names = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert "flower" in names and "noisy_moons" in names and "spiral" in names
        options.highlighted = names.index("noisy_moons")
        await pilot.press("enter")
        await until(pilot, lambda: app.experiment.dataset.name == "noisy_moons")
        assert "noisy_moons" in shown(app.query_one(ModelPane))


async def test_dataset_picker_path_with_a_bad_file_shows_the_error(app_factory, until, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b,label\n1,2,0\n3,oops,1\n")
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await pick_file(pilot, until, app, bad)
        await until(pilot, lambda: any("oops" in str(n.message) for n in app._notifications))
        assert app.experiment.dataset.name == "flower"


async def test_names_from_files_are_shown_literally(app_factory, until, shown, tmp_path):
    path = tmp_path / "[bold red]evil\x1b[31m.csv"
    rows = ["x1,x2,[b]label[/b]"] + [f"{i % 7},{(i * 3) % 5},{i % 2}" for i in range(40)]
    path.write_text("\n".join(rows) + "\n")
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await pick_file(pilot, until, app, path)
        await until(pilot, lambda: app.experiment.dataset.name != "flower")
        text = shown(app.query_one(ModelPane))
        assert "[bold red]evil" in text
        assert "\x1b" not in text


async def test_load_config_key_applies_a_config_file(app_factory, until, tmp_path):
    path = tmp_path / "exp.toml"
    path.write_text('dataset = "noisy_moons"\nhidden = [6, 3]\nactivations = ["relu", "tanh"]\nlearning_rate = 0.3\n')
    bad = tmp_path / "bad.toml"
    bad.write_text("hiden = [3]\n")
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("ctrl+l")
        await type_path(pilot, until, app, str(bad))
        await until(pilot, lambda: any("hiden" in str(n.message) for n in app._notifications))
        assert app.experiment.dataset.name == "flower"
        await pilot.press("ctrl+l")
        await type_path(pilot, until, app, str(path))
        await until(pilot, lambda: app.experiment.dataset.name == "noisy_moons")
        assert app.experiment.spec.layer_dims == (2, 6, 3, 1)
        assert app.trainer.learning_rate == 0.3


async def test_image_data_shows_thumbnails_with_labels(app_factory, until, shown):
    app = app_factory(dataset="digits", hidden=(16,), activations=("relu",), init="he", learning_rate=0.3,
                      iterations=30)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("e")
        await until(pilot, lambda: app.state == "finished")
        view = app.query_one("#boundary-pane").view
        assert isinstance(view, ThumbnailView)
        assert len(view.images) == 6 and view.images[0].shape == (8, 8)
        truth = app.experiment.dataset.Y_dev[0, :6].tolist()
        assert list(view.truth) == truth
        text = shown(app.query_one("#boundary-pane"))
        assert "▀" in text and "predicted" in text
        assert str(truth[0]) in text


async def test_tab_in_the_dataset_picker_reaches_the_path_field(app_factory, until):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, DatasetPicker))
        field = app.screen.query_one("Input")
        assert field.region.height > 0  # visible even at 80x24
        await pilot.press("tab")
        assert app.focused is field
        await pilot.press(*"noisy")
        assert field.value == "noisy"
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, DatasetPicker))
        await pilot.press("question_mark")  # keys work again after the picker
        await until(pilot, lambda: type(app.screen).__name__ == "HelpScreen")


async def test_the_picker_marks_sets_that_cannot_open_and_says_what_they_need(app_factory, until, shown,
                                                                              tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "sklearn", None)  # as if the sklearn extra were not installed
    monkeypatch.chdir(tmp_path)  # and the cat/non-cat files nowhere to be found
    monkeypatch.delenv("TUI_NN_DATA", raising=False)
    app = app_factory()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, DatasetPicker))
        options = app.screen.query_one("OptionList")
        names = [options.get_option_at_index(i).id for i in range(options.option_count)]
        prompt = {name: str(options.get_option_at_index(i).prompt) for i, name in enumerate(names)}
        for name in ("digits", "iris", "wine", "breast_cancer"):
            assert "✗ needs scikit-learn: " in prompt[name] and "[sklearn]" in prompt[name], name
        assert "✗ its HDF5 files were not found" in prompt["catvnoncat"]
        assert "✗" not in prompt["flower"] and "✗" not in prompt["spiral"]
        await pilot.press("end")  # the marked sets can be reached (and read) with the keys
        assert names[options.highlighted] == "wine"
        await pilot.press("enter")  # choosing one says what it needs, and the picker stays
        await until(pilot, lambda: any("needs scikit-learn" in str(n.message) for n in app._notifications))
        assert isinstance(app.screen, DatasetPicker)
        assert app.experiment.dataset.name == "flower"
