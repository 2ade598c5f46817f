"""All ``W[l]`` and ``b[l]`` of a network in one contiguous buffer.

Layer l is a block ``[W[l] | b[l]]`` of shape ``(n[l], n[l-1] + 1)``, layers in
order, so ``Z[l] = W[l] A[l-1] + b[l]`` is one product of the block with
``A[l-1]`` stacked on a row of ones, and ``dZ[l] [A[l-1]; 1]^T`` gives ``dW[l]``
and ``db[l]`` together. The whole set is one flat array, so checking it for
NaN, copying it or updating it is one NumPy call each.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Mapping, Sequence

import numpy as np


def block_views(flat: np.ndarray, layer_dims: Sequence[int], prefix: str = "") -> tuple[list[np.ndarray], dict[str, np.ndarray]]:
    """Layer blocks ``(n[l], n[l-1] + 1)`` of ``flat`` and the ``W``/``b`` views into them, in layer order."""
    dims = [int(n) for n in layer_dims]
    blocks: list[np.ndarray] = []
    views: dict[str, np.ndarray] = {}
    offset = 0
    for l in range(1, len(dims)):
        size = dims[l] * (dims[l - 1] + 1)
        block = flat[offset : offset + size].reshape(dims[l], dims[l - 1] + 1)
        blocks.append(block)
        views[f"{prefix}W{l}"] = block[:, :-1]
        views[f"{prefix}b{l}"] = block[:, -1:]
        offset += size
    return blocks, views


def flat_size(layer_dims: Sequence[int]) -> int:
    """Number of entries in all ``[W | b]`` blocks together."""
    return sum(int(layer_dims[l]) * (int(layer_dims[l - 1]) + 1) for l in range(1, len(layer_dims)))


class FlatParameters:
    """One contiguous buffer holding every layer's ``[W | b]`` block.

    ``flat`` is the buffer; ``blocks[l - 1]`` is layer l's ``(n[l], n[l-1] + 1)``
    block; ``views`` maps ``W1, b1, ...`` (or ``dW1, db1, ...`` with ``prefix="d"``)
    to ``(n[l], n[l-1])`` and ``(n[l], 1)`` views into it, in layer order;
    ``weights[l - 1]`` is the ``W[l]`` view.
    """

    __slots__ = ("layer_dims", "flat", "blocks", "weights", "views", "readonly")

    def __init__(self, layer_dims: Sequence[int], dtype: np.dtype | type, prefix: str = "") -> None:
        self.layer_dims = tuple(int(n) for n in layer_dims)
        self.flat = np.zeros(flat_size(self.layer_dims), dtype=dtype)
        self.blocks, self.views = block_views(self.flat, self.layer_dims, prefix)
        self.weights: list[np.ndarray] = [b[:, :-1] for b in self.blocks]
        readonly = {}
        for key, view in self.views.items():
            ro = view.view()
            ro.flags.writeable = False
            readonly[key] = ro
        self.readonly: Mapping[str, np.ndarray] = MappingProxyType(readonly)
        """The same views, read-only, in a read-only mapping: what the trainer hands out."""

    def load(self, parameters: Mapping[str, np.ndarray]) -> None:
        """Copy ``parameters`` (keys ``W1, b1, ...`` with the spec's shapes) into the buffer."""
        for key, view in self.views.items():
            view[...] = parameters[key]

    def copy_out(self) -> dict[str, np.ndarray]:
        """Independent copies of every array: one copy of the buffer, and views into that copy."""
        _, views = block_views(self.flat.copy(), self.layer_dims)
        return views
