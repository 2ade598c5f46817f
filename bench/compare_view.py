"""What the runs history holds and what the Compare view's grid costs (run: python bench/compare_view.py).

Memory: a long run's row (a 50,000-step curve, reduced as it streams in, and its weights)
and the history's worst case at its bounds. Time: the worker's seven maps of the course's
hidden sizes at the 120x36 grid's tile size, and the UI thread's drawing of the grid as text.
"""

from __future__ import annotations

import numpy as np

from tui_nn import run_history
from tui_nn.compare_maps import compute_maps, map_jobs
from tui_nn.config import RunConfig
from tui_nn.experiment import build_experiment
from tui_nn.grid_drawing import grid_layout, grid_lines, tile_title
from tui_nn.map_drawing import map_text
from tui_nn.palettes import palette_for
from tui_nn.run_history import RunHistory
from tui_nn.widgets.boundary_pane import Points, legend_names, map_values

from map_drawing import per_call  # bench/ is on the path when a script here runs

UNITS = (1, 2, 3, 4, 5, 20, 50)


def main() -> None:
    history = RunHistory()
    rows = []
    for n in UNITS:
        exp = build_experiment(RunConfig(hidden=(n,)))
        trainer = exp.new_trainer()
        for _ in range(200):
            trainer.step()
        row = history.add(exp.config, "bench", spec=exp.spec, dataset=exp.source_dataset, status="finished")
        history.keep_parameters(row, trainer.parameters_copy())
        rows.append(row)
    long = rows[-1]
    its = np.arange(50_000)
    for start in range(0, its.size, 100):  # as the app streams it: about ten batches a second
        long.curve.extend(its[start:start + 100], np.exp(-its[start:start + 100] / 5000.0))
    long.curve.compact()
    print(f"a 50,000-step run of 2-50-1 on flower: curve {long.curve.size} points ({long.curve.nbytes:,} bytes), "
          f"weights {long.parameter_values()} values; the row holds {long.nbytes():,} bytes")
    worst = run_history.MAX_RUNS * run_history.CURVE_POINTS * 16 + run_history.MAX_TOTAL_PARAMETERS * 8
    print(f"history at its bounds: {run_history.MAX_RUNS} rows x {run_history.CURVE_POINTS} points + "
          f"{run_history.MAX_TOTAL_PARAMETERS:,} weight values = {worst / 2**20:.1f} MiB at most")

    layout = grid_layout(len(rows), 116, 19)  # the grid's inside at 120x36
    jobs = map_jobs(rows, layout.tile, set())
    print(f"grid at 120x36: {layout.columns} x {layout.rows} tiles of {layout.tile[0]}x{layout.tile[1]} cells")
    print(f"worker: seven maps {per_call(lambda: compute_maps(jobs)):.2f} ms")
    maps = compute_maps(jobs)
    for mode in ("256", "16", "none"):
        palette = palette_for(mode)

        def draw() -> None:
            bodies = []
            for job, row in zip(jobs, rows):
                view, points = maps[job.key], Points.of(row.map_data)
                values = map_values(view, points)
                _, glyphs = legend_names(points, values)
                marks = points.marks(view.extent, *values.shape[-2:], "train")
                bodies.append(map_text(values, palette, marks, glyphs).split("\n"))
            grid_lines([tile_title(f"hidden={n}", r.dev_accuracy, layout.tile[0]) for n, r in zip(UNITS, rows)],
                       bodies, layout)

        print(f"UI thread, {mode} colours: the grid as text {per_call(draw):.2f} ms")


if __name__ == "__main__":
    main()
