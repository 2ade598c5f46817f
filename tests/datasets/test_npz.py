"""NPZ files: the two layouts, and refusals checked before any data is read."""

from __future__ import annotations

import io
import pickle
import zipfile

import numpy as np
import pytest

from tui_nn.datasets import DatasetError, load_path


@pytest.fixture
def npz(tmp_path):
    def write(name="d.npz", **arrays):
        p = tmp_path / name
        np.savez(p, **arrays)
        return p

    return write


def err(path, **kwargs) -> str:
    with pytest.raises(DatasetError) as info:
        load_path(path, **kwargs)
    return str(info.value)


rng = np.random.RandomState(0)
X = rng.randn(3, 40)
Y = (np.arange(40) % 2).reshape(1, 40)


def test_columns_and_rows_layouts_give_the_same_dataset(npz):
    a = load_path(npz("c.npz", X=X, Y=Y), layout="columns")
    b = load_path(npz("r.npz", x=X.T, y=Y.ravel()), layout="rows")
    c = load_path(npz("c2.npz", X=X, Y=Y))  # the names state the layout
    np.testing.assert_array_equal(a.X_train, b.X_train)
    np.testing.assert_array_equal(a.X_dev, c.X_dev)
    assert a.task == "binary" and a.n_x == 3 and a.m_train == 32


def test_rows_of_images_are_flattened_and_scaled(npz):
    x = rng.randint(0, 256, size=(30, 4, 4, 3)).astype(np.uint8)
    ds = load_path(npz(x=x, y=np.arange(30) % 3, x_test=x[:5], y_test=np.arange(5) % 3), layout="rows")
    assert ds.image_shape == (4, 4, 3) and ds.n_x == 48 and ds.standardization is None and ds.m_test == 5
    assert ds.X_train.max() <= 1 and ds.task == "multiclass"


def test_one_hot_and_regression_targets(npz):
    onehot = np.eye(3)[:, np.arange(40) % 3]
    assert load_path(npz("o.npz", X=X, Y=onehot)).class_names == ("0", "1", "2")
    ds = load_path(npz("r.npz", X=X, Y=rng.randn(2, 40)))
    assert ds.task == "regression" and ds.n_y == 2


@pytest.mark.parametrize(
    "arrays, kwargs, expected",
    [
        (dict(X=X, Y=Y[:, :39]), {}, "{f}: X has 40 examples but array 'Y' has 39"),
        (dict(X=X, Y=Y), {"layout": "rows"}, "{f}: layout 'rows' needs arrays 'x' and 'y'; found: 'X', 'Y'"),
        (dict(X=X, Y=Y, x=X.T, y=Y.ravel()), {}, "{f}: holds both X/Y and x/y; give the layout ('columns' or 'rows')"),
        (dict(features=X), {}, "{f}: expected arrays X and Y (layout 'columns') or x and y (layout 'rows'); found: 'features'"),
        (dict(X=np.where(np.arange(40) == 7, np.nan, X), Y=Y), {},
         "{f}: array 'X' holds nan (feature 0, example 7); NaN and infinity are refused"),
        (dict(X=X, Y=Y * 0), {}, "{f}: array 'Y': every label is the single class '0'; a binary task needs at least 2 classes"),
        (dict(X=X, Y=np.arange(40).reshape(1, 40) % 3), {"task": "binary"},
         "{f}: array 'Y': 3 classes ('0', '1', '2') where a binary task allows 2"),
        (dict(X=X, Y=Y, X_test=X[:2], Y_test=Y), {},
         "{f}: the test set has 2 features but the training set ({f}) has 3"),
        (dict(X=X, Y=Y, X_test=X), {}, "{f}: a test set needs both 'X_test' and 'Y_test'"),
        (dict(X=X.astype(complex), Y=Y), {}, "{f}: array 'X' has dtype complex128; expected numbers (or text labels)"),
        (dict(X=X, Y=Y, X_test=X, Y_test=Y + 2), {}, "{f}: array 'Y': label '2' is not one of the classes '0', '1'"),
    ],
)
def test_bad_npz_gets_one_clear_error(npz, arrays, kwargs, expected):
    p = npz(**arrays)
    assert err(p, **kwargs) == expected.format(f=p)


def test_object_arrays_are_refused_without_unpickling(tmp_path):
    class Boom:
        def __reduce__(self):
            return (exec, ("import pathlib; pathlib.Path(%r).write_text('ran')" % str(tmp_path / "ran"),))

    p = tmp_path / "evil.npz"
    np.savez(p, X=np.array([Boom(), 1], dtype=object), Y=Y)
    assert err(p) == f"{p}: array 'X' holds Python objects (pickled data); refused, nothing was unpickled"
    assert not (tmp_path / "ran").exists()


def npy_bytes(arr: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.lib.format.write_array(buf, arr)
    return buf.getvalue()


def test_absurd_declared_sizes_are_refused_before_reading(tmp_path):
    p = tmp_path / "bomb.npz"
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("X.npy", npy_bytes(np.zeros((3, 40))))
        zf.writestr("Y.npy", npy_bytes(Y))
    data = bytearray(p.read_bytes())
    # Declare an uncompressed size of 2**31 bytes for X.npy in the central directory.
    cd = data.rindex(b"PK\x01\x02", 0, data.rindex(b"PK\x01\x02"))
    data[cd + 24: cd + 28] = (2**31).to_bytes(4, "little")
    p.write_bytes(bytes(data))
    assert err(p) == f"{p}: array 'X.npy' declares {2**31} bytes, more than the {2**30} allowed"


def test_a_header_declaring_more_data_than_the_member_holds(tmp_path):
    header = npy_bytes(np.zeros((3, 40)))
    fake = header.replace(b"'shape': (3, 40), ", b"'shape': (300000, 40000), ")
    p = tmp_path / "lie.npz"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("X.npy", fake)
        zf.writestr("Y.npy", npy_bytes(Y))
    msg = err(p)
    assert msg == f"{p}: array 'X' declares shape (300000, 40000) (96000000000 bytes) but holds at most {len(fake)} bytes"


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04 truncated", b"not a zip at all"])
def test_non_zip_and_truncated_files(tmp_path, content):
    p = tmp_path / "d.npz"
    p.write_bytes(content)
    assert err(p) == f"{p}: not a readable NPZ file (not a zip archive of .npy arrays, or corrupt or truncated)"


def test_truncated_real_npz(npz):
    p = npz(X=X, Y=Y)
    p.write_bytes(p.read_bytes()[:-40])
    assert "not a readable NPZ file" in err(p)
