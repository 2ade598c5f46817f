"""A memory budget tied to the machine, checked before anything big is allocated.

The budget is three quarters of ``MemAvailable`` (``/proc/meminfo``; elsewhere the
free physical pages, else 2 GiB), or the size ``TUI_NN_MEMORY_LIMIT`` states
(``512M``, ``8G``, bytes). Loaders and the experiment builder estimate what they
will allocate from declared shapes and call ``check_fits`` first, so a file that
declares more than fits is refused with both figures instead of a ``MemoryError``.
"""

from __future__ import annotations

import os
import re
from typing import Sequence

from .safefile import describe_size

__all__ = [
    "LIMIT_VARIABLE", "MemoryBudgetError", "available_memory", "check_fits", "memory_budget",
    "parse_size", "training_bytes",
]

LIMIT_VARIABLE = "TUI_NN_MEMORY_LIMIT"
BUDGET_SHARE = 0.75
"""Share of the available memory one load (or one experiment) may take."""
FALLBACK_AVAILABLE = 2 << 30
_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*", re.IGNORECASE)


class MemoryBudgetError(Exception):
    """Something would need more memory than the budget; the message gives both figures."""


def parse_size(text: str) -> int | None:
    """``"512M"`` -> 536870912; None when ``text`` is not a size."""
    match = _SIZE.fullmatch(text)
    if match is None:
        return None
    return int(float(match.group(1)) * {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}[match.group(2).lower()])


def available_memory() -> int:
    """Bytes the machine can give without swapping: ``MemAvailable``, else free pages, else 2 GiB."""
    try:
        with open("/proc/meminfo", "rb") as f:
            for line in f.read(1 << 16).splitlines():
                if line.startswith(b"MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        return FALLBACK_AVAILABLE


def memory_budget() -> int:
    """Bytes one load or one experiment may take (``TUI_NN_MEMORY_LIMIT`` when set and valid)."""
    stated = parse_size(os.environ.get(LIMIT_VARIABLE, ""))
    if stated is not None:
        return stated
    return int(available_memory() * BUDGET_SHARE)


def check_fits(needed: float, what: str) -> None:
    """Raise ``MemoryBudgetError`` when ``needed`` bytes exceed the budget; ``what`` starts the message."""
    budget = memory_budget()
    if needed > budget:
        source = f"{LIMIT_VARIABLE}" if os.environ.get(LIMIT_VARIABLE) else "three quarters of the available memory"
        raise MemoryBudgetError(
            f"{what} would need about {describe_size(needed)} of memory; "
            f"{describe_size(budget)} is available to it ({source}); refused before allocating"
        )


def training_bytes(
    layer_dims: Sequence[int], m_train: int, m_eval: int, batch_size: int | None = None,
    optimizer: str = "gd", itemsize: int = 8,
) -> int:
    """Peak bytes training a network of ``layer_dims`` takes beyond its data.

    Parameters, gradients, the update and the optimiser's averages (momentum one
    copy, Adam two; batch gradient descent one, room for the log of
    ``first_layer_inplace``, which a wide first layer uses); ``Z[l]`` and ``A[l]`` of the last batch of ``batch_size``
    (default all ``m_train``) examples, kept while either ``dA[l]`` and ``dZ[l]``
    (backward) or an evaluation's ``Z[l]`` and ``A[l]`` exist; and the trainer's own
    copy of the inputs over a row of ones (shuffled in place, with the targets, for
    mini-batches). Evaluation runs over the dev set and, with
    mini-batches, over the training set.
    """
    dims = [int(n) for n in layer_dims]
    params = sum(dims[l] * dims[l - 1] + dims[l] for l in range(1, len(dims)))
    units = sum(dims[1:])
    batch = min(batch_size or m_train, m_train)
    full = batch >= m_train
    averages = {"momentum": 1, "adam": 2}.get(optimizer, 1 if full else 0)
    inputs = (dims[0] + 1) * m_train + (0 if full else dims[-1] * m_train)
    evaluated = m_eval if full else max(m_train, m_eval)
    cached = 2 * units * batch
    transient = 2 * units * max(batch, evaluated)
    return itemsize * (params * (3 + averages) + inputs + cached + transient)
