"""The trainer's fused forward and backward pass over reused buffers.

The same arithmetic as ``propagation.py`` (course notation, ``Z[l] = W[l] A[l-1] + b[l]``,
``dW[l] = (1/m) dZ[l] A[l-1]^T``, ...), arranged for speed: every array is allocated
once per batch size and written with ``out=``; each layer's ``A[l]`` sits on a row
of ones so one product with the ``[W | b]`` block (``flatparams.py``) gives ``Z[l]``
and one product ``dZ[l] [A[l-1]; 1]^T`` gives ``dW[l]`` and ``db[l]``; activations
and their derivatives work in place (``fused_hidden.py``); the output and its
cost are fused (``fused_outputs.py``) and scaled by ``1/m`` once.
"""

from __future__ import annotations

import numpy as np

from .flatparams import FlatParameters
from .fused_hidden import HIDDEN_KERNELS
from .fused_outputs import output_kernel
from .network import NetworkSpec
from .stats import OutputSample


def with_ones_row(n: int, m: int, dtype: np.dtype) -> np.ndarray:
    """An ``(n + 1, m)`` buffer whose last row is ones (the first n rows are left to fill)."""
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


class _Plan:
    """One batch's forward and backward pass with one parameter set, as a list of small
    functions with their operands bound, so a step runs them with no bookkeeping.

    Backward keeps, for each layer, the array ``D`` such that ``dZ[l] = r * D`` with
    ``r`` a column of row scales or 1. The scale comes from an output-like layer with
    one unit (``n[l] = 1``, every binary classifier's last layer): there
    ``dA[l-1] = W[l]^T dZ[l]`` is an outer product, and instead of writing it out
    (an ``(n[l-1], m)`` pass) the layer below takes ``D = g'(A[l-1]) * dZ[l]`` (a row
    broadcast) with ``r = W[l]^T``, applied to the small ``dW``, ``db`` and ``W`` instead.
    """

    __slots__ = ("forward", "last", "backward")

    def __init__(self, P: FlatParameters, G: FlatParameters, batch: Batch) -> None:
        ws = batch.ws
        L = len(P.blocks)
        H = [batch.X1, *ws.H[1:]]
        self.forward = [_forward_layer(P.blocks[l - 1], H[l - 1], ws.A[l], ws.kernels[l].forward) for l in range(1, L)]
        self.last = (P.blocks[L - 1], H[L - 1], ws.ZL, ws.dZL)
        backward = []
        D, r = ws.dZL, None
        for l in range(L, 0, -1):
            if l == 1:
                backward.append(_gradient_only(D, H[0].T, G.blocks[0], r))
                break
            W, dA, A, kernel = P.weights[l - 1], ws.dA[l - 1], ws.A[l - 1], ws.kernels[l - 1]
            if W.shape[0] == 1 and r is None:
                backward.append(_outer_folded(D, H[l - 1].T, G.blocks[l - 1], dA, A, kernel))
                D, r = dA, W.T
            else:
                Wr = None if r is None else np.empty_like(W)
                backward.append(_through_weights(D, H[l - 1].T, G.blocks[l - 1], r, W, Wr, dA, A, kernel))
                D, r = dA, None
        self.backward = backward


def _forward_layer(block, H, A, activation):
    def run(matmul=np.matmul):
        matmul(block, H, A)
        activation(A)
    return run


def _gradient_only(D, H_T, gblock, r):
    """Layer 1: ``[dW | db] = D [A[0]; 1]^T`` (row-scaled by ``r``)."""
    def run(matmul=np.matmul, multiply=np.multiply):
        matmul(D, H_T, gblock)
        if r is not None:
            multiply(gblock, r, gblock)
    return run


def _outer_folded(D, H_T, gblock, dA, A, kernel):
    """A one-unit layer: its gradient, then ``g'(A[l-1]) * D`` (row broadcast) for the layer below."""
    backward_row = kernel.backward_row
    def run(matmul=np.matmul):
        matmul(D, H_T, gblock)
        backward_row(D, A, dA)
    return run


def _through_weights(D, H_T, gblock, r, W, Wr, dA, A, kernel):
    """A layer's gradient, then ``dZ[l-1] = g'(A[l-1]) * (W[l]^T dZ[l])`` with ``dZ[l] = r * D``."""
    backward = kernel.backward
    if r is None:
        W_T = W.T
        def run(matmul=np.matmul):
            matmul(D, H_T, gblock)
            matmul(W_T, D, dA)
            backward(dA, A)
    else:
        Wr_T = Wr.T
        def run(matmul=np.matmul, multiply=np.multiply):
            matmul(D, H_T, gblock)
            multiply(gblock, r, gblock)
            multiply(W, r, Wr)
            matmul(Wr_T, D, dA)
            backward(dA, A)
    return run


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
        return Batch(X1, Y, output_kernel(self.spec.output, Y, self.binary), ws)

    def plan(self, P: FlatParameters, batch: Batch) -> _Plan:
        """The operands of ``batch``'s passes with parameter set ``P`` (made once, then reused)."""
        plan = batch.plans.get(P)
        if plan is None:
            plan = batch.plans[P] = _Plan(P, self.grads, batch)
        return plan

    @staticmethod
    def forward(plan: _Plan, output) -> float:
        """``Z[l]`` and ``A[l]`` for every layer, then the cost (without L2) and ``dZ[L] / m`` from ``output``."""
        for layer in plan.forward:
            layer()
        block, H, ZL, dZL = plan.last
        np.matmul(block, H, ZL)
        return output(ZL, dZL)

    def backward(self, plan: _Plan, P: FlatParameters, lambd: float = 0.0, m: int = 1, scale: float = 1.0) -> None:
        """Every ``[dW[l] | db[l]]`` into ``grads``, times the output's gradient ``scale``
        (plus ``scale (lambda/m) W[l]`` with L2).

        Needs ``forward`` with the same plan just before; hidden ``A[l]`` may be overwritten.
        """
        for layer in plan.backward:
            layer()
        if lambd:
            factor = scale * lambd / m
            for W, dW in zip(P.weights, self.grads.weights):
                dW += factor * W

    def hidden_outputs(self, batch: Batch) -> list[OutputSample]:
        """Samples of ``A[1] .. A[L-1]`` of the last forward pass, for statistics (taken before
        ``backward`` overwrites them)."""
        return [OutputSample.of(A, g) for A, g in zip(batch.ws.A[1:], self.spec.hidden_activations)]
