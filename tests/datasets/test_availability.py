"""A built-in that cannot open here says why, with the exact command that installs what it needs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tui_nn.datasets import DatasetError, load_builtin, unavailable_reason

CHECKOUT = Path(__file__).resolve().parents[2]
BLOCK = "import sys; sys.modules['sklearn'] = None; sys.modules['h5py'] = None; "
"""Makes ``import sklearn`` and ``import h5py`` fail in a subprocess, as when the extras are not installed."""


def run_python(code: str, cwd: Path) -> str:
    out = subprocess.run([sys.executable, "-c", BLOCK + code], cwd=cwd, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return out.stdout


def is_editable_checkout() -> bool:
    return '"editable": true' in run_python(
        "from importlib.metadata import distributions; "
        "print([d.read_text('direct_url.json') for d in distributions(name='tui-nn')])", Path("/"))


def test_sets_that_can_open_are_not_marked():
    for name in ("flower", "noisy_moons", "spiral3", "plane", "digits", "iris"):
        assert unavailable_reason(name) is None, name


@pytest.mark.parametrize("name", ["digits", "iris", "wine", "breast_cancer"])
def test_a_scikit_learn_set_without_the_extra_names_the_editable_install_command(name):
    if not is_editable_checkout():
        pytest.skip("tui-nn is not installed from an editable checkout here")
    # From the checkout itself: the README's own form, relative to where you are.
    reason = run_python(f"from tui_nn.datasets import unavailable_reason; print(unavailable_reason({name!r}))", CHECKOUT)
    venv_python = Path(sys.executable).absolute().relative_to(CHECKOUT)
    assert reason.strip() == f"needs scikit-learn: {venv_python} -m pip install -e '.[sklearn]'"
    # From elsewhere: absolute paths, so the command works from anywhere.
    reason = run_python(f"from tui_nn.datasets import unavailable_reason; print(unavailable_reason({name!r}))", Path("/"))
    assert reason.strip() == f"needs scikit-learn: {Path(sys.executable).absolute()} -m pip install -e '{CHECKOUT}[sklearn]'"


def test_loading_a_scikit_learn_set_without_the_extra_says_the_same_command():
    out = run_python("from tui_nn.datasets import load_builtin, DatasetError\n"
                     "try:\n    load_builtin('digits')\nexcept DatasetError as e:\n    print(e)", CHECKOUT)
    assert "need the optional package scikit-learn: " in out
    assert "-m pip install" in out and "[sklearn]" in out
    assert "pip install 'tui-nn[sklearn]'" not in out or not is_editable_checkout()


def test_catvnoncat_says_when_its_files_are_not_found(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TUI_NN_DATA", raising=False)
    reason = unavailable_reason("catvnoncat")
    assert reason is not None and "files were not found" in reason and "TUI_NN_DATA" in reason
    with pytest.raises(DatasetError, match="were not found"):
        load_builtin("catvnoncat")


def test_catvnoncat_without_h5py_names_the_h5_extra():
    out = run_python("from tui_nn.datasets import unavailable_reason; print(unavailable_reason('catvnoncat'))", Path("/"))
    assert out.startswith("needs h5py: ") and "[h5]" in out


def test_tui_nn_datasets_marks_the_sets_that_cannot_open(tmp_path):
    out = run_python("from tui_nn.cli import main; main(['datasets'])", tmp_path)
    lines = out.splitlines()
    for name in ("digits", "iris", "wine", "breast_cancer", "catvnoncat"):
        row = next(i for i, line in enumerate(lines) if line.startswith(name + " "))
        assert "needs " in lines[row + 1] or "not found" in lines[row + 1], (name, lines[row + 1])
    flower = next(i for i, line in enumerate(lines) if line.startswith("flower "))
    assert lines[flower + 1].startswith("noisy_circles")  # nothing under a set that opens
