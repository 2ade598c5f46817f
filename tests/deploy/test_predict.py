"""``tui-nn predict``: a saved model on a built-in split or a file gives the core's probabilities, with clear errors."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pytest

from tui_nn.cli import main
from tui_nn.config import RunConfig
from tui_nn.core import accuracy, predict_proba, save_model
from tui_nn.datasets import load_builtin
from tui_nn.experiment import build_experiment

from .conftest import ALL_DATASETS, Trained


def read_csv(text: str) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(text)))
    return rows[0], rows[1:]


def probabilities(header: list[str], rows: list[list[str]]) -> np.ndarray:
    """The ``p_*`` (or ``y_hat``) columns as ``(K, m)`` floats."""
    cols = [k for k, h in enumerate(header) if h.startswith("p_") or h.startswith("y_hat")]
    return np.array([[float(r[k]) for r in rows] for k in cols])


def expected_rows(exp, AL: np.ndarray) -> np.ndarray:
    """The core's output as the CSV writes it: sigmoid ``a`` becomes ``1 - a, a``."""
    return np.vstack([1 - AL, AL]) if exp.spec.output == "sigmoid" else AL


@pytest.mark.parametrize("name", ALL_DATASETS)
def test_predict_on_the_dev_split_gives_the_cores_probabilities_and_accuracy(name, trained: Trained, tmp_path, capsys):
    exp, ds = trained.experiment, trained.experiment.dataset
    out = tmp_path / "pred.csv"
    assert main(["predict", str(trained.files["float64"]), name, "--split", "dev", "--out", str(out)]) == 0
    header, rows = read_csv(out.read_text())
    assert len(rows) == ds.m_dev
    # The model file's standardisation and features, applied to the raw split, are exactly what training saw.
    AL = predict_proba(ds.X_dev, trained.parameters, exp.spec)
    assert np.array_equal(probabilities(header, rows), expected_rows(exp, AL))
    summary = capsys.readouterr().out
    if ds.task == "regression":
        assert header[:2] == ["y_hat", "y"] and "mean squared error" in summary
        return
    names = list(exp.source_dataset.class_names)
    assert header == [f"p_{n}" for n in names] + ["predicted", "label"]
    core_pred = np.argmax(expected_rows(exp, AL), axis=0)
    assert [r[-2] for r in rows] == [names[k] for k in core_pred]
    assert [r[-1] for r in rows] == [names[k] for k in ds.Y_dev.reshape(-1)]
    acc = accuracy(ds.X_dev, ds.targets(ds.Y_dev), trained.parameters, exp.spec)
    assert f"accuracy {100 * acc:.1f} %" in summary


