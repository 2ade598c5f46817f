"""The built-in generators: the course's recipes exactly, and the Playground classics."""

from __future__ import annotations

import numpy as np
import pytest

from tui_nn.datasets import BUILTINS, load_builtin
from tui_nn.datasets import planar, playground


def test_flower_first_values_for_seed_1_match_the_course():
    X, Y = planar.flower()
    assert X.shape == (2, 400) and Y.shape == (1, 400) and Y.dtype == np.int64
    # The course notebook's X[:, 0] and X[:, 1].
    np.testing.assert_allclose(X[:, 0], [1.204442292254319, 3.5761141481288448], rtol=0, atol=1e-12)
    np.testing.assert_allclose(X[:, 1], [0.15870990398255372, -1.4821709003683443], rtol=0, atol=1e-12)
    assert (Y[0, :200] == 0).all() and (Y[0, 200:] == 1).all()


def test_flower_follows_the_recipe_draw_by_draw():
    rng = np.random.RandomState(1)
    N, a = 200, 4
    for j in range(2):
        t = np.linspace(j * 3.12, (j + 1) * 3.12, N) + rng.randn(N) * 0.2
        r = a * np.sin(4 * t) + rng.randn(N) * 0.2
        expected = np.c_[r * np.sin(t), r * np.cos(t)].T
        np.testing.assert_array_equal(planar.flower()[0][:, N * j: N * (j + 1)], expected)


@pytest.mark.parametrize(
    "ours, theirs, kwargs",
    [
        (planar.noisy_circles, "make_circles", dict(factor=0.5, noise=0.3)),
        (planar.noisy_moons, "make_moons", dict(noise=0.2)),
        (planar.gaussian_quantiles, "make_gaussian_quantiles", dict(cov=0.5, n_features=2, n_classes=2)),
    ],
)
def test_course_companions_equal_scikit_learn_for_the_same_seed(ours, theirs, kwargs):
    sk = pytest.importorskip("sklearn.datasets")
    X_sk, y_sk = getattr(sk, theirs)(n_samples=200, random_state=7, **kwargs)
    X, Y = ours(m=200, seed=7)
    np.testing.assert_allclose(X, X_sk.T, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(Y[0], y_sk)


def test_blobs_are_the_course_blobs_folded_by_y_mod_2():
    sk = pytest.importorskip("sklearn.datasets")
    X_sk, y_sk = sk.make_blobs(n_samples=200, random_state=5, n_features=2, centers=6)
    X, Y = planar.blobs()
    np.testing.assert_allclose(X, X_sk.T, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(Y[0], y_sk % 2)


GENERATED = [name for name, info in BUILTINS.items() if info.adjustable]


@pytest.mark.parametrize("name", GENERATED)
def test_every_generator_is_seeded_and_in_course_layout(name):
    info = BUILTINS[name]
    a = load_builtin(name)
    b = load_builtin(name)
    np.testing.assert_array_equal(a.X_train, b.X_train)
    assert a.task == info.task and a.n_x == 2 and a.m_train == info.default_m
    assert a.X_train.dtype == np.float64 and np.isfinite(a.X_train).all()
    assert a.m_dev == info.default_m // 4
    assert not np.array_equal(a.X_train[:, : a.m_dev], a.X_dev)
    c = load_builtin(name, m=40, noise=0.1, seed=9)
    assert c.m_train == 40 and c.provenance == {"generator": name, "m": 40, "noise": 0.1, "seed": 9}
    assert not np.array_equal(c.X_train, load_builtin(name, m=40, noise=0.1, seed=10).X_train)
    if a.task == "regression":
        assert a.Y_train.dtype == np.float64 and a.class_names == ()
    else:
        assert a.Y_train.dtype == np.int64
        assert set(np.unique(a.Y_train)) == set(range(a.n_classes))


def test_training_set_is_exactly_the_generator_output_and_dev_is_seed_plus_1000():
    ds = load_builtin("noisy_moons", seed=3)
    X, Y = planar.noisy_moons(m=200, noise=0.2, seed=3)
    Xd, Yd = planar.noisy_moons(m=50, noise=0.2, seed=1003)
    np.testing.assert_array_equal(ds.X_train, X)
    np.testing.assert_array_equal(ds.Y_dev, Yd)
    np.testing.assert_array_equal(ds.X_dev, Xd)


def test_spiral_takes_k_classes():
    ds = load_builtin("spiral", classes=4, m=400)
    assert ds.task == "multiclass" and ds.n_classes == 4 and ds.n_y == 4 and ds.output == "softmax"
    assert np.bincount(ds.Y_train[0]).tolist() == [100] * 4
    assert ds.targets(ds.Y_train).shape == (4, 400)
    assert load_builtin("spiral3").n_classes == 3


def test_linear_is_separable_at_noise_0():
    X, Y = playground.linear(m=1000, seed=4)
    margin = (-0.5 * X[0] + (X[1] - 0.5)) / np.hypot(0.5, 1.0)
    assert (margin[Y[0] == 1] >= 0.3 - 1e-9).all() and (margin[Y[0] == 0] <= -0.3 + 1e-9).all()


def test_noise_flips_labels_near_the_boundary():
    X0, Y0 = playground.xor(m=2000, noise=0.0, seed=2)
    assert ((X0[0] * X0[1] >= 0) == (Y0[0] == 1)).all()
    X1, Y1 = playground.xor(m=2000, noise=0.5, seed=2)
    assert ((X1[0] * X1[1] >= 0) != (Y1[0] == 1)).mean() > 0.05


def test_regression_sets_follow_the_playground_formulas():
    X, Y = playground.plane(m=300, seed=1)
    np.testing.assert_allclose(Y[0], (X[0] + X[1]) / 10)
    X, Y = playground.multi_gauss(m=300, seed=1)
    assert Y.shape == (1, 300) and np.abs(Y).max() <= 1 and (Y != 0).any()
