"""Input features for 2-feature data: the crosses, their names, and data sets that carry them."""

from __future__ import annotations

import numpy as np
import pytest

from tui_nn.datasets import (
    FEATURES,
    DatasetError,
    apply_features,
    check_features,
    feature_label,
    load_builtin,
    with_features,
)


def test_each_feature_is_its_formula_of_x1_and_x2():
    X = np.array([[0.5, -2.0, 3.0], [1.5, 0.25, -1.0]])
    x1, x2 = X
    expected = {
        "x1": x1, "x2": x2, "x1^2": x1**2, "x2^2": x2**2, "x1x2": x1 * x2, "sin_x1": np.sin(x1), "sin_x2": np.sin(x2),
    }
    assert set(expected) == set(FEATURES)
    out = apply_features(X, list(expected))
    assert out.shape == (7, 3)
    for row, name in zip(out, expected):
        np.testing.assert_array_equal(row, expected[name], err_msg=name)


def test_spellings_people_type_resolve_to_one_name_and_labels_read_well():
    assert check_features(["X1²", "x2**2", "x1*x2", "sin(x1)", " SIN_X2 "]) == ("x1^2", "x2^2", "x1x2", "sin_x1", "sin_x2")
    assert [feature_label(n) for n in ("x1^2", "x1x2", "sin_x2")] == ["x1²", "x1·x2", "sin x2"]


@pytest.mark.parametrize("names, message", [
    ([], "at least one"),
    (["x1", "x1"], "listed twice"),
    (["x3"], "unknown input feature 'x3'"),
    (["__import__('os')"], "unknown input feature"),
])
def test_bad_feature_lists_are_refused_with_the_reason(names, message):
    with pytest.raises(ValueError, match=message):
        check_features(names)


def test_a_dataset_with_features_keeps_labels_and_transforms_every_split():
    raw = load_builtin("circle")
    ds = with_features(raw, ["x1^2", "x2^2", "x1"])
    assert ds.n_x == 3 and ds.m_train == raw.m_train and ds.m_dev == raw.m_dev
    np.testing.assert_array_equal(ds.X_train[0], raw.X_train[0] ** 2)
    np.testing.assert_array_equal(ds.X_dev[2], raw.X_dev[0])
    np.testing.assert_array_equal(ds.Y_train, raw.Y_train)
    assert ds.feature_names == ("x1²", "x2²", "x1") and ds.provenance["features"] == ["x1^2", "x2^2", "x1"]


def test_features_need_two_feature_data():
    pytest.importorskip("sklearn")
    with pytest.raises(DatasetError, match="need 2-feature data; it has 4 features"):
        with_features(load_builtin("iris"), ["x1^2"])