@pytest.mark.parametrize("name", ALL_DATASETS)
def test_predict_on_a_file_of_the_raw_split_matches_the_builtin_split(name, trained: Trained, tmp_path, capsys):
    """The dev split written to a file (CSV with named columns, or NPZ rows for images) predicts the same."""
    exp = trained.experiment
    src = exp.source_dataset
    raw = load_builtin(name, raw=True, path=trained.experiment.config.dataset if name == "catvnoncat" else None)
    X, Y = raw.X_dev, raw.Y_dev
    if src.image_shape is None:
        data = tmp_path / "dev.csv"
        label = "target"
        with open(data, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow([*reversed(src.feature_names), label])  # column order differs from training: matched by name
            labels = Y[0] if src.task == "regression" else np.array(src.class_names)[Y[0]]
            w.writerows([*map(repr, X[::-1, j].tolist()), labels[j]] for j in range(X.shape[1]))
        args = ["--label", label]
    else:
        data = tmp_path / "dev.npz"
        np.savez(data, x=X.T.reshape(-1, *src.image_shape), y=Y[0])
        args = []
    out = tmp_path / "pred.csv"
    assert main(["predict", str(trained.files["float64"]), str(data), "--out", str(out), *args]) == 0
    header, rows = read_csv(out.read_text())
    AL = predict_proba(exp.dataset.X_dev, trained.parameters, exp.spec)
    got = probabilities(header, rows)
    if src.image_shape is None:
        assert np.array_equal(got, expected_rows(exp, AL))
    else:  # images go through the loader's /255 scaling again, from float pixels
        np.testing.assert_allclose(got, expected_rows(exp, AL), rtol=1e-12, atol=1e-14)
    if src.task != "regression":
        acc = accuracy(exp.dataset.X_dev, exp.dataset.targets(exp.dataset.Y_dev), trained.parameters, exp.spec)
        assert f"accuracy {100 * acc:.1f} %" in capsys.readouterr().out


@pytest.fixture
def csv_model(tmp_path) -> tuple[Path, Path]:
    """A model trained on a CSV with named columns and text labels, and that CSV."""
    ds = load_builtin("noisy_moons")
    data = tmp_path / "moons.csv"
    with open(data, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["width", "height", "kind"])
        w.writerows([repr(a), repr(b), ("left", "right")[y]] for a, b, y in zip(*ds.X_train.tolist(), ds.Y_train[0].tolist()))
    exp = build_experiment(RunConfig(dataset=str(data), iterations=200, learning_rate=1.0, hidden=(5,)))
    trainer = exp.new_trainer()
    for _ in trainer.run():
        pass
    model = save_model(tmp_path / "moons.npz", exp.spec, trainer.parameters_copy(), exp.model_metadata(trainer.iteration))
    return model, data


def write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def test_a_csv_model_records_its_columns_and_classes_and_predicts_unlabelled_rows_by_name(csv_model, tmp_path, capsys):
    model, _ = csv_model
    data = write(tmp_path / "new.csv", "height,width\n0.5,0.0\n-0.5,1.5\n")
    assert main(["predict", str(model), str(data)]) == 0
    captured = capsys.readouterr()
    header, rows = read_csv(captured.out)
    assert header == ["p_left", "p_right", "predicted"]
    assert len(rows) == 2 and {r[2] for r in rows} <= {"left", "right"}
    assert "no labels, so no accuracy" in captured.err


def test_a_csv_model_reports_accuracy_on_its_own_file(csv_model, capsys):
    model, data = csv_model
    assert main(["predict", str(model), str(data)]) == 0
    captured = capsys.readouterr()
    header, rows = read_csv(captured.out)
    assert header[-1] == "label"
    correct = sum(r[-2] == r[-1] for r in rows)
    assert f"accuracy {100 * correct / len(rows):.1f} %" in captured.err
    assert correct / len(rows) > 0.8


@pytest.mark.parametrize("text, message", [
    ("width\n0.5\n", "no column 'height', which the model takes as an input"),
    ("width,height,colour\n0.5,1,red\n", "column 'colour' is not one of the model's inputs"),
    ("width,height\n0.5,tall\n", "line 2, column 'height': 'tall' is not a number"),
    ("width,height,kind\n0.5,1,middle\n", "label 'middle' is not one of the classes 'left', 'right'"),
])
def test_bad_csv_columns_are_one_error_naming_the_column(csv_model, tmp_path, capsys, text, message):
    model, _ = csv_model
    data = write(tmp_path / "bad.csv", text)
    assert main(["predict", str(model), str(data)]) == 2
    captured = capsys.readouterr()
    assert message in captured.err and captured.out == ""
    assert "Traceback" not in captured.err


def test_npz_with_the_wrong_feature_count_or_an_unreadable_dtype_is_refused(trained_flower, tmp_path, capsys):
    model = str(trained_flower.files["float64"])
    np.savez(tmp_path / "three.npz", X=np.zeros((3, 5)))
    assert main(["predict", model, str(tmp_path / "three.npz")]) == 2
    assert "array 'X': 3 features; the model takes 2 ('x1', 'x2')" in capsys.readouterr().err
    np.savez(tmp_path / "text.npz", X=np.array([["a", "b"], ["c", "d"]]))
    assert main(["predict", model, str(tmp_path / "text.npz")]) == 2
    assert "array 'X' has dtype <U1, which cannot be read as numbers" in capsys.readouterr().err
    np.savez(tmp_path / "complex.npz", X=np.zeros((2, 4), dtype=complex))
    assert main(["predict", model, str(tmp_path / "complex.npz")]) == 2
    assert "array 'X' has dtype complex128" in capsys.readouterr().err


def test_predict_never_replaces_an_existing_output_without_force(trained_flower, tmp_path, capsys):
    model = str(trained_flower.files["float64"])
    out = write(tmp_path / "keep.csv", "precious\n")
    assert main(["predict", model, "flower", "--out", str(out)]) == 2
    assert "exists; use --force" in capsys.readouterr().err
    assert out.read_text() == "precious\n"
    assert main(["predict", model, "flower", "--out", str(out), "--force"]) == 0
    assert out.read_text().startswith("p_0,p_1,predicted,label\n")


def test_a_float32_model_predicts_in_float32(trained_flower, tmp_path):
    out = tmp_path / "p32.csv"
    assert main(["predict", str(trained_flower.files["float32"]), "flower", "--out", str(out)]) == 0
    header, rows = read_csv(out.read_text())
    exp = trained_flower.experiment
    params32 = {k: v.astype(np.float32) for k, v in trained_flower.parameters.items()}
    AL = predict_proba(exp.dataset.X_dev.astype(np.float32), params32, exp.spec)
    assert AL.dtype == np.float32
    assert np.array_equal(probabilities(header, rows)[1], AL[0].astype(np.float64))


def test_predict_and_export_never_import_textual(trained_flower, tmp_path):
    import subprocess
    import sys

    model = str(trained_flower.files["float64"])
    code = (
        "import sys; from tui_nn.cli import main\n"
        f"assert main(['predict', {model!r}, 'flower', '--out', {str(tmp_path / 'p.csv')!r}]) == 0\n"
        f"assert main(['export', {model!r}, '--format', 'numpy', '--out', {str(tmp_path / 'm.py')!r}]) == 0\n"
        "assert 'textual' not in sys.modules, 'textual was imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
