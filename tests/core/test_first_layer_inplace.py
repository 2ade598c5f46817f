"""Gradient descent on a wide first layer updates it in place, inside the gradient product.

Nets like the course's cat classifier (thousands of inputs, a few hundred examples)
take this path. Everything the trainer promises must hold on it exactly as on the
plain path: the same parameters bit for bit (with at most 256 examples, where BLAS
adds the product in one pass), the course's costs, and the last good parameters
kept, bit for bit, after a blow-up or a non-finite update. It must also give the
same statistics and a consistent copy for another thread.
"""

from __future__ import annotations

import math
import threading

import numpy as np
import pytest

from tui_nn.core import NetworkSpec, TrainConfig, Trainer, initialize_parameters
from tui_nn.core.blas_gemm import gemm_accumulate
from tui_nn.core.first_layer_inplace import FirstLayerInPlace

pytestmark = pytest.mark.skipif(gemm_accumulate(np.float64) is None,
                                reason="NumPy's own BLAS cannot be called directly here, so the plain update runs")

N_X, M = 5000, 64


def wide_problem(hidden=(8, 4), dtype=np.float64, m=M, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.randn(N_X, m).astype(dtype)
    Y = (rng.rand(1, m) > 0.5).astype(dtype)
    dims = (N_X, *hidden, 1)
    spec = NetworkSpec(dims, ("relu",) * len(hidden), "sigmoid")
    return spec, initialize_parameters(dims, "xavier", seed=1, dtype=dtype), X, Y


def trainers(monkeypatch, spec, p0, X, Y, cfg):
    """The trainer as it runs, and one made to take the plain update."""
    fast = Trainer(spec, p0, X, Y, cfg)
    assert fast._inplace is not None, "this problem should take the in-place path"
    with monkeypatch.context() as patch:
        patch.setattr(FirstLayerInPlace, "for_trainer", classmethod(lambda cls, *args: None))
        plain = Trainer(spec, p0, X, Y, cfg)
    assert plain._inplace is None
    return fast, plain


def same_parameters(a: Trainer, b: Trainer) -> bool:
    pa, pb = a.parameters_copy(), b.parameters_copy()
    return all(np.array_equal(pa[k], pb[k]) for k in pa)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_the_in_place_update_gives_the_plain_update_bit_for_bit(monkeypatch, dtype):
    spec, p0, X, Y = wide_problem(dtype=dtype)
    # Statistics every 7 steps make those steps write into the other set, so the two ways mix.
    cfg = TrainConfig(learning_rate=0.05, num_iterations=60, stats_every=7)
    fast, plain = trainers(monkeypatch, spec, p0, X, Y, cfg)
    fast_costs = [r.cost for r in fast.run()]
    plain_costs = [r.cost for r in plain.run()]
    assert fast_costs == plain_costs
    assert fast_costs[-1] < 0.5 * fast_costs[0]
    assert same_parameters(fast, plain)


@pytest.mark.parametrize("hidden", [(8, 4), (8,)], ids=["deep", "one-unit-second-layer"])
@pytest.mark.parametrize("dtype, rtol", [(np.float64, 1e-12), (np.float32, 1e-5)])
def test_costs_stay_the_course_building_blocks(course_trajectory, hidden, dtype, rtol):
    """The trainer keeps these inputs example by example (float32 computes ``Z[1]^T``), and with
    one unit in layer 2 the product carries that layer's weights (``r``) first: still the course's
    numbers, computed on the course's layout, to 1e-12 in float64."""
    spec, p0, X, Y = wide_problem(hidden, dtype=dtype)
    cfg = TrainConfig(learning_rate=0.05, num_iterations=25)
    trainer = Trainer(spec, p0, X, Y, cfg)
    assert trainer._inplace is not None
    costs = np.array([r.cost for r in trainer.run()])
    expected, p_course = course_trajectory(spec, p0, X, Y, cfg, steps=25)
    assert costs[-1] < 0.5 * costs[0]
    np.testing.assert_allclose(costs, expected, rtol=rtol, atol=0)
    final = trainer.parameters
    for k, v in p_course.items():
        np.testing.assert_allclose(final[k], v, rtol=rtol * 1000, atol=rtol * 1e-3)


def test_a_blow_up_after_many_in_place_steps_keeps_the_last_good_parameters(monkeypatch):
    """40 steps cross two checkpoints (one every 16 updates); the blow-up then makes the
    trainer replay its log to get the parameters before the last update back."""
    spec, p0, X, Y = wide_problem()
    cfg = TrainConfig(learning_rate=0.05, num_iterations=100)
    fast, plain = trainers(monkeypatch, spec, p0, X, Y, cfg)
    for t in (fast, plain):
        for _ in range(40):
            t.step()
        t.learning_rate = 50.0
        results = list(t.run())
        assert results[-1].status == "diverged"
    assert fast.iteration == plain.iteration
    assert results[-1].divergence is not None
    assert same_parameters(fast, plain)
    assert all(np.isfinite(v).all() for v in fast.parameters_copy().values())


def test_a_non_finite_update_is_found_and_undone(monkeypatch):
    spec, p0, X, Y = wide_problem()
    cfg = TrainConfig(learning_rate=0.05, num_iterations=100)
    fast, plain = trainers(monkeypatch, spec, p0, X, Y, cfg)
    ends = []
    for t in (fast, plain):
        for _ in range(20):
            t.step()
        t.learning_rate = math.inf  # -lr dW is not finite
        ends.append(t.step())
    assert [e.status for e in ends] == ["diverged", "diverged"]
    assert ends[0].divergence == ends[1].divergence
    assert ends[0].divergence.layer == 1
    assert same_parameters(fast, plain)


def test_statistics_at_convergence_compare_with_the_parameters_before_the_step(monkeypatch):
    """Convergence is only known after the update, so that step ran in place without the
    statistics foreseen; they still see the parameters before it and the whole gradient."""
    spec, p0, X, Y = wide_problem()
    cfg = TrainConfig(learning_rate=0.05, num_iterations=500, stats_every=1000, cost_tolerance=1e-3)
    fast, plain = trainers(monkeypatch, spec, p0, X, Y, cfg)
    last_fast, last_plain = list(fast.run())[-1], list(plain.run())[-1]
    assert last_fast.status == last_plain.status == "converged"
    assert 1 < last_fast.iteration < 500
    assert last_fast.layer_stats is not None
    assert last_fast.layer_stats == last_plain.layer_stats
    assert last_fast.layer_stats[0].update_ratio > 0


def test_another_thread_copies_whole_parameter_sets_while_steps_update_in_place():
    spec, p0, X, Y = wide_problem()
    trainer = Trainer(spec, p0, X, Y, TrainConfig(learning_rate=0.05, num_iterations=40))
    seen: list[np.ndarray] = []
    done = threading.Event()

    def copy_often() -> None:
        while not done.is_set():
            seen.append(trainer.parameters_copy()["W1"])

    reader = threading.Thread(target=copy_often)
    reader.start()
    history = [trainer.parameters_copy()["W1"]]
    for _ in trainer.run():
        history.append(trainer.parameters_copy()["W1"])
    done.set()
    reader.join()
    assert len(seen) > 1
    # Every copy is one of the sets the steps produced, never half of one and half of another.
    for W1 in seen:
        assert any(np.array_equal(W1, h) for h in history)
