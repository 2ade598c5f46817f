"""Shape checks at the edges: course layout ``(n, m)``, never rank-1 arrays."""

from __future__ import annotations

import numpy as np


def as_columns(a: np.ndarray, name: str, rows: int | None = None) -> np.ndarray:
    """Return ``a`` as a 2-D ``(n, m)`` array, refusing rank-1 and other ranks.

    A rank-1 ``(m,)`` array is refused with a message that says how to
    reshape it (``a.reshape(1, -1)``), so a silent broadcast never happens.
    """
    a = np.asarray(a)
    if a.ndim == 1:
        raise ValueError(
            f"{name} is a rank-1 array of shape {a.shape}; use {name}.reshape(1, -1) "
            f"for one row of m examples (course layout: columns are examples)"
        )
    if a.ndim != 2:
        raise ValueError(f"{name} must be 2-D (n, m) with examples as columns, got shape {a.shape}")
    if rows is not None and a.shape[0] != rows:
        raise ValueError(f"{name} has {a.shape[0]} rows, expected {rows} (shape {a.shape})")
    return a


def check_xy(X: np.ndarray, Y: np.ndarray, n_x: int, n_y: int) -> tuple[np.ndarray, np.ndarray]:
    """Validate ``X (n_x, m)`` and ``Y (n_y, m)`` and return them as arrays of X's float dtype."""
    X = as_columns(X, "X", n_x)
    Y = as_columns(Y, "Y", n_y)
    if X.shape[1] != Y.shape[1]:
        raise ValueError(f"X has {X.shape[1]} examples but Y has {Y.shape[1]}")
    if X.shape[1] == 0:
        raise ValueError("X has no examples (m = 0)")
    if not np.issubdtype(X.dtype, np.floating):
        X = X.astype(np.float64)
    return X, Y.astype(X.dtype, copy=False)
