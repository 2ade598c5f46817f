"""The boundary pane's keys, shared by the trainer app and the watcher: which view it shows
(the map or one map per hidden unit; dev images or the mislabelled ones) and which points.

A mixin: the app provides ``_probe`` (a ``BoundaryProbe``), ``_boundary_pane``,
``_view_request`` and ``_redraw_boundary()``, which hands the new request to whatever
computes views (the training worker, the watcher's poller) and redraws when idle.
"""

from __future__ import annotations

from dataclasses import replace

from tui_nn.map_legend import POINT_SHOWS
from tui_nn.views import HeatmapView

VIEW_ACTIONS = ("cycle_view", "cycle_points")


class ViewActions:
    """``v`` next view of the pane, ``p`` train / train + dev / dev points."""

    def _request_view(self, **changes) -> None:
        """Change what the pane asks for (cells, mode, layer) and redraw it."""
        self._view_request = replace(self._view_request, **changes)
        request = self._view_request
        self._boundary_pane.border_title = self._probe.title(request.mode, request.layer)
        self._redraw_boundary()

    def action_cycle_view(self) -> None:
        modes = self._probe.modes
        mode = self._view_request.mode
        self._request_view(mode=modes[(modes.index(mode) + 1) % len(modes)] if mode in modes else modes[0])

    def action_cycle_points(self) -> None:
        pane = self._boundary_pane
        pane.show_points = POINT_SHOWS[(POINT_SHOWS.index(pane.show_points) + 1) % len(POINT_SHOWS)]

    def view_action_enabled(self, action: str) -> bool:
        """Whether a view key does anything for the data on screen (else it is hidden)."""
        if action == "cycle_view":
            return len(self._probe.modes) > 1
        return self._probe.kind == "heatmap" and isinstance(self._boundary_pane.view, HeatmapView | None)
