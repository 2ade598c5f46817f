"""Model files from disk: FIFOs, devices, bombs, NaN weights and odd metadata get one clear error."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile

import numpy as np
import pytest

from tui_nn.core import ModelFileError, NetworkSpec, initialize_parameters, load_model, save_model

from .conftest import fifo, link_to, one_error
from .corpus import model_bomb, model_bytes

SPEC = NetworkSpec((2, 4, 1), ("tanh",), "sigmoid")


def load_error(path) -> str:
    return one_error(ModelFileError, lambda: load_model(path), path)


def test_fifo_and_device_links_are_refused_without_blocking_or_reading(tmp_path):
    assert "is a FIFO (named pipe), not a regular file" in load_error(fifo(tmp_path / "pipe.npz"))
    assert "is a character device, not a regular file" in load_error(link_to(tmp_path / "zero.npz", "/dev/zero"))


def test_nan_weights_are_refused_on_load(tmp_path):
    params = initialize_parameters(SPEC.layer_dims, "random", seed=1)
    params["W1"][0, 0] = np.nan
    path = tmp_path / "nan.npz"
    path.write_bytes(model_bytes(params=params))
    assert "W1 holds NaN or infinite values" in load_error(path)


@pytest.mark.parametrize(
    "changes, fragment",
    [
        ({"extra": [1, 2]}, "the metadata field 'extra' is a list, expected an object"),
        ({"extra": json.loads("[" * 50 + "]" * 50)}, "not valid JSON within tui-nn's bounds (line 1, column"),
        ({"layer_dims": [2, "4", 1]}, "layer_dims must list 2 to 65 sizes"),
        ({"layer_dims": [2, True, 1]}, "layer_dims must list 2 to 65 sizes"),
        ({"layer_dims": None}, "layer_dims must list"),
        ({"hidden_activations": [3]}, "activations must be names"),
        ({"format_version": "\x1b]0;pwned\x07" * 20}, "model format version '\\x1b]0;pwned\\x07"),
    ],
)
def test_odd_metadata_is_one_clear_error(tmp_path, changes, fragment):
    path = tmp_path / "odd.npz"
    path.write_bytes(model_bytes(changes))
    assert fragment in load_error(path)


def test_deeply_nested_metadata_is_refused_not_a_recursion_error(tmp_path):
    path = tmp_path / "deep.npz"
    params = initialize_parameters(SPEC.layer_dims, "random", seed=1)
    meta = '{"format": "tui-nn-model", "extra": {"x": ' + "[" * 100000 + "]" * 100000 + "}}"
    buf = io.BytesIO()
    np.savez(buf, **params, __meta__=np.array(meta))
    path.write_bytes(buf.getvalue())
    assert "not valid JSON within tui-nn's bounds (line 1, column" in load_error(path) and "nested more than 32 levels" in load_error(path)


def test_non_finite_metadata_is_saved_as_null_plus_a_string_and_read_back(tmp_path):
    """A diverged run's last.npz records cost NaN and learning rate 1e300 and still saves."""
    params = initialize_parameters(SPEC.layer_dims, "random", seed=1)
    path = save_model(tmp_path / "m.npz", SPEC, params, {"cost": float("nan"), "learning_rate": 1e300, "best": float("-inf")})
    with zipfile.ZipFile(path) as zf:
        raw = np.lib.format.read_array(zf.open("__meta__.npy"))
    assert '"cost": null, "cost_str": "nan"' in str(raw) and "NaN" not in str(raw)
    extra = load_model(path).metadata["extra"]
    assert extra["cost"] != extra["cost"] and extra["learning_rate"] == 1e300 and extra["best"] == float("-inf")


REFUSE_IN_SMALL_PROCESS = (
    "import resource, sys\n"
    "resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))\n"
    "from tui_nn.core import ModelFileError, load_model\n"
    "try:\n    load_model(sys.argv[1])\nexcept ModelFileError as e:\n    print(e)\n"
    "print(int(next(l for l in open('/proc/self/status') if l.startswith('VmHWM')).split()[1]))\n"
)


def refuse_in_small_process(path, limit: str) -> tuple[str, int]:
    """Load ``path`` in a process with 1 GiB of address space and a ``limit`` budget: (message, peak KiB)."""
    env = {"TUI_NN_MEMORY_LIMIT": limit, "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", REFUSE_IN_SMALL_PROCESS, str(path)], capture_output=True, text=True,
                         timeout=120, env=env)
    assert out.returncode == 0, out.stderr
    message, peak_kib = out.stdout.strip().splitlines()
    return message, int(peak_kib)


def test_a_compressed_model_bomb_is_refused_from_its_zip_directory(tmp_path):
    """Half a megabyte declaring 512 MB of weights: save_model never compresses, so it is refused
    before anything is inflated, whatever the memory budget."""
    path = model_bomb(tmp_path, 8000)
    assert path.stat().st_size < 1 << 20
    message, peak_kib = refuse_in_small_process(path, "100G")
    assert f"{path}: 'W1.npy' declares 128128 bytes from" in message and "a zip bomb or not a tui-nn model" in message
    assert peak_kib < 200 << 10


def test_a_model_larger_than_the_budget_is_refused_by_its_declared_shapes(tmp_path):
    spec = NetworkSpec((2, 2000, 2000, 1), ("tanh", "tanh"), "sigmoid")
    path = save_model(tmp_path / "wide.npz", spec, {k: np.zeros(s) for k, s in spec.parameter_shapes().items()})
    message, peak_kib = refuse_in_small_process(path, "16M")
    assert message == (f"{path}: the model's 4,010,001 parameters would need about 61.2 MiB of memory; "
                       "16 MiB is available to it (TUI_NN_MEMORY_LIMIT); refused before allocating")
    assert peak_kib < 200 << 10
