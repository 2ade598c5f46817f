"""Trainer: lazy run(), stop conditions, evaluation, per-layer statistics, frozen results."""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import pytest

from tui_nn.core import (
    NetworkSpec,
    StepResult,
    TrainConfig,
    Trainer,
    accuracy,
    compute_cost,
    initialize_parameters,
    model_forward,
)

SPEC = NetworkSpec((2, 4, 1), ("tanh",))


def make(X, Y, spec=SPEC, init="xavier", params=None, **cfg):
    p = initialize_parameters(spec.layer_dims, init, seed=1) if params is None else params
    cfg.setdefault("learning_rate", 0.5)
    cfg.setdefault("num_iterations", 100)
    return Trainer(spec, p, X, Y, TrainConfig(**cfg))


def test_run_is_lazy_and_stopping_consumption_stops_training(xor):
    X, Y = xor
    trainer = make(X, Y, num_iterations=1000)
    gen = trainer.run()
    assert trainer.iteration == 0  # creating the generator does no work
    taken = list(itertools.islice(gen, 7))
    assert [r.iteration for r in taken] == list(range(7))
    assert trainer.iteration == 7
    snapshot = trainer.parameters_copy()
    assert trainer.iteration == 7
    assert all(np.array_equal(snapshot[k], trainer.parameters[k]) for k in snapshot)
    next(gen)
    assert trainer.iteration == 8
    gen.close()
    assert trainer.iteration == 8


def test_budget_ends_with_finished(xor):
    X, Y = xor
    trainer = make(X, Y, num_iterations=25)
    results = list(trainer.run())
    assert len(results) == 25
    assert [r.status for r in results[:-1]] == ["running"] * 24
    assert results[-1].status == "finished" and results[-1].done
    assert trainer.iteration == 25 and trainer.status == "finished"
    assert list(trainer.run()) == []  # budget spent
    trainer.num_iterations = 30  # a larger budget continues the same run
    more = list(trainer.run())
    assert [r.iteration for r in more] == [25, 26, 27, 28, 29]
    assert more[-1].status == "finished"


def test_cost_is_at_the_parameters_used_in_the_step(xor):
    X, Y = xor
    p0 = initialize_parameters(SPEC.layer_dims, "xavier", seed=1)
    trainer = make(X, Y, params=p0)
    r = trainer.step()
    _, caches = model_forward(X, p0, SPEC.activations)
    assert r.cost == compute_cost(caches[-1].Z, Y, "sigmoid")
    assert trainer.first_cost == r.cost


def test_cost_tolerance_gives_converged(blobs):
    X, Y = blobs
    trainer = make(X, Y, spec=NetworkSpec((2, 1), ()), num_iterations=100000, cost_tolerance=1e-5)
    results = list(trainer.run())
    last = results[-1]
    assert last.status == "converged"
    assert len(results) < 100000
    assert abs(results[-2].cost - last.cost) < 1e-5
    assert all(abs(a.cost - b.cost) >= 1e-5 for a, b in zip(results[:-2], results[1:-1]))


def test_eval_every_gives_train_and_dev_accuracy(xor, sets):
    X, Y = xor
    X_dev, Y_dev = sets.xor_quadrants(m=50, seed=9)
    p0 = initialize_parameters(SPEC.layer_dims, "xavier", seed=1)
    trainer = Trainer(SPEC, p0, X, Y, TrainConfig(learning_rate=0.5, num_iterations=12, eval_every=5), X_dev, Y_dev)
    r0 = trainer.step()
    p1 = trainer.parameters_copy()
    assert r0.cost == compute_cost(model_forward(X, p0, SPEC.activations)[1][-1].Z, Y, "sigmoid")
    # Accuracies and the dev cost are those of the parameters after the step's update.
    assert r0.train_accuracy == accuracy(X, Y, p1, SPEC)
    assert r0.dev_accuracy == accuracy(X_dev, Y_dev, p1, SPEC)
    _, caches = model_forward(X_dev, p1, SPEC.activations)
    assert r0.dev_cost == pytest.approx(compute_cost(caches[-1].Z, Y_dev, "sigmoid"), rel=1e-15)
    results = [r0, *trainer.run()]
    with_acc = [r.iteration for r in results if r.train_accuracy is not None]
    assert with_acc == [0, 5, 10, 11]  # every 5 steps and the last one
    assert results[1].train_accuracy is None and results[1].dev_accuracy is None
    final = trainer.parameters_copy()
    assert results[-1].train_accuracy == accuracy(X, Y, final, SPEC)  # the final weights'
    assert results[-1].dev_accuracy == accuracy(X_dev, Y_dev, final, SPEC)


