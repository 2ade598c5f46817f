"""The maps of the Compare view's grid: which runs need one at which size, computed off the UI thread.

A run gets a map when its data is 2-feature (kept in the history) and its weights were
kept; each map is the decision boundary of its final weights through its own input
features (``tui_nn.views.BoundaryProbe``), in square pixels, at the grid's tile size.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from tui_nn.core import NetworkSpec
from tui_nn.datasets import Dataset
from tui_nn.run_history import RunRecord
from tui_nn.views import BoundaryProbe, HeatmapView, ViewRequest

MapKey = tuple[int, int, tuple[int, int]]
"""A map's identity: (run number, weights version, tile (columns, lines))."""


@dataclass(frozen=True, eq=False)
class MapJob:
    """One map to compute: run ``number``'s weights (never changed in place) over its data."""

    key: MapKey
    dataset: Dataset
    spec: NetworkSpec
    features: tuple[str, ...] | None
    parameters: dict[str, np.ndarray]


def has_map(record: RunRecord) -> bool:
    """Whether the run can be drawn as a map (2-feature data and weights kept)."""
    return record.map_data is not None and record.parameters is not None and record.spec is not None


def map_key(record: RunRecord, tile: tuple[int, int]) -> MapKey:
    return record.number, record.parameters_version, tile


def map_jobs(records: Sequence[RunRecord], tile: tuple[int, int], known: set[MapKey]) -> list[MapJob]:
    """Jobs for the runs that can have a map and have none at this size and version yet."""
    jobs = []
    for r in records:
        if has_map(r) and map_key(r, tile) not in known:
            features = r.config.features if r.config is not None else None
            jobs.append(MapJob(map_key(r, tile), r.map_data, r.spec, features, r.parameters))
    return jobs


def compute_maps(jobs: Sequence[MapJob]) -> dict[MapKey, HeatmapView]:
    """Each job's map (a thread worker runs this); a run whose weights do not fit its network is left out."""
    maps: dict[MapKey, HeatmapView] = {}
    for job in jobs:
        probe = BoundaryProbe(job.dataset, job.spec, job.features)
        try:
            view = probe.compute(job.parameters, ViewRequest(cells=job.key[2]))
        except (ValueError, KeyError):
            continue
        if isinstance(view, HeatmapView):
            maps[job.key] = view
    return maps
