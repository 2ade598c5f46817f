"""A trained model as a standalone Python file in the course's notation, and its weights (``.npz``) beside it.

The script is ``numpy_model.py.tmpl`` filled in: the network's description, its
forward pass written out layer by layer (``Z[l] = W[l] A[l-1] + b[l]``,
``A[l] = g[l](Z[l])``) and the same activation and feature formulas as the core,
so its ``predict_proba(X)`` reproduces the core's bit for bit.
"""

from __future__ import annotations

import io
from pathlib import Path
from string import Template

import numpy as np

from tui_nn import __version__
from tui_nn.atomic import write_text_atomic
from tui_nn.core.atomicfile import write_atomically
from tui_nn.pipeline import ModelPipeline
from tui_nn.safe_text import printable

TEMPLATE = Path(__file__).with_name("numpy_model.py.tmpl")


def weights_path(script: Path) -> Path:
    """``model.py`` -> ``model_weights.npz``."""
    return script.with_name(f"{script.stem}_weights.npz")


def forward_source(pipe: ModelPipeline) -> str:
    """The body of ``predict_proba``: one ``Z``/``A`` pair of lines per layer, with their shapes."""
    dims, acts = pipe.spec.layer_dims, pipe.spec.activations
    lines = [f"A0 = input_pipeline(X)  # A[0]: ({dims[0]}, m)"]
    for l in range(1, len(dims)):
        lines += [
            f'W{l}, b{l} = parameters["W{l}"], parameters["b{l}"]  # W[{l}] ({dims[l]}, {dims[l - 1]}), b[{l}] ({dims[l]}, 1)',
            f"Z{l} = W{l} @ A{l - 1} + b{l}  # Z[{l}] = W[{l}] A[{l - 1}] + b[{l}]: ({dims[l]}, m)",
            f"A{l} = {acts[l - 1]}(Z{l})  # A[{l}] = g[{l}](Z[{l}]), g[{l}] = {acts[l - 1]}",
        ]
    lines.append(f"return A{len(dims) - 1}")
    return "\n".join("    " + line for line in lines)


def architecture(pipe: ModelPipeline) -> str:
    """A few lines describing the pipeline and the layers, for the script's docstring."""
    dims, acts = pipe.spec.layer_dims, pipe.spec.activations
    steps = [f"    X ({pipe.n_inputs}, m) raw inputs"]
    if pipe.mean is not None:
        steps.append("    -> standardised: (X - mean) / std, with the training set's statistics")
    if pipe.features:
        steps.append(f"    -> input features {', '.join(pipe.features)}")
    steps.append(f"    = A[0] ({dims[0]}, m)")
    for l in range(1, len(dims)):
        unit_word = "unit" if dims[l] == 1 else "units"
        steps.append(f"    layer {l}: {dims[l]} {unit_word}, g[{l}] = {acts[l - 1]}")
    return "\n".join(steps)


def script_source(pipe: ModelPipeline, script: Path, model_name: str = "a tui-nn model") -> str:
    """The text of the standalone script for ``pipe``, to be saved as ``script``.

    Every value put into the code is a ``repr`` of a checked number, a fixed name or a
    string, so nothing from the model file can become code.
    """
    task = {"binary": "binary classifier", "multiclass": "classifier", "regression": "regression model"}[pipe.task]
    columns = list(pipe.input_columns) if pipe.input_columns else None
    return Template(TEMPLATE.read_text(encoding="utf-8")).substitute(
        title=f"A {len(pipe.spec.layer_dims) - 1}-layer {task} ({'-'.join(map(str, pipe.spec.layer_dims))}), standalone.",
        version=__version__,
        model_name=_doc_text(model_name),
        weights_file=_doc_text(weights_path(script).name),
        weights_file_repr=repr(weights_path(script).name),
        architecture=architecture(pipe),
        module_name=script.stem if script.stem.isidentifier() else "model",
        script_name=_doc_text(script.name),
        dtype=np.dtype(pipe.dtype).name,
        n_inputs=pipe.n_inputs,
        input_columns=repr(columns),
        features=repr(list(pipe.features) if pipe.features else None),
        class_names=repr(list(pipe.class_names)),
        output=repr(pipe.spec.output),
        forward=forward_source(pipe),
    )


def _doc_text(text: str) -> str:
    """``text`` safe inside the script's docstring: printable, no quotes or backslashes."""
    return printable(text).replace("\\", "/").replace('"', "'")


def write_numpy_script(pipe: ModelPipeline, script: Path, model_name: str = "a tui-nn model") -> None:
    """Write the weights (``*_weights.npz``) and then the script, each atomically."""
    arrays = dict(pipe.parameters)
    if pipe.mean is not None:
        arrays.update(mean=pipe.mean, std=pipe.std)
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    write_atomically(weights_path(script), lambda f: f.write(buffer.getvalue()))
    write_text_atomic(script, script_source(pipe, script, model_name))
