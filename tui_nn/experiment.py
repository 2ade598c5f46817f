"""From a ``RunConfig`` to what training needs: dataset, network spec, initial parameters, trainer."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from tui_nn.config import DTYPES, ConfigError, RunConfig
from tui_nn.core import LoadedModel, NetworkSpec, TrainConfig, Trainer, accuracy, initialize_parameters
from tui_nn.core.memory import MemoryBudgetError, check_fits, training_bytes
from tui_nn.datasets import BUILTINS, Dataset, DatasetError, load_builtin, load_path, with_features
from tui_nn.datasets.registry import dev_size


GENERATOR_OPTIONS = ("m", "noise", "data_seed")
"""Config keys that shape a generated built-in data set."""
FILE_OPTIONS = ("label", "layout")
"""Config keys that say how to read a data file."""


def _misplaced_options(cfg: RunConfig) -> list[str]:
    """The dataset options the config sets that its dataset would silently ignore."""
    ignored = FILE_OPTIONS if cfg.dataset in BUILTINS else GENERATOR_OPTIONS  # m on a fixed built-in: load_builtin says so
    return [key for key in ignored if getattr(cfg, key) is not None]


def _exists(name: str) -> bool:
    try:
        return Path(name).exists()
    except (OSError, ValueError):  # a name too long for the file system, or holding a NUL
        return False


def open_dataset(cfg: RunConfig) -> Dataset:
    """The config's dataset: a built-in by name, otherwise a file path.

    Raises ``DatasetError`` with a message for a person, and ``ConfigError`` for an
    option the dataset would ignore (``--label`` on a built-in, ``--m`` on a file).
    """
    misplaced = _misplaced_options(cfg)
    if misplaced:
        what = "the built-in data set" if cfg.dataset in BUILTINS else "the data file"
        applies = "data files" if misplaced[0] in FILE_OPTIONS else "generated built-in data sets"
        raise ConfigError(f"{misplaced[0]}: applies to {applies}, not to {what} {cfg.dataset!r:.80}")
    if cfg.dataset in BUILTINS:
        return load_builtin(cfg.dataset, m=cfg.m, noise=cfg.noise, seed=cfg.data_seed, dev_fraction=cfg.dev_fraction)
    name = cfg.dataset
    if not _exists(name) and "/" not in name and "\\" not in name and "." not in name:
        raise DatasetError(f"unknown dataset {name!r:.80}: not a built-in ({', '.join(BUILTINS)}) and no such file")
    return load_path(name, label=cfg.label, layout=cfg.layout, dev_fraction=cfg.dev_fraction)


def check_training_memory(cfg: RunConfig, dataset: Dataset, spec: NetworkSpec) -> None:
    """Refuse (``ConfigError``) an experiment whose data plus training would not fit in memory.

    Counts the dataset's arrays (already loaded, so this errs on the safe side) and
    ``core.memory.training_bytes`` for the network on its training set.
    """
    data = sum(a.nbytes for a in (dataset.X_train, dataset.Y_train, dataset.X_dev, dataset.Y_dev,
                                  dataset.X_test, dataset.Y_test) if a is not None)
    _check_fits(cfg, spec.layer_dims, dataset.m_train, max(dataset.m_dev, dataset.m_test), data)


def _check_planned_memory(cfg: RunConfig) -> None:
    """For a generated built-in, the same check from the sizes the config asks for, before generating
    (ten million points take a while to draw only to be refused)."""
    info = BUILTINS.get(cfg.dataset)
    if info is None or not info.adjustable or info.default_m is None:
        return
    m = cfg.m or info.default_m
    n_x = len(cfg.features) if cfg.features else 2
    n_y = info.n_classes if info.task == "multiclass" else 1
    m_dev = dev_size(m, cfg.dev_fraction)
    _check_fits(cfg, (n_x, *cfg.hidden, n_y), m, m_dev, 8 * (n_x + 2 + n_y) * (m + m_dev))


def _check_fits(cfg: RunConfig, layer_dims: tuple[int, ...], m_train: int, m_eval: int, data: int) -> None:
    net = training_bytes(layer_dims, m_train, m_eval, cfg.batch_size, cfg.optimizer)
    try:
        check_fits(data + net, f"training {list(layer_dims)} on {m_train:,} examples")
    except MemoryBudgetError as e:
        raise ConfigError(f"m, hidden: {e}; use fewer examples or fewer units") from None


@dataclass(frozen=True)
class TrainingArrays:
    """The dataset as the trainer sees it, in the run's dtype: inputs ``(n_x, m)`` and
    targets (``Dataset.targets``) for the training and dev sets."""

    X_train: np.ndarray
    Y_train: np.ndarray
    X_dev: np.ndarray
    Y_dev: np.ndarray

    @classmethod
    def of(cls, dataset: Dataset, dtype: str) -> "TrainingArrays":
        """Cast once; float64 inputs are used as they are."""
        ds = dataset
        return cls(
            np.asarray(ds.X_train, dtype=dtype),
            ds.targets(ds.Y_train).astype(dtype, copy=False),
            np.asarray(ds.X_dev, dtype=dtype),
            ds.targets(ds.Y_dev).astype(dtype, copy=False),
        )


@dataclass(frozen=True, eq=False)
class Experiment:
    """A dataset and a network ready to train, with the initial parameters drawn from the seed.

    ``dataset`` is what the network sees: with input features (``config.features``) its
    ``X`` holds the features, and ``source`` is the data set as loaded (raw ``x1, x2``),
    which the decision boundary is drawn over. Without features both are the same.
    """

    config: RunConfig
    dataset: Dataset
    spec: NetworkSpec
    initial_parameters: dict[str, np.ndarray]
    source: Dataset | None = None
    """The data set before input features; None when it is ``dataset`` itself."""
    arrays: TrainingArrays = field(default=None, repr=False)  # type: ignore[assignment]
    """Training and dev data in the config's dtype, cast once here (the initial parameters are too)."""

    def __post_init__(self) -> None:
        dtype = self.config.dtype
        if self.arrays is None or self.arrays.X_train.dtype != dtype:
            object.__setattr__(self, "arrays", TrainingArrays.of(self.dataset, dtype))
        params = self.initial_parameters
        if any(p.dtype != dtype for p in params.values()):
            object.__setattr__(self, "initial_parameters", {k: p.astype(dtype) for k, p in params.items()})

    @property
    def source_dataset(self) -> Dataset:
        """The data set as loaded, before any input features."""
        return self.dataset if self.source is None else self.source

    def train_config(self, stats_every: int = 0) -> TrainConfig:
        cfg = self.config
        return TrainConfig(
            learning_rate=cfg.learning_rate,
            num_iterations=cfg.iterations,
            optimizer=cfg.optimizer,
            beta1=cfg.beta1,
            beta2=cfg.beta2,
            batch_size=cfg.batch_size,
            lambd=cfg.l2,
            shuffle_seed=cfg.seed,
            eval_every=cfg.eval_every,
            stats_every=stats_every,
        )

    def model_metadata(self, iteration: int) -> dict[str, Any]:
        """What a saved model records about how it was made: the config, the iteration, the
        dataset, (for standardised data) the statistics a later user must apply to inputs and
        what its inputs are (``input_record``)."""
        extra: dict[str, Any] = {"config": self.config.to_dict(), "iteration": iteration, "dataset": self.config.dataset}
        if self.dataset.standardization is not None:
            extra["standardization"] = self.dataset.standardization.to_json()
        if self.config.features is not None:
            extra["features"] = list(self.config.features)
        extra.update(input_record(self.source_dataset))
        return extra

    def test_accuracy(self, parameters: dict[str, np.ndarray]) -> float | None:
        """Accuracy on the test split (None without one, or for regression)."""
        ds = self.dataset
        if ds.X_test is None:
            return None
        return accuracy(ds.X_test, ds.targets(ds.Y_test), parameters, self.spec)

    def new_trainer(self, parameters: dict[str, np.ndarray] | None = None, stats_every: int = 0) -> Trainer:
        """A trainer from the initial parameters (or the given ones) on train, with dev for evaluation."""
        a = self.arrays
        return Trainer(
            self.spec,
            self.initial_parameters if parameters is None else parameters,
            a.X_train,
            a.Y_train,
            self.train_config(stats_every),
            a.X_dev,
            a.Y_dev,
        )


