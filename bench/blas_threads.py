"""Seconds per training step with one and two BLAS threads, idle and beside a busy core.

    python bench/blas_threads.py

Each measurement runs in a fresh process (the thread count is fixed when NumPy
loads). "busy" runs a pure-Python spinning process alongside, standing in for
the app's UI thread or another user's job on a 2-core machine. This is why the
app, the watcher and ``tui-nn train`` take one BLAS thread when the machine is busy
and keep the default when it is idle (``tui_nn.blas_threads``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

WORKLOADS = [
    ("2-[4]-1 tanh m=400", 2, [4], 400, "tanh", 2000),
    ("12288-[20,7,5]-1 relu m=209", 12288, [20, 7, 5], 209, "relu", 40),
    ("784-[128,64]-1 relu m=10000", 784, [128, 64], 10000, "relu", 8),
]


def child() -> None:
    import numpy as np

    from tui_nn.core import NetworkSpec, TrainConfig, Trainer, initialize_parameters

    for name, n_x, hidden, m, act, steps in WORKLOADS:
        rng = np.random.RandomState(0)
        X, Y = rng.rand(n_x, m), (rng.rand(1, m) > 0.5).astype(float)
        spec = NetworkSpec.build(n_x, hidden, 1, act)
        params = initialize_parameters(spec.layer_dims, "xavier", seed=1)
        trainer = Trainer(spec, params, X, Y, TrainConfig(learning_rate=0.01, num_iterations=10**9))
        trainer.step()
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            for _ in range(steps):
                trainer.step()
            best = min(best, (time.perf_counter() - start) / steps)
        print(f"{name}\t{best}")


def measure(threads: int, busy: bool) -> dict[str, float]:
    env = {**os.environ, "OPENBLAS_NUM_THREADS": str(threads), "OMP_NUM_THREADS": str(threads)}
    spinner = subprocess.Popen([sys.executable, "-c", "while True: pass"]) if busy else None
    try:
        out = subprocess.run([sys.executable, __file__, "--child"], env=env, capture_output=True, text=True, check=True)
    finally:
        if spinner is not None:
            spinner.kill()
            spinner.wait()
    return {name: float(value) for name, value in (line.split("\t") for line in out.stdout.splitlines())}


def main() -> None:
    print(f"{os.cpu_count()} CPUs; best of 3, ms per step")
    results = {(t, b): measure(t, b) for b in (False, True) for t in (1, 2)}
    print(f"{'workload':30} {'1 thread':>10} {'2 threads':>10} {'1 busy':>10} {'2 busy':>10}")
    for name, *_ in WORKLOADS:
        row = [results[(t, b)][name] * 1e3 for b in (False, True) for t in (1, 2)]
        print(f"{name:30} " + " ".join(f"{v:10.3f}" for v in row))


if __name__ == "__main__":
    child() if "--child" in sys.argv else main()
