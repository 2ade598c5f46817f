"""The trainer app's export key: the current model as a NumPy script (``.py``) or an ONNX graph (``.onnx``).

A mixin for ``TuiNNApp``, beside ``FileActions``: it asks where to write (the suffix picks
the format), asks before replacing any file the export would write, and reports
through notifications.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from tui_nn.core import LoadedModel
from tui_nn.export import ExportError, export_model, export_paths, format_for_path
from tui_nn.pipeline import ModelPipeline, pipeline_from_model
from tui_nn.safe_text import markup_safe


class ExportActions:
    """``ctrl+e``: export the model being trained, with its standardisation and input features."""

    def current_pipeline(self) -> ModelPipeline:
        """The app's network, current weights and input pipeline, as a saved model file would record them."""
        exp, params = self.experiment, self.trainer.parameters_copy()
        dtypes = {np.asarray(p).dtype.name for p in params.values()}
        metadata = {"dtype": dtypes.pop() if len(dtypes) == 1 else "mixed",
                    "extra": exp.model_metadata(self.trainer.iteration)}
        return pipeline_from_model(LoadedModel(exp.spec, params, metadata), "the current model")

    def action_export_model(self) -> None:
        self._ask_save_path("Export the model to (.py: a NumPy script and its weights; .onnx: ONNX):",
                            "model.py", self._export_model, targets=_export_targets)

    def _export_model(self, path: str) -> None:
        out = Path(path).expanduser()
        try:
            written = export_model(self.current_pipeline(), format_for_path(out), out, overwrite=True)
        except ExportError as e:
            self.notify(markup_safe(e), title="Not exported", severity="error", timeout=10)
            return
        self.notify("Exported to " + ", ".join(markup_safe(p) for p in written))


def _export_targets(path: str) -> list[Path]:
    """The files an export to ``path`` would write (just ``path`` when its suffix names no format)."""
    out = Path(path).expanduser()
    try:
        return export_paths(format_for_path(out), out)
    except ExportError:
        return [out]
