"""Seconds per training step: the core's ``Trainer`` against the same step's matrix products alone.

    python bench/core_speed.py                   # float64 with 1 BLAS thread, then float32 with 2
    python bench/core_speed.py --runs 32:2 --only tiny --quick

For each workload it times one batch gradient-descent step (forward, cost from
the logits, backward, update; sigmoid output with cross-entropy) three ways:

- core: ``Trainer.step()``, everything a step does (checks, result object included);
- hand: a plain hand-written vectorised NumPy step (allocating, as a learner writes it);
- matmuls: the step's matrix products alone (``W A``, ``dZ A^T``, ``W^T dZ`` into
  preallocated arrays), nothing else: the floor for any NumPy implementation.

Core and matmuls alternate, sample by sample, so both see the same machine load;
hand then alternates with matmuls on its own (it allocates and frees its arrays
every step, which slows whatever runs next). Each sample starts with one untimed
step, so it measures steady training rather than a cache another workload left.
It prints the medians and core / matmuls, both as the ratio of the medians and as
the median of the ratios of samples taken back to back ("paired", steadier when
the machine's load changes; the goals apply to it: tiny net 2.5, cat net 1.05, the
two large nets 1.10). Each ``DTYPE:THREADS`` run is a fresh process, because the
BLAS thread count is fixed when NumPy loads. On a shared machine, ``--cpu`` times
one-thread runs by this thread's CPU time (all the work runs in it), so other
people's work does not blur the comparison; runs with more threads use wall time.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time

WORKLOADS = [
    # (name, n_x, [n[1], ..., n[L]], m, hidden activation, goal for core / matmuls)
    ("tiny", 2, [4, 1], 400, "tanh", 2.5),
    ("cat", 12288, [20, 7, 5, 1], 209, "relu", 1.05),
    ("mnist", 784, [128, 64, 1], 10000, "relu", 1.10),
    ("wide", 1024, [1024, 1024, 1], 4096, "relu", 1.10),
]
LEARNING_RATE = 1e-3
THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def make_data(np, n_x: int, m: int, dtype):
    rng = np.random.RandomState(0)
    X = rng.randn(n_x, m).astype(dtype)
    Y = (rng.rand(1, m) > 0.5).astype(dtype)
    return X, Y


def hand_step_fn(np, params: dict, X, Y, act: str, lr: float):
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


def matmul_step_fn(np, params: dict, X, Y, example_major: bool = False):
    """A closure doing only the step's matrix products, into arrays allocated once:
    ``Z[l] = W[l] A[l-1]``, ``dW[l] = dZ[l] A[l-1]^T``, ``dA[l-1] = W[l]^T dZ[l]``.

    ``example_major`` stores ``X`` example by example, as the trainer stores a wide first
    layer's inputs, and computes the first layer's products the trainer's way round:
    ``dW[1] = dZ[1] (X^T)`` and, in float32, ``Z[1]^T = (X^T) W[1]^T``."""
    L = len(params) // 2
    W = [params[f"W{l}"] for l in range(1, L + 1)]
    XT = np.ascontiguousarray(X.T)
    A = [XT.T if example_major else X]  # A[l] stands in for both Z[l] and A[l]: nothing but products
    for l in range(L):
        A.append(W[l] @ A[l])
    first_transposed = example_major and X.dtype == np.float32
    if first_transposed:
        A[1] = np.ascontiguousarray(A[1].T).T
    dZ = [None] + [np.empty_like(a) for a in A[1:]]
    dZ[L][...] = A[L] - Y
    dW = [np.empty_like(w) for w in W]

    def step() -> None:
        if first_transposed:
            np.matmul(XT, W[0].T, out=A[1].T)
        for l in range(2 if first_transposed else 1, L + 1):
            np.matmul(W[l - 1], A[l - 1], out=A[l])
        for l in range(L, 0, -1):
            np.matmul(dZ[l], A[l - 1].T, out=dW[l - 1])
            if l > 1:
                np.matmul(W[l - 1].T, dZ[l], out=dZ[l - 1])

    return step


CLOCK = time.perf_counter


def time_steps(step, n: int) -> float:
    """Seconds per step over ``n`` steps, after one untimed step (a sample measures steady training,
    not the first step after another workload has had the cache)."""
    step()
    t0 = CLOCK()
    for _ in range(n):
        step()
    return (CLOCK() - t0) / n


def interleaved(a, b, n: int, repeats: int) -> tuple[list[float], list[float]]:
    """Samples of ``n`` steps of ``a`` and of ``b``, back to back, alternating which goes first."""
    times_a: list[float] = []
    times_b: list[float] = []
    for r in range(repeats):
        if r % 2:
            times_b.append(time_steps(b, n))
            times_a.append(time_steps(a, n))
        else:
            times_a.append(time_steps(a, n))
            times_b.append(time_steps(b, n))
    return times_a, times_b


def bench(np, n_x: int, hidden_out: list[int], m: int, act: str, dtype, repeats: int, budget: float):
    from tui_nn.core import NetworkSpec, TrainConfig, Trainer, initialize_parameters
    from tui_nn.core.first_layer_inplace import FirstLayerInPlace

    dims = (n_x, *hidden_out)
    spec = NetworkSpec(dims, (act,) * (len(dims) - 2), "sigmoid")
    init = "xavier" if act == "tanh" else "he"
    X, Y = make_data(np, n_x, m, dtype)
    p0 = initialize_parameters(dims, init, seed=1, dtype=dtype)
    trainer = Trainer(spec, p0, X, Y, TrainConfig(learning_rate=LEARNING_RATE, num_iterations=10**9))
    # Each step reads its own copy of the inputs (the trainer keeps one), so none finds
    # another's in cache.
    matmuls = matmul_step_fn(np, {k: v.copy() for k, v in p0.items()}, X.copy(), Y)
    hand = hand_step_fn(np, dict(p0), X.copy(), Y, act, LEARNING_RATE)
    one = max(time_steps(step, 2) for step in (trainer.step, hand, matmuls))  # warm up, and size the samples
    n = max(1, int(budget / max(one, 1e-7)))
    # The goal's pair, core against matmuls, alternates on its own; the plain step (which
    # allocates and frees its arrays every step, disturbing whatever runs next) is then
    # paired with matmuls in a second phase.
    core_t, core_mm = interleaved(trainer.step, matmuls, n, repeats)
    hand_t, hand_mm = interleaved(hand, matmuls, n, repeats)
    medians = {"core": statistics.median(core_t), "matmuls": statistics.median(core_mm), "hand": statistics.median(hand_t)}
    medians["hand/mm"] = statistics.median(h / mm for h, mm in zip(hand_t, hand_mm))
    medians["layout"] = None
    if FirstLayerInPlace.suits(dims, m):
        # The trainer stores these inputs example by example, which speeds up the products
        # themselves: the same products in its layout show what the rest of the step costs.
        same = matmul_step_fn(np, {k: v.copy() for k, v in p0.items()}, X.copy(), Y, example_major=True)
        time_steps(same, 2)
        core_t2, same_t = interleaved(trainer.step, same, n, repeats)
        medians["layout"] = statistics.median(c / mm for c, mm in zip(core_t2, same_t))
    assert trainer.status == "running", trainer.status
    paired = statistics.median(c / mm for c, mm in zip(core_t, core_mm))
    return medians, paired


def child(dtype_name: str, quick: bool, only: str | None, cpu: bool) -> None:
    import numpy as np

    global CLOCK
    if cpu and os.environ.get("OPENBLAS_NUM_THREADS") == "1":
        CLOCK = time.thread_time
    dtype = np.dtype(dtype_name)
    repeats, budget = (5, 0.1) if quick else (31, 0.1)
    for name, n_x, hidden_out, m, act, goal in WORKLOADS:
        if only and only != name:
            continue
        med, paired = bench(np, n_x, hidden_out, m, act, dtype, repeats, budget)
        ratio = med["core"] / med["matmuls"]
        label = f"{n_x}-{hidden_out[:-1]}-1 {act} m={m}"
        print(
            f"{label:<36} {dtype.name:<8} {os.environ.get('OPENBLAS_NUM_THREADS', '?'):>3} "
            f"{'cpu' if CLOCK is time.thread_time else 'wall':>4} "
            f"{med['core'] * 1e3:>10.3f} {med['hand'] * 1e3:>10.3f} {med['matmuls'] * 1e3:>10.3f} "
            f"{ratio:>6.2f} {paired:>6.2f} {med['hand/mm']:>6.2f}  {goal:.2f} {'ok' if paired <= goal else 'MISS':<4}"
            f"  {'-' if med['layout'] is None else format(med['layout'], '.2f'):>6}",
            flush=True,
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", default="64:1,32:2", help="DTYPE:THREADS pairs, e.g. 64:1,32:2 (float64 on 1 BLAS thread, ...)")
    ap.add_argument("--quick", action="store_true", help="fewer, shorter repeats")
    ap.add_argument("--only", help="run only the workload with this name (tiny, cat, mnist, wide)")
    ap.add_argument("--cpu", action="store_true", help="time one-thread runs by CPU time (for a shared machine)")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child, args.quick, args.only, args.cpu)
        return
    import numpy as np

    print(f"numpy {np.__version__}, python {platform.python_version()}, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.2f}")
    print("medians of interleaved samples, ms per batch gradient-descent step (sigmoid output + cross-entropy)")
    print("core = Trainer.step; hand = a plain NumPy step; matmuls = the step's matrix products alone")
    print("ratio = median core / median matmuls; paired = median of back-to-back ratios (the goal applies to it); "
          "hand/mm = hand / matmuls")
    print("layout = paired core / the same products with the inputs stored as the trainer stores them "
          "(example by example, for a wide first layer; '-' where that is the course layout)")
    print()
    header = (f"{'workload':<36} {'dtype':<8} {'thr':>3} {'time':>4} {'core ms':>10} {'hand ms':>10} {'matmul ms':>10} "
              f"{'ratio':>6} {'paired':>6} {'hand/mm':>6}  goal       {'layout':>6}")
    print(header)
    print("-" * len(header))
    for run in args.runs.split(","):
        bits, threads = run.split(":")
        env = {**os.environ, **{v: threads for v in THREAD_VARIABLES}}
        cmd = [sys.executable, __file__, "--child", f"float{bits}"] + (["--quick"] if args.quick else [])
        cmd += ["--cpu"] if args.cpu else []
        if args.only:
            cmd += ["--only", args.only]
        subprocess.run(cmd, env=env, check=True)


if __name__ == "__main__":
    main()
