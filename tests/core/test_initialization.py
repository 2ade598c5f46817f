"""Initialisation: exact RandomState draws, layer order, schemes, dtype, course numbers."""

from __future__ import annotations

import numpy as np
import pytest

from tui_nn.core import INIT_SCHEMES, initialize_parameters

DIMS = [7, 5, 3, 2]


def scale_of(scheme: str, n_prev: int) -> float:
    return {"random": 0.01, "xavier": np.sqrt(1.0 / n_prev), "he": np.sqrt(2.0 / n_prev)}[scheme]


@pytest.mark.parametrize("seed", [0, 1, 3, 1234])
@pytest.mark.parametrize("scheme", ["random", "xavier", "he"])
def test_first_layer_is_exactly_randomstate_randn_times_scale(scheme, seed):
    p = initialize_parameters(DIMS, scheme, seed=seed)
    expected = np.random.RandomState(seed).randn(DIMS[1], DIMS[0]) * scale_of(scheme, DIMS[0])
    assert np.array_equal(p["W1"], expected)


@pytest.mark.parametrize("scheme", ["random", "xavier", "he"])
def test_layers_drawn_in_order_from_one_stream(scheme):
    p = initialize_parameters(DIMS, scheme, seed=5)
    rng = np.random.RandomState(5)
    for l in range(1, len(DIMS)):
        expected = rng.randn(DIMS[l], DIMS[l - 1]) * scale_of(scheme, DIMS[l - 1])
        assert np.array_equal(p[f"W{l}"], expected), f"W{l}"
        assert np.array_equal(p[f"b{l}"], np.zeros((DIMS[l], 1)))
    assert list(p) == ["W1", "b1", "W2", "b2", "W3", "b3"]


def test_explicit_rng_is_used_and_advanced():
    rng = np.random.RandomState(9)
    a = initialize_parameters(DIMS, "he", rng=rng)
    b = initialize_parameters(DIMS, "he", rng=rng)
    assert not np.array_equal(a["W1"], b["W1"])
    assert np.array_equal(a["W1"], initialize_parameters(DIMS, "he", seed=9)["W1"])


def test_random_scale_argument():
    p = initialize_parameters([4, 3], "random", seed=2, scale=0.5)
    assert np.array_equal(p["W1"], np.random.RandomState(2).randn(3, 4) * 0.5)


def test_zeros_scheme_is_all_zero_and_draws_nothing():
    p = initialize_parameters(DIMS, "zeros", seed=1)
    assert all(not v.any() for v in p.values())
    assert {k: v.shape for k, v in p.items()} == {
        "W1": (5, 7), "b1": (5, 1), "W2": (3, 5), "b2": (3, 1), "W3": (2, 3), "b3": (2, 1)
    }


@pytest.mark.parametrize("scheme", INIT_SCHEMES)
def test_float32_dtype_kept(scheme):
    p = initialize_parameters(DIMS, scheme, seed=4, dtype=np.float32)
    assert all(v.dtype == np.float32 for v in p.values())
    if scheme != "zeros":
        expected = (np.random.RandomState(4).randn(5, 7) * scale_of(scheme, 7)).astype(np.float32)
        assert np.array_equal(p["W1"], expected)


def test_unknown_scheme():
    with pytest.raises(ValueError, match="unknown initialisation 'glorot'; expected one of random, he, xavier, zeros"):
        initialize_parameters(DIMS, "glorot")


# The course's published outputs (Deep Learning Specialization).


def test_course_initialize_parameters_deep_5_4_3_seed_3():
    p = initialize_parameters([5, 4, 3], "random", seed=3)
    np.testing.assert_allclose(p["W1"][0], [0.01788628, 0.0043651, 0.00096497, -0.01863493, -0.00277388], atol=5e-9)
    assert p["W1"][0, 0] == pytest.approx(0.01788628, abs=5e-9)
    np.testing.assert_allclose(
        p["W2"],
        [[-0.01185047, -0.0020565, 0.01486148, 0.00236716],
         [-0.01023785, -0.00712993, 0.00625245, -0.00160513],
         [-0.00768836, -0.00230031, 0.00745056, 0.01976111]],
        atol=5e-9,
    )
    assert p["b1"].shape == (4, 1) and p["b2"].shape == (3, 1)


def test_course_two_layer_initialize_parameters_3_2_1_seed_1():
    p = initialize_parameters([3, 2, 1], "random", seed=1)
    np.testing.assert_allclose(p["W1"], [[0.01624345, -0.00611756, -0.00528172], [-0.01072969, 0.00865408, -0.02301539]], atol=5e-9)
    np.testing.assert_allclose(p["W2"], [[0.01744812, -0.00761207]], atol=5e-9)


def test_course_he_initialization_2_4_1_seed_3():
    # Course 2, week 1 (Initialization): initialize_parameters_he([2, 4, 1]) with seed 3.
    p = initialize_parameters([2, 4, 1], "he", seed=3)
    np.testing.assert_allclose(
        p["W1"], [[1.78862847, 0.43650985], [0.09649747, -1.8634927], [-0.2773882, -0.35475898], [-0.08274148, -0.62700068]],
        atol=5e-8,
    )
    np.testing.assert_allclose(p["W2"], [[-0.03098412, -0.33744411, -0.92904268, 0.62552248]], atol=5e-9)
