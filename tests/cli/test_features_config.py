"""Input features through configs, flags, experiments, the boundary map and model files."""

from __future__ import annotations

import numpy as np
import pytest

from tui_nn.config import ConfigError, RunConfig, from_mapping, load_config, save_config
from tui_nn.core import accuracy, load_model, predict_proba, save_model
from tui_nn.datasets import apply_features
from tui_nn.experiment import build_experiment, experiment_from_model
from tui_nn.views import BoundaryProbe, ViewRequest, grid_inputs

LOGISTIC = dict(dataset="circle", hidden=(), activations=(), learning_rate=0.5, iterations=2000)


def _train(cfg: RunConfig):
    exp = build_experiment(cfg)
    trainer = exp.new_trainer()
    for _ in trainer.run():
        pass
    ds = exp.dataset
    return exp, trainer, accuracy(ds.X_dev, ds.targets(ds.Y_dev), trainer.parameters, exp.spec)


def test_logistic_regression_solves_circle_with_squared_inputs_and_not_without():
    """Playground's lesson: x1² + x2² makes the circle linearly separable."""
    _, _, with_squares = _train(RunConfig(**LOGISTIC, features=("x1^2", "x2^2")))
    _, _, raw = _train(RunConfig(**LOGISTIC))
    assert with_squares >= 0.95
    assert raw <= 0.65


def test_features_in_a_config_file_round_trip_and_bad_ones_name_the_key(tmp_path):
    cfg = RunConfig(**LOGISTIC, features=("x1^2", "x2^2"))
    save_config(cfg, tmp_path / "c.toml")
    assert load_config(tmp_path / "c.toml") == cfg
    assert from_mapping({"features": ["X1²", "sin(x2)"]}).features == ("x1^2", "sin_x2")
    with pytest.raises(ConfigError, match="features: unknown input feature 'x9'"):
        from_mapping({"features": ["x9"]})
    with pytest.raises(ConfigError, match="features: expected list or tuple"):
        from_mapping({"features": "x1"})


def test_features_on_data_with_more_than_two_features_are_a_config_error():
    pytest.importorskip("sklearn")
    with pytest.raises(ConfigError, match="features: .*need 2-feature data"):
        build_experiment(RunConfig(dataset="iris", features=("x1^2",)))


def test_the_boundary_map_runs_the_grid_through_the_features():
    exp = build_experiment(RunConfig(**LOGISTIC, features=("x1^2", "x2^2", "x1x2")))
    probe = BoundaryProbe.for_experiment(exp)
    assert probe.kind == "heatmap" and exp.source_dataset.n_x == 2 and exp.dataset.n_x == 3
    rng = np.random.default_rng(0)
    params = {"W1": rng.normal(size=(1, 3)), "b1": np.array([[0.3]])}
    view = probe.compute(params, ViewRequest((12, 5)))
    grid = apply_features(grid_inputs(view.extent, 10, 12), exp.config.features)
    np.testing.assert_array_equal(view.values, predict_proba(grid, params, exp.spec).reshape(10, 12))


def test_a_saved_model_records_its_features_and_loading_it_restores_them(tmp_path):
    exp, trainer, dev = _train(RunConfig(**LOGISTIC, features=("x1^2", "x2^2")))
    path = save_model(tmp_path / "m.npz", exp.spec, trainer.parameters, exp.model_metadata(trainer.iteration))
    model = load_model(path)
    assert model.metadata["extra"]["features"] == ["x1^2", "x2^2"]
    plain = build_experiment(RunConfig(**LOGISTIC))
    loaded = experiment_from_model(plain, model)
    assert loaded.config.features == ("x1^2", "x2^2") and loaded.dataset.n_x == 2
    ds = loaded.dataset
    assert accuracy(ds.X_dev, ds.targets(ds.Y_dev), loaded.initial_parameters, loaded.spec) == dev


def test_train_flag_features(cli):
    cfg = cli.cwd / "lr.toml"
    save_config(RunConfig(**LOGISTIC), cfg)
    out = cli.run("train", "--config", str(cfg), "--features", "x1^2,x2^2", "-n", "2000")
    assert out.returncode == 0, out.stderr
    [run_dir] = cli.runs()
    end = cli.records(run_dir)[-1]
    assert end["dev_accuracy"] >= 0.95
    assert load_config(run_dir / "config.toml").features == ("x1^2", "x2^2")
    bad = cli.run("train", "--features", "x1^3")
    assert bad.returncode == 2 and "features: unknown input feature 'x1^3'" in bad.stderr
