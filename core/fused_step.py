"""The trainer's fused forward and backward pass over reused buffers.

The same arithmetic as ``propagation.py`` (course notation, ``Z[l] = W[l] A[l-1] + b[l]``,
``dW[l] = (1/m) dZ[l] A[l-1]^T``, ...), arranged for speed: every array is allocated
once per batch size and written with ``out=``; each layer's ``A[l]`` sits on a row
of ones so one product with the ``[W | b]`` block (``flatparams.py``) gives ``Z[l]``
and one product ``dZ[l] [A[l-1]; 1]^T`` gives ``dW[l]`` and ``db[l]``; activations
and their derivatives work in place (``fused_hidden.py``); the output and its
cost are fused (``fused_outputs.py``), and ``dZ[L]`` carries the factor ``c/m`` (``c``
the gradient scale: 1, or ``-learning_rate`` for plain gradient descent) into every
gradient at once.
"""

from __future__ import annotations

import numpy as np

from .flatparams import FlatParameters
from .fused_hidden import HIDDEN_KERNELS, Ops
from .fused_outputs import output_kernel
from .network import NetworkSpec
from .stats import OutputSample


def with_ones_row(n: int, m: int, dtype: np.dtype, example_major: bool = False) -> np.ndarray:
    """An ``(n + 1, m)`` buffer whose last row is ones (the first n rows are left to fill).

    ``example_major`` stores it as the transpose of a C-ordered ``(m, n + 1)`` array, one
    example after another. For a wide first layer (the cat net: 12289 x 209) OpenBLAS ran
    both of its products faster that way on the machine this was measured on: ``dW = dZ X^T``
    by 12-27 % (either dtype, one or two threads), and ``Z = W X`` as fast in float64 and,
    computed as ``Z^T = X^T W^T`` (``_Plan``), 6-24 % faster in float32; the results there
    were the same bits as the products of the column-major layout.
    """
    if example_major:
        H = np.empty((m, n + 1), dtype=dtype).T
    else:
        H = np.empty((n + 1, m), dtype=dtype)
    H[-1] = 1
    return H


class Workspace:
    """Every buffer one batch of ``m`` examples needs, allocated once and reused.

    ``H[l]`` is ``(n[l] + 1, m)``: ``A[l]`` (``A[l]`` holds ``Z[l]`` until the
    activation runs in place) over a row of ones, for ``l = 1 .. L-1``;
    ``ZL`` and ``dZL`` are ``(n[L], m)``; ``dA[l]`` is ``(n[l], m)``.
    """

    def __init__(self, spec: NetworkSpec, m: int, dtype: np.dtype) -> None:
        dims = spec.layer_dims
        L = spec.L
        self.m = m
        self.H: list[np.ndarray | None] = [None] + [with_ones_row(dims[l], m, dtype) for l in range(1, L)]
        self.A: list[np.ndarray | None] = [None] + [H[:-1] for H in self.H[1:]]
        self.dA: list[np.ndarray | None] = [None] + [np.empty((dims[l], m), dtype=dtype) for l in range(1, L)]
        self.kernels = [None] + [HIDDEN_KERNELS[g]((dims[l], m), dtype) for l, g in enumerate(spec.hidden_activations, 1)]
        self.ZL = np.empty((dims[L], m), dtype=dtype)
        self.dZL = np.empty_like(self.ZL)
        self.Z1T: np.ndarray | None = None
        """``Z[1]^T (m, n[1])``, when the first product is computed transposed (see ``FusedNetwork.batch``)."""


class Batch:
    """One batch: inputs on a row of ones ``X1 (n_x + 1, m)``, targets ``Y (n_y, m)``,
    its fused output and cost, the workspace of its size, and (per parameter set)
    the precomputed operands of every product, so a step does no bookkeeping."""

    __slots__ = ("X1", "Y", "output", "ws", "plans")

    def __init__(self, X1: np.ndarray, Y: np.ndarray, output, ws: Workspace) -> None:
        self.X1, self.Y, self.output, self.ws = X1, Y, output, ws
        self.plans: dict[FlatParameters, _Plan] = {}

    @property
    def X(self) -> np.ndarray:
        """The inputs ``(n_x, m)`` without the row of ones."""
        return self.X1[:-1]


def run_ops(ops: Ops) -> None:
    """Run a list of bound NumPy calls in order."""
    for f, args in ops:
        f(*args)


