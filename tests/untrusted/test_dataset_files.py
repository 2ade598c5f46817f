"""Dataset files from disk: strict CSV numbers, FIFOs and devices, and bombs refused by their declared size."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from tui_nn.datasets import DatasetError, load_path

from .conftest import fifo, link_to, one_error

ROWS = "".join(f"{i},{(i * 7) % 5},{i % 2}\n" for i in range(10))


def error_of(path, **kwargs) -> str:
    return one_error(DatasetError, lambda: load_path(path, **kwargs), path)


@pytest.mark.parametrize(
    "cell, shown",
    [("1_07", "'1_07'"), ("\u0661\u0660", "'١٠'"), ("\uff11", "'１'"), ("1\u00a0", "'1\\xa0'")],
)
def test_csv_numbers_are_plain_ascii_decimals(tmp_path, cell, shown):
    path = tmp_path / "t.csv"
    path.write_text("a,b,label\n" + ROWS + f"{cell},1,0\n")
    assert error_of(path) == (
        f"{path}: line 12, column 'a': {shown} is not a number (only ASCII digits, sign, point and exponent)"
    )


def test_csv_labels_with_underscores_are_text_classes_not_numbers(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("a,b,label\n" + "".join(f"{i},{i % 3},{'1_0' if i % 2 else '2_0'}\n" for i in range(10)))
    assert load_path(path).class_names == ("1_0", "2_0")


def test_csv_values_near_1e300_standardise_to_finite_features(tmp_path):
    rng = np.random.RandomState(0)
    rows = "".join(f"{rng.uniform(1e299, 1e300):.6e},{rng.uniform(-1, 1) * 1.7e308:.6e},{i % 2}\n" for i in range(40))
    path = tmp_path / "big.csv"
    path.write_text("a,b,label\n" + rows)
    ds = load_path(path)
    assert np.isfinite(ds.X_train).all() and np.isfinite(ds.X_dev).all()
    assert np.isfinite(ds.standardization.mean).all() and np.isfinite(ds.standardization.std).all()
    assert abs(ds.X_train.mean(axis=1)).max() < 1e-6 and abs(ds.X_train.std(axis=1) - 1).max() < 1e-6


@pytest.mark.parametrize("name", ["data.csv", "data.npz", "data.h5", "data"])
def test_fifos_and_device_links_are_refused_without_blocking(tmp_path, name):
    assert "not a regular file (a FIFO)" in error_of(fifo(tmp_path / name))
    assert "not a regular file (a device or socket)" in error_of(link_to(tmp_path / ("z" + name), "/dev/zero"))


def test_a_csv_larger_than_the_budget_is_refused_from_its_row_count(tmp_path, small_memory):
    path = tmp_path / "wide.csv"
    path.write_text("a,b,c,label\n" + "1,2,3,0\n1,2,3,1\n" * 500_000)
    assert error_of(path).startswith(f"{path}: loading 4,000,008 values would need about 122 MiB of memory; 64 MiB is available")


def _npz_bomb(path, values: int) -> None:
    """A compressed NPZ of ``values`` zero pixels (uint8 images): a few hundred KB on disk."""
    side = int((values // 3) ** 0.5 // 8)
    x = np.zeros((64, side, side, 3), dtype=np.uint8)
    np.savez_compressed(path, x=x, y=np.arange(64) % 2)


def _h5_bomb(path, values: int) -> None:
    h5py = pytest.importorskip("h5py")
    side = int((values // 3) ** 0.5 // 8)
    with h5py.File(path, "w") as f:
        f.create_dataset("train_set_x", shape=(64, side, side, 3), dtype="u1", compression="gzip", fillvalue=0,
                         chunks=(1, side, side, 3))
        f["train_set_x"][0] = 0
        f["train_set_y"] = np.arange(64) % 2


REFUSE_IN_SMALL_PROCESS = (
    "import resource, sys\n"
    "resource.setrlimit(resource.RLIMIT_AS, (1536 << 20, 1536 << 20))\n"
    "from tui_nn.datasets import DatasetError, load_path\n"
    "try:\n    load_path(sys.argv[1])\nexcept DatasetError as e:\n    print(e)\n"
    "print(int(next(l for l in open(\'/proc/self/status\') if l.startswith(\'VmHWM\')).split()[1]))\n"
)


@pytest.mark.parametrize("kind, write", [("npz", _npz_bomb), ("h5", _h5_bomb)])
def test_compressed_bombs_are_refused_by_their_declared_shapes(tmp_path, kind, write):
    """A file well under a megabyte declaring 64 M pixels (2 GB as float64): refused before reading,
    inside a process whose address space could not hold the float copies anyway."""
    path = tmp_path / f"bomb.{kind}"
    write(path, 64 << 20)
    assert path.stat().st_size < 1 << 20
    env = {"TUI_NN_MEMORY_LIMIT": "256M", "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", REFUSE_IN_SMALL_PROCESS, str(path)], capture_output=True, text=True,
                         timeout=120, env=env)
    assert out.returncode == 0, out.stderr
    message, peak_kib = out.stdout.strip().splitlines()
    assert message.startswith(f"{path}: loading ") and "would need about" in message and "256 MiB is available" in message
    assert int(peak_kib) < 300 << 10
