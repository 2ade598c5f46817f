"""Seeded train/dev splits: stratified for class labels, plain for regression targets."""

from __future__ import annotations

import numpy as np

from .base import DatasetError

DEV_FRACTION = 0.2
"""Share of the examples a file or fixed data set gives to the dev set."""


def stratified_split(labels: np.ndarray, dev_fraction: float = DEV_FRACTION, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Indices ``(train, dev)`` keeping each class's share in both sets.

    Each class k with ``n_k`` examples gives ``round(dev_fraction * n_k)`` to dev,
    but always keeps one in train; the indices are drawn from
    ``RandomState(seed)``, classes in label order, and returned sorted.
    Raises ``DatasetError`` when the dev set would be empty.
    """
    labels = np.asarray(labels).reshape(-1)
    rng = np.random.RandomState(seed)
    train, dev = [], []
    for k in np.unique(labels):
        idx = np.flatnonzero(labels == k)
        rng.shuffle(idx)
        n_dev = min(int(round(dev_fraction * idx.size)), idx.size - 1)
        dev.append(idx[:n_dev])
        train.append(idx[n_dev:])
    return _checked(np.sort(np.concatenate(train)), np.sort(np.concatenate(dev)), labels.size)


def random_split(m: int, dev_fraction: float = DEV_FRACTION, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Indices ``(train, dev)`` of a seeded shuffle of ``m`` examples, sorted."""
    idx = np.random.RandomState(seed).permutation(m)
    n_dev = min(int(round(dev_fraction * m)), m - 1)
    return _checked(np.sort(idx[n_dev:]), np.sort(idx[:n_dev]), m)


def _checked(train: np.ndarray, dev: np.ndarray, m: int) -> tuple[np.ndarray, np.ndarray]:
    if dev.size == 0 or train.size == 0:
        raise DatasetError(f"{m} examples are too few to split into a training and a dev set")
    return train, dev
