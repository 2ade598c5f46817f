"""How much the app costs training, and how fast keys act while it trains.

    python bench/ui_overhead.py [--repeats 3]

1. Iterations per second of the same training (flower, 4 tanh units; and a
   784-[128, 64]-1 ReLU net on 10000 synthetic examples) with the app attached
   (headless Textual, real panes, real worker) and with the bare trainer, in one
   run, interleaved; prints the ratio app / bare (goal >= 0.8).
2. Key-press latency while the 784-[128, 64]-1 net trains: the real ``tui-nn``
   in a tmux pane, ``send-keys +`` / ``-``, and the time until ``capture-pane``
   shows the new learning rate in the Model pane (tmux's own round trip, a few
   milliseconds, is included); prints the median and the worst (goal < 100 ms).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# The same BLAS thread count for the bare trainer and the app (tui_nn.cli.limit_blas_threads
# would pick the default on an idle machine and one thread on a busy one): one, unless set.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

from tui_nn.app import TuiNNApp  # noqa: E402
from tui_nn.config import RunConfig  # noqa: E402
from tui_nn.datasets import Dataset  # noqa: E402
from tui_nn.experiment import build_experiment  # noqa: E402
from tui_nn.messages import TrainingStopped  # noqa: E402


def synthetic_784(m: int = 10000, seed: int = 0) -> Dataset:
    """MNIST-shaped binary data: 784 features in [0, 1], labels from a random linear rule."""
    rng = np.random.RandomState(seed)
    X = rng.rand(784, m + m // 4)
    w = rng.randn(784)
    Y = ((w @ (X - 0.5)) > 0).astype(np.int64).reshape(1, -1)
    return Dataset("synthetic-784", "binary", X[:, :m], Y[:, :m], X[:, m:], Y[:, m:], class_names=("0", "1"))


WORKLOADS = {
    "flower 2-[4]-1 tanh": (RunConfig(), None, 100000),
    "784-[128,64]-1 relu m=10000": (
        RunConfig(hidden=(128, 64), activations=("relu", "relu"), init="he", learning_rate=0.05),
        synthetic_784,
        30,
    ),
}


def bare_rate(cfg: RunConfig, dataset, steps: int) -> float:
    exp = build_experiment(cfg.with_changes(iterations=steps), dataset)
    trainer = exp.new_trainer()
    start = time.perf_counter()
    for _ in trainer.run():
        pass
    return steps / (time.perf_counter() - start)


async def app_rate(cfg: RunConfig, dataset, steps: int) -> float:
    """Press space and time until the worker reports the end (a message hook notes when
    the app handles ``TrainingStopped``). The bench sleeps meanwhile: polling the app
    often would wake its event loop and slow the worker."""
    app = TuiNNApp(build_experiment(cfg.with_changes(iterations=steps), dataset))
    ended: list[float] = []

    def hook(message) -> None:
        if isinstance(message, TrainingStopped):
            ended.append(time.perf_counter())

    async with app.run_test(size=(120, 36), message_hook=hook) as pilot:
        start = time.perf_counter()
        await pilot.press("space")
        while not ended:
            await asyncio.sleep(0.25)
        assert app.trainer.iteration == steps
        return steps / (ended[0] - start)


def key_latencies(presses: int = 20) -> list[float]:
    """Seconds from ``tmux send-keys`` to the new learning rate on the captured screen,
    with the real ``tui-nn`` training the 784-[128, 64]-1 net in a 120x36 tmux pane."""
    tmux, tui = shutil.which("tmux"), Path(sys.executable).with_name("tui-nn")
    if tmux is None or not tui.exists():
        print("  (skipped: needs tmux and the tui-nn console script)")
        return []
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "synthetic784.npz"
        ds = synthetic_784(m=10000)
        np.savez(data, X=np.hstack([ds.X_train, ds.X_dev]), Y=np.hstack([ds.Y_train, ds.Y_dev]))
        session = f"tui-nn-bench-{os.getpid()}"
        command = (f"{tui} --dataset {data} --layout columns --hidden 128,64 --activations relu --init he "
                   f"--learning-rate 0.05 --iterations 10000000")
        subprocess.run([tmux, "new-session", "-d", "-s", session, "-x", "120", "-y", "36", command], check=True)

        def screen() -> str:
            return subprocess.run([tmux, "capture-pane", "-p", "-t", session], capture_output=True, text=True).stdout

        def lr_shown() -> str | None:
            match = re.search(r"lr ([0-9.e+-]+)", screen())
            return match.group(1) if match else None

        try:
            deadline = time.monotonic() + 60
            while "READY" not in screen() and time.monotonic() < deadline:
                time.sleep(0.1)
            subprocess.run([tmux, "send-keys", "-t", session, "Space"], check=True)
            while not re.search(r"RUNNING\s+iter [1-9]", screen()) and time.monotonic() < deadline:
                time.sleep(0.1)
            latencies = []
            for i in range(presses):
                time.sleep(0.3)
                before = lr_shown()
                start = time.perf_counter()
                subprocess.run([tmux, "send-keys", "-t", session, "+" if i % 2 == 0 else "-"], check=True)
                while lr_shown() == before and time.perf_counter() - start < 5:
                    pass
                latencies.append(time.perf_counter() - start)
            return latencies
        finally:
            subprocess.run([tmux, "kill-session", "-t", session], capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print("Training speed, app attached vs bare trainer (same run, interleaved, medians)")
    for name, (cfg, make, steps) in WORKLOADS.items():
        dataset = make() if make else None
        ratios, apps, bares = [], [], []
        for _ in range(args.repeats):
            bare = bare_rate(cfg, dataset, steps)
            app = asyncio.run(app_rate(cfg, dataset, steps))
            apps.append(app)
            bares.append(bare)
            ratios.append(app / bare)
        print(f"  {name:30} bare {statistics.median(bares):10.1f} it/s   app {statistics.median(apps):10.1f} it/s"
              f"   app/bare {statistics.median(ratios):.2f}  (each: {', '.join(f'{r:.2f}' for r in ratios)})")
    print("Key press to screen while training 784-[128,64]-1 (real tui-nn in tmux, 20 presses of + and -)")
    lat_ms = sorted(x * 1000 for x in key_latencies())
    if not lat_ms:
        return
    print(f"  median {statistics.median(lat_ms):.1f} ms   90th {lat_ms[int(0.9 * len(lat_ms)) - 1]:.1f} ms"
          f"   worst {lat_ms[-1]:.1f} ms")


if __name__ == "__main__":
    main()
