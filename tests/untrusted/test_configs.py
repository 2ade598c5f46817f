"""Config files and the experiments they build: one clear error naming the file, key, line or column."""

from __future__ import annotations

import pytest

from tui_nn.config import ConfigError, RunConfig, load_config
from tui_nn.datasets import DatasetError
from tui_nn.data_actions import config_for_dataset
from tui_nn.experiment import build_experiment

from .conftest import fifo, link_to, one_error, run_cli


def config_error(path) -> str:
    return one_error(ConfigError, lambda: load_config(path), path)


@pytest.mark.parametrize(
    "name, text, fragment",
    [
        ("deep.json", '{"hidden": ' + "[" * 100000 + "]" * 100000 + "}", "line 1, column 43: nested more than 32 levels deep"),
        ("deep.toml", "hidden = " + "[" * 100000 + "]" * 100000, "line 1, column 42: nested more than 32 levels deep"),
        ("dotted.toml", "a" + ".a" * 100 + " = 1", "nested more than 32 levels deep"),
        ("null.json", '{"hidden": null}', "hidden: expected list or tuple, got null"),
        ("big.json", '{"m": ' + "9" * 5000 + "}", "the integer 99999999999999999999... is larger than 64 bits"),
        ("big.toml", "m = " + "9" * 5000, "line 1, column 5: a number of 5000 characters"),
        ("lr.json", '{"learning_rate": 1e999}', "the number 1e999 overflows a 64-bit float"),
        ("lr.toml", "learning_rate = inf", "learning_rate: must be a positive number, got inf"),
        ("esc.json", '{"init": "\\u001b]0;pwned\\u0007"}', "init: unknown initialisation '\\x1b]0;pwned\\x07'"),
        ("esc.toml", 'init = "\x1b]0;pwned\x07"', "Illegal character '\\x1b' (at line 1, column 9)"),
        ("long.toml", "init = " + repr("x" * 100000).replace("'", '"'), "unknown initialisation 'xxxxxxxxxxxxxxx"),
    ],
)
def test_bad_configs_are_one_clear_error(tmp_path, name, text, fragment):
    path = tmp_path / name
    path.write_text(text)
    message = config_error(path)
    assert fragment in message and len(message) < 400 + len(str(path))


@pytest.mark.parametrize("name, text", [("bom.json", '{"seed": 7}'), ("bom.toml", "seed = 7\n")])
def test_a_bom_is_accepted_as_in_csv_files(tmp_path, name, text):
    path = tmp_path / name
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    assert load_config(path).seed == 7


def test_fifo_and_device_configs_are_refused_without_blocking(tmp_path):
    assert "is a FIFO (named pipe), not a regular file" in config_error(fifo(tmp_path / "c.toml"))
    assert "is a character device, not a regular file" in config_error(link_to(tmp_path / "z.toml", "/dev/zero"))
    out = run_cli("train", "--config", "c.toml", cwd=tmp_path, timeout=30)
    assert out.returncode == 2 and "c.toml: is a FIFO (named pipe), not a regular file; refused" in out.stderr


def test_a_config_needing_hundreds_of_gib_is_refused_with_both_figures(tmp_path):
    """The issue's m = 10000000 with hidden = [4096]: refused before the first allocation."""
    (tmp_path / "huge.toml").write_text("dataset = 'flower'\nm = 10000000\nhidden = [4096]\n")
    out = run_cli("train", "--config", "huge.toml", cwd=tmp_path)
    assert out.returncode == 2, out.stderr
    assert "m, hidden: training [2, 4096, 1] on 10,000,000 examples would need about 1.19 TiB of memory" in out.stderr
    assert "is available to it" in out.stderr and not (tmp_path / "runs").exists()


def test_the_same_check_guards_the_api_and_a_small_budget(monkeypatch):
    monkeypatch.setenv("TUI_NN_MEMORY_LIMIT", "1M")
    with pytest.raises(ConfigError, match=r"training \[2, 512, 1\] on 400 examples would need about 6.3\d MiB"):
        build_experiment(RunConfig(hidden=(512,)))
    monkeypatch.setenv("TUI_NN_MEMORY_LIMIT", "64M")
    assert build_experiment(RunConfig(hidden=(512,))).spec.layer_dims == (2, 512, 1)


def test_options_a_dataset_would_ignore_are_errors(tmp_path):
    with pytest.raises(ConfigError, match="label: applies to data files, not to the built-in data set 'flower'"):
        build_experiment(RunConfig(label="y"))
    with pytest.raises(ConfigError, match="m: applies to generated built-in data sets, not to the data file"):
        build_experiment(RunConfig(dataset=str(tmp_path / "x.csv"), m=100))
    with pytest.raises(DatasetError, match="iris is a fixed data set; m, noise and classes do not apply"):
        build_experiment(RunConfig(dataset="iris", m=100))
    out = run_cli("train", "-d", "flower", "--label", "y", "-n", "1", cwd=tmp_path)
    assert out.returncode == 2 and "label: applies to data files" in out.stderr


def test_the_dataset_picker_never_carries_an_option_the_new_dataset_would_refuse():
    cfg = RunConfig(dataset="t.csv", label="y", layout="rows")
    switched = config_for_dataset(cfg, "flower")
    assert switched.label is None and switched.layout is None
    assert build_experiment(switched).dataset.name == "flower"
    assert config_for_dataset(RunConfig(m=1000, noise=0.3), "iris").m is None
