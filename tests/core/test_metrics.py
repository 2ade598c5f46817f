"""Predictions and accuracy for binary, multi-class (labels and one-hot) and regression outputs."""

from __future__ import annotations

import numpy as np
import pytest

from tui_nn.core import NetworkSpec, accuracy, predict, predict_proba
from tui_nn.core.metrics import accuracy_from_output, predictions_from_output


def test_binary_predictions_threshold_at_one_half():
    AL = np.array([[0.1, 0.5, 0.5000001, 0.9]])
    pred = predictions_from_output(AL, "sigmoid")
    assert pred.tolist() == [[0, 0, 1, 1]] and pred.shape == (1, 4)
    assert accuracy_from_output(AL, np.array([[0, 0, 1, 0]]), "sigmoid") == 0.75


def test_multiclass_with_labels_and_one_hot():
    AL = np.array([[0.7, 0.1, 0.2, 0.3], [0.2, 0.8, 0.3, 0.3], [0.1, 0.1, 0.5, 0.4]])
    assert predictions_from_output(AL, "softmax").tolist() == [[0, 1, 2, 2]]
    labels = np.array([[0, 1, 2, 0]])
    one_hot = np.eye(3)[:, labels[0]]
    assert accuracy_from_output(AL, labels, "softmax") == 0.75
    assert accuracy_from_output(AL, one_hot, "softmax") == 0.75


def test_regression_has_no_accuracy():
    AL = np.array([[1.5, 2.5]])
    assert accuracy_from_output(AL, AL, "linear") is None
    assert predictions_from_output(AL, "linear") is AL


def test_predict_and_accuracy_through_a_network():
    spec = NetworkSpec((2, 3), (), "softmax")
    # each class scores highest where its own input direction is largest
    params = {"W1": np.array([[5.0, 0.0], [0.0, 5.0], [-5.0, -5.0]]), "b1": np.zeros((3, 1))}
    X = np.array([[1.0, 0.0, -1.0, 2.0], [0.0, 1.0, -1.0, 0.1]])
    P = predict_proba(X, params, spec)
    np.testing.assert_allclose(P.sum(axis=0), 1.0, rtol=1e-15)
    assert predict(X, params, spec).tolist() == [[0, 1, 2, 0]]
    assert accuracy(X, np.array([[0, 1, 2, 1]]), params, spec) == 0.75
    assert accuracy(X, np.eye(3)[:, [0, 1, 2, 0]], params, spec) == 1.0


def test_binary_network_predict_matches_sign_of_logit():
    spec = NetworkSpec((2, 1), ())
    params = {"W1": np.array([[1.0, -1.0]]), "b1": np.array([[0.5]])}
    X = np.random.RandomState(0).randn(2, 30)
    expected = ((X[0] - X[1] + 0.5) > 0).astype(int).reshape(1, -1)
    np.testing.assert_array_equal(predict(X, params, spec), expected)
    assert accuracy(X, expected, params, spec) == 1.0
    assert accuracy(X, 1 - expected, params, spec) == 0.0
