"""The export key (ctrl+e): the trained model as a NumPy script or ONNX, asking before replacing files."""

from __future__ import annotations

import importlib.util
import runpy

import numpy as np
import pytest

from tui_nn.core import predict_proba
from tui_nn.widgets.confirm_screen import ConfirmScreen
from tui_nn.widgets.help_screen import keys_table, unique_bindings
from tui_nn.widgets.path_prompt import PathPrompt


async def export_to(pilot, until, app, path) -> None:
    await pilot.press("ctrl+e")
    await until(pilot, lambda: isinstance(app.screen, PathPrompt))
    app.screen.query_one("Input").value = str(path)
    await pilot.press("enter")


async def test_ctrl_e_exports_the_trained_model_as_a_numpy_script(app_factory, until, tmp_path):
    app = app_factory(dataset="circle", features=("x1^2", "x2^2"), hidden=(), activations=(), iterations=200,
                      learning_rate=0.5)
    script = tmp_path / "circle_net.py"
    async with app.run_test(size=(120, 36)) as pilot:
        assert "Export model (ctrl+e)" in [c.title for c in app.get_system_commands(app.screen)]
        table = keys_table(unique_bindings(app.BINDINGS))  # what the help screen (?) shows
        assert "Export model" in [str(c) for col in table.columns for c in col._cells]
        await pilot.press("e")
        await until(pilot, lambda: app.state == "finished")
        await export_to(pilot, until, app, script)
        await until(pilot, lambda: (tmp_path / "circle_net_weights.npz").exists() and script.exists())
        exp, params = app.experiment, app.trainer.parameters_copy()
    module = runpy.run_path(str(script))
    X_raw = exp.source_dataset.X_dev
    assert np.array_equal(module["predict_proba"](X_raw), predict_proba(exp.dataset.X_dev, params, exp.spec))
    accuracy = np.mean(module["predict"](X_raw) == exp.dataset.Y_dev)
    assert accuracy > 0.9  # logistic regression on x1^2, x2^2 separates the circle


async def test_ctrl_e_asks_before_replacing_and_keeps_the_files_on_no(app_factory, until, tmp_path):
    app = app_factory(iterations=50)
    script = tmp_path / "net.py"
    (tmp_path / "net_weights.npz").write_bytes(b"precious")  # only the weights file exists: still asked
    async with app.run_test(size=(120, 36)) as pilot:
        await export_to(pilot, until, app, script)
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("n")
        await until(pilot, lambda: not isinstance(app.screen, ConfirmScreen))
        await pilot.pause(0.2)
        assert not script.exists() and (tmp_path / "net_weights.npz").read_bytes() == b"precious"
        await export_to(pilot, until, app, script)
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await until(pilot, lambda: script.exists())
        assert (tmp_path / "net_weights.npz").read_bytes() != b"precious"


async def test_ctrl_e_writes_onnx_for_a_onnx_path_and_refuses_other_suffixes(app_factory, until, tmp_path):
    if importlib.util.find_spec("onnx") is None:
        pytest.skip("ONNX export needs the onnx extra")
    app = app_factory(iterations=50)
    notes: list[str] = []
    async with app.run_test(size=(120, 36)) as pilot:
        app.notify = lambda message, **kw: notes.append(str(message))
        await export_to(pilot, until, app, tmp_path / "net.onnx")
        await until(pilot, lambda: (tmp_path / "net.onnx").exists())
        await export_to(pilot, until, app, tmp_path / "net.txt")
        await until(pilot, lambda: any(".onnx file" in n for n in notes))
        assert not (tmp_path / "net.txt").exists()
