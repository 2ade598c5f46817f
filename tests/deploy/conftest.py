"""Trained models on every built-in data set, saved as tui-nn model files in float64 and float32."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from tui_nn.config import RunConfig
from tui_nn.core import load_model, save_model
from tui_nn.datasets import BUILTINS
from tui_nn.experiment import Experiment, build_experiment
from tui_nn.pipeline import ModelPipeline, pipeline_from_model

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
CAT_DIR = SHARED_DATA / "catvnoncat"

# One short run per data set; together they use every hidden activation, every output and every input feature.
SETTINGS: dict[str, dict] = {
    "flower": {},
    "noisy_circles": {"features": ("x1^2", "x2^2"), "hidden": (), "activations": ()},
    "noisy_moons": {"hidden": (5, 3), "activations": ("relu", "tanh"), "init": "he"},
    "blobs": {"activations": ("leaky_relu",), "init": "he"},
    "gaussian_quantiles": {"features": ("x1", "x2", "x1^2", "x2^2", "x1x2", "sin_x1", "sin_x2"), "hidden": (6,)},
    "no_structure": {"activations": ("sigmoid",)},
    "xor": {"features": ("x1x2",), "hidden": (), "activations": ()},
    "spiral": {"features": ("x1", "x2", "sin_x1", "sin_x2"), "hidden": (8,), "init": "xavier"},
    "spiral3": {"hidden": (6,), "activations": ("relu",), "init": "he"},
    "circle": {"activations": ("linear",)},
    "gauss": {"hidden": (3, 3), "activations": ("leaky_relu", "sigmoid"), "init": "he"},
    "linear": {"hidden": (), "activations": ()},
    "plane": {"hidden": (), "activations": (), "learning_rate": 0.1},
    "multi_gauss": {"hidden": (8,), "activations": ("tanh",), "learning_rate": 0.1},
    "catvnoncat": {"hidden": (7,), "activations": ("relu",), "init": "he", "learning_rate": 0.0075},
    "breast_cancer": {"hidden": (5,), "activations": ("relu",), "init": "he", "learning_rate": 0.1},
    "digits": {"hidden": (16,), "activations": ("relu",), "init": "he", "learning_rate": 0.5},
    "iris": {"hidden": (4,), "learning_rate": 0.5},
    "wine": {"hidden": (4,), "activations": ("leaky_relu",), "init": "he", "learning_rate": 0.3},
}
assert set(SETTINGS) == set(BUILTINS)
ALL_DATASETS = list(SETTINGS)


@dataclass(frozen=True)
class Trained:
    """A briefly trained experiment and its model file in each dtype."""

    experiment: Experiment
    parameters: dict[str, np.ndarray]
    files: dict[str, Path]
    """``"float64"`` / ``"float32"`` -> the model file."""

    def pipeline(self, dtype: str = "float64") -> ModelPipeline:
        return pipeline_from_model(load_model(self.files[dtype]))


def skip_unless_available(name: str) -> None:
    """Skip, with the reason, when a data set's extra or files are missing."""
    info = BUILTINS[name]
    if info.extra == "sklearn" and importlib.util.find_spec("sklearn") is None:
        pytest.skip(f"{name} needs scikit-learn (pip install -e '.[sklearn]')")
    if name == "catvnoncat":
        if importlib.util.find_spec("h5py") is None:
            pytest.skip("catvnoncat needs h5py (pip install -e '.[h5]')")
        if not (CAT_DIR / "train_catvnoncat.h5").is_file():
            pytest.skip(f"the course's cat files are not at {CAT_DIR}")


_CACHE: dict[str, Trained] = {}


@pytest.fixture
def trained(request, tmp_path_factory) -> Trained:
    """The data set named by the test's ``name`` parameter, trained for 30 iterations and saved."""
    name = request.getfixturevalue("name")
    skip_unless_available(name)
    if name not in _CACHE:
        dataset = str(CAT_DIR) if name == "catvnoncat" else name
        cfg = RunConfig(dataset=dataset, iterations=30, eval_every=30, seed=1,
                        **{"learning_rate": 0.3, **SETTINGS[name]})
        exp = build_experiment(cfg)
        trainer = exp.new_trainer()
        for _ in trainer.run():
            pass
        folder = tmp_path_factory.mktemp(f"model-{name}")
        params = trainer.parameters_copy()
        extra = exp.model_metadata(trainer.iteration)
        files = {"float64": save_model(folder / "model.npz", exp.spec, params, extra),
                 "float32": save_model(folder / "model32.npz", exp.spec,
                                       {k: v.astype(np.float32) for k, v in params.items()}, extra)}
        _CACHE[name] = Trained(exp, params, files)
    return _CACHE[name]


@pytest.fixture
def trained_flower(tmp_path_factory) -> Trained:
    """The flower model (no standardisation, no features)."""
    class _Request:
        def getfixturevalue(self, _name: str) -> str:
            return "flower"

    return trained.__wrapped__(_Request(), tmp_path_factory)
