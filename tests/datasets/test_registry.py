"""The registry: names, descriptions, fixed sets, extras and the catvnoncat look-up."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from tui_nn.datasets import BUILTINS, DatasetError, load_builtin, load_path
from tui_nn.datasets.extras import install_command

ISSUE_NAMES = {
    "flower", "noisy_circles", "noisy_moons", "blobs", "gaussian_quantiles", "no_structure", "xor", "spiral",
    "circle", "gauss", "linear", "plane", "multi_gauss", "catvnoncat", "breast_cancer", "digits", "iris", "wine",
}


def test_every_built_in_the_issue_lists_is_registered_with_a_description():
    assert ISSUE_NAMES <= set(BUILTINS)
    for name, info in BUILTINS.items():
        assert info.name == name and info.description and "\n" not in info.description
        assert info.task in ("binary", "multiclass", "regression")


def test_unknown_name_lists_the_built_ins():
    with pytest.raises(DatasetError, match=r"unknown dataset 'flowers'; built-ins are: flower, noisy_circles"):
        load_builtin("flowers")


@pytest.mark.parametrize(
    "name, task, n_x, classes",
    [("breast_cancer", "binary", 30, 2), ("digits", "multiclass", 64, 10), ("iris", "multiclass", 4, 3), ("wine", "multiclass", 13, 3)],
)
def test_sklearn_sets_split_stratified_and_standardise_on_train(name, task, n_x, classes):
    pytest.importorskip("sklearn")
    ds = load_builtin(name)
    assert (ds.task, ds.n_x, ds.n_classes) == (task, n_x, classes)
    full = np.bincount(np.concatenate([ds.Y_train[0], ds.Y_dev[0]]))
    np.testing.assert_allclose(np.bincount(ds.Y_dev[0], minlength=classes) / ds.m_dev, full / full.sum(), atol=0.02)
    if name == "digits":
        assert ds.image_shape == (8, 8) and ds.standardization is None
        assert 0 <= ds.X_train.min() and ds.X_train.max() <= 1
    else:
        assert ds.standardization is not None and len(ds.feature_names) == n_x
        np.testing.assert_allclose(ds.X_train.mean(axis=1), 0, atol=1e-12)
    assert not np.array_equal(load_builtin(name, seed=2).X_dev, ds.X_dev)


def test_fixed_sets_refuse_m_and_noise():
    with pytest.raises(DatasetError, match=r"^iris is a fixed data set; m, noise and classes do not apply$"):
        load_builtin("iris", m=100)


def test_sklearn_set_without_the_extra_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "sklearn", None)  # makes `import sklearn` raise ImportError
    monkeypatch.setitem(sys.modules, "sklearn.datasets", None)
    assert "wine" in BUILTINS
    with pytest.raises(DatasetError) as error:
        load_builtin("wine")
    # The command for how tui-nn is installed here (an editable checkout: pip install -e '.[sklearn]').
    assert str(error.value) == f"the scikit-learn data sets need the optional package scikit-learn: {install_command('sklearn')}"


def test_h5_without_the_extra_says_what_to_install(monkeypatch, cat_dir):
    monkeypatch.setitem(sys.modules, "h5py", None)
    with pytest.raises(DatasetError) as error:
        load_path(cat_dir)
    assert str(error.value) == f"HDF5 files need the optional package h5py: {install_command('h5')}"


def test_catvnoncat_from_a_path_and_from_the_environment(cat_dir, monkeypatch, tmp_path):
    ds = load_builtin("catvnoncat", path=cat_dir)
    assert ds.name == "catvnoncat" and ds.m_train == 209 and ds.m_dev == 50
    monkeypatch.setenv("TUI_NN_DATA", str(cat_dir.parent))
    monkeypatch.chdir(tmp_path)
    assert load_builtin("catvnoncat").m_train == 209


def test_catvnoncat_not_found_says_how_to_give_a_path(monkeypatch, tmp_path):
    monkeypatch.delenv("TUI_NN_DATA", raising=False)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(DatasetError, match=r"^catvnoncat: train_catvnoncat.h5 and test_catvnoncat.h5 were not found; give the folder"):
        load_builtin("catvnoncat")


def test_bad_generator_arguments():
    with pytest.raises(DatasetError, match=r"^flower: m must be at least 4, got 2$"):
        load_builtin("flower", m=2)
    with pytest.raises(DatasetError, match=r"^xor: noise must be a number >= 0, got -1.0$"):
        load_builtin("xor", noise=-1)
    with pytest.raises(DatasetError, match=r"^flower: the number of classes is fixed"):
        load_builtin("flower", classes=3)


def test_dataset_arrays_are_read_only():
    ds = load_builtin("flower")
    with pytest.raises(ValueError):
        ds.X_train[0, 0] = 1.0


def test_importing_core_and_datasets_loads_no_ui_and_no_optional_package():
    code = (
        "import sys, tui_nn.core, tui_nn.datasets; "
        "from tui_nn.datasets import load_builtin, load_path; load_builtin('flower'); "
        "bad = [m for m in ('textual', 'plotext', 'tui_nn.app', 'tui_nn.widgets', 'h5py', 'sklearn') if m in sys.modules]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
