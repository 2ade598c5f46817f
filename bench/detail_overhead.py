"""What the statistics and boundary updates cost training, with the app's own worker loop.

    python bench/detail_overhead.py [--seconds 4] [--repeats 3]

Runs ``tui_nn.training.TrainingDriver`` (the loop the app's worker runs) without a
screen: once as the app runs it, with per-layer statistics, train/dev accuracy and
the decision-boundary view refreshed every detail interval, and once with those
details switched off. Both runs post their progress messages (to a list), run for
the same wall time, alternate, and use one BLAS thread unless one is set. Speed is
iterations per second of this thread's CPU time (``--wall`` for wall time), so other
work on a shared machine does not blur the comparison; with one BLAS thread all the
training runs in this thread. Prints both speeds and the cost of the details
(goal: at most 5 %).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402

from tui_nn import training  # noqa: E402
from tui_nn.config import RunConfig  # noqa: E402
from tui_nn.datasets import Dataset  # noqa: E402
from tui_nn.experiment import build_experiment  # noqa: E402
from tui_nn.messages import TrainingStopped  # noqa: E402
from tui_nn.views import BoundaryProbe  # noqa: E402
from ui_overhead import synthetic_784  # noqa: E402


def synthetic_images(m: int = 209, side: int = 64, seed: int = 0) -> Dataset:
    """Cat-shaped binary data: 64x64x3 images in [0, 1], labels from a random linear rule."""
    rng = np.random.RandomState(seed)
    n_x = side * side * 3
    X = rng.rand(n_x, m + 50)
    Y = ((rng.randn(n_x) @ (X - 0.5)) > 0).astype(np.int64).reshape(1, -1)
    return Dataset("synthetic-cat", "binary", X[:, :m], Y[:, :m], X[:, m:], Y[:, m:],
                   class_names=("non-cat", "cat"), image_shape=(side, side, 3))


WORKLOADS = {
    "flower 2-[4]-1 tanh (heatmap)": (RunConfig(), None),
    "flower 2-[4]-1 tanh float32": (RunConfig(dtype="float32"), None),
    "cat-shaped 12288-[20,7,5]-1 relu (thumbnails)": (
        RunConfig(hidden=(20, 7, 5), activations=("relu",) * 3, init="xavier", learning_rate=0.0075), synthetic_images),
    "784-[128,64]-1 relu m=10000 (confusion)": (
        RunConfig(hidden=(128, 64), activations=("relu", "relu"), init="he", learning_rate=0.05), synthetic_784),
    "784-[128,64]-1 relu m=10000 float32": (
        RunConfig(hidden=(128, 64), activations=("relu", "relu"), init="he", learning_rate=0.05, dtype="float32"),
        synthetic_784),
}


def rate(experiment, details: bool, seconds: float, timer=time.thread_time) -> tuple[float, int]:
    """Iterations per second of the worker loop for ``seconds``, and how many detail updates it posted."""
    messages: list = []
    driver = training.TrainingDriver(experiment.new_trainer(), messages.append,
                                     BoundaryProbe(experiment.dataset, experiment.spec) if details else None)
    saved = training.DETAIL_INTERVAL
    if not details:
        training.DETAIL_INTERVAL = float("inf")
        driver._want_detail = False
    stopped_at: list[tuple[float, int]] = []

    def cancelled() -> bool:
        if not stopped_at and time.perf_counter() > deadline:
            driver.pause()  # the worker stops after this step, flushes and posts TrainingStopped
            stopped_at.append((timer(), driver.trainer.iteration))
        return bool(stopped_at) and any(isinstance(m, TrainingStopped) for m in messages[-3:])

    try:
        start = timer()
        deadline = time.perf_counter() + seconds
        driver.start()
        driver.loop(cancelled)
    finally:
        training.DETAIL_INTERVAL = saved
    end, iterations = stopped_at[0]
    elapsed = end - start
    assert any(isinstance(m, TrainingStopped) for m in messages)
    detail_posts = sum(type(m).__name__ in ("StatsUpdate", "BoundaryUpdate") for m in messages)
    return iterations / elapsed, detail_posts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=4.0, help="wall time of each run")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--only", help="run only workloads whose name contains this")
    ap.add_argument("--wall", action="store_true", help="iterations per second of wall time, not CPU time")
    args = ap.parse_args()
    print(f"BLAS threads {os.environ.get('OPENBLAS_NUM_THREADS')}, {args.seconds:g} s per run, "
          f"{'wall' if args.wall else 'CPU'} time, "
          f"{args.repeats} alternating pairs, medians; load average {os.getloadavg()[0]:.2f}")
    print(f"{'workload':48} {'details it/s':>13} {'none it/s':>11} {'updates':>8} {'cost':>7}  goal <= 5 %")
    for name, (cfg, make) in WORKLOADS.items():
        if args.only and args.only not in name:
            continue
        experiment = build_experiment(cfg.with_changes(iterations=10**8), make() if make else None)
        on, off, posts = [], [], []
        for r in range(args.repeats):
            for details in ((True, False) if r % 2 == 0 else (False, True)):
                it_s, n = rate(experiment, details, args.seconds, time.perf_counter if args.wall else time.thread_time)
                (on if details else off).append(it_s)
                if details:
                    posts.append(n)
        cost = 1 - statistics.median(a / b for a, b in zip(on, off))
        print(f"{name:48} {statistics.median(on):13.1f} {statistics.median(off):11.1f} "
              f"{statistics.median(posts):8.0f} {100 * cost:6.1f} %  {'ok' if cost <= 0.05 else 'MISS'}", flush=True)


if __name__ == "__main__":
    main()