def input_record(source: Dataset) -> dict[str, Any]:
    """What ``tui-nn predict`` needs to read new data by name: the input columns (before
    input features), the label column (CSV files) and the class names (classifiers)."""
    record: dict[str, Any] = {"input_columns": list(source.feature_names)} if source.feature_names else {}
    label = source.provenance.get("label")
    if isinstance(label, str):
        record["label_column"] = label
    if source.class_names:
        record["class_names"] = list(source.class_names)
    if source.image_shape is not None:
        record["image_shape"] = list(source.image_shape)
    return record


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


def model_inputs(source: Dataset, features: tuple[str, ...] | None) -> Dataset:
    """The data set the network sees: ``source`` itself, or its input features.

    Raises ``ConfigError`` (naming ``features``) when the data cannot take them.
    """
    if features is None:
        return source
    try:
        return with_features(source, features)
    except (DatasetError, ValueError) as e:
        raise ConfigError(f"features: {e}") from None


def check_fits_data(cfg: RunConfig, source: Dataset) -> None:
    """Raise ``ConfigError`` (naming the key) when ``cfg``'s network cannot train on ``source``
    (the data set as loaded): an output that does not fit the task, features the data cannot
    take, or more memory than there is. Cheap: nothing is drawn or allocated for training."""
    inputs = model_inputs(source, cfg.features)
    check_training_memory(cfg, inputs, spec_for(cfg, inputs))


