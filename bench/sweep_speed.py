"""Trials per minute for the course's hidden-size sweep on flower, with 1 and 2 local workers,
and the time Ray adds per trial on a local Ray instance.

    python bench/sweep_speed.py [--repeats 2] [--no-ray] [--iterations N]

The sweep is examples/sweep-hidden-sizes.toml: seven trials (1, 2, 3, 4, 5, 20, 50 tanh
units), 5000 iterations each. Wall time includes starting the worker processes. Ray's
figure is (Ray wall time - local 2-worker wall time) / 7 on an instance started
beforehand (its start-up time is printed on its own). Figures vary with the machine's
load; the best of ``--repeats`` runs is kept. ``--iterations`` sets every trial's length
(default: the file's 5000): with the fused trainer a 5000-iteration flower trial takes a
fraction of a second, so starting the workers weighs on the ratio; longer trials show what
the parallel runner gives once training dominates.
"""

from __future__ import annotations

import argparse
import dataclasses
import shutil
import tempfile
import time
from pathlib import Path

from tui_nn.runs.sweep_folder import create_sweep_folder
from tui_nn.runs.sweep_local import LocalBackend
from tui_nn.runs.sweep_plan import build_plan, load_sweep_file
from tui_nn.runs.sweep_runner import SweepRunner

SWEEP = Path(__file__).resolve().parents[1] / "examples" / "sweep-hidden-sizes.toml"


def wall_time(backend, out: Path, iterations: int | None = None) -> float:
    base, axes, settings = load_sweep_file(SWEEP)
    if iterations is not None:
        base = dataclasses.replace(base, iterations=iterations)
    plan = build_plan(base, axes, settings.get("name", "bench"))
    folder, plan = create_sweep_folder(plan, out)
    t0 = time.perf_counter()
    finished = SweepRunner(folder, plan, backend).run()
    elapsed = time.perf_counter() - t0
    assert all(r.status == "finished" for r in finished.results), [r.status for r in finished.results]
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--no-ray", action="store_true")
    parser.add_argument("--iterations", type=int, default=None, help="every trial's iterations (default: the file's)")
    args = parser.parse_args()
    out = Path(tempfile.mkdtemp(prefix="tui-nn-bench-"))
    try:
        best = {w: min(wall_time(LocalBackend(w), out, args.iterations) for _ in range(args.repeats)) for w in (1, 2)}
        print(f"trials of {args.iterations or 5000} iterations")
        for w, seconds in best.items():
            print(f"local, {w} worker{'s' if w > 1 else ' '}: {seconds:6.2f} s for 7 trials = {7 * 60 / seconds:6.1f} trials/min")
        print(f"speed-up with 2 workers: {best[1] / best[2]:.2f}x (goal >= 1.8x)")
        if args.no_ray:
            return
        try:
            import ray
            from tui_nn.runs.sweep_ray import RayBackend
        except ImportError:
            print("ray: not installed (pip install -e '.[ray]')")
            return
        temp = tempfile.mkdtemp(prefix="ray", dir="/tmp")
        t0 = time.perf_counter()
        ray.init(num_cpus=2, include_dashboard=False, _temp_dir=temp, log_to_driver=False, logging_level="ERROR")
        started = time.perf_counter() - t0
        try:
            ray_best = min(wall_time(RayBackend(workers=2), out, args.iterations) for _ in range(args.repeats))
        finally:
            ray.shutdown()
            shutil.rmtree(temp, ignore_errors=True)
        print(f"ray, local instance, 2 CPUs: {ray_best:6.2f} s for 7 trials = {7 * 60 / ray_best:6.1f} trials/min "
              f"(instance start-up {started:.1f} s, not included)")
        print(f"time Ray adds per trial: {(ray_best - best[2]) / 7:.2f} s")
    finally:
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
