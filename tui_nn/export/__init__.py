"""Exporting a saved model for use outside tui-nn: an ONNX graph or a standalone NumPy script.

Both take the model's ``ModelPipeline`` (standardisation, input features, network, in the
model's dtype) and write files atomically; existing files are replaced only when asked.
"""

from __future__ import annotations

from pathlib import Path

from tui_nn.pipeline import ModelPipeline

FORMATS = {"onnx": ".onnx", "numpy": ".py"}
"""Export format -> the suffix of the file it writes."""


class ExportError(Exception):
    """An export could not be written; the message is for a person."""


def default_export_path(model: Path, fmt: str) -> Path:
    """``model.npz`` -> ``model.onnx`` or ``model.py``."""
    return model.with_suffix(FORMATS[fmt])


def format_for_path(path: Path) -> str:
    """The export format a file name asks for (``.onnx`` or ``.py``); ``ExportError`` otherwise."""
    for fmt, suffix in FORMATS.items():
        if path.suffix.lower() == suffix:
            return fmt
    raise ExportError(f"{path}: export to a .onnx file (ONNX) or a .py file (a NumPy script)")


def export_paths(fmt: str, out: Path) -> list[Path]:
    """Every file an export to ``out`` writes (the NumPy script also writes its weights beside it)."""
    if fmt == "numpy":
        from tui_nn.export.numpy_export import weights_path

        return [out, weights_path(out)]
    return [out]


def export_model(pipe: ModelPipeline, fmt: str, out: Path, overwrite: bool = False) -> list[Path]:
    """Write ``pipe`` to ``out`` as ``fmt`` (``onnx`` or ``numpy``); returns the files written.

    Raises ``ExportError`` when a file exists and ``overwrite`` is false (nothing is
    written then), when the ONNX extra is missing, or when writing fails.
    """
    if fmt not in FORMATS:
        raise ExportError(f"format: expected one of {', '.join(FORMATS)}, got {fmt!r}")
    paths = export_paths(fmt, out)
    if not overwrite:
        for path in paths:
            if path.exists():
                raise ExportError(f"{path} exists; use --force to replace it")
    if out.suffix.lower() != FORMATS[fmt]:
        raise ExportError(f"{out}: a {fmt} export is a {FORMATS[fmt]} file")
    try:
        if fmt == "onnx":
            from tui_nn.export.onnx_export import write_onnx

            write_onnx(pipe, out)
        else:
            from tui_nn.export.numpy_export import write_numpy_script

            write_numpy_script(pipe, out)
    except OSError as e:
        raise ExportError(f"cannot write {out}: {e.strerror or e}") from None
    return paths
