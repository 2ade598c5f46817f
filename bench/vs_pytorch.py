"""Seconds per training step: the core's ``Trainer`` against PyTorch on the CPU.

    python bench/vs_pytorch.py                 # float32 on 2 threads, every workload
    python bench/vs_pytorch.py --dtype float64 --threads 1 --only cat

PyTorch is not a dependency of tui-nn; install it into the same environment first
(``pip install torch``; on this project's machine ``pip install torch==2.13.0`` takes
the CPU build that lies on disk). For each workload of ``core_speed.py`` it times one
batch gradient-descent step (sigmoid output, cross-entropy, learning rate 1e-3) four
ways, each alone in a process of its own (in one process, PyTorch's OpenMP threads and
NumPy's OpenBLAS threads spin against each other and slow both), the processes
alternating for ``--rounds`` rounds; it prints the medians:

- core: ``Trainer.step()``;
- matmuls: the step's products alone in NumPy (``core_speed.matmul_step_fn``);
- torch-hand: PyTorch tensors with a hand-written backward pass, in place, no autograd;
- torch-nn: ``torch.nn.Sequential`` of ``Linear`` and ReLU/tanh, ``BCEWithLogitsLoss``,
  ``loss.backward()`` and ``torch.optim.SGD``.

BLAS threads (NumPy's OpenBLAS and PyTorch's) are set to ``--threads``; times are wall
time. Each is also divided by the core's.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

LEARNING_RATE = 1e-3


def torch_hand_step_fn(torch, params: dict, X, Y, act: str, lr: float):
    """A PyTorch step with the backward pass written out, updating in place, no autograd. Rows are
    examples, as PyTorch lays data out: ``Z = A W^T + b``, ``dW = dZ^T A`` (the faster way round for
    its BLAS here; with the course's columns ``dZ X^T`` took three times as long)."""
    L = len(params) // 2
    W = [torch.from_numpy(params[f"W{l}"].copy()) for l in range(1, L + 1)]
    b = [torch.from_numpy(params[f"b{l}"][:, 0].copy()) for l in range(1, L + 1)]
    Xt, Yt = torch.from_numpy(X.T.copy()), torch.from_numpy(Y.T.copy())
    m = X.shape[1]

    @torch.no_grad()
    def step() -> float:
        As, Zs = [Xt], []
        A = Xt
        for l in range(L):
            Z = torch.addmm(b[l], A, W[l].T)
            Zs.append(Z)
            if l < L - 1:
                A = torch.tanh(Z) if act == "tanh" else torch.relu(Z)
                As.append(A)
        ZL = Zs[-1]
        cost = float(torch.nn.functional.binary_cross_entropy_with_logits(ZL, Yt))
        dZ = (torch.sigmoid(ZL) - Yt) / m
        for l in range(L - 1, -1, -1):
            dW = dZ.T @ As[l]
            db = dZ.sum(dim=0)
            if l > 0:
                dA = dZ @ W[l]
                dZ = dA * (1 - As[l] * As[l]) if act == "tanh" else dA * (Zs[l - 1] > 0)
            W[l].sub_(dW, alpha=lr)
            b[l].sub_(db, alpha=lr)
        return cost

    return step


def torch_nn_step_fn(torch, params: dict, X, Y, act: str, lr: float):
    """A PyTorch step as its tutorials write it: modules, autograd and an optimiser."""
    L = len(params) // 2
    layers = []
    for l in range(1, L + 1):
        W = params[f"W{l}"]
        linear = torch.nn.Linear(W.shape[1], W.shape[0], dtype=torch.from_numpy(W).dtype)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(W))
            linear.bias.copy_(torch.from_numpy(params[f"b{l}"][:, 0]))
        layers.append(linear)
        if l < L:
            layers.append(torch.nn.Tanh() if act == "tanh" else torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    Xt, Yt = torch.from_numpy(X.T.copy()), torch.from_numpy(Y.T.copy())  # rows are examples in PyTorch

    def step() -> float:
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(Xt), Yt)
        loss.backward()
        optimizer.step()
        return float(loss.detach())

    return step


