"""The boundary pane's keys, shared by the trainer app and the watcher: which view it shows
(the map or one map per hidden unit; dev images or the mislabelled ones) and which points.

A mixin: the app provides ``_probe`` (a ``BoundaryProbe``, or None before there is
one), ``_boundary_pane`` and ``_view_request``. ``_redraw_boundary`` hands a new request
to the training worker and draws it at once when idle; the watcher, whose poller
reads the request itself, overrides it.
"""

from __future__ import annotations

from dataclasses import replace

from tui_nn.map_legend import POINT_SHOWS
from tui_nn.views import HeatmapView
from tui_nn.widgets.boundary_pane import BoundaryPane

VIEW_ACTIONS = ("cycle_view", "cycle_points")


class ViewActions:
    """``v`` next view of the pane, ``p`` train / train + dev / dev points."""

    BOUNDARY_TITLE_SUFFIX = ""
    """Added to the pane's title (the watcher's `` (last.npz)``)."""

    def _request_view(self, **changes) -> None:
        """Change what the pane asks for (cells, pixels, mode, layer) and redraw it."""
        self._view_request = replace(self._view_request, **changes)
        request = self._view_request
        if self._probe is not None:
            self._boundary_pane.border_title = self._probe.title(request.mode, request.layer) + self.BOUNDARY_TITLE_SUFFIX
            self._redraw_boundary()

    def _redraw_boundary(self) -> None:
        """Hand the pane's request to the worker, and draw it now when not training."""
        if self.training is not None:
            self.training.view_request = self._view_request
        if self.state != "running":
            # The UI thread never reads the trainer's own arrays (the worker may still be
            # finishing a step): it draws from a copy.
            self._boundary_pane.view = self._probe.compute(self.trainer.parameters_copy(), self._view_request)

    def on_boundary_pane_resized(self, msg: BoundaryPane.Resized) -> None:
        self._request_view(cells=msg.cells, pixels=msg.pixels)

    def action_cycle_view(self) -> None:
        modes = self._probe.modes
        mode = self._view_request.mode
        self._request_view(mode=modes[(modes.index(mode) + 1) % len(modes)] if mode in modes else modes[0])

    def action_cycle_points(self) -> None:
        pane = self._boundary_pane
        pane.show_points = POINT_SHOWS[(POINT_SHOWS.index(pane.show_points) + 1) % len(POINT_SHOWS)]

    def view_action_enabled(self, action: str) -> bool:
        """Whether a view key does anything for the data on screen (else it is hidden)."""
        if self._probe is None:
            return False
        if action == "cycle_view":
            return len(self._probe.modes) > 1
        return self._probe.kind == "heatmap" and isinstance(self._boundary_pane.view, HeatmapView | None)
