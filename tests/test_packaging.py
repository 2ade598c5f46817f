"""Packaging: the repository's core/ and datasets/ install only as tui_nn.core and tui_nn.datasets."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def source_copy(dest: Path) -> Path:
    """The files a build reads, copied so that setuptools' build/ and egg-info never land in the repo."""
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "build", "dist", ".*")
    for name in ("pyproject.toml", "README.md", "LICENSE", "setup.cfg", "setup.py", "MANIFEST.in"):
        if (REPO / name).exists():
            shutil.copy2(REPO / name, dest / name)
    for folder in ("core", "datasets", "tui_nn"):
        shutil.copytree(REPO / folder, dest / folder, ignore=ignore)
    return dest


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    src = source_copy(tmp_path_factory.mktemp("src"))
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q",
         "-w", str(out), str(src)],
        capture_output=True, text=True, timeout=180, cwd=src,
        env={**os.environ, "PIP_NO_INPUT": "1"},
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    wheels = list(out.glob("tui_nn-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def test_wheel_has_only_tui_nn_and_its_dist_info(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert names
    outside = [n for n in names if not (n.startswith("tui_nn/") or n.split("/")[0].endswith(".dist-info"))]
    assert outside == []
    assert "tui_nn/core/__init__.py" in names and "tui_nn/core/trainer.py" in names
    assert "tui_nn/datasets/__init__.py" in names
    assert "tui_nn/app.tcss" in names and "tui_nn/widgets/cost_plot.py" in names  # the app runs from a wheel
    assert not any(n.startswith(("core/", "datasets/")) for n in names)
    top = [n for n in names if n.endswith(".dist-info/top_level.txt")]
    if top:
        assert zipfile.ZipFile(wheel).read(top[0]).decode().split() == ["tui_nn"]


PROBE = """
import importlib.util, json
def where(name):
    spec = importlib.util.find_spec(name)
    return None if spec is None else (spec.origin or str(list(spec.submodule_search_locations or [])))
import tui_nn.core, tui_nn.datasets
print(json.dumps({"core": where("core"), "datasets": where("datasets"),
                  "tui_nn.core": tui_nn.core.__file__, "tui_nn.datasets": tui_nn.datasets.__file__}))
"""


def test_installed_environment_has_no_top_level_core_or_datasets_from_this_repo(tmp_path):
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    found = json.loads(out.stdout.strip().splitlines()[-1])
    for name in ("core", "datasets"):
        # Another project's `datasets` (Hugging Face) may be installed; ours must not be.
        assert found[name] is None or str(REPO) not in found[name], found
    assert found["tui_nn.core"] == str(REPO / "core" / "__init__.py")
    assert found["tui_nn.datasets"] == str(REPO / "datasets" / "__init__.py")