def test_accuracy_is_of_the_weights_after_the_step_with_mini_batches(xor):
    X, Y = xor
    p0 = initialize_parameters(SPEC.layer_dims, "xavier", seed=1)
    trainer = Trainer(SPEC, p0, X, Y, TrainConfig(learning_rate=0.5, num_iterations=3, batch_size=16, eval_every=1))
    for r in trainer.run():
        assert r.train_accuracy == accuracy(X, Y, trainer.parameters, SPEC)


def test_request_evaluation_and_statistics_for_the_next_step(xor):
    X, Y = xor
    trainer = make(X, Y)
    assert trainer.step().train_accuracy is None
    trainer.request_evaluation()
    trainer.request_statistics()
    r = trainer.step()
    assert r.train_accuracy is not None and r.layer_stats is not None
    r = trainer.step()
    assert r.train_accuracy is None and r.layer_stats is None


def test_results_are_frozen_and_parameters_never_modified_in_place(xor):
    X, Y = xor
    trainer = make(X, Y)
    before = trainer.parameters
    copies = {k: v.copy() for k, v in before.items()}
    r = trainer.step()
    assert isinstance(r, StepResult)
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.cost = 0.0
    assert trainer.parameters is not before
    assert all(np.array_equal(before[k], copies[k]) for k in copies)
    copy = trainer.parameters_copy()
    assert all(copy[k] is not trainer.parameters[k] and np.array_equal(copy[k], trainer.parameters[k]) for k in copy)


def test_float32_training_stays_float32(xor):
    X, Y = xor
    p = initialize_parameters(SPEC.layer_dims, "xavier", seed=1, dtype=np.float32)
    trainer = Trainer(SPEC, p, X.astype(np.float32), Y.astype(np.float32), TrainConfig(learning_rate=0.5, num_iterations=50))
    results = list(trainer.run())
    assert all(v.dtype == np.float32 for v in trainer.parameters.values())
    assert results[-1].cost < results[0].cost


# Per-layer statistics, checked against NumPy on the same arrays.


def stats_step(X, Y, spec, params, lr=0.1):
    trainer = Trainer(spec, params, X, Y, TrainConfig(learning_rate=lr, num_iterations=10, stats_every=1))
    r = trainer.step()
    return r, trainer


def test_layer_stats_values_match_numpy(xor):
    X, Y = xor
    spec = NetworkSpec((2, 5, 3, 1), ("relu", "tanh"))
    p0 = initialize_parameters(spec.layer_dims, "he", seed=4)
    r, trainer = stats_step(X, Y, spec, p0, lr=0.1)
    assert len(r.layer_stats) == 3
    _, caches = model_forward(X, p0, spec.activations)
    for s, cache in zip(r.layer_stats, caches):
        l = s.layer
        W0, W1 = p0[f"W{l}"], trainer.parameters[f"W{l}"]
        assert s.activation == spec.activations[l - 1] and s.units == spec.layer_dims[l]
        assert s.W.mean == pytest.approx(W0.mean(), rel=1e-12)
        assert s.W.std == pytest.approx(W0.std(), rel=1e-12)
        assert (s.W.min, s.W.max) == (W0.min(), W0.max())
        assert s.W.norm == pytest.approx(np.linalg.norm(W0), rel=1e-12)
        assert s.A.mean == pytest.approx(cache.A.mean(), rel=1e-12)
        assert s.A.max == cache.A.max()
        assert s.update_ratio == pytest.approx(np.linalg.norm(W1 - W0) / np.linalg.norm(W0), rel=1e-12)
        assert sum(s.W_hist.counts) == W0.size and sum(s.A_hist.counts) == cache.A.size
        assert (s.W_hist.lo, s.W_hist.hi) == (W0.min(), W0.max())
        assert s.identical_units is False
    # the update ratio is lr * ||dW|| / ||W|| for gradient descent
    dW1_norm = r.layer_stats[0].dW.norm
    assert r.layer_stats[0].update_ratio == pytest.approx(0.1 * dW1_norm / np.linalg.norm(p0["W1"]), rel=1e-10)
    assert r.layer_stats[0].saturated is None and r.layer_stats[1].dead is None


