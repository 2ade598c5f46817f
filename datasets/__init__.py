"""Datasets for tui-nn in course layout: ``X (n_x, m)``, ``Y (1, m)`` labels."""

from .availability import unavailable_reason
from .base import Dataset, DatasetError, Standardization, one_hot
from .csv_loader import load_csv
from .features import FEATURES, apply_features, check_features, feature_label, with_features
from .files import load_path
from .h5_loader import load_h5
from .npz_loader import load_npz
from .registry import BUILTINS, BuiltinInfo, load_builtin
from .split import random_split, stratified_split

__all__ = [
    "BUILTINS", "BuiltinInfo", "Dataset", "DatasetError", "FEATURES", "Standardization", "apply_features",
    "check_features", "feature_label", "load_builtin", "with_features",
    "load_csv", "load_h5", "load_npz", "load_path", "one_hot", "random_split", "stratified_split", "unavailable_reason",
]
