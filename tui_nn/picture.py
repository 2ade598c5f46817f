"""The map as a picture for terminals that draw pixels: region colours, points as small discs.

Pure NumPy, ``(rows, cols, 3)`` uint8: what ``tui_nn.widgets.map_image`` hands to
``textual-image``. Training points are filled discs in their class tint, dev points
rings, so the two sets stay apart at any resolution.
"""

from __future__ import annotations

import numpy as np

from tui_nn.map_drawing import Marks, classify, region_rgb
from tui_nn.palettes import MapPalette


def point_radius(rows: int, cols: int) -> float:
    """A point's radius in pixels: about 1/90 of the shorter side, at least 1.5."""
    return max(1.5, min(rows, cols) / 90)


def map_picture(values: np.ndarray, palette: MapPalette, marks: Marks) -> np.ndarray:
    """Region colours of ``values`` (see ``classify``) with the points drawn on top."""
    classes, steps = classify(values, palette.thresholds)
    image = region_rgb(classes, steps, palette).astype(np.uint8)
    rows, cols = classes.shape
    radius = point_radius(rows, cols)
    span = int(np.ceil(radius))
    dy, dx = np.mgrid[-span:span + 1, -span:span + 1]
    dist = np.hypot(dy, dx)
    disc = dist <= radius
    ring = disc & (dist >= radius - 1.2)
    points = np.array(palette.points or [palette.region(k, palette.steps - 1) for k in range(6)], dtype=np.uint8)
    for r, c, k, dev in zip(marks.r.tolist(), marks.c.tolist(), marks.k.tolist(), marks.dev.tolist()):
        shape = ring if dev else disc
        ys, xs = r + dy[shape], c + dx[shape]
        inside = (ys >= 0) & (ys < rows) & (xs >= 0) & (xs < cols)
        image[ys[inside], xs[inside]] = points[k % len(points)]
    return image
