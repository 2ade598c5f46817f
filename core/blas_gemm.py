"""``C += D B^T`` through the BLAS ``gemm`` that NumPy itself links, with beta = 1.

NumPy's ``matmul`` always writes a fresh product (beta = 0), so an update
``W <- W + D X^T`` costs a product and then a separate pass over ``W``. Called
directly, ``gemm`` adds the product into ``W`` as it goes (``beta = 1``): the
trainer's in-place first-layer update (``first_layer_inplace.py``) rests on it.

Only NumPy's own bundled OpenBLAS is used (the wheels on PyPI ship one, with
``scipy_cblas_dgemm64_``-style names and 64-bit integers). Anything else (a
NumPy built against another BLAS, an unknown symbol) gives ``None`` and the
trainer keeps its plain NumPy path. A binding is checked once against
``np.matmul`` on a small product before it is used, and
``TUI_NN_BLAS_GEMM=0`` turns it off.
"""

from __future__ import annotations

import ctypes
import glob
import os
from typing import Callable

import numpy as np

_ROW_MAJOR, _NO_TRANS, _TRANS = 101, 111, 112
_LIBRARY_GLOBS = ("../numpy.libs/*openblas*", ".dylibs/*openblas*", "../numpy.libs/*OpenBLAS*")
_bindings: dict[str, Callable | None] = {}

GemmAccumulate = Callable[[np.ndarray, np.ndarray, np.ndarray], None]
"""``f(D, B, C)``: ``C (M, N) += D (M, K) @ B (N, K)^T``, in place."""


def _library() -> ctypes.CDLL | None:
    root = os.path.dirname(np.__file__)
    for pattern in _LIBRARY_GLOBS:
        for path in sorted(glob.glob(os.path.join(root, pattern))):
            try:
                return ctypes.CDLL(path)
            except OSError:
                continue
    return None


def _raw_gemm(lib: ctypes.CDLL, letter: str, real: type) -> Callable | None:
    """The cblas ``?gemm`` of ``lib`` with its argument types set, ILP64 names first."""
    for name, integer in ((f"scipy_cblas_{letter}gemm64_", ctypes.c_int64), (f"cblas_{letter}gemm64_", ctypes.c_int64)):
        fn = getattr(lib, name, None)
        if fn is None:
            continue
        fn.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int, integer, integer, integer, real,
                       ctypes.c_void_p, integer, ctypes.c_void_p, integer, real, ctypes.c_void_p, integer]
        fn.restype = None
        return fn
    return None


def _wrap(fn: Callable, dtype: np.dtype) -> GemmAccumulate:
    def gemm_accumulate(D: np.ndarray, B: np.ndarray, C: np.ndarray) -> None:
        """``C += D @ B.T`` for ``D (M, K)`` and ``C (M, N)`` C-contiguous and ``B (N, K)`` with
        unit stride along either axis."""
        M, K = D.shape
        N = B.shape[0]
        size = B.itemsize
        if B.strides[1] == size:  # rows of B in memory: B^T is a transposed row-major matrix
            trans, ldb = _TRANS, B.strides[0] // size
        elif B.strides[0] == size:  # columns of B in memory: B^T is row-major
            trans, ldb = _NO_TRANS, B.strides[1] // size
        else:
            trans = ldb = 0
        if not (trans and D.flags.c_contiguous and C.flags.c_contiguous and C.shape == (M, N)
                and B.shape[1] == K and D.dtype == B.dtype == C.dtype == dtype and C.flags.writeable):
            raise ValueError("gemm_accumulate: operands of the wrong shape, dtype or layout")
        fn(_ROW_MAJOR, _NO_TRANS, trans, M, N, K, 1.0, D.ctypes.data, K, B.ctypes.data, ldb, 1.0, C.ctypes.data, N)

    return gemm_accumulate


def _works(gemm: GemmAccumulate, dtype: np.dtype) -> bool:
    """Whether ``gemm`` gives ``np.matmul``'s sum on a small product (a wrong binding fails here)."""
    rng = np.random.default_rng(0)
    D = rng.standard_normal((3, 5)).astype(dtype)
    ok = True
    # B (4, 5) with its rows, then its columns, in memory, each apart by more than its length
    for B in (rng.standard_normal((4, 7)).astype(dtype)[:, :5], rng.standard_normal((7, 6)).astype(dtype)[:5, :4].T):
        C = rng.standard_normal((3, 4)).astype(dtype)
        expected = C + D @ B.T
        gemm(D, B, C)
        ok = ok and bool(np.allclose(C, expected, rtol=1e-5, atol=1e-5))
    return ok


def gemm_accumulate(dtype: np.dtype | type) -> GemmAccumulate | None:
    """``C += D B^T`` in ``dtype`` (float32 or float64) through NumPy's BLAS, or ``None`` when unavailable."""
    dtype = np.dtype(dtype)
    if dtype.name in _bindings:
        return _bindings[dtype.name]
    gemm = None
    letter = {"float64": "d", "float32": "s"}.get(dtype.name)
    if letter and os.environ.get("TUI_NN_BLAS_GEMM", "1") != "0":
        lib = _library()
        fn = _raw_gemm(lib, letter, ctypes.c_double if letter == "d" else ctypes.c_float) if lib else None
        if fn is not None:
            candidate = _wrap(fn, dtype)
            gemm = candidate if _works(candidate, dtype) else None
    _bindings[dtype.name] = gemm
    return gemm
