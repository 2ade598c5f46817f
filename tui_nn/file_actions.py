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
        extra = self.experiment.model_metadata(self.trainer.iteration)
        try:
            save_model(Path(path).expanduser(), self.experiment.spec, self.trainer.parameters_copy(), extra)
        except ModelFileError as e:
            self.notify(markup_safe(e), title="Not saved", severity="error", timeout=10)
            return
        self.notify(f"Saved the model to {markup_safe(path)}")

    def action_load_model(self) -> None:
        self._ask_path("Load a model from (.npz):", "model.npz", self._load_model)

    def _load_model(self, path: str) -> None:
        try:
            experiment = experiment_from_model(self.experiment, load_model(Path(path).expanduser()))
        except (ModelFileError, ValueError) as e:
            self.notify(markup_safe(e), title="Not loaded", severity="error", timeout=10)
            return
        self._switch_experiment(experiment)

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
