"""Image arrays ``(m, h, w[, c])`` to course columns ``(h*w*c, m)`` scaled to [0, 1]."""

from __future__ import annotations

import numpy as np

from .base import DatasetError


def images_to_columns(x: np.ndarray, what: str) -> tuple[np.ndarray, tuple[int, ...]]:
    """``X = x.reshape(m, -1).T / 255`` as the course does, and the image shape ``x.shape[1:]``.

    Integer pixels must lie in 0..255; float pixels already in [0, 1] are kept,
    ones in [0, 255] are divided by 255. ``what`` names the array in errors.
    """
    m = x.shape[0]
    if x.dtype.kind not in "biuf":
        raise DatasetError(f"{what}: images must be numeric, got dtype {x.dtype}")
    X = x.reshape(m, -1).T.astype(np.float64)
    if X.size == 0:
        raise DatasetError(f"{what}: no pixels (shape {x.shape})")
    if not np.isfinite(X).all():
        raise DatasetError(f"{what}: holds NaN or infinite pixel values")
    lo, hi = float(X.min()), float(X.max())
    if lo < 0 or hi > 255:
        raise DatasetError(f"{what}: pixel values run from {lo:g} to {hi:g}; expected 0..255 (or 0..1)")
    if x.dtype.kind in "biu" or hi > 1:
        X /= 255.0
    return X, tuple(int(d) for d in x.shape[1:])
