"""Seconds to build the step-through dialog's step off the UI thread, and one trainer step for scale.

Run ``python bench/stepthrough_speed.py``. For each workload it times
``StepRequest.compute()`` (forward, cost, backward, update, the numerical checks of
3 entries per gradient and the page text) on the default 5 examples and on all m,
beside one ``Trainer.step()`` on all m. The dialog computes in a worker, so these
figures are how long "computing…" shows, not how long the UI is blocked.
"""

from __future__ import annotations

import statistics
import time

import numpy as np

from tui_nn.core import NetworkSpec, TrainConfig, Trainer, initialize_parameters
from tui_nn.step_request import StepRequest

WORKLOADS = [
    # (name, n_x, hidden sizes, m, hidden activation)
    ("flower", 2, [4], 400, "tanh"),
    ("cat", 12288, [20, 7, 5], 209, "relu"),
    ("mnist", 784, [128, 64], 10000, "relu"),
]


def median_seconds(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    print(f"{'workload':10} {'k=5':>10} {'k=m':>10} {'trainer step':>14}")
    for name, n_x, hidden, m, act in WORKLOADS:
        rng = np.random.RandomState(0)
        X, Y = rng.randn(n_x, m), (rng.rand(1, m) > 0.5).astype(np.float64)
        spec = NetworkSpec.build(n_x, hidden, 1, act, "sigmoid")
        params = initialize_parameters(spec.layer_dims, "he", seed=1)
        trainer = Trainer(spec, params, X, Y, TrainConfig(learning_rate=1e-3, num_iterations=10**6))
        request = StepRequest.for_trainer(trainer, 1e-3, name)
        small = median_seconds(request.compute, 5)
        full = median_seconds(request.with_examples(m).compute, 3)
        step = median_seconds(trainer.step, 3)
        print(f"{name:10} {small * 1e3:8.1f}ms {full * 1e3:8.1f}ms {step * 1e3:12.1f}ms")


if __name__ == "__main__":
    main()
