"""Predictions and accuracy for binary, multi-class and regression outputs."""

from __future__ import annotations

from typing import Mapping

import numpy as np

from .network import NetworkSpec
from .propagation import model_forward


def predict_proba(X: np.ndarray, parameters: Mapping[str, np.ndarray], spec: NetworkSpec) -> np.ndarray:
    """The network's output ``A[L] (n_y, m)`` for inputs ``X (n_x, m)``."""
    AL, _ = model_forward(X, parameters, spec.activations)
    return AL


def predictions_from_output(AL: np.ndarray, output: str) -> np.ndarray:
    """Labels from an output ``A[L] (n_y, m)``: ``(1, m)`` ints (sigmoid: ``A > 0.5``;
    softmax: argmax over rows) or the values themselves for a linear output."""
    if output == "softmax":
        return np.argmax(AL, axis=0).reshape(1, -1)
    if output == "sigmoid":
        return (AL > 0.5).astype(np.int64)
    return AL


def predict(X: np.ndarray, parameters: Mapping[str, np.ndarray], spec: NetworkSpec) -> np.ndarray:
    """Predicted labels ``(1, m)`` (or ``(n_y, m)`` for sigmoid multi-label and regression)."""
    return predictions_from_output(predict_proba(X, parameters, spec), spec.output)


def accuracy_from_output(AL: np.ndarray, Y: np.ndarray, output: str) -> float | None:
    """Fraction correct in [0, 1]; ``Y`` is ``(1, m)`` labels or ``(n_y, m)`` one-hot.

    Returns None for a linear (regression) output, where accuracy has no meaning.
    """
    if output == "linear":
        return None
    pred = predictions_from_output(AL, output)
    if output == "softmax" and Y.shape[0] > 1:
        Y = np.argmax(Y, axis=0).reshape(1, -1)
    return float(np.mean(pred == Y))


def accuracy(X: np.ndarray, Y: np.ndarray, parameters: Mapping[str, np.ndarray], spec: NetworkSpec) -> float | None:
    """Accuracy of the network on ``X (n_x, m)`` against ``Y``."""
    return accuracy_from_output(predict_proba(X, parameters, spec), Y, spec.output)
