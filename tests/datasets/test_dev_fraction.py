"""The dev set's share: generated sets draw m f / (1 - f) dev points (m // 4 by default), files split f off."""

from __future__ import annotations

import numpy as np
import pytest

from tui_nn.config import ConfigError, RunConfig, from_mapping
from tui_nn.datasets import DatasetError, load_builtin
from tui_nn.datasets.registry import dev_size
from tui_nn.experiment import build_experiment


def test_the_default_share_gives_exactly_the_course_sets():
    for m in range(4, 3000):
        assert dev_size(m, 0.2) == dev_size(m) == max(m // 4, 4)
    a, b = load_builtin("flower"), load_builtin("flower", dev_fraction=0.2)
    np.testing.assert_array_equal(a.X_dev, b.X_dev)
    np.testing.assert_array_equal(a.X_train, b.X_train)
    assert a.m_dev == 100


@pytest.mark.parametrize("fraction, dev", [(0.5, 400), (0.1, 44), (0.05, 20)])  # 0.05: 21, and flower draws half a class each
def test_a_generated_dev_set_is_that_share_of_all_points(fraction, dev):
    ds = load_builtin("flower", dev_fraction=fraction)
    assert ds.m_train == 400 and ds.m_dev == dev
    assert abs(dev / (400 + dev) - fraction) < 0.01
    np.testing.assert_array_equal(ds.X_train, load_builtin("flower").X_train)  # the training set is untouched


def test_files_and_scikit_learn_sets_split_off_the_share(tmp_path):
    rows = ["a,b,label"] + [f"{i},{i % 7},{'yes' if i % 2 else 'no'}" for i in range(100)]
    path = tmp_path / "t.csv"
    path.write_text("\n".join(rows) + "\n")
    ds = build_experiment(RunConfig(dataset=str(path), dev_fraction=0.3)).dataset
    assert ds.m_dev == 30 and ds.m_train == 70
    pytest.importorskip("sklearn")
    iris = build_experiment(RunConfig(dataset="iris", hidden=(4,), dev_fraction=0.4)).dataset
    assert iris.m_dev == 60


def test_the_share_is_validated_naming_the_key_and_range():
    with pytest.raises(ConfigError, match=r"dev_fraction: must be between 0.05 and 0.5, got 0.9"):
        RunConfig(dev_fraction=0.9)
    with pytest.raises(ConfigError, match=r"dev_fraction: expected int or float"):
        from_mapping({"dev_fraction": "half"})
    assert from_mapping({"dev_fraction": 0.25}).dev_fraction == 0.25


def test_catvnoncat_keeps_the_courses_test_set_as_dev():
    with pytest.raises(DatasetError, match="dev_fraction does not apply"):
        load_builtin("catvnoncat", dev_fraction=0.3)
