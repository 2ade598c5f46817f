"""A saved model with the input pipeline it records: raw columns -> standardisation -> input features -> network.

``tui-nn predict`` and both exports (ONNX, the NumPy script) read a model through
``ModelPipeline``, so they apply the same steps in the same order and dtype.
The metadata came from a file, so every field is checked before it is used.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from tui_nn.core import LoadedModel, ModelFileError, NetworkSpec, predict_proba
from tui_nn.datasets import apply_features, check_features

DTYPES = {"float32": np.float32, "float64": np.float64}
"""The dtypes a model may compute in; any other recorded dtype computes in float64."""


@dataclass(frozen=True, eq=False)
class ModelPipeline:
    """A model's network, parameters and input pipeline, all in the model's dtype.

    Raw inputs ``X (n_in, m)`` (columns are examples) become the network's
    ``A[0] = features(standardise(X)) (n_x, m)``; ``n_in`` is 2 when the model
    takes input features, ``n_x`` otherwise.
    """

    spec: NetworkSpec
    parameters: dict[str, np.ndarray]
    dtype: type
    mean: np.ndarray | None
    """``(n_in, 1)`` in ``dtype``, or None when the model's data was not standardised."""
    std: np.ndarray | None
    features: tuple[str, ...] | None
    input_columns: tuple[str, ...] | None
    """The raw input columns by name, in order (None when the model does not record them)."""
    label_column: str | None
    class_names: tuple[str, ...]
    """One name per class for a classifier (recorded, or ``0..K-1``); empty for regression."""
    image_shape: tuple[int, ...] | None
    config: dict[str, Any]
    """The run config the model was trained with (may be empty)."""

    @property
    def n_inputs(self) -> int:
        """Raw input columns the pipeline takes (before input features)."""
        return 2 if self.features else self.spec.n_x

    @property
    def task(self) -> str:
        """binary, multiclass or regression, from the output activation."""
        return {"sigmoid": "binary", "softmax": "multiclass"}.get(self.spec.output, "regression")

    @property
    def dataset(self) -> str | None:
        """The data set the model was trained on, as its config names it."""
        name = self.config.get("dataset")
        return name if isinstance(name, str) else None

    def network_inputs(self, X: np.ndarray) -> np.ndarray:
        """``A[0] (n_x, m)`` in the model's dtype from raw inputs ``X (n_in, m)``.

        The raw inputs are cast to the model's dtype first, so every step runs in it.
        """
        A0 = np.asarray(X).astype(self.dtype)
        if A0.ndim != 2 or A0.shape[0] != self.n_inputs:
            raise ValueError(f"the model takes raw inputs of shape ({self.n_inputs}, m), got {A0.shape}")
        if self.mean is not None:
            A0 = (A0 - self.mean) / self.std
        if self.features:
            A0 = apply_features(A0, self.features)
        return A0

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """The network's output ``A[L] (n_y, m)`` for raw inputs ``X (n_in, m)``."""
        return predict_proba(self.network_inputs(X), self.parameters, self.spec)


def pipeline_from_model(model: LoadedModel, where: str = "model") -> ModelPipeline:
    """Check what ``model.metadata["extra"]`` records and build its pipeline.

    Raises ``ModelFileError`` naming ``where`` and the field for a record that does not
    describe this network (wrong lengths, non-finite statistics, unknown features).
    """
    spec = model.spec
    meta = model.metadata
    extra = meta.get("extra") if isinstance(meta.get("extra"), dict) else {}

    def fail(field: str, message: str) -> ModelFileError:
        return ModelFileError(f"{where}: extra.{field}: {message}")

    dtype = DTYPES.get(meta.get("dtype"), np.float64)
    features = None
    if extra.get("features") is not None:
        raw = extra["features"]
        if not isinstance(raw, list) or not all(isinstance(f, str) for f in raw):
            raise fail("features", "expected a list of feature names")
        try:
            features = check_features(raw)
        except ValueError as e:
            raise fail("features", str(e)) from None
        if len(features) != spec.n_x:
            raise fail("features", f"{len(features)} features for a network with {spec.n_x} inputs")
    n_in = 2 if features else spec.n_x
    mean = std = None
    if extra.get("standardization") is not None:
        record = extra["standardization"]
        if not isinstance(record, dict):
            raise fail("standardization", "expected {mean: [...], std: [...]}")
        mean, std = (_statistic(record.get(k), n_in, fail, f"standardization.{k}", dtype) for k in ("mean", "std"))
        if not (std > 0).all():
            raise fail("standardization.std", "every std must be > 0")
    columns = _names(extra.get("input_columns"), fail, "input_columns")
    if columns is not None and len(columns) != n_in:
        raise fail("input_columns", f"{len(columns)} columns for {n_in} raw inputs")
    label = extra.get("label_column")
    if label is not None and not isinstance(label, str):
        raise fail("label_column", "expected a column name")
    classes = _names(extra.get("class_names"), fail, "class_names")
    n_classes = 0 if spec.output == "linear" else (2 if spec.n_y == 1 else spec.n_y)
    if classes is None:
        classes = tuple(str(k) for k in range(n_classes))
    elif len(classes) != n_classes:
        raise fail("class_names", f"{len(classes)} names for a network with {n_classes} classes")
    shape = extra.get("image_shape")
    image_shape = None
    if shape is not None:
        if not (isinstance(shape, list) and shape and all(type(d) is int and d > 0 for d in shape)) or math.prod(shape) != n_in:
            raise fail("image_shape", f"expected whole numbers whose product is {n_in}")
        image_shape = tuple(shape)
    config = extra.get("config") if isinstance(extra.get("config"), dict) else {}
    parameters = {k: np.asarray(v).astype(dtype, copy=False) for k, v in model.parameters.items()}
    return ModelPipeline(spec, parameters, dtype, mean, std, features, columns, label, classes, image_shape, config)


def _statistic(values: Any, n: int, fail, field: str, dtype: type) -> np.ndarray:
    """A recorded mean or std as ``(n, 1)`` in ``dtype``, checked: n finite numbers."""
    if not (isinstance(values, list) and len(values) == n and all(type(v) in (int, float) for v in values)):
        raise fail(field, f"expected a list of {n} numbers")
    a = np.asarray(values, dtype=np.float64).reshape(-1, 1)
    if not np.isfinite(a).all():
        raise fail(field, "holds NaN or infinity")
    return a.astype(dtype)


def _names(values: Any, fail, field: str) -> tuple[str, ...] | None:
    if values is None:
        return None
    if not (isinstance(values, list) and all(isinstance(v, str) for v in values)):
        raise fail(field, "expected a list of names")
    return tuple(values)
