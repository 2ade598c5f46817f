"""Arrays as a few lines of text: a matrix's top-left corner with its summary, and shape strings.

Every number takes at most 10 characters: fixed (``+0.01234``) when the numbers
shown together all lie between 0.001 and 1000 in size, scientific (``+1.234e-05``)
otherwise, so a corner of 5 columns fits an 80-column screen and its columns line up.
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np

ROWS, COLS = 4, 5
"""The corner shown of a larger matrix."""
WIDTH = 10
INDENT = "    "


def fits_fixed(values: np.ndarray) -> bool:
    """True when every finite nonzero value is between 0.001 and 1000 in size."""
    a = np.abs(np.asarray(values, dtype=np.float64).reshape(-1))
    a = a[np.isfinite(a) & (a != 0)]
    return bool(a.size == 0 or (a.min() >= 1e-3 and a.max() < 1e3))


def number(x: float, fixed: bool | None = None) -> str:
    """``x`` in at most 10 characters with its sign: ``+0.01234``, ``-1.234e-05``, ``+inf``, ``nan``.

    ``fixed`` forces the style (for numbers shown together); None picks it for ``x`` alone.
    """
    x = float(x)
    if not math.isfinite(x):
        return "nan" if math.isnan(x) else ("+inf" if x > 0 else "-inf")
    if fixed is None:
        fixed = x == 0 or 1e-3 <= abs(x) < 1e3
    return f"{x:+.5f}" if fixed else f"{x:+.3e}"


def shape(a: np.ndarray | Sequence[int]) -> str:
    """``(4,400)`` for an array or a shape."""
    dims = a.shape if isinstance(a, np.ndarray) else tuple(a)
    return "(" + ",".join(str(d) for d in dims) + ")"


def transposed(a: np.ndarray) -> tuple[int, ...]:
    """The shape of ``a.T``."""
    return tuple(reversed(a.shape))


def product(left: Sequence[int], right: Sequence[int], out: Sequence[int], plus: Sequence[int] | None = None) -> str:
    """``(4,2)·(2,400) + (4,1) → (4,400)``: a matrix product's shapes, with an added term if any."""
    text = f"{shape(left)}·{shape(right)}"
    if plus is not None:
        text += f" + {shape(plus)}"
    return f"{text} → {shape(out)}"


def summary(a: np.ndarray) -> str:
    """``min -0.01234  max +0.02345  mean +0.00012`` (NaN where the array holds NaN)."""
    with np.errstate(all="ignore"):
        values = (np.min(a), np.max(a), np.mean(a)) if a.size else (math.nan,) * 3
    return "  ".join(f"{label} {number(v)}" for label, v in zip(("min", "max", "mean"), values))


def block(name: str, a: np.ndarray, rows: int = ROWS, cols: int = COLS) -> list[str]:
    """``name (r,c)  min .. max .. mean ..`` then the first ``rows`` x ``cols`` entries.

    A ``…`` ends each row when columns are left out; a ``⋮`` row follows when rows are.
    ``a`` is ``(r, c)``; a number (0-d) is shown as one entry.
    """
    a = np.atleast_2d(np.asarray(a))
    lines = [f"  {name} {shape(a)}  {summary(a)}"]
    r, c = a.shape
    corner = a[:rows, :cols]
    fixed = fits_fixed(corner)
    for i in range(min(r, rows)):
        cells = " ".join(number(v, fixed).rjust(WIDTH) for v in corner[i])
        lines.append(INDENT + cells + ("   …" if c > cols else ""))
    if r > rows:
        lines.append(INDENT + "⋮".rjust(WIDTH))
    return lines


def vector(a: np.ndarray, count: int = COLS) -> str:
    """A short vector inline: ``[+0.12000, -1.50000]`` or ``[+0.12000, …] (12288 values)``."""
    flat = np.asarray(a).reshape(-1)
    fixed = fits_fixed(flat[:count])
    cells = ", ".join(number(v, fixed) for v in flat[:count])
    return f"[{cells}]" if flat.size <= count else f"[{cells}, …] ({flat.size} values)"
