"""The app and the watcher on hostile files: FIFOs, devices, bombs, bad records, escapes; they say why and carry on."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import numpy as np

from tui_nn.core import NetworkSpec, initialize_parameters, save_model
from tui_nn.core.modelfile import parameters_checksum
from tui_nn.runs.files import LOG_NAME
from tui_nn.watch_app import WatchApp
from tui_nn.widgets.cost_plot import CostPlot
from tui_nn.widgets.path_prompt import PathPrompt
from tui_nn.widgets.status_line import StatusLine


async def type_path(pilot, until, app, path: str) -> None:
    await until(pilot, lambda: isinstance(app.screen, PathPrompt))
    app.screen.query_one("Input").value = str(path)
    await pilot.press("enter")


def notified(app, fragment: str) -> bool:
    return any(fragment in str(n.message) for n in app._notifications)


def nan_model(path: Path) -> Path:
    """A model file like ``save_model`` writes, with a NaN weight (which ``save_model`` refuses)."""
    params = initialize_parameters((2, 4, 1), "random", seed=3)
    params["W1"][0, 0] = np.nan
    meta = {"format": "tui-nn-model", "format_version": 1, "layer_dims": [2, 4, 1], "hidden_activations": ["tanh"],
            "output": "sigmoid", "checksum": parameters_checksum(params), "extra": {}}
    buf = io.BytesIO()
    np.savez(buf, **params, __meta__=np.array(json.dumps(meta)))
    path.write_bytes(buf.getvalue())
    return path


async def test_loading_hostile_model_files_says_why_and_keeps_the_model(app_factory, until, tmp_path):
    os.mkfifo(tmp_path / "pipe.npz")
    os.symlink("/dev/zero", tmp_path / "zero.npz")
    nan_model(tmp_path / "nan.npz")
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        before = app.experiment
        for name, why in (("pipe.npz", "is a FIFO (named pipe)"), ("zero.npz", "is a character device"),
                          ("nan.npz", "W1 holds NaN or infinite values")):
            await pilot.press("ctrl+o")
            await type_path(pilot, until, app, str(tmp_path / name))
            await until(pilot, lambda: notified(app, why))
            assert app.experiment is before and app.is_running


async def test_a_model_too_big_to_train_here_is_refused_with_both_figures(app_factory, until, tmp_path, monkeypatch):
    spec = NetworkSpec((2, 1024, 1), ("tanh",), "sigmoid")
    save_model(tmp_path / "wide.npz", spec, initialize_parameters(spec.layer_dims, "random", seed=1))
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        monkeypatch.setenv("TUI_NN_MEMORY_LIMIT", "4M")
        await pilot.press("ctrl+o")
        await type_path(pilot, until, app, str(tmp_path / "wide.npz"))
        await until(pilot, lambda: notified(app, "would need about"))
        assert notified(app, "4 MiB is available") and app.experiment.spec.layer_dims == (2, 4, 1)


async def test_loading_hostile_configs_says_why_and_keeps_the_experiment(app_factory, until, tmp_path):
    (tmp_path / "deep.json").write_text('{"hidden": ' + "[" * 50000 + "]" * 50000 + "}")
    (tmp_path / "huge.toml").write_text("m = 10000000\nhidden = [4096]\n")
    os.mkfifo(tmp_path / "pipe.toml")
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        for name, why in (("deep.json", "nested more than 32 levels deep"), ("huge.toml", "TiB of memory"),
                          ("pipe.toml", "is a FIFO (named pipe)")):
            await pilot.press("ctrl+l")
            await type_path(pilot, until, app, str(tmp_path / name))
            await until(pilot, lambda: notified(app, why))
            assert app.experiment.spec.layer_dims == (2, 4, 1) and app.is_running


def write_log(run: Path, lines: list[str]) -> None:
    run.mkdir(parents=True, exist_ok=True)
    (run / LOG_NAME).write_text("".join(line + "\n" for line in lines))


def good_eval(i: int) -> str:
    return json.dumps({"type": "eval", "iteration": i, "elapsed": i / 100, "cost": 0.5 - i / 10000,
                       "train_accuracy": 0.5, "dev_accuracy": 0.5, "status": "running"})


async def test_the_watcher_survives_every_bad_record_and_shows_nothing_raw(tmp_path, until):
    """The records that used to crash ``tui-nn watch`` or kill its polling thread, then good ones."""
    run = tmp_path / "run"
    escape = "\x1b]0;pwned\x07"
    write_log(run, [
        json.dumps({"type": "header", "config": {"iterations": escape}}),
        json.dumps({"type": "header", "config": [1, 2]}),
        json.dumps({"type": "header", "time": 0, "config": {"dataset": "flower", "iterations": 1000, "learning_rate": 1.2}}),
        '{"type": "eval", "iteration": 100000000000000000000}',
        '{"type": "eval", "iteration": 3, "train_accuracy": "high"}',
        '{"type": "eval", "iteration": 3, "cost": ' + "9" * 400 + "}",
        '{"type": "eval", "iteration": ' + "9" * 5000 + "}",
        '{"type": "eval", "iteration": true}',
        good_eval(100),
        json.dumps({"type": "ack", "command": "pause", "ok": True, "message": escape, "paused": False}),
    ])
    app = WatchApp([run])
    async with app.run_test(size=(120, 36)) as pilot:
        status = app.query_one(StatusLine)
        await until(pilot, lambda: status.iteration == 101)
        assert "7 malformed line(s) skipped" in status.message and status.total == 1000
        assert "\x1b" not in status.render().plain and "\x07" not in status.render().plain
        with open(run / LOG_NAME, "a") as f:  # the polling thread is alive: later records still arrive
            f.write(good_eval(200) + "\n")
        await until(pilot, lambda: status.iteration == 201)
        assert app.query_one(CostPlot).point_count() == 2


async def test_the_watcher_says_why_a_log_cannot_be_read(tmp_path, until):
    run = tmp_path / "run"
    run.mkdir()
    os.mkfifo(run / LOG_NAME)
    app = WatchApp([run])
    async with app.run_test(size=(120, 36)) as pilot:
        status = app.query_one(StatusLine)
        await until(pilot, lambda: "is a FIFO (named pipe), not a regular file" in status.message)
