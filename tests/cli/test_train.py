"""``tui-nn train``, ``runs`` and ``datasets`` as real subprocesses."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tui_nn.config import RunConfig, load_config
from tui_nn.core import load_model


def test_flower_default_config_reaches_about_90_percent(cli):
    """The must-show: 4 tanh units, 10000 iterations, lr 1.2, seed 3, random init 0.01 (RunConfig's defaults)."""
    cfg = RunConfig()
    assert (cfg.dataset, cfg.hidden, cfg.activations, cfg.iterations, cfg.learning_rate, cfg.seed, cfg.init, cfg.init_scale) == (
        "flower", (4,), ("tanh",), 10000, 1.2, 3, "random", 0.01)
    out = cli.run("train")
    assert out.returncode == 0, out.stderr
    assert "finished after 10000 iterations" in out.stdout
    [run_dir] = cli.runs()
    records = cli.records(run_dir)
    end = records[-1]
    assert end["type"] == "end" and end["state"] == "finished" and end["iterations"] == 10000
    assert 0.89 <= end["train_accuracy"] <= 0.92
    assert f"train  {100 * end['train_accuracy']:.1f} %" in out.stdout
    assert str(run_dir.relative_to(cli.cwd)) in out.stdout
    # stderr is not a terminal: plain lines, no carriage returns
    assert "\r" not in out.stderr and out.stderr.count("\n") >= 10
    # the run folder
    assert load_config(run_dir / "config.toml") == cfg
    last = load_model(run_dir / "last.npz")
    assert last.metadata["extra"]["iteration"] == 10000 and last.metadata["extra"]["optimizer"] == "gd"
    best = load_model(run_dir / "best.npz")
    assert best.metadata["extra"]["dev_accuracy"] == max(r["dev_accuracy"] for r in records if r["type"] == "eval")


def test_log_schema_and_every_line_is_strict_json(cli):
    out = cli.run("train", "--hidden", "5,3", "--activations", "relu,tanh", "-n", "250", "--eval-every", "50")
    assert out.returncode == 0, out.stderr
    [run_dir] = cli.runs()
    raw = (run_dir / "metrics.jsonl").read_bytes()
    assert raw.endswith(b"\n")
    records = cli.records(run_dir)  # parse_constant raises on NaN/Infinity
    header, *evals, end = records
    assert header["type"] == "header" and header["schema_version"] == 1 and header["run_id"] == run_dir.name
    assert header["config"]["hidden"] == [5, 3] and header["spec"]["layer_dims"] == [2, 5, 3, 1]
    assert header["dataset"]["name"] == "flower" and header["dataset"]["m_train"] == 400
    assert [r["iteration"] for r in evals] == [0, 50, 100, 150, 200, 249]
    for r in evals:
        assert r["type"] == "eval" and {"cost", "learning_rate", "train_accuracy", "dev_accuracy", "dev_cost"} <= set(r)
        assert [s["layer"] for s in r["layers"]] == [1, 2, 3]
        assert {"W", "b", "A", "dW", "update_ratio", "dead", "saturated", "W_hist", "A_hist"} <= set(r["layers"][0])
    assert end["type"] == "end" and end["state"] == "finished" and end["exit_status"] == 0


def test_diverging_run_writes_null_plus_string_and_exits_1(cli):
    out = cli.run("train", "--hidden", "8", "--activations", "relu", "--init", "he", "--lr", "1e6", "-n", "200", "--eval-every", "1")
    assert out.returncode == 1, out.stderr
    [run_dir] = cli.runs()
    records = cli.records(run_dir)
    end = records[-1]
    assert end["state"] == "diverged" and "divergence" in end
    assert {"iteration", "layer", "array", "reason"} <= set(end["divergence"])
    assert "Diverged at iteration" in end["reason"] and "diverged" in out.stdout
    nonfinite = [r for r in records if any(k.endswith("_str") for k in r)]
    if nonfinite:  # a non-finite cost is written as null plus its text
        key = next(k for k in nonfinite[0] if k.endswith("_str"))
        assert nonfinite[0][key[:-4]] is None and nonfinite[0][key] in ("nan", "inf", "-inf")


def test_config_file_and_flags_override_it(cli):
    (cli.cwd / "exp.toml").write_text('hidden = [6]\nactivations = ["relu"]\niterations = 40\nlearning_rate = 0.5\neval_every = 20\n')
    out = cli.run("train", "--config", "exp.toml", "--lr", "0.1", "--out", "elsewhere")
    assert out.returncode == 0, out.stderr
    [run_dir] = cli.runs("elsewhere")
    cfg = load_config(run_dir / "config.toml")
    assert cfg.hidden == (6,) and cfg.activations == ("relu",) and cfg.learning_rate == 0.1 and cfg.iterations == 40
    (cli.cwd / "exp.json").write_text(json.dumps({"hidden": [3, 3], "iterations": 10}))
    out = cli.run("train", "-c", "exp.json", "--activations", "tanh", "-o", "j")
    assert out.returncode == 0, out.stderr
    assert load_config(cli.runs("j")[0] / "config.toml").activations == ("tanh", "tanh")


@pytest.mark.parametrize(
    "args, key",
    [
        (["--hidden", "20,x"], "hidden"),
        (["--hidden", "0"], "hidden"),
        (["--activations", "swish"], "activations"),
        (["--hidden", "4,4", "--activations", "relu,tanh,relu"], "activations"),
        (["--lr", "-1"], "learning_rate"),
        (["--lr", "fast"], "learning_rate"),
        (["--iterations", "0"], "iterations"),
        (["--optimizer", "sgdx"], "optimizer"),
        (["--init", "ones"], "init"),
        (["--seed", "1.5"], "seed"),
        (["--batch-size", "0"], "batch_size"),
        (["--eval-every", "0"], "eval_every"),
        (["--hidden", "4,,3"], "hidden"),
        (["--activations", "relu,,tanh"], "activations"),
        (["--output", "softmax"], "output"),
        (["--dataset", "plane", "--output", "sigmoid", "--hidden", "4"], "output"),
    ],
)
def test_bad_flags_name_the_key(cli, args, key):
    out = cli.run("train", *args)
    assert out.returncode == 2
    assert f"{key}:" in out.stderr and "Traceback" not in out.stderr
    assert not cli.runs()


def test_bad_config_files_name_the_key(cli):
    (cli.cwd / "bad.toml").write_text('hidden = [4]\nlearnig_rate = 0.1\n')
    out = cli.run("train", "--config", "bad.toml")
    assert out.returncode == 2 and "unknown key 'learnig_rate'" in out.stderr and "bad.toml" in out.stderr
    (cli.cwd / "bad2.toml").write_text('iterations = "many"\n')
    out = cli.run("train", "--config", "bad2.toml")
    assert out.returncode == 2 and "iterations:" in out.stderr and "Traceback" not in out.stderr
    out = cli.run("train", "--config", "missing.toml")
    assert out.returncode == 2 and "no such config file" in out.stderr


def test_dataset_errors_are_clean(cli):
    out = cli.run("train", "--dataset", "no-such-dataset")
    assert out.returncode == 2 and "Traceback" not in out.stderr and "unknown dataset 'no-such-dataset'" in out.stderr
    out = cli.run("train", "--dataset", "missing.csv")
    assert out.returncode == 2 and "missing.csv" in out.stderr and "Traceback" not in out.stderr
    assert not cli.runs()


def test_watch_refuses_a_folder_that_is_not_a_run(cli):
    out = cli.run("watch", str(cli.cwd))
    assert out.returncode == 2 and "not a run or sweep folder" in out.stderr


def test_hidden_layers_without_activations_use_the_default_tanh(cli):
    out = cli.run("train", "--hidden", "6,3", "-n", "5", "--quiet")
    assert out.returncode == 0, out.stderr
    (run,) = cli.runs()
    assert 'activations = ["tanh", "tanh"]' in (run / "config.toml").read_text()


def test_runs_and_datasets(cli):
    assert cli.run("train", "-n", "30", "--eval-every", "10", "-q").returncode == 0
    out = cli.run("runs")
    assert out.returncode == 0, out.stderr
    header, row = out.stdout.strip().splitlines()
    assert header.split()[:4] == ["RUN", "STATE", "ITERATIONS", "BEST"]
    [run_dir] = cli.runs()
    assert row.split()[:3] == [run_dir.name, "finished", "30/30"] and row.split()[3].endswith("%")
    assert cli.run("runs", "runs/" + run_dir.name).stdout.strip().splitlines()[1].split()[0] == run_dir.name
    out = cli.run("runs", "nowhere")
    assert out.returncode == 1 and "no such folder" in out.stdout
    (cli.cwd / "empty").mkdir()
    assert "no runs in" in cli.run("runs", "empty").stdout
    out = cli.run("datasets")
    assert out.returncode == 0 and "flower" in out.stdout and "petal" in out.stdout


def test_watch_needs_existing_runs_and_the_app_checks_flags(cli):
    out = cli.run("watch", "nowhere")
    assert out.returncode == 2 and "no such run folder" in out.stderr
    out = cli.run("--hidden", "x")
    assert out.returncode == 2 and "hidden:" in out.stderr


def test_train_runs_and_datasets_do_not_import_textual():
    code = (
        "import sys, tui_nn.cli, tui_nn.runs.headless, tui_nn.runs.listing, tui_nn.runs.reader, tui_nn.runs.control, tui_nn.runs.log\n"
        "assert 'textual' not in sys.modules and 'plotext' not in sys.modules, sorted(m for m in sys.modules if 'text' in m)\n"
        "import tui_nn.runs.reader as r, tui_nn.runs.control as c\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=30)
    # `tui-nn runs` reads logs only: it starts without NumPy.
    code = "import sys, tui_nn.runs.reader, tui_nn.runs.listing\nassert 'numpy' not in sys.modules\n"
    subprocess.run([sys.executable, "-c", code], check=True, timeout=30)


def test_hidden_none_trains_logistic_regression(cli):
    out = cli.run("train", "--hidden", "none", "-n", "200", "--lr", "0.5", "--dataset", "linear")
    assert out.returncode == 0, out.stderr
    [run_dir] = cli.runs()
    header, *_, end = cli.records(run_dir)
    assert header["spec"]["layer_dims"] == [2, 1] and header["config"]["hidden"] == []
    assert header["config"]["activations"] == []
    assert end["train_accuracy"] > 0.9  # a straight boundary fits the linear set
    assert load_config(run_dir / "config.toml").hidden == ()


@pytest.mark.parametrize("value, says", [
    ("", "hidden: empty; give layer sizes like 20,7,5, or 'none' for no hidden layer"),
    ("0", "hidden: a layer needs at least 1 unit, got '0'; 'none' gives no hidden layer"),
    ("4,x", "hidden: expected whole numbers separated by commas, like 20,7,5, or 'none'"),
])
def test_bad_hidden_values_get_one_clear_error(cli, value, says):
    out = cli.run("train", "--hidden", value, "-n", "5")
    assert out.returncode == 2
    assert says in out.stderr and "Traceback" not in out.stderr
    assert not cli.runs()


def test_beta_flags_reach_the_optimiser_and_bad_ones_are_refused(cli):
    costs = {}
    for beta1 in ("0.9", "0.5"):
        out = cli.run("train", "--optimizer", "adam", "--lr", "0.01", "--beta1", beta1, "--beta2", "0.99", "-n", "20",
                      "--eval-every", "10", "--out", f"b{beta1}")
        assert out.returncode == 0, out.stderr
        [run_dir] = cli.runs(f"b{beta1}")
        header, *evals, end = cli.records(run_dir)
        assert header["config"]["beta1"] == float(beta1) and header["config"]["beta2"] == 0.99
        costs[beta1] = evals[-1]["cost"]
    assert costs["0.9"] != costs["0.5"]  # the first-moment decay changes Adam's steps
    out = cli.run("train", "--beta1", "1", "-n", "5")
    assert out.returncode == 2 and "beta1: must be at least 0 and below 1, got 1.0" in out.stderr
