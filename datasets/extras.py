"""Optional dependencies, imported lazily with an error that names the extra to install."""

from __future__ import annotations

import importlib
from types import ModuleType

from .base import DatasetError

EXTRAS: dict[str, tuple[str, str]] = {
    "h5py": ("h5", "HDF5 files"),
    "sklearn.datasets": ("sklearn", "the scikit-learn data sets"),
}
"""Module -> (extra name, what it is needed for)."""


def require(module: str) -> ModuleType:
    """Import ``module`` or raise ``DatasetError`` saying ``pip install 'tui-nn[extra]'``."""
    extra, purpose = EXTRAS[module]
    try:
        return importlib.import_module(module)
    except ImportError:
        raise DatasetError(
            f"{purpose} need the optional package {module.split('.')[0]}: pip install 'tui-nn[{extra}]'"
        ) from None
