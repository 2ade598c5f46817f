"""The trainer app's file keys: save and load a model, save and load the run config.

A mixin for ``TuiNNApp``: it uses the app's ``experiment``, ``trainer``,
``config`` and ``_rebuild``, and reports through notifications.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from tui_nn.config import ConfigError, load_config, save_config
from tui_nn.core import ModelFileError, load_model, save_model
from tui_nn.datasets import DatasetError
from tui_nn.experiment import build_experiment, experiment_from_model
from tui_nn.model_record import ModelRecord, accuracies_now, loaded_message
from tui_nn.safe_text import markup_safe, printable
from tui_nn.widgets.confirm_screen import ConfirmScreen
from tui_nn.widgets.path_prompt import PathPrompt


class FileActions:
    """``ctrl+s`` save model, ``ctrl+o`` load model, ``w`` save config, ``ctrl+l`` load config."""

    def _ask_path(self, title: str, default: str, then: Callable[[str], None]) -> None:
        self.push_screen(PathPrompt(title, default), lambda path: then(path) if path else None)

    def _ask_save_path(self, title: str, default: str, then: Callable[[str], None],
                       targets: Callable[[str], list[Path]] | None = None) -> None:
        """Like ``_ask_path``, but asks before replacing a file that exists (any of ``targets(path)``,
        for a save that writes several files)."""

        def chosen(path: str) -> None:
            existing = [p for p in (targets(path) if targets else [Path(path).expanduser()]) if p.exists()]
            if len(existing) == 1:
                question = f"{printable(existing[0])} exists. Replace it?"
            else:
                question = f"{', '.join(printable(p) for p in existing)} exist. Replace them?"
            if existing:
                self.push_screen(ConfirmScreen(question), lambda yes: then(path) if yes else None)
            else:
                then(path)

        self._ask_path(title, default, chosen)

    def action_save_model(self) -> None:
        self._ask_save_path("Save the model to (.npz):", "model.npz", self._save_model)

    def _save_model(self, path: str) -> None:
        parameters = self.trainer.parameters_copy()
        extra = self.experiment.model_metadata(self.trainer.iteration)
        train, dev = accuracies_now(self.experiment, parameters)
        extra.update({k: v for k, v in (("train_accuracy", train), ("dev_accuracy", dev)) if v is not None})
        try:
            save_model(Path(path).expanduser(), self.experiment.spec, parameters, extra)
        except ModelFileError as e:
            self.notify(markup_safe(e), title="Not saved", severity="error", timeout=10)
            return
        self.notify(f"Saved the model to {markup_safe(path)}")

    def action_load_model(self) -> None:
        self._ask_path("Load a model from (.npz):", "model.npz", self._load_model)

    def _load_model(self, path: str) -> None:
        """Load a model; when it records another data set, offer to switch to it first."""
        try:
            model = load_model(Path(path).expanduser())
        except ModelFileError as e:
            self.notify(markup_safe(e), title="Not loaded", severity="error", timeout=10)
            return
        record = ModelRecord.of(path, model)
        here = self.config.dataset
        if record.dataset is None or record.dataset == here:
            self._use_model_here(record, model)
            return
        question = (f"{record.describe()}.\n\nSwitch to {record.dataset_name} to use it (y), "
                    f"or try it on {printable(here, 60)} (n)?")

        def answer(yes: bool | None) -> None:
            if yes:
                self._open_config(record.data_config(self.config), model, lambda exp: self._announce(record, exp))
            else:
                self._use_model_here(record, model)

        self.push_screen(ConfirmScreen(question), answer)

    def _use_model_here(self, record: ModelRecord, model) -> None:
        """Put the model's network and weights on the data on screen, or say why it does not fit."""
        try:
            experiment = experiment_from_model(self.experiment, model)
        except ValueError as e:
            hint = "" if record.dataset is None else f" (it was trained on {record.dataset_name})"
            self.notify(markup_safe(f"{e}{hint}"), title="Not loaded", severity="error", timeout=10)
            return
        self._switch_experiment(experiment, lambda exp: self._announce(record, exp))

    def _announce(self, record: ModelRecord, experiment) -> None:
        """Say what was loaded, and show its accuracies on the data on screen."""
        train, dev = accuracies_now(experiment, experiment.initial_parameters)
        self._status.train_accuracy, self._status.dev_accuracy = train, dev
        self.notify(markup_safe(loaded_message(record, experiment, train, dev)), title="Model loaded", timeout=12)

    def action_save_config(self) -> None:
        self._ask_save_path("Save the run config to (.toml or .json):", "tui-nn.toml", self._save_config)

    def _save_config(self, path: str) -> None:
        try:
            save_config(self.config, Path(path).expanduser())
        except OSError as e:
            self.notify(markup_safe(e), title="Not saved", severity="error")
            return
        self.notify(f"Saved the config to {markup_safe(path)}; run it with: tui-nn train --config {markup_safe(path)}")

    def action_load_config(self) -> None:
        self._ask_path("Load a run config from (.toml or .json):", "tui-nn.toml", self._load_config)

    def _load_config(self, path: str) -> None:
        """Apply a config file (as ``tui-nn train --config`` would), asking before a reset."""
        try:
            cfg = load_config(Path(path).expanduser())
            experiment = build_experiment(cfg)
        except (ConfigError, DatasetError, ValueError) as e:
            self.notify(markup_safe(e), title="Config not loaded", severity="error", timeout=10)
            return
        self._switch_experiment(experiment)
