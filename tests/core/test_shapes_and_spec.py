"""Shape checks at the edges and NetworkSpec validation messages."""

from __future__ import annotations

import numpy as np
import pytest

from tui_nn.core import NetworkSpec, TrainConfig, Trainer, as_columns, check_parameters, initialize_parameters
from tui_nn.core.shapes import check_xy


def test_rank1_input_refused_with_reshape_hint():
    with pytest.raises(ValueError, match=r"X is a rank-1 array of shape \(5,\); use X.reshape\(1, -1\)"):
        as_columns(np.arange(5.0), "X")


def test_other_ranks_and_wrong_rows_refused():
    with pytest.raises(ValueError, match=r"X must be 2-D \(n, m\).*\(2, 2, 2\)"):
        as_columns(np.zeros((2, 2, 2)), "X")
    with pytest.raises(ValueError, match=r"Y has 2 rows, expected 1 \(shape \(2, 4\)\)"):
        as_columns(np.zeros((2, 4)), "Y", rows=1)
    a = np.zeros((3, 4))
    assert as_columns(a, "X", rows=3) is a


def test_check_xy_examples_and_dtypes():
    with pytest.raises(ValueError, match="X has 4 examples but Y has 3"):
        check_xy(np.zeros((2, 4)), np.zeros((1, 3)), 2, 1)
    with pytest.raises(ValueError, match=r"no examples \(m = 0\)"):
        check_xy(np.zeros((2, 0)), np.zeros((1, 0)), 2, 1)
    X, Y = check_xy(np.ones((2, 3), dtype=np.int64), np.ones((1, 3), dtype=np.int64), 2, 1)
    assert X.dtype == np.float64 and Y.dtype == np.float64
    X, Y = check_xy(np.ones((2, 3), dtype=np.float32), np.ones((1, 3), dtype=np.int64), 2, 1)
    assert X.dtype == np.float32 and Y.dtype == np.float32


def test_trainer_refuses_rank1_labels():
    spec = NetworkSpec((2, 1), ())
    with pytest.raises(ValueError, match=r"Y is a rank-1 array of shape \(4,\)"):
        Trainer(spec, initialize_parameters(spec.layer_dims), np.zeros((2, 4)), np.zeros(4))
    with pytest.raises(ValueError, match=r"X has 3 rows, expected 2"):
        Trainer(spec, initialize_parameters(spec.layer_dims), np.zeros((3, 4)), np.zeros((1, 4)))


@pytest.mark.parametrize(
    "args, message",
    [
        (((3,), ()), "at least an input size and an output size"),
        (((3, 0, 1), ("relu",)), r"at least one unit, got \[3, 0, 1\]"),
        (((3, 4, 1), ()), "1 hidden layers need 1 activations, got 0"),
        (((3, 4, 1), ("relu", "tanh")), "1 hidden layers need 1 activations, got 2"),
        (((3, 4, 1), ("softmax",)), "unknown hidden activation 'softmax'; expected one of relu, tanh"),
        (((3, 4, 1), ("relu",), "tanh"), "unknown output 'tanh'; expected one of sigmoid, softmax, linear"),
        (((3, 4, 1), ("relu",), "softmax"), "a softmax output needs at least 2 units"),
    ],
)
def test_network_spec_validation_messages(args, message):
    with pytest.raises(ValueError, match=message):
        NetworkSpec(*args)


def test_network_spec_properties():
    spec = NetworkSpec.build(12288, [20, 7, 5], 1, "relu")
    assert spec.layer_dims == (12288, 20, 7, 5, 1)
    assert spec.L == 4 and spec.n_x == 12288 and spec.n_y == 1
    assert spec.activations == ("relu", "relu", "relu", "sigmoid")
    assert spec.parameter_count() == 12288 * 20 + 20 + 20 * 7 + 7 + 7 * 5 + 5 + 5 * 1 + 1
    assert list(spec.parameter_shapes().items()) == [
        ("W1", (20, 12288)), ("b1", (20, 1)), ("W2", (7, 20)), ("b2", (7, 1)),
        ("W3", (5, 7)), ("b3", (5, 1)), ("W4", (1, 5)), ("b4", (1, 1)),
    ]
    other = spec.with_hidden([3], ["tanh"])
    assert other == NetworkSpec((12288, 3, 1), ("tanh",), "sigmoid")
    with pytest.raises(Exception):
        spec.output = "linear"  # frozen


def test_check_parameters_messages():
    spec = NetworkSpec((3, 4, 1), ("relu",))
    params = initialize_parameters(spec.layer_dims)
    check_parameters(params, spec)
    bad = dict(params, W2=np.zeros((4, 1)))
    with pytest.raises(ValueError, match=r"W2 has shape \(4, 1\), expected \(1, 4\)"):
        check_parameters(bad, spec)
    missing = {k: v for k, v in params.items() if k != "b1"}
    with pytest.raises(ValueError, match=r"missing \['b1'\], unexpected \[\]"):
        check_parameters(missing, spec)
    with pytest.raises(ValueError, match=r"unexpected \['W3'\]"):
        check_parameters(dict(params, W3=np.zeros((1, 1))), spec)


def test_train_config_validation():
    for kwargs, msg in [
        ({"learning_rate": 0.0}, "learning_rate must be a positive number"),
        ({"learning_rate": float("nan")}, "learning_rate must be a positive number"),
        ({"optimizer": "sgd"}, "unknown optimizer 'sgd'"),
        ({"batch_size": 0}, "batch_size must be >= 1"),
        ({"lambd": -1.0}, "lambd"),
        ({"divergence_factor": 1.0}, "divergence_factor must be > 1"),
        ({"num_iterations": -1}, "num_iterations must be >= 0"),
    ]:
        with pytest.raises(ValueError, match=msg):
            TrainConfig(**kwargs)
