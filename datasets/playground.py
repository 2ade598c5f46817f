"""The TensorFlow Playground's classics, drawn with NumPy.

Classification sets (``xor``, ``spiral``, ``circle``, ``gauss``, ``linear``)
return ``X (2, m)`` float64 and ``Y (1, m)`` int64 labels (the Playground's
+1 is 1, -1 is 0); regression sets (``plane``, ``multi_gauss``) return
``Y (1, m)`` float64 (about -1 to 1). ``noise`` follows the Playground's slider
(0 to 0.5): the label is computed at a point jittered by up to
``noise * radius``, so noise mislabels points near the boundary. Draws are
vectorised, so the points differ from the Playground's own for any seed.
"""

from __future__ import annotations

import numpy as np


def _columns(x1: np.ndarray, x2: np.ndarray, y: np.ndarray, dtype=np.int64) -> tuple[np.ndarray, np.ndarray]:
    return np.vstack([x1, x2]).astype(np.float64), y.astype(dtype).reshape(1, -1)


def _jitter(rng: np.random.RandomState, m: int, radius: float, noise: float) -> tuple[np.ndarray, np.ndarray]:
    """The Playground's label noise: uniform offsets in ``[-radius, radius) * noise``."""
    return rng.uniform(-radius, radius, m) * noise, rng.uniform(-radius, radius, m) * noise


def xor(m: int = 500, noise: float = 0.0, seed: int = 1):
    """Four quadrants, label 1 where ``x1 x2 >= 0``; points kept 0.3 off the axes."""
    rng = np.random.RandomState(seed)
    x1, x2 = rng.uniform(-5, 5, m), rng.uniform(-5, 5, m)
    x1 = x1 + np.where(x1 > 0, 0.3, -0.3)
    x2 = x2 + np.where(x2 > 0, 0.3, -0.3)
    n1, n2 = _jitter(rng, m, 5, noise)
    return _columns(x1, x2, (x1 + n1) * (x2 + n2) >= 0)


def spiral(m: int = 500, noise: float = 0.0, seed: int = 1, classes: int = 2):
    """``classes`` interleaved spiral arms of ``m // classes`` points (the first ``m % classes``
    arms one more); arm k is label k.

    Arm k starts at angle ``2 pi k / classes``: ``r = 5 i/n``,
    ``t = 3.5 pi i/n + 2 pi k/classes``, plus uniform noise in ``[-noise, noise)``.
    """
    if classes < 2:
        raise ValueError(f"a spiral needs at least 2 arms, got {classes}")
    rng = np.random.RandomState(seed)
    X1, X2, Y = [], [], []
    for k in range(classes):
        n = m // classes + (k < m % classes)
        i = np.arange(n) / n
        r = i * 5
        t = 1.75 * i * 2 * np.pi + 2 * np.pi * k / classes
        X1.append(r * np.sin(t) + rng.uniform(-1, 1, n) * noise)
        X2.append(r * np.cos(t) + rng.uniform(-1, 1, n) * noise)
        Y.append(np.full(n, k))
    return _columns(np.concatenate(X1), np.concatenate(X2), np.concatenate(Y))


def circle(m: int = 500, noise: float = 0.0, seed: int = 1):
    """A disc of radius 2.5 (label 1) inside a ring from 3.5 to 5 (label 0)."""
    rng = np.random.RandomState(seed)
    radius = 5.0
    n_in = m // 2
    r = np.concatenate([rng.uniform(0, radius * 0.5, n_in), rng.uniform(radius * 0.7, radius, m - n_in)])
    angle = rng.uniform(0, 2 * np.pi, m)
    x1, x2 = r * np.sin(angle), r * np.cos(angle)
    n1, n2 = _jitter(rng, m, radius, noise)
    return _columns(x1, x2, np.hypot(x1 + n1, x2 + n2) < radius * 0.5)


def gauss(m: int = 500, noise: float = 0.0, seed: int = 1):
    """Two Gaussians at (2, 2) (label 1) and (-2, -2) (label 0); variance grows from 0.5 to 4 with noise."""
    rng = np.random.RandomState(seed)
    std = np.sqrt(0.5 + (4 - 0.5) * noise / 0.5)
    n = m // 2
    centre = np.concatenate([np.full(n, 2.0), np.full(m - n, -2.0)])
    x1, x2 = rng.normal(centre, std), rng.normal(centre, std)
    return _columns(x1, x2, centre > 0)


def linear(m: int = 500, noise: float = 0.0, seed: int = 1):
    """Two classes either side of the line ``x2 = 0.5 x1 + 0.5``, kept 0.3 off it: separable at noise 0."""
    rng = np.random.RandomState(seed)
    x1, x2 = rng.uniform(-5, 5, m), rng.uniform(-5, 5, m)
    normal = np.array([-0.5, 1.0]) / np.hypot(0.5, 1.0)
    side = np.where(normal[0] * x1 + normal[1] * (x2 - 0.5) >= 0, 1.0, -1.0)
    x1, x2 = x1 + 0.3 * side * normal[0], x2 + 0.3 * side * normal[1]
    n1, n2 = _jitter(rng, m, 5, noise)
    return _columns(x1, x2, normal[0] * (x1 + n1) + normal[1] * (x2 + n2 - 0.5) >= 0)


def plane(m: int = 500, noise: float = 0.0, seed: int = 1):
    """Regression: ``y = (x1 + x2) / 10`` on ``[-6, 6)^2``, read at the jittered point."""
    rng = np.random.RandomState(seed)
    x1, x2 = rng.uniform(-6, 6, m), rng.uniform(-6, 6, m)
    n1, n2 = _jitter(rng, m, 6, noise)
    return _columns(x1, x2, (x1 + n1 + x2 + n2) / 10, np.float64)


GAUSSIANS = ((-4, 2.5, 1), (0, 2.5, -1), (4, 2.5, 1), (-4, -2.5, -1), (0, -2.5, 1), (4, -2.5, -1))
"""The Playground's six bumps: centre x, centre y and sign."""


def multi_gauss(m: int = 500, noise: float = 0.0, seed: int = 1):
    """Regression: six signed bumps; y is the bump of largest magnitude, ``sign * (1 - d/2)`` within distance 2."""
    rng = np.random.RandomState(seed)
    x1, x2 = rng.uniform(-6, 6, m), rng.uniform(-6, 6, m)
    n1, n2 = _jitter(rng, m, 6, noise)
    p1, p2 = x1 + n1, x2 + n2
    bumps = np.array([s * np.clip(1 - np.hypot(p1 - cx, p2 - cy) / 2, 0, 1) for cx, cy, s in GAUSSIANS])
    y = bumps[np.argmax(np.abs(bumps), axis=0), np.arange(m)]
    return _columns(x1, x2, y, np.float64)
