"""HDF5 files in the course's layout: the real cat files, and every refusal."""

from __future__ import annotations

import numpy as np
import pytest

from tui_nn.datasets import DatasetError, load_path

from .conftest import course_images

h5py = pytest.importorskip("h5py")


def err(path, **kwargs) -> str:
    with pytest.raises(DatasetError) as info:
        load_path(path, **kwargs)
    return str(info.value)


def test_the_real_cat_files_from_the_folder_or_either_file(cat_dir):
    ds = load_path(cat_dir)
    assert ds.task == "binary" and ds.class_names == ("non-cat", "cat")
    assert ds.X_train.shape == (12288, 209) and ds.Y_train.shape == (1, 209) and ds.m_test == 50
    with h5py.File(cat_dir / "train_catvnoncat.h5", "r") as f:
        x = f["train_set_x"][()]
    np.testing.assert_array_equal(ds.X_train, x.reshape(209, -1).T / 255)
    np.testing.assert_array_equal(ds.X_dev, ds.X_test)  # the course has no dev set: dev is test
    assert ds.standardization is None and ds.provenance["sha256"].startswith("fbe56ab6")
    assert load_path(cat_dir / "test_catvnoncat.h5").m_train == 209
    assert load_path(cat_dir / "train_catvnoncat.h5").m_dev == 50


def pair(write_h5, m=20, test_shape=(4, 4, 3), classes=(b"no", b"yes")):
    x, y = course_images(m, 0)
    xt, yt = course_images(6, 1, test_shape)
    train = write_h5("train_toy.h5", train_set_x=x, train_set_y=y, list_classes=np.array(classes))
    test = write_h5("test_toy.h5", test_set_x=xt, test_set_y=yt, list_classes=np.array(classes))
    return train, test


def test_a_train_file_alone_splits_a_dev_set(write_h5):
    x, y = course_images(20, 0)
    ds = load_path(write_h5("train_solo.h5", train_set_x=x, train_set_y=y))
    assert ds.m_train == 16 and ds.m_dev == 4 and ds.m_test == 0 and ds.class_names == ("0", "1")


def test_dev_fraction_splits_a_lone_train_file_and_is_refused_beside_a_test_file(write_h5):
    x, y = course_images(20, 0)
    solo = load_path(write_h5("train_solo.h5", train_set_x=x, train_set_y=y), dev_fraction=0.5)
    assert solo.m_train == 10 and solo.m_dev == 10
    train, test = pair(write_h5)
    assert err(train, dev_fraction=0.3) == f"{train}: the dev set is the test file {test}; dev_fraction does not apply"
    assert load_path(train).m_dev == 6  # without it, the test file is the dev set


def test_missing_key_lists_the_keys_found(write_h5):
    x, y = course_images(20, 0)
    p = write_h5("train_x.h5", train_set_x=x, labels=y)
    assert err(p) == f"{p}: no key 'train_set_y'; the keys found are: 'labels', 'train_set_x'"


def test_train_test_feature_mismatch(write_h5):
    train, test = pair(write_h5, test_shape=(5, 5, 3))
    assert err(train) == f"{test}: test examples have shape (5, 5, 3), the training examples ({train}) (4, 4, 3)"


def test_labels_outside_the_classes_and_x_y_mismatch(write_h5):
    x, y = course_images(20, 0)
    p = write_h5("train_a.h5", train_set_x=x, train_set_y=y + 1, list_classes=np.array([b"a", b"b"]))
    assert err(p) == f"{p}: the labels: label 2 is outside the 2 classes listed (0..1)"
    p = write_h5("train_b.h5", train_set_x=x, train_set_y=y[:19])
    assert err(p) == f"{p}: 'train_set_x' holds 20 examples but 'train_set_y' holds 19 labels"
    p = write_h5("train_c.h5", train_set_x=x, train_set_y=y * 0, list_classes=np.array([b"a", b"b"]))
    assert err(p) == f"{p}: the labels: every label is the single class 'a'; a binary task needs at least 2 classes"
    p = write_h5("train_d.h5", train_set_x=x, train_set_y=y, list_classes=np.array([b"a", b"b", b"c"]))
    assert err(p, task="binary") == f"{p}: the labels: 3 classes listed where a binary task has 2"


def test_pixel_values_out_of_range(write_h5):
    x, y = course_images(20, 0)
    p = write_h5("train_e.h5", train_set_x=x.astype(np.float32) * 2, train_set_y=y)
    assert err(p) == f"{p}: 'train_set_x': pixel values run from 0 to 510; expected 0..255 (or 0..1)"


@pytest.mark.parametrize("content", [b"", b"hello, world\n", b"\x89HDF\r\n\x1a\n" + b"\x00" * 100])
def test_non_hdf5_and_truncated_files(tmp_path, content):
    p = tmp_path / "train_bad.h5"
    p.write_bytes(content)
    expected = "not a readable HDF5 file (corrupt or truncated)" if content.startswith(b"\x89HDF") else "not an HDF5 file (no HDF5 signature)"
    assert err(p) == f"{p}: {expected}"


def test_a_truncated_real_file(cat_dir, tmp_path):
    p = tmp_path / "train_catvnoncat.h5"
    p.write_bytes((cat_dir / "train_catvnoncat.h5").read_bytes()[:100_000])
    assert err(p) == f"{p}: not a readable HDF5 file (corrupt or truncated)"


def test_external_links_soft_links_external_storage_and_virtual_datasets_are_refused(tmp_path):
    x, y = course_images(20, 0)
    other = tmp_path / "other.h5"
    with h5py.File(other, "w") as f:
        f["x"] = x
    cases = {}
    p = cases["external link"] = tmp_path / "train_ext.h5"
    with h5py.File(p, "w") as f:
        f["train_set_x"] = h5py.ExternalLink(str(other), "/x")
        f["train_set_y"] = y
    p = cases["soft link"] = tmp_path / "train_soft.h5"
    with h5py.File(p, "w") as f:
        f["real"] = x
        f["train_set_x"] = h5py.SoftLink("/real")
        f["train_set_y"] = y
    raw = tmp_path / "raw.bin"
    raw.write_bytes(x.tobytes())
    p = cases["external storage"] = tmp_path / "train_raw.h5"
    with h5py.File(p, "w") as f:
        f.create_dataset("train_set_x", shape=x.shape, dtype=np.uint8, external=[(str(raw), 0, x.nbytes)])
        f["train_set_y"] = y
    p = cases["virtual"] = tmp_path / "train_vds.h5"
    layout = h5py.VirtualLayout(shape=x.shape, dtype=np.uint8)
    layout[:] = h5py.VirtualSource(str(other), "x", shape=x.shape)
    with h5py.File(p, "w") as f:
        f.create_virtual_dataset("train_set_x", layout)
        f["train_set_y"] = y
    f = lambda k: cases[k]  # noqa: E731
    assert err(f("external link")) == f"{f('external link')}: 'train_set_x' is an external link to {str(other)!r}; links to other files are refused"
    assert err(f("soft link")) == f"{f('soft link')}: 'train_set_x' is a soft link to '/real'; only plain datasets are read"
    assert err(f("external storage")) == f"{f('external storage')}: 'train_set_x' keeps its data in external files; refused"
    assert err(f("virtual")) == f"{f('virtual')}: 'train_set_x' is a virtual dataset (its data may live in other files); refused"


def test_a_folder_without_a_training_file(tmp_path):
    assert err(tmp_path) == f"{tmp_path}: no train_*.h5 file in this folder"
