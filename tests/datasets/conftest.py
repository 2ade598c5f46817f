"""Shared fixtures: the real course files beside the checkout, and small file writers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
CAT_DIR = SHARED_DATA / "catvnoncat"


@pytest.fixture
def cat_dir() -> Path:
    """The folder with train_catvnoncat.h5 and test_catvnoncat.h5, or a skip saying where it looked."""
    if not (CAT_DIR / "train_catvnoncat.h5").is_file() or not (CAT_DIR / "test_catvnoncat.h5").is_file():
        pytest.skip(f"the course's cat files are not at {CAT_DIR} (copy them there to run this test)")
    return CAT_DIR


@pytest.fixture
def write_csv(tmp_path):
    """``write_csv(text, name="data.csv")`` writes a file and returns its path."""

    def write(text: str | bytes, name: str = "data.csv") -> Path:
        p = tmp_path / name
        p.write_bytes(text if isinstance(text, bytes) else text.encode())
        return p

    return write


@pytest.fixture
def write_h5(tmp_path):
    """``write_h5(name, **arrays)`` writes an HDF5 file of datasets and returns its path."""
    h5py = pytest.importorskip("h5py")

    def write(name: str, **arrays) -> Path:
        p = tmp_path / name
        with h5py.File(p, "w") as f:
            for key, value in arrays.items():
                f[key] = value
        return p

    return write


def course_images(m: int, seed: int, shape=(4, 4, 3)) -> tuple[np.ndarray, np.ndarray]:
    """Small uint8 images and 0/1 labels in the course's HDF5 layout."""
    rng = np.random.RandomState(seed)
    x = rng.randint(0, 256, size=(m, *shape)).astype(np.uint8)
    y = np.arange(m) % 2
    return x, y.astype(np.int64)
