"""One activation name for every hidden layer, in config files as on the command line."""

from __future__ import annotations

import json

import pytest

from tui_nn.config import ConfigError, from_mapping, load_config
from tui_nn.flags import merge


@pytest.mark.parametrize("text", ['hidden = [20, 7, 5]\nactivations = ["relu"]\n',
                                  'hidden = [20, 7, 5]\nactivations = "relu"\n'])
def test_one_activation_in_a_toml_file_applies_to_every_hidden_layer(tmp_path, text):
    path = tmp_path / "deep.toml"
    path.write_text(text)
    assert load_config(path).activations == ("relu", "relu", "relu")


def test_one_activation_in_a_json_file_applies_to_every_hidden_layer(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text(json.dumps({"hidden": [8, 8], "activations": ["leaky_relu"]}))
    assert load_config(path).activations == ("leaky_relu", "leaky_relu")


def test_a_wrong_number_of_names_is_still_an_error_naming_the_file(tmp_path):
    path = tmp_path / "deep.toml"
    path.write_text('hidden = [20, 7, 5]\nactivations = ["relu", "tanh"]\n')
    with pytest.raises(ConfigError, match=r"deep\.toml: activations: 3 hidden layers need 3 activations, got 2"):
        load_config(path)


def test_an_unknown_single_name_is_an_error():
    with pytest.raises(ConfigError, match="activations: unknown activation 'swish'"):
        from_mapping({"hidden": [4, 4], "activations": "swish"})


def test_activations_flag_overrides_a_file_that_gives_one_name(cli):
    (cli.cwd / "deep.toml").write_text('hidden = [6, 5, 4]\nactivations = ["tanh"]\niterations = 20\neval_every = 10\n')
    out = cli.run("train", "--config", "deep.toml", "--activations", "relu", "--quiet")
    assert out.returncode == 0, out.stderr
    assert load_config(cli.runs()[0] / "config.toml").activations == ("relu", "relu", "relu")


def test_hidden_flag_of_another_depth_keeps_a_files_single_activation(tmp_path):
    path = tmp_path / "deep.toml"
    path.write_text('hidden = [6, 5, 4]\nactivations = ["relu"]\n')
    assert merge(load_config(path), {"hidden": (10, 10)}).activations == ("relu", "relu")
    mixed = from_mapping({"hidden": [6, 5], "activations": ["relu", "tanh"]})
    assert merge(mixed, {"hidden": (10, 10, 10)}).activations == ("tanh", "tanh", "tanh")  # mixed: the default
    assert merge(mixed, {"hidden": (3, 3)}).activations == ("relu", "tanh")  # same depth: kept
