"""One definition of the reported accuracy: the same run gives the same figures in the app
(status line and the cost plot's border), in ``tui-nn train``'s summary and in its log."""

from __future__ import annotations

import re

import pytest

from tui_nn.app import TuiNNApp
from tui_nn.config import RunConfig
from tui_nn.core import accuracy, load_model
from tui_nn.experiment import build_experiment
from tui_nn.widgets.cost_plot import CostPlot
from tui_nn.widgets.status_line import StatusLine


async def _app_accuracies(cfg: RunConfig) -> tuple[float, float, str, dict]:
    """Train ``cfg`` to the end in the app; the status line's accuracies, the plot's note, the weights."""
    app = TuiNNApp(build_experiment(cfg))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("e")
        for _ in range(1200):
            if app.state == "finished":
                break
            await pilot.pause(0.05)
        assert app.state == "finished"
        status = app.query_one(StatusLine)
        return status.train_accuracy, status.dev_accuracy, app.query_one(CostPlot).accuracy_note, app.trainer.parameters_copy()


@pytest.mark.parametrize("flags, cfg", [
    ((), RunConfig()),  # the course's flower net: 10000 iterations
    (("--hidden", "5", "--activations", "relu", "--batch-size", "64", "--optimizer", "adam", "--lr", "0.01", "-n", "300"),
     RunConfig(hidden=(5,), activations=("relu",), batch_size=64, optimizer="adam", learning_rate=0.01, iterations=300)),
])
async def test_app_cli_and_log_report_the_same_accuracies(cli, flags, cfg):
    out = cli.run("train", *flags, timeout=120)
    assert out.returncode == 0, out.stderr
    [run_dir] = cli.runs()
    records = cli.records(run_dir)
    last_eval = [r for r in records if r["type"] == "eval"][-1]
    end = records[-1]
    assert last_eval["iteration"] == cfg.iterations - 1
    # the log: its last evaluation and its end record agree
    assert last_eval["train_accuracy"] == end["train_accuracy"] and last_eval["dev_accuracy"] == end["dev_accuracy"]
    # the summary line prints them
    printed = re.search(r"train\s+([\d.]+) %.*\n\s+dev\s+([\d.]+) %", out.stdout)
    assert printed, out.stdout
    assert (float(printed.group(1)), float(printed.group(2))) == (
        round(100 * end["train_accuracy"], 1), round(100 * end["dev_accuracy"], 1))
    # the app: the same run, the same figures, to the last digit
    train, dev, note, params = await _app_accuracies(cfg)
    assert (train, dev) == (end["train_accuracy"], end["dev_accuracy"])
    assert note == f"train {train:.1%}  dev {dev:.1%}"
    # and they are the final weights' (the ones saved as last.npz)
    exp = build_experiment(cfg)
    ds = exp.dataset
    assert train == accuracy(ds.X_train, ds.targets(ds.Y_train), params, exp.spec)
    saved = load_model(run_dir / "last.npz").parameters
    assert train == accuracy(ds.X_train, ds.targets(ds.Y_train), saved, exp.spec)