def make_step(kind: str, name: str, dtype_name: str):
    """The step ``kind`` (core, matmuls, torch-hand, torch-nn) for workload ``name``."""
    import numpy as np

    from core_speed import WORKLOADS, make_data, matmul_step_fn
    from tui_nn.core import NetworkSpec, TrainConfig, Trainer, initialize_parameters

    _, n_x, hidden_out, m, act, _goal = next(w for w in WORKLOADS if w[0] == name)
    dims = (n_x, *hidden_out)
    dtype = np.dtype(dtype_name)
    X, Y = make_data(np, n_x, m, dtype)
    p0 = initialize_parameters(dims, "xavier" if act == "tanh" else "he", seed=1, dtype=dtype)
    if kind == "core":
        spec = NetworkSpec(dims, (act,) * (len(dims) - 2), "sigmoid")
        return Trainer(spec, p0, X, Y, TrainConfig(learning_rate=LEARNING_RATE, num_iterations=10**9)).step
    if kind == "matmuls":
        return matmul_step_fn(np, p0, X, Y)
    import torch

    torch.set_num_threads(int(os.environ["OPENBLAS_NUM_THREADS"]))
    make = torch_hand_step_fn if kind == "torch-hand" else torch_nn_step_fn
    return make(torch, p0, X, Y, act, LEARNING_RATE)


def child(kind: str, name: str, dtype_name: str, budget: float, repeats: int) -> None:
    """Print the median seconds per step of one kind, measured alone in this process."""
    from core_speed import time_steps

    step = make_step(kind, name, dtype_name)
    one = time_steps(step, 2)
    n = max(1, int(budget / max(one, 1e-7)))
    print(statistics.median(time_steps(step, n) for _ in range(repeats)))


KINDS = ("core", "matmuls", "torch-hand", "torch-nn")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dtype", default="float32", choices=["float32", "float64"])
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--only", help="run only the workload with this name (tiny, cat, mnist, wide)")
    ap.add_argument("--rounds", type=int, default=3, help="processes per kind, alternating")
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child[0], args.child[1], args.dtype, 0.1, 9)
        return
    try:
        import torch
    except ImportError:
        sys.exit("bench/vs_pytorch.py needs PyTorch: pip install torch (it is not a dependency of tui-nn)")
    import numpy as np

    from core_speed import WORKLOADS

    env = {**os.environ, "OPENBLAS_NUM_THREADS": str(args.threads), "OMP_NUM_THREADS": str(args.threads),
           "MKL_NUM_THREADS": str(args.threads)}
    print(f"numpy {np.__version__}, torch {torch.__version__}, {args.dtype}, {args.threads} thread(s), wall time, "
          f"load average {os.getloadavg()[0]:.2f}; each kind alone in its own process, {args.rounds} rounds")
    print(f"{'workload':<36}" + "".join(f"{k + ' ms':>14}" for k in KINDS) + "".join(f"{k + '/core':>17}" for k in KINDS[1:]))
    for name, n_x, hidden_out, m, act, _goal in WORKLOADS:
        if args.only and args.only != name:
            continue
        times: dict[str, list[float]] = {k: [] for k in KINDS}
        for _ in range(args.rounds):
            for kind in KINDS:
                cmd = [sys.executable, __file__, "--dtype", args.dtype, "--child", kind, name]
                out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout
                times[kind].append(float(out.split()[-1]))
        med = {k: statistics.median(t) for k, t in times.items()}
        label = f"{n_x}-{hidden_out[:-1]}-1 {act} m={m}"
        print(f"{label:<36}" + "".join(f"{med[k] * 1e3:>14.3f}" for k in KINDS)
              + "".join(f"{med[k] / med['core']:>17.2f}" for k in KINDS[1:]), flush=True)


if __name__ == "__main__":
    main()
