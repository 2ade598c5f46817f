"""Gradient descent's update of a wide first layer, written by the gradient product itself.

In a net like the course's cat classifier (12288 inputs, 209 examples) the first
layer's ``[W | b]`` block (20 x 12289) is 40 times the size of its ``dZ[1]``
(20 x 209). A plain update then costs three passes over the block (read it and
the gradient, write the other parameter set) after the products have pushed it
out of cache: about 7 % of the step. Here the backward pass's last product adds
``dZ[1] [X; 1]^T`` (which already carries ``-learning_rate / m``) straight into
the block (``blas_gemm``, beta = 1) and the rest of the parameters, which are
small, take one addition. The numbers are those of the plain update: with ``m``
up to OpenBLAS's inner block (256 and more) the same, bit for bit.

Last good parameters: the trainer's other set holds a checkpoint, and this keeps
every update made since (a copy of ``dZ[1]`` and of the rest of the gradient,
together far smaller than the block). Replaying them, with the same calls on the
same inputs, gives back any parameters since the checkpoint bit for bit. A new
checkpoint (one copy of the set) is taken every ``capacity`` updates.

Finite parameters without a pass over the block: with ``|[X; 1]| <= x_max`` and
every ``|W|`` at most ``bound`` before the update, every entry after it is at most
``bound + sum |dZ[1]| * x_max``; while that stays far below the dtype's largest
number the block is finite, and ``bound`` grows by that much per update.
"""

from __future__ import annotations

import math

import numpy as np

from .blas_gemm import GemmAccumulate, gemm_accumulate
from .flatparams import FlatParameters

MIN_BLOCK = 1 << 15
"""Smaller first-layer blocks keep the plain update (its pass over them is cheap)."""
MAX_LOG_FRACTION = 4
"""Eligible when ``dZ[1]`` is at most this fraction of the block (the log stays small)."""
MAX_CAPACITY = 16