def build_experiment(cfg: RunConfig, dataset: Dataset | None = None, *, for_training: bool = True) -> Experiment:
    """Open the dataset (unless given: the data set as loaded, before input features),
    draw the initial parameters from ``cfg.seed`` and cast data and parameters to ``cfg.dtype``.

    With ``for_training`` (the default; a watcher, which never trains, passes False)
    the memory training needs is checked first (``check_training_memory``).
    """
    if dataset is None and for_training:
        _check_planned_memory(cfg)
    source = open_dataset(cfg) if dataset is None else dataset
    inputs = model_inputs(source, cfg.features)
    spec = spec_for(cfg, inputs)
    if for_training:
        check_training_memory(cfg, inputs, spec)
    params = initialize_parameters(spec.layer_dims, cfg.init, seed=cfg.seed, scale=cfg.init_scale, dtype=cfg.dtype)
    return Experiment(cfg, inputs, spec, params, None if inputs is source else source)


def experiment_from_model(current: Experiment, model: LoadedModel) -> Experiment:
    """The current dataset and hyperparameters with a loaded model's network, input features,
    weights and dtype (a float32 model trains on in float32).

    Raises ``ValueError`` when the model's input or output size does not fit the dataset, when
    its layers break the config's limits, or when training it would not fit in memory.
    """
    extra = model.metadata.get("extra")
    features = extra.get("features") if isinstance(extra, dict) else None
    try:
        dtypes = {p.dtype.name for p in model.parameters.values()}
        dtype = dtypes.pop() if len(dtypes) == 1 and dtypes <= set(DTYPES) else current.config.dtype
        cfg = current.config.with_changes(
            hidden=model.spec.layer_dims[1:-1], activations=model.spec.hidden_activations, output=model.spec.output,
            features=tuple(features) if isinstance(features, list) else None, dtype=dtype,
        )
        source = current.source_dataset
        ds, spec = model_inputs(source, cfg.features), model.spec
    except ConfigError as e:
        raise ValueError(f"the model does not fit: {e}") from None
    if (spec.n_x, spec.n_y) != (ds.n_x, ds.n_y):
        raise ValueError(
            f"the model takes {spec.n_x} inputs and gives {spec.n_y} outputs; "
            f"{ds.name} needs {ds.n_x} and {ds.n_y}"
        )
    try:
        check_training_memory(cfg, ds, spec)
    except ConfigError as e:
        raise ValueError(str(e)) from None
    return Experiment(cfg, ds, spec, model.parameters, None if ds is source else source)
