"""From a ``RunConfig`` to what training needs: dataset, network spec, initial parameters, trainer."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from tui_nn.config import ConfigError, RunConfig
from tui_nn.core import LoadedModel, NetworkSpec, TrainConfig, Trainer, initialize_parameters
from tui_nn.datasets import BUILTINS, Dataset, DatasetError, load_builtin, load_path


def open_dataset(cfg: RunConfig) -> Dataset:
    """The config's dataset: a built-in by name, otherwise a file path.

    Raises ``DatasetError`` with a message for a person.
    """
    if cfg.dataset in BUILTINS:
        return load_builtin(cfg.dataset, m=cfg.m, noise=cfg.noise, seed=cfg.data_seed)
    name = cfg.dataset
    if not Path(name).exists() and "/" not in name and "\\" not in name and "." not in name:
        raise DatasetError(f"unknown dataset {name!r}: not a built-in ({', '.join(BUILTINS)}) and no such file")
    return load_path(name, label=cfg.label, layout=cfg.layout)


@dataclass(frozen=True, eq=False)
class Experiment:
    """A dataset and a network ready to train, with the initial parameters drawn from the seed."""

    config: RunConfig
    dataset: Dataset
    spec: NetworkSpec
    initial_parameters: dict[str, np.ndarray]

    def train_config(self, stats_every: int = 0) -> TrainConfig:
        cfg = self.config
        return TrainConfig(
            learning_rate=cfg.learning_rate,
            num_iterations=cfg.iterations,
            optimizer=cfg.optimizer,
            batch_size=cfg.batch_size,
            lambd=cfg.l2,
            shuffle_seed=cfg.seed,
            eval_every=cfg.eval_every,
            stats_every=stats_every,
        )

    def model_metadata(self, iteration: int) -> dict[str, Any]:
        """What a saved model records about how it was made: the config, the iteration, the
        dataset and (for standardised data) the statistics a later user must apply to inputs."""
        extra: dict[str, Any] = {"config": self.config.to_dict(), "iteration": iteration, "dataset": self.config.dataset}
        if self.dataset.standardization is not None:
            extra["standardization"] = self.dataset.standardization.to_json()
        return extra

    def new_trainer(self, parameters: dict[str, np.ndarray] | None = None, stats_every: int = 0) -> Trainer:
        """A trainer from the initial parameters (or the given ones) on train, with dev for evaluation."""
        ds = self.dataset
        return Trainer(
            self.spec,
            self.initial_parameters if parameters is None else parameters,
            ds.X_train,
            ds.targets(ds.Y_train),
            self.train_config(stats_every),
            ds.X_dev,
            ds.targets(ds.Y_dev),
        )


def spec_for(cfg: RunConfig, dataset: Dataset) -> NetworkSpec:
    """The network the config describes, sized to the dataset.

    Raises ``ConfigError`` (naming ``output``) when the output does not fit the data,
    e.g. a softmax output for a binary task.
    """
    output = cfg.output or dataset.output
    if dataset.task == "regression" and output != "linear":
        raise ConfigError(f"output: {output} needs class labels; dataset {dataset.name} is regression (use linear)")
    try:
        return NetworkSpec((dataset.n_x, *cfg.hidden, dataset.n_y), cfg.activations, output)
    except ValueError as e:
        raise ConfigError(f"output: {e} (dataset {dataset.name} is {dataset.task} with {dataset.n_y} output(s))") from None


def build_experiment(cfg: RunConfig, dataset: Dataset | None = None) -> Experiment:
    """Open the dataset (unless given) and draw the initial parameters from ``cfg.seed``."""
    if dataset is None:
        dataset = open_dataset(cfg)
    spec = spec_for(cfg, dataset)
    params = initialize_parameters(spec.layer_dims, cfg.init, seed=cfg.seed, scale=cfg.init_scale)
    return Experiment(cfg, dataset, spec, params)


def experiment_from_model(current: Experiment, model: LoadedModel) -> Experiment:
    """The current dataset and hyperparameters with a loaded model's network and weights.

    Raises ``ValueError`` when the model's input or output size does not fit the dataset.
    """
    ds, spec = current.dataset, model.spec
    if (spec.n_x, spec.n_y) != (ds.n_x, ds.n_y):
        raise ValueError(
            f"the model takes {spec.n_x} inputs and gives {spec.n_y} outputs; "
            f"{ds.name} needs {ds.n_x} and {ds.n_y}"
        )
    cfg = current.config.with_changes(
        hidden=spec.layer_dims[1:-1], activations=spec.hidden_activations, output=spec.output
    )
    return Experiment(cfg, ds, spec, model.parameters)
