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

from typing import Sequence

import numpy as np

from .flatparams import FlatParameters
from .fused_hidden import HIDDEN_KERNELS
from .fused_outputs import output_kernel
from .network import NetworkSpec


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
    its fused output and cost, and the workspace of its size."""

    __slots__ = ("X1", "Y", "output", "ws")

    def __init__(self, X1: np.ndarray, Y: np.ndarray, output, ws: Workspace) -> None:
        self.X1, self.Y, self.output, self.ws = X1, Y, output, ws

    @property
    def X(self) -> np.ndarray:
        """The inputs ``(n_x, m)`` without the row of ones."""
        return self.X1[:-1]


class FusedNetwork:
    """Forward and backward for one network spec on ``Batch`` es, into flat parameter sets."""

    def __init__(self, spec: NetworkSpec, dtype: np.dtype, binary_targets: bool) -> None:
        self.spec = spec
        self.dtype = dtype
        self.binary = binary_targets
        self._workspaces: dict[int, Workspace] = {}
        dims = spec.layer_dims
        self._outer = [dims[l] == 1 for l in range(len(dims))]
        """``W[l]^T dZ[l]`` is an outer product when ``n[l] = 1``: a broadcast multiply is exact and faster."""

    def batch(self, X1: np.ndarray, Y: np.ndarray) -> Batch:
        """A batch over ``X1 (n_x + 1, m)`` (last row ones) and C-contiguous ``Y (n_y, m)``."""
        m = X1.shape[1]
        ws = self._workspaces.get(m)
        if ws is None:
            ws = self._workspaces[m] = Workspace(self.spec, m, self.dtype)
        return Batch(X1, Y, output_kernel(self.spec.output, Y, self.binary), ws)

    def forward(self, P: FlatParameters, batch: Batch) -> float:
        """``Z[l]`` and ``A[l]`` for every layer, then the cost (without L2) and ``dZ[L] / m``."""
        ws = batch.ws
        H = batch.X1
        blocks = P.blocks
        L = len(blocks)
        for l in range(1, L):
            A = ws.A[l]
            np.matmul(blocks[l - 1], H, out=A)
            ws.kernels[l].forward(A)
            H = ws.H[l]
        np.matmul(blocks[L - 1], H, out=ws.ZL)
        return batch.output(ws.ZL, ws.dZL)

    def backward(self, P: FlatParameters, batch: Batch, G: FlatParameters, lambd: float = 0.0) -> None:
        """Every ``[dW[l] | db[l]]`` into ``G`` (divided by m; plus ``(lambda/m) W[l]`` with L2).

        Needs ``forward`` on the same batch just before; hidden ``A[l]`` may be overwritten.
        """
        ws = batch.ws
        gblocks, weights = G.blocks, P.weights
        L = len(gblocks)
        dZ = ws.dZL
        for l in range(L, 0, -1):
            H_prev = ws.H[l - 1] if l > 1 else batch.X1
            np.matmul(dZ, H_prev.T, out=gblocks[l - 1])
            if l > 1:
                dA = ws.dA[l - 1]
                if self._outer[l]:
                    np.multiply(weights[l - 1].T, dZ, out=dA)
                else:
                    np.matmul(weights[l - 1].T, dZ, out=dA)
                ws.kernels[l - 1].backward(dA, ws.A[l - 1])
                dZ = dA
        if lambd:
            scale = lambd / ws.m
            for W, dW in zip(weights, G.weights):
                dW += scale * W

    def hidden_outputs(self, batch: Batch) -> Sequence[np.ndarray]:
        """Copies of ``A[1] .. A[L-1]`` of the last forward pass (before ``backward`` overwrites them)."""
        return [A.copy() for A in batch.ws.A[1:]]
