"""``C += D B^T`` through NumPy's own BLAS: the product the in-place first-layer update rests on."""

from __future__ import annotations

import numpy as np
import pytest

from tui_nn.core import blas_gemm


@pytest.mark.parametrize("dtype, rtol", [(np.float64, 1e-13), (np.float32, 1e-5)])
@pytest.mark.parametrize("example_major", [False, True], ids=["feature-rows", "example-rows"])
def test_the_product_is_added_into_C(dtype, rtol, example_major):
    gemm = blas_gemm.gemm_accumulate(dtype)
    if gemm is None:
        pytest.skip("NumPy's own BLAS cannot be called directly here")
    rng = np.random.default_rng(3)
    D = rng.standard_normal((20, 209)).astype(dtype)
    if example_major:  # B (3001, 209) stored as 300 rows of 3001: how the trainer keeps a wide layer's inputs
        B = rng.standard_normal((300, 3001)).astype(dtype)[:209].T
    else:  # rows longer than K, as a batch of columns of a bigger set
        B = rng.standard_normal((3001, 300)).astype(dtype)[:, :209]
    C = rng.standard_normal((20, 3001)).astype(dtype)
    expected = C + D @ B.T
    gemm(D, B, C)
    np.testing.assert_allclose(C, expected, rtol=rtol, atol=rtol)


def test_operands_it_cannot_take_are_refused_not_misread():
    gemm = blas_gemm.gemm_accumulate(np.float64)
    if gemm is None:
        pytest.skip("NumPy's own BLAS cannot be called directly here")
    D, B, C = np.ones((2, 3)), np.ones((4, 3)), np.zeros((2, 4))
    with pytest.raises(ValueError):
        gemm(D, B, C.T.copy().T)  # C not C-contiguous
    with pytest.raises(ValueError):
        gemm(D, np.ones((4, 6))[:, ::2], C)  # B's columns not adjacent
    with pytest.raises(ValueError):
        gemm(D.astype(np.float32), B, C)
    with pytest.raises(ValueError):  # float32 arrays given to the float64 product
        gemm(D.astype(np.float32), B.astype(np.float32), C.astype(np.float32))
    assert not C.any()


def test_it_can_be_turned_off(monkeypatch):
    monkeypatch.setattr(blas_gemm, "_bindings", {})
    monkeypatch.setenv("TUI_NN_BLAS_GEMM", "0")
    assert blas_gemm.gemm_accumulate(np.float64) is None
    assert blas_gemm.gemm_accumulate(np.int64) is None
