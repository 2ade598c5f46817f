"""Seconds per training step: the core ``Trainer`` beside a minimal hand-written NumPy step.

Run ``python bench/core_speed.py`` (``--quick`` for fewer repeats). For each
workload and dtype it times one batch gradient-descent step (forward, cost
from the logits, backward, update) both ways, interleaving the repeats so
both see the same machine load, and prints the medians and their ratio.
Goal: ratio <= 1.10 on the three large workloads, <= 1.5 on the tiny one.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time

import numpy as np

from tui_nn.core import NetworkSpec, TrainConfig, Trainer, initialize_parameters

WORKLOADS = [
    # (name, n_x, [n[1], ..., n[L]], m, hidden activation)
    ("tiny", 2, [4, 1], 400, "tanh"),
    ("cat", 12288, [20, 7, 5, 1], 209, "relu"),
    ("mnist", 784, [128, 64, 1], 10000, "relu"),
    ("wide", 1024, [1024, 1024, 1], 4096, "relu"),
]
LEARNING_RATE = 1e-3


def make_data(n_x: int, m: int, dtype: type) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.RandomState(0)
    X = rng.randn(n_x, m).astype(dtype)
    Y = (rng.rand(1, m) > 0.5).astype(dtype)
    return X, Y


def hand_step_fn(params: dict, X: np.ndarray, Y: np.ndarray, act: str, lr: float):
    """A closure doing one plain vectorised step in place of ``params`` (W = W - lr dW)."""
    L = len(params) // 2
    m = X.shape[1]
    inv_m = 1.0 / m

    def step() -> float:
        A = X
        As, Zs = [X], []
        for l in range(1, L + 1):
            Z = params[f"W{l}"] @ A + params[f"b{l}"]
            Zs.append(Z)
            if l < L:
                A = np.tanh(Z) if act == "tanh" else np.maximum(Z, 0)
                As.append(A)
        ZL = Zs[-1]
        cost = float(np.sum(np.logaddexp(0, ZL) - Y * ZL)) * inv_m
        AL = 1 / (1 + np.exp(-ZL))
        dZ = AL - Y
        for l in range(L, 0, -1):
            W = params[f"W{l}"]
            dW = (dZ @ As[l - 1].T) * inv_m
            db = np.sum(dZ, axis=1, keepdims=True) * inv_m
            if l > 1:
                dA = W.T @ dZ
                A_prev = As[l - 1]
                dZ = dA * (1 - A_prev * A_prev) if act == "tanh" else dA * (Zs[l - 2] > 0)
            params[f"W{l}"] = W - lr * dW
            params[f"b{l}"] = params[f"b{l}"] - lr * db
        return cost

    return step


def time_steps(step, n: int) -> float:
    t0 = time.perf_counter()
    for _ in range(n):
        step()
    return (time.perf_counter() - t0) / n


def bench(n_x: int, hidden_out: list[int], m: int, act: str, dtype: type, repeats: int, budget: float):
    dims = (n_x, *hidden_out)
    spec = NetworkSpec(dims, (act,) * (len(dims) - 2), "sigmoid")
    init = "xavier" if act == "tanh" else "he"
    X, Y = make_data(n_x, m, dtype)
    p0 = initialize_parameters(dims, init, seed=1, dtype=dtype)
    trainer = Trainer(spec, p0, X, Y, TrainConfig(learning_rate=LEARNING_RATE, num_iterations=10**9))
    hand = hand_step_fn(dict(p0), X, Y, act, LEARNING_RATE)

    # Warm up both, and pick the number of steps per sample so one sample takes ~budget seconds.
    one = time_steps(trainer.step, 2)
    time_steps(hand, 2)
    n = max(1, int(budget / max(one, 1e-7)))
    core_t, hand_t = [], []
    for r in range(repeats):
        # Alternate which goes first, so a burst of load elsewhere hits both alike.
        if r % 2:
            hand_t.append(time_steps(hand, n))
            core_t.append(time_steps(trainer.step, n))
        else:
            core_t.append(time_steps(trainer.step, n))
            hand_t.append(time_steps(hand, n))
    assert trainer.status == "running", trainer.status
    c, h = statistics.median(core_t), statistics.median(hand_t)
    paired = statistics.median(a / b for a, b in zip(core_t, hand_t))
    return c, h, paired


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer, shorter repeats")
    ap.add_argument("--only", help="run only the workload with this name (tiny, cat, mnist, wide)")
    args = ap.parse_args()
    repeats, budget = (7, 0.1) if args.quick else (21, 0.15)
    threads = os.environ.get("OPENBLAS_NUM_THREADS") or os.environ.get("OMP_NUM_THREADS") or "default"
    print(f"numpy {np.__version__}, python {platform.python_version()}, {os.cpu_count()} CPUs, BLAS threads: {threads}")
    print(f"medians of {repeats} interleaved samples (~{budget} s each); batch GD, sigmoid output + cross-entropy")
    print("ratio = median core / median hand; paired = median of the ratios of adjacent samples")
    print()
    header = f"{'workload':<38} {'dtype':<8} {'core s/step':>12} {'hand s/step':>12} {'ratio':>6} {'paired':>6}  goal"
    print(header)
    print("-" * len(header))
    for name, n_x, hidden_out, m, act in WORKLOADS:
        if args.only and args.only != name:
            continue
        goal = 1.5 if name == "tiny" else 1.10
        label = f"({n_x}, {hidden_out}, m={m}, {act})"
        for dtype in (np.float64, np.float32):
            c, h, paired = bench(n_x, hidden_out, m, act, dtype, repeats, budget)
            ratio = c / h
            mark = "ok" if ratio <= goal else "MISS"
            print(
                f"{label:<38} {np.dtype(dtype).name:<8} {c:>12.3e} {h:>12.3e} {ratio:>6.2f} {paired:>6.2f}  "
                f"{goal:.2f} {mark}",
                flush=True,
            )


if __name__ == "__main__":
    main()