def test_dead_relu_fraction_for_units_forced_dead(xor):
    X, Y = xor
    spec = NetworkSpec((2, 4, 1), ("relu",))
    p0 = initialize_parameters(spec.layer_dims, "he", seed=1)
    p0["b1"] = np.array([[-100.0], [0.0], [-100.0], [0.0]])  # units 1 and 3 never fire on |x| < 2
    r, _ = stats_step(X, Y, spec, p0)
    s = r.layer_stats[0]
    A1 = np.maximum(p0["W1"] @ X + p0["b1"], 0)
    assert s.dead == np.mean(np.all(A1 == 0, axis=1)) == 0.5
    p0["b1"][:] = -100.0
    r, _ = stats_step(X, Y, spec, p0)
    assert r.layer_stats[0].dead == 1.0


def test_saturated_fraction_for_tanh_with_large_weights(xor):
    X, Y = xor
    p0 = initialize_parameters(SPEC.layer_dims, "random", seed=1, scale=100.0)
    r, _ = stats_step(X, Y, SPEC, p0)
    A1 = np.tanh(p0["W1"] @ X + p0["b1"])
    expected = np.mean(np.abs(A1) > 0.99)
    assert r.layer_stats[0].saturated == expected
    assert expected > 0.9
    small = initialize_parameters(SPEC.layer_dims, "random", seed=1, scale=0.01)
    r, _ = stats_step(X, Y, SPEC, small)
    assert r.layer_stats[0].saturated == 0.0


def test_identical_units_true_for_zeros_init(xor):
    X, Y = xor
    spec = NetworkSpec((2, 4, 3, 1), ("tanh", "relu"))
    p0 = initialize_parameters(spec.layer_dims, "zeros")
    trainer = Trainer(spec, p0, X, Y, TrainConfig(learning_rate=0.5, num_iterations=20, stats_every=5))
    results = list(trainer.run())
    with_stats = [r for r in results if r.layer_stats is not None]
    assert [r.iteration for r in with_stats] == [0, 5, 10, 15, 19]
    for r in with_stats:
        assert r.layer_stats[0].identical_units and r.layer_stats[1].identical_units
    # symmetry is never broken: every hidden unit still has the same incoming weights
    W1 = trainer.parameters["W1"]
    assert np.all(W1 == W1[:1])


def test_histograms_leave_out_non_finite_values():
    from tui_nn.core.stats import Histogram

    a = np.array([[0.0, 1.0, np.nan, 2.0, np.inf, 3.0]])
    h = Histogram.of(a, bins=3)
    assert (h.counts, h.lo, h.hi) == ((1, 1, 2), 0.0, 3.0)
    assert Histogram.of(np.array([[np.nan, -np.inf]]), bins=2).counts == (0, 0)
    finite = np.array([[0.0, 1.0, 2.0, 3.0]])
    assert Histogram.of(finite, bins=3).counts == tuple(np.histogram(finite, bins=3)[0])


def test_activation_statistics_sample_large_batches_but_count_dead_units_on_every_example():
    from tui_nn.core.stats import ACTIVATION_SAMPLE

    rng = np.random.RandomState(0)
    m = 3 * ACTIVATION_SAMPLE + 7
    X, Y = rng.randn(2, m), (rng.rand(1, m) > 0.5).astype(np.float64)
    spec = NetworkSpec((2, 3, 1), ("relu",))
    p0 = initialize_parameters(spec.layer_dims, "he", seed=1)
    p0["W1"][0] = [0.0, 0.0]
    p0["b1"][0] = -1.0  # unit 1 never fires
    p0["W1"][1] = [1e-3, 0.0]  # unit 2 fires only where x0 > 0: alive, though 0 on about half the examples
    r, _ = stats_step(X, Y, spec, p0)
    s = r.layer_stats[0]
    assert s.dead == pytest.approx(1 / 3)
    assert sum(s.A_hist.counts) <= 3 * ACTIVATION_SAMPLE  # a sample of the examples, evenly spread
    A1 = np.maximum(p0["W1"] @ X + p0["b1"], 0)
    assert s.A.mean == pytest.approx(A1[:, ::4].mean(), rel=1e-9)
