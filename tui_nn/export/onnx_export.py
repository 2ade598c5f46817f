"""A trained model as an ONNX graph (opset 17): standardisation, input features, Gemm layers, activations.

ONNX puts examples in rows, so the graph takes ``x [batch, n_in]`` and gives
``probabilities [batch, n_y]`` (the transpose of the course's ``X (n_x, m)`` and
``A[L] (n_y, m)``); ``batch`` is a dynamic dimension. Each layer is one
``Gemm(A, W[l], b[l], transB=1)``, i.e. ``A W[l]^T + b[l]``, followed by its
activation; the output is ``Sigmoid``, ``Softmax`` (axis 1) or ``Identity``.
Needs the ``onnx`` extra.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from tui_nn import __version__
from tui_nn.core.activations import LEAKY_SLOPE
from tui_nn.core.atomicfile import write_atomically
from tui_nn.datasets import feature_label
from tui_nn.datasets.extras import install_command
from tui_nn.pipeline import ModelPipeline

OPSET = 17
"""The ONNX operator set the graph uses (ONNX 1.12+, onnxruntime 1.12+)."""
IR_VERSION = 8
"""The IR version that goes with opset 17, so older runtimes read the file too."""
INPUT_NAME, OUTPUT_NAME, BATCH = "x", "probabilities", "batch"

FEATURE_OPS = {
    "x1": ("Identity", (0,)), "x2": ("Identity", (1,)),
    "x1^2": ("Mul", (0, 0)), "x2^2": ("Mul", (1, 1)), "x1x2": ("Mul", (0, 1)),
    "sin_x1": ("Sin", (0,)), "sin_x2": ("Sin", (1,)),
}
"""Input feature -> (ONNX op, the raw columns it takes), mirroring ``datasets.features``."""

UNARY_ACTIVATIONS = {"sigmoid": "Sigmoid", "tanh": "Tanh", "relu": "Relu", "linear": "Identity"}


def _onnx():
    from tui_nn.export import ExportError

    try:
        import onnx
    except ImportError:
        raise ExportError(f"ONNX export needs the onnx package: {install_command('onnx')}") from None
    return onnx


class _Graph:
    """Nodes and constant tensors being collected, with fresh names."""

    def __init__(self, onnx, dtype: np.dtype) -> None:
        self.onnx, self.dtype = onnx, dtype
        self.nodes: list = []
        self.initializers: list = []

    def const(self, name: str, value: np.ndarray) -> str:
        self.initializers.append(self.onnx.numpy_helper.from_array(np.ascontiguousarray(value), name))
        return name

    def node(self, op: str, inputs: list[str], output: str, **attributes) -> str:
        self.nodes.append(self.onnx.helper.make_node(op, inputs, [output], name=output, **attributes))
        return output


def _input_steps(g: _Graph, pipe: ModelPipeline) -> str:
    """Standardisation and input features as the first nodes; returns the name of ``A[0]``."""
    A = INPUT_NAME
    if pipe.mean is not None:
        A = g.node("Sub", [A, g.const("mean", pipe.mean.reshape(1, -1))], "centred")
        A = g.node("Div", [A, g.const("std", pipe.std.reshape(1, -1))], "standardised")
    if pipe.features:
        columns = [g.node("Gather", [A, g.const(f"index_x{k + 1}", np.array([k], dtype=np.int64))], f"x{k + 1}", axis=1)
                   for k in range(2)]
        outputs = []
        for name in pipe.features:
            op, take = FEATURE_OPS[name]
            outputs.append(g.node(op, [columns[k] for k in take], f"feature_{name.replace('^', 'sq')}"))
        A = g.node("Concat", outputs, "A0", axis=1)
    return A


def _activation(g: _Graph, name: str, Z: str, out: str) -> str:
    if name == "softmax":
        return g.node("Softmax", [Z], out, axis=1)
    if name == "leaky_relu":  # max(z, 0.01 z) with 0.01 in the model's dtype: the core's exact values
        scaled = g.node("Mul", [Z, g.const(f"{out}_slope", np.array(LEAKY_SLOPE, dtype=g.dtype))], f"{out}_scaled")
        return g.node("Max", [Z, scaled], out)
    return g.node(UNARY_ACTIVATIONS[name], [Z], out)


def onnx_model(pipe: ModelPipeline, model_name: str = "tui-nn model"):
    """The ``onnx.ModelProto`` for ``pipe``, checked with ``onnx.checker``."""
    onnx = _onnx()
    dtype = np.dtype(pipe.dtype)
    g = _Graph(onnx, dtype)
    A = _input_steps(g, pipe)
    dims, acts = pipe.spec.layer_dims, pipe.spec.activations
    for l in range(1, len(dims)):
        W = g.const(f"W{l}", pipe.parameters[f"W{l}"])
        b = g.const(f"b{l}", pipe.parameters[f"b{l}"].reshape(-1))
        Z = g.node("Gemm", [A, W, b], f"Z{l}", transB=1)
        A = _activation(g, acts[l - 1], Z, OUTPUT_NAME if l == len(dims) - 1 else f"A{l}")
    elem = onnx.helper.np_dtype_to_tensor_dtype(dtype)
    graph = onnx.helper.make_graph(
        g.nodes, "tui_nn_" + "_".join(map(str, dims)),
        [onnx.helper.make_tensor_value_info(INPUT_NAME, elem, [BATCH, pipe.n_inputs])],
        [onnx.helper.make_tensor_value_info(OUTPUT_NAME, elem, [BATCH, dims[-1]])],
        g.initializers,
    )
    model = onnx.helper.make_model(
        graph, opset_imports=[onnx.helper.make_opsetid("", OPSET)], producer_name="tui-nn", producer_version=__version__,
        doc_string=f"{model_name}: {'-'.join(map(str, dims))} network, activations {', '.join(acts)}; "
                   f"input x [batch, {pipe.n_inputs}] raw features, output probabilities [batch, {dims[-1]}]",
    )
    model.ir_version = IR_VERSION
    onnx.helper.set_model_props(model, {
        "input_columns": json.dumps(list(pipe.input_columns or [])),
        "features": json.dumps([feature_label(f) for f in pipe.features or ()]),
        "class_names": json.dumps(list(pipe.class_names)),
        "output": pipe.spec.output,
    })
    onnx.checker.check_model(model)
    return model


def write_onnx(pipe: ModelPipeline, path: Path, model_name: str = "tui-nn model") -> None:
    """Write the ONNX file atomically."""
    data = onnx_model(pipe, model_name).SerializeToString()
    write_atomically(path, lambda f: f.write(data))
