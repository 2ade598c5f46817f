"""How long the boundary pane's drawing takes per frame, per colour mode (run: python bench/map_drawing.py).

The pane redraws at most about twice a second while training; these are the UI-thread
costs of one redraw (the map as text) and the worker's cost of one view (the forward
pass over the grid), for the default flower net at the 120x36 and 200x60 pane sizes.
"""

from __future__ import annotations

import time

from tui_nn.config import RunConfig
from tui_nn.experiment import build_experiment
from tui_nn.palettes import MODES, class_glyphs, palette_for
from tui_nn.views import BoundaryProbe, ViewRequest
from tui_nn.widgets.boundary_pane import Points, heatmap_text
from tui_nn.unit_drawing import units_text


def per_call(fn, repeat: int = 20) -> float:
    fn()
    start = time.perf_counter()
    for _ in range(repeat):
        fn()
    return (time.perf_counter() - start) / repeat * 1000


def main() -> None:
    exp = build_experiment(RunConfig(hidden=(8, 4), activations=("tanh", "tanh")))
    trainer = exp.new_trainer()
    for _ in range(300):
        trainer.step()
    probe = BoundaryProbe.for_experiment(exp)
    points = Points.of(exp.source_dataset)
    for cells in ((37, 20), (63, 38)):
        request = ViewRequest(cells)
        view = probe.compute(trainer.parameters, request)
        compute = per_call(lambda: probe.compute(trainer.parameters, request))
        print(f"pane {cells[0]}x{cells[1]}: worker view {compute:.2f} ms")
        for mode in MODES:
            palette = palette_for(mode)
            ms = per_call(lambda: heatmap_text(view, points, palette, "both", cells[0]))
            print(f"  map text, {mode:9}: {ms:.2f} ms")
        units_request = ViewRequest(cells, mode="units")
        units = probe.compute(trainer.parameters, units_request)
        compute = per_call(lambda: probe.compute(trainer.parameters, units_request))
        ms = per_call(lambda: units_text(units, palette_for("256")))
        print(f"  unit maps: worker {compute:.2f} ms, text {ms:.2f} ms")


if __name__ == "__main__":
    main()
