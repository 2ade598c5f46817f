"""Divergence: a learning rate of 50 is caught, located and explained; 0.5 is not a false alarm."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from tui_nn.core import (
    Divergence,
    NetworkSpec,
    TrainConfig,
    Trainer,
    compute_cost,
    initialize_parameters,
    model_forward,
)

SPEC = NetworkSpec((2, 4, 1), ("tanh",))


def cost_at(params, X, Y, spec=SPEC):
    _, caches = model_forward(X, params, spec.activations)
    return compute_cost(caches[-1].Z, Y, spec.output)


def run_recording(trainer):
    """All results, and the parameters after every step (``after[i]`` = after step i)."""
    results, after = [], []
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the trainer reports overflow itself, NumPy must not warn
        for r in trainer.run():
            results.append(r)
            after.append(trainer.parameters_copy())
    return results, after


@pytest.mark.parametrize("init, seed", [("xavier", 1), ("random", 1), ("he", 2), ("xavier", 7)])
def test_learning_rate_50_diverges_says_where_and_keeps_good_parameters(xor, init, seed):
    X, Y = xor
    p0 = initialize_parameters(SPEC.layer_dims, init, seed=seed)
    trainer = Trainer(SPEC, p0, X, Y, TrainConfig(learning_rate=50.0, num_iterations=1000))
    results, after = run_recording(trainer)
    last = results[-1]
    assert last.status == "diverged" and last.done and trainer.status == "diverged"
    assert all(r.status == "running" for r in results[:-1])
    d = last.divergence
    assert isinstance(d, Divergence)
    assert d.iteration == last.iteration == len(results) - 1
    assert d.layer in (1, 2)
    assert d.array in (f"W{d.layer}", f"b{d.layer}", f"dW{d.layer}", f"db{d.layer}")
    text = d.describe()
    assert f"iteration {d.iteration}" in text and f"layer {d.layer}" in text and d.array in text
    assert "smaller learning rate" in text
    assert last.cost > 10 * results[0].cost or not math.isfinite(last.cost)
    # The kept parameters are finite and are those of a good step: the ones step d-1 was taken at.
    kept = trainer.parameters
    assert all(np.isfinite(v).all() for v in kept.values())
    good = after[d.iteration - 2] if d.iteration >= 2 else p0
    assert all(np.array_equal(kept[k], good[k]) for k in p0)
    # The trainer's fused step and the course's blocks agree to rounding (the bias is inside the product).
    assert cost_at(kept, X, Y) == pytest.approx(results[d.iteration - 1].cost, rel=1e-12)
    assert trainer.iteration == d.iteration  # the diverged step does not count


def test_learning_rate_half_trains_1000_steps_without_false_alarm(xor):
    X, Y = xor
    p0 = initialize_parameters(SPEC.layer_dims, "xavier", seed=1)
    trainer = Trainer(SPEC, p0, X, Y, TrainConfig(learning_rate=0.5, num_iterations=1000))
    results, _ = run_recording(trainer)
    assert len(results) == 1000
    assert [r.status for r in results].count("running") == 999
    assert results[-1].status == "finished" and results[-1].divergence is None
    assert results[-1].cost < results[0].cost


def test_nan_in_X_is_named(xor):
    X, Y = xor
    X = X.copy()
    X[1, 17] = np.nan
    p0 = initialize_parameters(SPEC.layer_dims, "xavier", seed=1)
    trainer = Trainer(SPEC, p0, X, Y, TrainConfig(learning_rate=0.5, num_iterations=10))
    results, _ = run_recording(trainer)
    assert len(results) == 1
    d = results[0].divergence
    assert results[0].status == "diverged"
    assert (d.iteration, d.layer, d.array) == (0, None, "X")
    assert "X" in d.describe() and "NaN" in d.reason
    assert all(np.array_equal(trainer.parameters[k], p0[k]) for k in p0)


def test_forced_inf_weight_mid_run_is_named_and_previous_parameters_kept(xor):
    X, Y = xor
    p0 = initialize_parameters(SPEC.layer_dims, "xavier", seed=1)
    trainer = Trainer(SPEC, p0, X, Y, TrainConfig(learning_rate=0.5, num_iterations=10))
    trainer.step()
    before_that = trainer.parameters_copy()  # the parameters step 1 is taken at
    trainer.step()
    snapshot = trainer.parameters_copy()
    W2 = trainer.parameters["W2"]
    assert not W2.flags.writeable  # the trainer hands out read-only views...
    W2.flags.writeable = True  # ...so corrupting the current parameters takes a deliberate act
    W2[0, 3] = np.inf
    r = trainer.step()
    assert r.status == "diverged"
    d = r.divergence
    assert (d.iteration, d.layer, d.array) == (2, 2, "W2")
    assert "not finite" in d.reason
    assert all(np.isfinite(v).all() for v in trainer.parameters.values())
    assert all(np.array_equal(trainer.parameters[k], before_that[k]) for k in p0)
    assert not np.array_equal(trainer.parameters["W1"], snapshot["W1"])


def test_inf_weight_at_start_is_named(xor):
    X, Y = xor
    p0 = initialize_parameters(SPEC.layer_dims, "xavier", seed=1)
    p0["W1"][2, 0] = -np.inf
    r = Trainer(SPEC, p0, X, Y, TrainConfig(learning_rate=0.5, num_iterations=10)).step()
    assert r.status == "diverged"
    assert (r.divergence.layer, r.divergence.array) == (1, "W1")


def test_overflowing_gradient_is_named_and_parameters_kept():
    # A linear hidden unit feeding two sigmoid outputs through weights of 1e308: the
    # cost (2e8) is finite, but dA[1] = W[2]^T dZ[2] is about 2e306 per example, and
    # dW[1] = (1/m) dZ[1] X^T sums 100 of them with X = 1: 2e308 overflows (and so
    # does the step lr dW[1], with a learning rate of 1).
    spec = NetworkSpec((1, 1, 2), ("linear",))
    X = np.ones((1, 100))
    Y = np.zeros((2, 100))
    p0 = {"W1": np.array([[1e-300]]), "b1": np.zeros((1, 1)), "W2": np.full((2, 1), 1e308), "b2": np.zeros((2, 1))}
    trainer = Trainer(spec, p0, X, Y, TrainConfig(learning_rate=1.0, num_iterations=5))
    results, _ = run_recording(trainer)
    d = results[-1].divergence
    assert results[-1].cost == pytest.approx(2e8)
    assert (d.iteration, d.layer, d.array) == (0, 1, "dW1")
    assert "gradient is not finite" in d.reason
    assert all(np.array_equal(trainer.parameters[k], p0[k]) for k in p0)


def test_divergence_factor_is_configurable(xor):
    X, Y = xor
    p0 = initialize_parameters(SPEC.layer_dims, "xavier", seed=1)
    strict = Trainer(SPEC, p0, X, Y, TrainConfig(learning_rate=50.0, num_iterations=1000))
    lax = Trainer(SPEC, p0, X, Y, TrainConfig(learning_rate=50.0, num_iterations=1000, divergence_factor=1e6))
    strict_results = list(strict.run())
    assert strict_results[-1].status == "diverged"
    assert "more than 10x the first cost" in strict_results[-1].divergence.reason
    # With a factor of 1e6 the cost blow-up is tolerated: tanh saturates, the cost stays finite.
    lax_results = list(lax.run())
    assert len(lax_results) == 1000 and lax_results[-1].status == "finished"


def test_a_run_from_trained_weights_is_not_stopped_by_an_ordinary_bump():
    """From trained weights the first cost is small; a learning-rate bump that lifts the
    cost well above 10x that, yet stays under 10x an untrained model's cost, is no divergence."""
    from tui_nn.datasets import load_builtin

    ds = load_builtin("flower")
    X, Y = ds.X_train, ds.targets(ds.Y_train)
    spec = NetworkSpec.build(2, [20], 1, "tanh")
    trained = Trainer(spec, initialize_parameters(spec.layer_dims, "xavier", seed=1), X, Y,
                      TrainConfig(learning_rate=0.5, num_iterations=20000))
    *_, last = trained.run()
    assert last.status == "finished" and last.cost < 0.2
    bumped = Trainer(spec, trained.parameters, X, Y, TrainConfig(learning_rate=8.0, num_iterations=300))
    results = list(bumped.run())
    costs = [r.cost for r in results]
    assert max(costs) > 10 * costs[0]  # the bump the first-cost rule alone would have called divergence
    assert results[-1].status == "finished" and len(results) == 300
    assert max(costs) < 10 * np.log(2)
