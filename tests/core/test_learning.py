"""The core learns what the course says it should: logistic regression, XOR, 3 classes."""

from __future__ import annotations

import numpy as np
import pytest

from tui_nn.core import NetworkSpec, TrainConfig, Trainer, accuracy, initialize_parameters, predict


def train(spec, X, Y, init="xavier", seed=1, **cfg):
    params = initialize_parameters(spec.layer_dims, init, seed=seed)
    trainer = Trainer(spec, params, X, Y, TrainConfig(**cfg))
    results = list(trainer.run())
    return trainer, results


def test_logistic_regression_separates_a_linearly_separable_set(blobs):
    X, Y = blobs
    spec = NetworkSpec((2, 1), ())  # L = 1, sigmoid: logistic regression
    trainer, results = train(spec, X, Y, init="zeros", learning_rate=0.5, num_iterations=500)
    assert results[-1].status == "finished"
    assert accuracy(X, Y, trainer.parameters, spec) >= 0.99


def test_course_logistic_optimize_example():
    # Course 1, week 2 optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009)
    # gives w = [[0.19033591], [0.12259159]], b = 1.92535983008.
    X = np.array([[1.0, 2.0, -1.0], [3.0, 4.0, -3.2]])
    Y = np.array([[1.0, 0.0, 1.0]])
    spec = NetworkSpec((2, 1), ())
    params = {"W1": np.array([[1.0, 2.0]]), "b1": np.array([[2.0]])}
    trainer = Trainer(spec, params, X, Y, TrainConfig(learning_rate=0.009, num_iterations=100))
    results = list(trainer.run())
    assert len(results) == 100
    np.testing.assert_allclose(trainer.parameters["W1"], [[0.19033591, 0.12259159]], atol=5e-9)
    assert trainer.parameters["b1"][0, 0] == pytest.approx(1.92535983008, abs=1e-10)
    assert results[0].cost == pytest.approx(5.801545319394553, rel=1e-12)


def test_course_logistic_predict_example():
    # Course 1, week 2 predict(w = [[0.1124579], [0.23106775]], b = -0.3, X) = [[1, 1, 0]].
    spec = NetworkSpec((2, 1), ())
    params = {"W1": np.array([[0.1124579, 0.23106775]]), "b1": np.array([[-0.3]])}
    X = np.array([[1.0, -1.1, -3.2], [1.2, 2.0, 0.1]])
    assert predict(X, params, spec).tolist() == [[1, 1, 0]]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_two_layer_tanh_net_learns_four_point_xor(dtype):
    X = np.array([[0.0, 0.0, 1.0, 1.0], [0.0, 1.0, 0.0, 1.0]], dtype=dtype)
    Y = np.array([[0.0, 1.0, 1.0, 0.0]], dtype=dtype)
    spec = NetworkSpec((2, 4, 1), ("tanh",))
    params = initialize_parameters(spec.layer_dims, "xavier", seed=2, dtype=dtype)
    trainer = Trainer(spec, params, X, Y, TrainConfig(learning_rate=1.0, num_iterations=2000))
    results = list(trainer.run())
    assert results[-1].status == "finished"
    assert trainer.parameters["W1"].dtype == dtype
    assert predict(X, trainer.parameters, spec).tolist() == [[0, 1, 1, 0]]
    assert results[-1].cost < 0.05


def test_two_layer_tanh_net_learns_noisy_xor(xor):
    X, Y = xor
    spec = NetworkSpec((2, 4, 1), ("tanh",))
    trainer, results = train(spec, X, Y, learning_rate=0.5, num_iterations=1000)
    assert accuracy(X, Y, trainer.parameters, spec) == 1.0
    # logistic regression cannot: XOR is the course's reason for hidden layers
    lin, _ = train(NetworkSpec((2, 1), ()), X, Y, learning_rate=0.5, num_iterations=1000)
    assert accuracy(X, Y, lin.parameters, NetworkSpec((2, 1), ())) < 0.8


def test_softmax_net_fits_three_classes(clusters):
    X, labels, Y = clusters
    spec = NetworkSpec((2, 8, 3), ("relu",), "softmax")
    trainer, results = train(spec, X, Y, init="he", learning_rate=0.1, num_iterations=500)
    assert accuracy(X, Y, trainer.parameters, spec) >= 0.95
    assert accuracy(X, labels, trainer.parameters, spec) >= 0.95
    assert results[-1].cost < results[0].cost / 5


@pytest.mark.parametrize("hidden", ["relu", "tanh", "sigmoid", "leaky_relu", "linear"])
def test_cost_falls_monotonically_under_small_step_batch_gd(hidden, xor):
    X, Y = xor
    spec = NetworkSpec((2, 5, 3, 1), (hidden, hidden))
    _, results = train(spec, X, Y, init="xavier", learning_rate=0.05, num_iterations=300)
    costs = np.array([r.cost for r in results])
    assert len(costs) == 300
    assert np.all(np.diff(costs) < 0), np.flatnonzero(np.diff(costs) >= 0)[:5]


def test_linear_regression_output_fits_a_line():
    rng = np.random.RandomState(0)
    X = rng.randn(3, 100)
    W_true = np.array([[1.5, -2.0, 0.5]])
    Y = W_true @ X + 0.25
    spec = NetworkSpec((3, 1), (), "linear")
    trainer, results = train(spec, X, Y, init="zeros", learning_rate=0.1, num_iterations=500)
    np.testing.assert_allclose(trainer.parameters["W1"], W_true, atol=1e-6)
    assert trainer.parameters["b1"][0, 0] == pytest.approx(0.25, abs=1e-6)
    assert results[-1].train_accuracy is None
