"""Hostile model files: odd metadata, non-finite weights, pickles, and a compressed bomb."""

from __future__ import annotations

import io
import json
import random
import zipfile
from pathlib import Path

import numpy as np

from corpus_base import ESC, Case, lying_header, npy, special_cases, write_bytes, zip_bytes


def model_bytes(meta: dict | None = None, params: dict | None = None, dims: tuple[int, ...] = (2, 4, 1)) -> bytes:
    """A model file as ``save_model`` writes it, with metadata fields replaced by ``meta``."""
    from tui_nn.core import initialize_parameters
    from tui_nn.core.modelfile import parameters_checksum

    params = params if params is not None else initialize_parameters(dims, "random", seed=1)
    record = {"format": "tui-nn-model", "format_version": 1, "layer_dims": list(dims),
              "hidden_activations": ["tanh"] * (len(dims) - 2), "output": "sigmoid", "dtype": "float64",
              "checksum": parameters_checksum(params), "extra": {"iteration": 5}}
    record.update(meta or {})
    buf = io.BytesIO()
    np.savez(buf, **params, __meta__=np.array(json.dumps(record)))
    return buf.getvalue()


def model_bomb(folder: Path, units: int = 8000) -> Path:
    """A model file of about ``units / 16`` KB declaring a ``units x units`` weight matrix of zeros."""
    dims = (2, units, units, 1)
    meta = {"format": "tui-nn-model", "format_version": 1, "layer_dims": list(dims), "hidden_activations": ["tanh", "tanh"],
            "output": "sigmoid", "checksum": "0" * 64, "extra": {}}
    path = folder / "bomb.npz"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for l in range(1, len(dims)):
            for key, shape in ((f"W{l}", (dims[l], dims[l - 1])), (f"b{l}", (dims[l], 1))):
                head = io.BytesIO()
                np.lib.format.write_array_header_2_0(head, {"descr": "<f8", "fortran_order": False, "shape": shape})
                with zf.open(f"{key}.npy", "w", force_zip64=True) as f:
                    f.write(head.getvalue())
                    row = bytes(8 * shape[1])
                    for _ in range(shape[0]):
                        f.write(row)
        zf.writestr("__meta__.npy", npy(np.array(json.dumps(meta))))
    return path


def model_cases() -> list[Case]:
    from tui_nn.core import initialize_parameters

    nan = initialize_parameters((2, 4, 1), "random", seed=1)
    nan["W2"][0, 0] = np.nan
    inf = initialize_parameters((2, 4, 1), "random", seed=1)
    inf["b1"][1, 0] = -np.inf
    docs = {
        "plain": model_bytes(),
        "nan weights": model_bytes(params=nan),
        "inf bias": model_bytes(params=inf),
        "extra is a list": model_bytes({"extra": [1, 2, 3]}),
        "extra nested 40 deep": model_bytes({"extra": json.loads("[" * 40 + "]" * 40)}),
        "layer dims as text": model_bytes({"layer_dims": ["2", "4", "1"]}),
        "layer dims as bools": model_bytes({"layer_dims": [True, 4, True]}),
        "negative layer": model_bytes({"layer_dims": [2, -4, 1]}),
        "10**20 units": model_bytes({"layer_dims": [2, 10**20, 1]}),
        "activation with escapes": model_bytes({"hidden_activations": [ESC]}),
        "format version with escapes": model_bytes({"format_version": ESC}),
        "checksum mismatch": model_bytes({"checksum": "0" * 64}),
        "iteration true": model_bytes({"extra": {"iteration": True}}),
        "non-finite extra": model_bytes({"extra": {"cost": None, "cost_str": "nan", "learning_rate": 1e300}}),
        "pickled member": zip_bytes({"W1.npy": npy(np.array([None] * 8, dtype=object), True), "__meta__.npy": b"x"}),
        "integer weights": zip_bytes({"__meta__.npy": npy(np.array(json.dumps({"format": "tui-nn-model", "format_version": 1,
                                 "layer_dims": [1, 1], "hidden_activations": [], "output": "sigmoid"}))),
                                 "W1.npy": npy(np.zeros((1, 1), dtype=np.int64)), "b1.npy": npy(np.zeros((1, 1), dtype=np.int64))}),
        "metadata declaring 2 GB": zip_bytes({"__meta__.npy": lying_header((), "<U500000000", b"")}),
        "truncated": model_bytes()[:300],
        "noise bytes": random.Random(1).randbytes(5000),
    }
    cases = [Case("model", name, write_bytes("model.npz", data)) for name, data in docs.items()]
    cases.append(Case("model", "bomb: 8000 x 8000 zeros", model_bomb, declares=8 * (2 * 8000 + 8000 * 8000 + 8000 + 3 * 8000 + 1)))
    return cases + special_cases("model")
