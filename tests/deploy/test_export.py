"""Both exports on every built-in data set: onnxruntime and a NumPy-only subprocess give the core's probabilities."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import numpy as np
import pytest

from tui_nn.cli import main
from tui_nn.core import predict_proba
from tui_nn.datasets import load_builtin

from .conftest import ALL_DATASETS, CAT_DIR, Trained

DTYPES = ("float64", "float32")
ONNX_TOLERANCE = {"float64": 1e-12, "float32": 1e-6}


def raw_dev(name: str) -> np.ndarray:
    """The dev split's raw inputs ``(n_in, m)``, before standardisation and features."""
    return load_builtin(name, raw=True, path=CAT_DIR if name == "catvnoncat" else None).X_dev


def core_output(trained: Trained, dtype: str, X: np.ndarray) -> np.ndarray:
    """The core's ``predict_proba`` on the model's network inputs for ``X``, in the model's dtype."""
    pipe = trained.pipeline(dtype)
    AL = predict_proba(pipe.network_inputs(X), pipe.parameters, pipe.spec)
    assert AL.dtype == np.dtype(dtype)
    if dtype == "float64":  # the pipeline's inputs are exactly what training saw
        exp = trained.experiment
        assert np.array_equal(AL, predict_proba(exp.dataset.X_dev, trained.parameters, exp.spec))
    return AL


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", ALL_DATASETS)
def test_onnx_export_runs_in_onnxruntime_with_the_cores_probabilities(name, dtype, trained: Trained, tmp_path, capsys):
    onnx = pytest.importorskip("onnx", reason="ONNX export needs the onnx extra (pip install -e '.[onnx]')")
    ort = pytest.importorskip("onnxruntime", reason="the test runs the graph in onnxruntime (the test extra)")
    out = tmp_path / "model.onnx"
    assert main(["export", str(trained.files[dtype]), "--format", "onnx", "--out", str(out)]) == 0
    model = onnx.load(str(out))
    assert [o.version for o in model.opset_import if o.domain in ("", "ai.onnx")] == [17]
    ops = [n.op_type for n in model.graph.node]
    pipe = trained.pipeline(dtype)
    if pipe.mean is not None:
        assert ops[:2] == ["Sub", "Div"]  # standardisation first
    if pipe.features:
        assert "Concat" in ops and ops.index("Concat") < ops.index("Gemm")
    assert ops.count("Gemm") == pipe.spec.L
    assert ops[-1] == {"sigmoid": "Sigmoid", "softmax": "Softmax", "linear": "Identity"}[pipe.spec.output]
    (inp,), (outp,) = model.graph.input, model.graph.output
    assert (inp.name, outp.name) == ("x", "probabilities")
    assert inp.type.tensor_type.shape.dim[0].dim_param == "batch"
    X = raw_dev(name)
    session = ort.InferenceSession(str(out), providers=["CPUExecutionProvider"])
    got = session.run(None, {"x": np.ascontiguousarray(X.T.astype(dtype))})[0]
    assert got.dtype == np.dtype(dtype)
    expected = core_output(trained, dtype, X)
    np.testing.assert_allclose(got.T, expected, rtol=0, atol=ONNX_TOLERANCE[dtype])
    one = session.run(None, {"x": np.ascontiguousarray(X[:, :1].T.astype(dtype))})[0]  # the batch is dynamic
    assert one.shape == (1, pipe.spec.n_y)


RUN_SCRIPT = textwrap.dedent("""
    import importlib.abc, sys

    class NoOtherPackages(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in ("tui_nn", "textual", "rich", "onnx", "onnxruntime", "sklearn", "h5py"):
                raise ImportError(f"the exported script imported {name}")
            return None

    sys.meta_path.insert(0, NoOtherPackages())
    sys.path.insert(0, sys.argv[1])
    import numpy as np
    import model
    X = np.load(sys.argv[2])["X"]
    np.savez(sys.argv[3], A=model.predict_proba(X), labels=model.predict(X))
    top = {m.split(".")[0] for m in sys.modules}
    print(sorted(m for m in top - set(sys.stdlib_module_names) if not m.startswith("_")))
""")


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", ALL_DATASETS)
def test_numpy_export_needs_only_numpy_and_reproduces_the_core_exactly(name, dtype, trained: Trained, tmp_path, capsys):
    folder = tmp_path / "export"
    folder.mkdir()
    assert main(["export", str(trained.files[dtype]), "--format", "numpy", "--out", str(folder / "model.py")]) == 0
    assert sorted(p.name for p in folder.iterdir()) == ["model.py", "model_weights.npz"]
    source = (folder / "model.py").read_text()
    assert "Z1 = W1 @ A0 + b1  # Z[1] = W[1] A[0] + b[1]" in source
    assert "A1 = " in source and "A[1] = g[1](Z[1])" in source
    X = raw_dev(name)
    np.savez(tmp_path / "X.npz", X=X)
    result = subprocess.run(
        [sys.executable, "-I", "-c", RUN_SCRIPT, str(folder), str(tmp_path / "X.npz"), str(tmp_path / "A.npz")],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['model', 'numpy']"
    with np.load(tmp_path / "A.npz") as f:
        A, labels = f["A"], f["labels"]
    expected = core_output(trained, dtype, X)
    assert A.dtype == expected.dtype and np.array_equal(A, expected)
    pipe = trained.pipeline(dtype)
    from tui_nn.core.metrics import predictions_from_output

    assert np.array_equal(labels, predictions_from_output(expected, pipe.spec.output))


def test_exports_never_replace_files_without_force(trained_flower, tmp_path, capsys):
    model = str(trained_flower.files["float64"])
    (tmp_path / "m_weights.npz").write_text("precious")
    assert main(["export", model, "--format", "numpy", "--out", str(tmp_path / "m.py")]) == 2
    assert "m_weights.npz exists; use --force" in capsys.readouterr().err
    assert not (tmp_path / "m.py").exists() and (tmp_path / "m_weights.npz").read_text() == "precious"
    assert main(["export", model, "--format", "numpy", "--out", str(tmp_path / "m.py"), "--force"]) == 0
    assert (tmp_path / "m.py").exists()


def test_the_exported_script_predicts_a_csv_from_the_command_line(trained_flower, tmp_path, capsys):
    model = trained_flower.files["float64"]
    assert main(["export", str(model), "--format", "numpy", "--out", str(tmp_path / "flower_net.py")]) == 0
    (tmp_path / "new.csv").write_text("x2,x1\n1.0,0.5\n-2.0,3.0\n")
    result = subprocess.run([sys.executable, "-I", str(tmp_path / "flower_net.py"), str(tmp_path / "new.csv")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    rows = [line.split(",") for line in result.stdout.splitlines()]
    pipe = trained_flower.pipeline()
    A = pipe.predict_proba(np.array([[0.5, 3.0], [1.0, -2.0]]))
    assert rows[0] == ["p_0", "p_1", "predicted"]
    assert [float(r[1]) for r in rows[1:]] == A[0].tolist()
