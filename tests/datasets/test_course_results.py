"""The course's published figures, reproduced with the core on our data sets.

Print the measured accuracies with:
``python -m pytest tests/datasets/test_course_results.py -q -s``
"""

from __future__ import annotations

import pytest

from tui_nn.core import NetworkSpec, TrainConfig, Trainer, accuracy, initialize_parameters
from tui_nn.datasets import load_builtin, load_path


def train(spec: NetworkSpec, params: dict, X, Y, lr: float, iterations: int) -> dict:
    trainer = Trainer(spec, params, X, Y, TrainConfig(learning_rate=lr, num_iterations=iterations))
    for result in trainer.run():
        pass
    assert result.status == "finished"
    return trainer.parameters


def test_flower_shallow_net_reaches_the_course_90_percent():
    ds = load_builtin("flower")
    spec = NetworkSpec((2, 4, 1), ("tanh",), "sigmoid")
    params = initialize_parameters(spec.layer_dims, "random", seed=3)
    params = train(spec, params, ds.X_train, ds.targets(ds.Y_train), lr=1.2, iterations=10000)
    acc = accuracy(ds.X_train, ds.Y_train, params, spec)
    print(f"\nflower, 4 tanh units, 10000 iterations, lr 1.2: train accuracy {acc:.4f}")
    assert acc == pytest.approx(0.9075, abs=0.0025)  # deterministic: 363 / 400; the course prints 90 %


def test_flower_logistic_regression_stays_near_47_percent():
    ds = load_builtin("flower")
    spec = NetworkSpec((2, 1), (), "sigmoid")
    params = train(spec, initialize_parameters((2, 1), "zeros"), ds.X_train, ds.targets(ds.Y_train), lr=1.2, iterations=2000)
    acc = accuracy(ds.X_train, ds.Y_train, params, spec)
    print(f"\nflower, logistic regression: train accuracy {acc:.4f}")
    assert acc == pytest.approx(0.47, abs=0.0025)  # the course's 47 %


def test_cat_logistic_regression_gives_99_percent_train_70_percent_test(cat_dir):
    ds = load_path(cat_dir)
    assert ds.X_train.shape == (12288, 209) and ds.X_test.shape == (12288, 50)
    assert ds.class_names == ("non-cat", "cat") and ds.image_shape == (64, 64, 3)
    spec = NetworkSpec((12288, 1), (), "sigmoid")
    params = initialize_parameters(spec.layer_dims, "zeros")
    params = train(spec, params, ds.X_train, ds.targets(ds.Y_train), lr=0.005, iterations=2000)
    train_acc = accuracy(ds.X_train, ds.Y_train, params, spec)
    test_acc = accuracy(ds.X_test, ds.Y_test, params, spec)
    print(f"\ncatvnoncat, logistic regression: train {train_acc:.4f}, test {test_acc:.4f}")
    assert train_acc == pytest.approx(207 / 209)  # 99.04 %
    assert test_acc == pytest.approx(35 / 50)  # 70 %
