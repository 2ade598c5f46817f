"""How much memory loading a dataset may take, checked before the arrays are allocated.

The same rule as ``tui_nn.core.memory`` (``datasets`` imports nothing from ``core``):
three quarters of ``MemAvailable``, or ``TUI_NN_MEMORY_LIMIT`` when set.
"""

from __future__ import annotations

import os
import re

from .base import DatasetError

LIMIT_VARIABLE = "TUI_NN_MEMORY_LIMIT"
BUDGET_SHARE = 0.75
FLOAT_COPIES = 4
"""Float64 copies of the values a loader holds at its peak (converted, split, standardised, and the
temporary ``X - mean`` while fitting): ``bench/untrusted_inputs.py`` measures 2.8 to 3.6."""
_UNITS = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}


def memory_budget() -> int:
    """Bytes one dataset load may take."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*", os.environ.get(LIMIT_VARIABLE, ""), re.IGNORECASE)
    if match is not None:
        return int(float(match.group(1)) * _UNITS[match.group(2).lower()])
    try:
        with open("/proc/meminfo", "rb") as f:
            available = next(int(line.split()[1]) * 1024 for line in f if line.startswith(b"MemAvailable:"))
    except (OSError, ValueError, IndexError, StopIteration):
        try:
            available = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        except (AttributeError, ValueError, OSError):
            available = 2 << 30
    return int(available * BUDGET_SHARE)


def _size(n: float) -> str:
    for unit, size in (("TiB", 1 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= size:
            return f"{n / size:.3g} {unit}"
    return f"{int(n)} bytes"


def check_load(where: str, values: int, raw_bytes: int = 0) -> None:
    """Refuse (``DatasetError``) a load of ``values`` numbers read from ``raw_bytes`` stored bytes
    when its peak (the raw arrays twice, ``FLOAT_COPIES`` float64 copies) exceeds the budget."""
    needed = 2 * raw_bytes + FLOAT_COPIES * 8 * values
    budget = memory_budget()
    if needed > budget:
        source = LIMIT_VARIABLE if os.environ.get(LIMIT_VARIABLE) else "three quarters of the available memory"
        raise DatasetError(
            f"{where}: loading {values:,} values would need about {_size(needed)} of memory; "
            f"{_size(budget)} is available to it ({source}); refused before reading the data"
        )
