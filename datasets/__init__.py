"""Datasets for tui-nn in course layout: ``X (n_x, m)``, ``Y (1, m)`` labels."""

from .base import Dataset, DatasetError, Standardization, one_hot
from .registry import BUILTINS, BuiltinInfo, load_builtin

__all__ = ["BUILTINS", "BuiltinInfo", "Dataset", "DatasetError", "Standardization", "load_builtin", "one_hot"]
