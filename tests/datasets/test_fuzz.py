"""Arbitrary bytes and CSV-like text: every loader returns a valid Dataset or raises DatasetError."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui_nn.datasets import Dataset, DatasetError, load_csv, load_h5, load_npz, load_path

FUZZ = settings(max_examples=60, deadline=1000, suppress_health_check=[HealthCheck.function_scoped_fixture])


def outcome(loader, data: bytes, name: str, **kwargs) -> None:
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / name
        p.write_bytes(data)
        try:
            ds = loader(p, **kwargs)
        except DatasetError as e:
            assert str(e).startswith(str(p)), str(e)
            return
        assert isinstance(ds, Dataset) and ds.m_train >= 1 and ds.m_dev >= 1


def valid_npz() -> bytes:
    buf = io.BytesIO()
    np.savez_compressed(buf, X=np.arange(24.0).reshape(2, 12), Y=(np.arange(12) % 2).reshape(1, 12))
    return buf.getvalue()


def valid_h5() -> bytes:
    import h5py

    buf = io.BytesIO()
    with h5py.File(buf, "w") as f:
        f["train_set_x"] = np.arange(12 * 8, dtype=np.uint8).reshape(12, 2, 2, 2)
        f["train_set_y"] = np.arange(12) % 2
        f["list_classes"] = np.array([b"a", b"b"])
    return buf.getvalue()


NPZ, H5 = valid_npz(), valid_h5()


def mutated(seed: bytes) -> st.SearchStrategy[bytes]:
    """A valid file cut short or with a few bytes overwritten."""
    flips = st.lists(st.tuples(st.integers(0, len(seed) - 1), st.integers(0, 255)), max_size=8)

    def apply(cut: int, changes: list[tuple[int, int]]) -> bytes:
        data = bytearray(seed)
        for i, b in changes:
            data[i] = b
        return bytes(data[:cut])

    return st.builds(apply, st.integers(0, len(seed)), flips)


cells = st.one_of(
    st.integers(-5, 5).map(str), st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["", "a", "b", "nan", "1e999", '"', "x,y", " 3 ", "\x00", "\ufeff"]), st.text(max_size=4),
)
csv_text = st.lists(st.lists(cells, min_size=1, max_size=4).map(",".join), max_size=12).map("\n".join)


@FUZZ
@given(st.binary(max_size=400))
def test_csv_loader_on_arbitrary_bytes(data):
    outcome(load_csv, data, "f.csv")


@FUZZ
@given(csv_text, st.sampled_from([None, "binary", "multiclass", "regression"]))
def test_csv_loader_on_csv_like_text(text, task):
    outcome(load_csv, ("a,b,label\n" + text).encode(), "f.csv", task=task)


@FUZZ
@given(st.one_of(st.binary(max_size=400), mutated(NPZ)))
def test_npz_loader_on_arbitrary_and_damaged_bytes(data):
    outcome(load_npz, data, "f.npz")


@FUZZ
@given(st.one_of(st.binary(max_size=400), st.binary(max_size=400).map(lambda b: b"\x89HDF\r\n\x1a\n" + b), mutated(H5)))
def test_h5_loader_on_arbitrary_and_damaged_bytes(data):
    outcome(load_h5, data, "train_f.h5")


@FUZZ
@given(st.binary(max_size=300), st.sampled_from(["f.csv", "f.npz", "f.h5", "f.dat"]))
def test_load_path_dispatch_on_arbitrary_bytes(data, name):
    outcome(load_path, data, name)


def test_the_valid_seeds_load():
    for loader, data, name in ((load_npz, NPZ, "f.npz"), (load_h5, H5, "train_f.h5")):
        with tempfile.TemporaryDirectory() as d:
            p = Path(d) / name
            p.write_bytes(data)
            assert loader(p).m_train == 10