class FirstLayerInPlace:
    """The first layer's update as ``W += D' [X; 1]^T`` with ``D' = r * D``, and the log that undoes it.

    ``X1`` is the batch's inputs over a row of ones, ``(n_x + 1, m)``; ``grads`` the
    trainer's gradient set (its blocks after the first hold the rest of the update,
    ``-learning_rate`` times the gradient).
    """

    def __init__(self, gemm: GemmAccumulate, X1: np.ndarray, grads: FlatParameters, start: FlatParameters) -> None:
        self.gemm = gemm
        self.X1 = X1
        n1, m = grads.blocks[0].shape[0], X1.shape[1]
        self.split = grads.blocks[0].size
        self.grads_rest = grads.flat[self.split:]
        # The log holds at most one first block's worth of numbers.
        self.capacity = max(1, min(MAX_CAPACITY, grads.blocks[0].size // (n1 * m + self.grads_rest.size)))
        dtype = grads.flat.dtype
        self.log_D = [np.empty((n1, m), dtype=dtype) for _ in range(self.capacity)]
        self.log_rest = [np.empty_like(self.grads_rest) for _ in range(self.capacity)]
        self.count = 0
        """Updates since the checkpoint; the current parameters are the checkpoint with all of them applied."""
        self._abs = np.empty((n1, m), dtype=dtype)
        self.x_max = float(np.abs(X1).max())
        self.limit = float(np.finfo(dtype).max) / 4
        self.bound = float(np.abs(start.blocks[0]).max())
        """At least the largest ``|W[1]|`` (and ``|b[1]|``) of every parameter set since the start."""

    @staticmethod
    def suits(layer_dims, m: int) -> bool:
        """Whether a network with these layer sizes, trained on ``m`` examples at once, has a first
        layer wide enough for the in-place update: a block of at least ``MIN_BLOCK`` numbers, and
        ``dZ[1]`` at most a ``MAX_LOG_FRACTION``-th of it."""
        n1, size = int(layer_dims[1]), int(layer_dims[1]) * (int(layer_dims[0]) + 1)
        return size >= MIN_BLOCK and n1 * m * MAX_LOG_FRACTION <= size

    @classmethod
    def for_trainer(cls, X1: np.ndarray, grads: FlatParameters, start: FlatParameters) -> FirstLayerInPlace | None:
        """The in-place update for a full batch ``X1 (n_x + 1, m)`` (stored either way round), or
        ``None`` where the plain update is as good or BLAS cannot be called directly."""
        if not FirstLayerInPlace.suits(grads.layer_dims, X1.shape[1]):
            return None
        if not (X1.flags.c_contiguous or X1.flags.f_contiguous) or not np.isfinite(X1).all():
            return None
        gemm = gemm_accumulate(X1.dtype)
        return None if gemm is None else cls(gemm, X1, grads, start)

    def update(self, first: tuple[np.ndarray, np.ndarray | None], P: FlatParameters, out: FlatParameters,
               checkpoint: FlatParameters) -> bool:
        """Write ``P`` plus the update into ``out`` and say whether ``out`` is all finite.

        ``out is P`` updates in place (``checkpoint`` is the other set, refreshed when the log
        is empty or full); otherwise ``out`` is the other set and ``P`` becomes the checkpoint.
        The big product comes last: after it has streamed ``X`` through the cache, any small
        NumPy call would start cold.
        """
        D, r = first
        if out is not P:
            self.count = 0
        elif self.count == 0 or self.count >= self.capacity:
            np.copyto(checkpoint.flat, P.flat)
            self.count = 0
        k = self.count
        logged, rest = self.log_D[k], self.log_rest[k]
        if r is None:
            np.copyto(logged, D)
        else:
            np.multiply(D, r, logged)
        np.copyto(rest, self.grads_rest)
        self.count = k + 1
        if out is not P:
            np.copyto(out.blocks[0], P.blocks[0])
        finite = self._bound_holds(logged)
        if math.isfinite(self._apply(logged, rest, P, out)) and finite:
            return True
        if not np.isfinite(out.flat).all():
            return False
        self.bound = float(np.abs(out.blocks[0]).max())
        return True

    def _bound_holds(self, logged: np.ndarray) -> bool:
        """Grow ``bound`` by this update's largest possible change; True while it stays far from overflow."""
        np.abs(logged, self._abs)
        self.bound += float(np.add.reduce(self._abs, None)) * self.x_max
        return self.bound < self.limit

    def _apply(self, logged: np.ndarray, rest: np.ndarray, P: FlatParameters, out: FlatParameters) -> float:
        """One logged update of ``P`` into ``out``; returns the sum of the new rest (non-finite if any is)."""
        s = self.split
        np.add(P.flat[s:], rest, out.flat[s:])
        total = np.add.reduce(out.flat[s:], None)
        self.gemm(logged, self.X1, out.blocks[0])  # last: see ``update``
        return total

    def previous_into(self, target: FlatParameters, checkpoint: FlatParameters) -> None:
        """Write the parameters before the last update into ``target`` (the checkpoint, replayed)."""
        np.copyto(target.flat, checkpoint.flat)
        for k in range(self.count - 1):
            self._apply(self.log_D[k], self.log_rest[k], target, target)

    def gradient_into(self, grads: FlatParameters) -> None:
        """Fill the first block of ``grads`` with the last update's product ``D' [X; 1]^T`` (an in-place
        step skips it; reports and statistics need it)."""
        np.matmul(self.log_D[self.count - 1], self.X1.T, grads.blocks[0])

    def undo(self, cur: FlatParameters, checkpoint: FlatParameters) -> bool:
        """Take back the last update (there must be one). True: the checkpoint is the previous set (the
        caller switches sets); False: ``cur`` now holds it, replayed."""
        if self.count <= 1:
            self.count = 0
            return True
        self.previous_into(cur, checkpoint)
        self.count -= 1
        return False