class _Plan:
    """One batch's forward and backward pass with one parameter set, as flat lists of
    NumPy calls with every operand bound (``for f, args in ops: f(*args)``), so a step
    does no bookkeeping: ``forward`` ends with ``Z[L]`` in ``ZL``; the fused output then
    writes ``dZ[L]`` into ``dZL``; ``backward`` fills the gradient blocks.

    Backward keeps, for each layer, the array ``D`` such that ``dZ[l] = r * D`` with
    ``r`` a column of row scales or 1. The scale comes from an output-like layer with
    one unit (``n[l] = 1``, every binary classifier's last layer): there
    ``dA[l-1] = W[l]^T dZ[l]`` is an outer product, and instead of writing it out
    (an ``(n[l-1], m)`` pass) the layer below takes ``D = g'(A[l-1]) * dZ[l]`` (a row
    broadcast) with ``r = W[l]^T``, applied to the small ``dW``, ``db`` and ``W`` instead.

    ``backward`` ends with the first layer's gradient product; ``head`` is everything
    before it, and ``first = (D, r)`` its operands (``dZ[1] = r * D``), for an update
    that adds the product straight into the parameters (``first_layer_inplace``).
    """

    __slots__ = ("forward", "ZL", "dZL", "backward", "head", "first")

    def __init__(self, P: FlatParameters, G: FlatParameters, batch: Batch) -> None:
        ws = batch.ws
        L = len(P.blocks)
        H = [batch.X1, *ws.H[1:]]
        matmul, multiply = np.matmul, np.multiply
        forward: Ops = []
        for l in range(1, L + 1):
            Z = ws.A[l] if l < L else ws.ZL
            if l == 1 and ws.Z1T is not None:
                forward += [(matmul, (H[0].T, P.blocks[0].T, ws.Z1T)), (np.copyto, (Z, ws.Z1T.T))]
            else:
                forward.append((matmul, (P.blocks[l - 1], H[l - 1], Z)))
            if l < L:
                forward += ws.kernels[l].forward(Z)
        self.forward, self.ZL, self.dZL = forward, ws.ZL, ws.dZL
        backward: Ops = []
        D, r = ws.dZL, None
        for l in range(L, 0, -1):
            gblock = G.blocks[l - 1]
            if l == 1:
                self.head, self.first = list(backward), (D, r)
            backward.append((matmul, (D, H[l - 1].T, gblock)))
            if r is not None:
                backward.append((multiply, (gblock, r, gblock)))
            if l == 1:
                break
            W, dA, A, kernel = P.weights[l - 1], ws.dA[l - 1], ws.A[l - 1], ws.kernels[l - 1]
            if W.shape[0] == 1 and r is None:
                backward += kernel.backward_row(D, A, dA)
                D, r = dA, W.T
                continue
            if r is None:
                backward.append((matmul, (W.T, D, dA)))
            else:
                Wr = np.empty_like(W)
                backward += [(multiply, (W, r, Wr)), (matmul, (Wr.T, D, dA))]
            backward += kernel.backward(dA, A)
            D, r = dA, None
        self.backward = backward


class FusedNetwork:
    """Forward and backward for one network spec on ``Batch`` es, into flat parameter sets."""

    def __init__(self, spec: NetworkSpec, dtype: np.dtype, binary_targets: bool, grads: FlatParameters) -> None:
        self.spec = spec
        self.dtype = dtype
        self.binary = binary_targets
        self.grads = grads
        """Where ``backward`` writes ``[dW[l] | db[l]]``."""
        self._workspaces: dict[int, Workspace] = {}

    def batch(self, X1: np.ndarray, Y: np.ndarray) -> Batch:
        """A batch over ``X1 (n_x + 1, m)`` (last row ones) and ``Y (n_y, m)``."""
        m = X1.shape[1]
        ws = self._workspaces.get(m)
        if ws is None:
            ws = self._workspaces[m] = Workspace(self.spec, m, self.dtype)
        if X1.flags.f_contiguous and not X1.flags.c_contiguous and self.dtype == np.float32:
            # Example-major float32 inputs: Z[1] is fastest as Z[1]^T = [X; 1]^T [W | b]^T (``with_ones_row``).
            ws.Z1T = np.empty((m, self.spec.layer_dims[1]), dtype=self.dtype)
        return Batch(X1, Y, output_kernel(self.spec.output, Y, self.binary), ws)

    def plan(self, P: FlatParameters, batch: Batch) -> _Plan:
        """The operands of ``batch``'s passes with parameter set ``P`` (made once, then reused)."""
        plan = batch.plans.get(P)
        if plan is None:
            plan = batch.plans[P] = _Plan(P, self.grads, batch)
        return plan

    def add_l2(self, P: FlatParameters, lambd: float, m: int, scale: float) -> None:
        """Add the L2 term ``scale (lambda / m) W[l]`` to every ``dW[l]`` in ``grads``."""
        factor = scale * lambd / m
        for W, dW in zip(P.weights, self.grads.weights):
            dW += factor * W

    def hidden_outputs(self, batch: Batch) -> list[OutputSample]:
        """Samples of ``A[1] .. A[L-1]`` of the last forward pass, for statistics (taken before
        ``backward`` overwrites them)."""
        return [OutputSample.of(A, g) for A, g in zip(batch.ws.A[1:], self.spec.hidden_activations)]
