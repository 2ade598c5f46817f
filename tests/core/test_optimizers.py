"""Optimisers: hand-computed updates, seeded mini-batches, a learning rate that changes between steps."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tui_nn.core import (
    NetworkSpec,
    Optimizer,
    TrainConfig,
    Trainer,
    compute_cost,
    initialize_parameters,
    model_backward,
    model_forward,
    random_mini_batches,
    update_parameters,
)

SPEC = NetworkSpec((2, 3, 1), ("tanh",))


def grads_at(params, X, Y, spec=SPEC, lambd=0.0):
    AL, caches = model_forward(X, params, spec.activations)
    return model_backward(AL, Y, caches, spec.activations, lambd)


def cost_at(params, X, Y, spec=SPEC):
    _, caches = model_forward(X, params, spec.activations)
    return compute_cost(caches[-1].Z, Y, spec.output)


@pytest.fixture
def setup(xor):
    X, Y = xor
    return X, Y, initialize_parameters(SPEC.layer_dims, "xavier", seed=3)


def test_update_parameters_is_out_of_place_gradient_descent():
    p = {"W1": np.array([[1.0, 2.0]]), "b1": np.array([[0.5]])}
    g = {"dW1": np.array([[0.1, -0.2]]), "db1": np.array([[1.0]])}
    new = update_parameters(p, g, 0.5)
    np.testing.assert_array_equal(new["W1"], [[0.95, 2.1]])
    np.testing.assert_array_equal(new["b1"], [[0.0]])
    np.testing.assert_array_equal(p["W1"], [[1.0, 2.0]])  # untouched


@pytest.mark.parametrize("p_dtype, g_dtype", [(np.float64, np.float64), (np.float32, np.float32), (np.float32, np.float64), (np.float64, np.float32)])
def test_update_is_bit_identical_to_the_course_formula(p_dtype, g_dtype):
    rng = np.random.RandomState(0)
    p = {"W1": rng.randn(30, 40).astype(p_dtype), "b1": rng.randn(30, 1).astype(p_dtype)}
    g = {"dW1": rng.randn(30, 40).astype(g_dtype), "db1": rng.randn(30, 1).astype(g_dtype)}
    for lr in (0.0075, 1.3, 1e-7):
        new = update_parameters(p, g, lr)
        for k in p:
            expected = p[k] - lr * g["d" + k]
            assert new[k].dtype == expected.dtype
            assert new[k].tobytes() == expected.tobytes()


def test_gd_step_and_learning_rate_change_take_effect_on_the_next_step(setup):
    X, Y, p0 = setup
    trainer = Trainer(SPEC, p0, X, Y, TrainConfig(learning_rate=0.1, num_iterations=10))
    trainer.step()
    g0 = grads_at(p0, X, Y)
    p1 = {k: v - 0.1 * g0["d" + k] for k, v in p0.items()}
    for k in p0:
        np.testing.assert_allclose(trainer.parameters[k], p1[k], rtol=1e-15, atol=1e-17)
    trainer.learning_rate = 0.7
    r = trainer.step()
    assert r.learning_rate == 0.7
    g1 = grads_at(p1, X, Y)
    for k in p0:
        np.testing.assert_allclose(trainer.parameters[k], p1[k] - 0.7 * g1["d" + k], rtol=1e-14, atol=1e-16)


def test_momentum_matches_hand_computation_for_two_steps(setup):
    X, Y, p0 = setup
    beta, lr = 0.9, 0.2
    trainer = Trainer(SPEC, p0, X, Y, TrainConfig(learning_rate=lr, num_iterations=10, optimizer="momentum", beta1=beta))
    trainer.step()
    g0 = grads_at(p0, X, Y)
    v = {k: (1 - beta) * g for k, g in g0.items()}
    p1 = {k: p0[k] - lr * v["d" + k] for k in p0}
    for k in p0:
        np.testing.assert_allclose(trainer.parameters[k], p1[k], rtol=1e-14, atol=1e-16)
    trainer.learning_rate = 0.05  # the new rate applies to the second step, the velocity carries over
    trainer.step()
    g1 = grads_at(p1, X, Y)
    v = {k: beta * v[k] + (1 - beta) * g1[k] for k in v}
    for k in p0:
        np.testing.assert_allclose(trainer.parameters[k], p1[k] - 0.05 * v["d" + k], rtol=1e-13, atol=1e-16)


def test_adam_matches_hand_computation_for_two_steps(setup):
    X, Y, p0 = setup
    b1, b2, eps, lr = 0.9, 0.999, 1e-8, 0.01
    trainer = Trainer(SPEC, p0, X, Y, TrainConfig(learning_rate=lr, num_iterations=10, optimizer="adam"))
    p, v, s = dict(p0), {}, {}
    for t, rate in ((1, lr), (2, 0.03)):
        trainer.learning_rate = rate
        trainer.step()
        g = grads_at(p, X, Y)
        new = {}
        for k in p:
            dk = "d" + k
            v[dk] = b1 * v.get(dk, 0.0) + (1 - b1) * g[dk]
            s[dk] = b2 * s.get(dk, 0.0) + (1 - b2) * g[dk] ** 2
            v_hat = v[dk] / (1 - b1**t)
            s_hat = s[dk] / (1 - b2**t)
            new[k] = p[k] - rate * v_hat / (np.sqrt(s_hat) + eps)
        p = new
        for k in p:
            np.testing.assert_allclose(trainer.parameters[k], p[k], rtol=1e-13, atol=1e-15)
    # Adam's first step moves every weight with a non-zero gradient by about the learning rate
    step1 = np.abs(Optimizer("adam").step(p0, grads_at(p0, X, Y), 0.01)["W1"] - p0["W1"])
    np.testing.assert_allclose(step1, 0.01, rtol=1e-3)  # epsilon shortens tiny-gradient steps


@pytest.mark.parametrize("optimizer, lr", [("gd", 0.5), ("momentum", 0.5), ("adam", 0.02)])
def test_every_optimiser_decreases_the_cost(optimizer, lr, setup):
    X, Y, p0 = setup
    trainer = Trainer(SPEC, p0, X, Y, TrainConfig(learning_rate=lr, num_iterations=300, optimizer=optimizer))
    results = list(trainer.run())
    assert results[-1].status == "finished"
    assert results[-1].cost < 0.5 * results[0].cost
    assert cost_at(trainer.parameters, X, Y) < results[0].cost


def test_random_mini_batches_cover_every_example_once():
    X = np.arange(20.0).reshape(2, 10)
    Y = X[:1] * 10
    batches = list(random_mini_batches(X, Y, 4, np.random.RandomState(0)))
    assert [b[0].shape for b in batches] == [(2, 4), (2, 4), (2, 2)]
    cols = np.concatenate([b[0] for b in batches], axis=1)
    assert sorted(cols[0]) == list(X[0])
    assert not np.array_equal(cols, X)  # shuffled
    for Xb, Yb in batches:
        np.testing.assert_array_equal(Yb, Xb[:1] * 10)  # X and Y shuffled together
    perm = np.random.RandomState(0).permutation(10)
    np.testing.assert_array_equal(cols, X[:, perm])
    whole = list(random_mini_batches(X, Y, 10, np.random.RandomState(0)))
    assert len(whole) == 1 and whole[0][0] is X


def minibatch_run(X, Y, p0, seed, steps=5):
    cfg = TrainConfig(learning_rate=0.3, num_iterations=steps, batch_size=32, shuffle_seed=seed)
    trainer = Trainer(SPEC, p0, X, Y, cfg)
    return trainer, [r.cost for r in trainer.run()]


def test_minibatch_is_reproducible_and_matches_hand_epochs(setup):
    X, Y, p0 = setup
    t1, c1 = minibatch_run(X, Y, p0, seed=4)
    t2, c2 = minibatch_run(X, Y, p0, seed=4)
    _, c3 = minibatch_run(X, Y, p0, seed=5)
    assert c1 == c2
    assert c1 != c3
    assert all(np.array_equal(t1.parameters[k], t2.parameters[k]) for k in p0)
    # The same epochs by hand: one update per batch, cost = mean over examples of the batch costs.
    rng = np.random.RandomState(4)
    p = dict(p0)
    m = X.shape[1]
    for step in range(5):
        total = 0.0
        n_batches = 0
        for Xb, Yb in random_mini_batches(X, Y, 32, rng):
            total += cost_at(p, Xb, Yb) * Xb.shape[1]
            g = grads_at(p, Xb, Yb)
            p = {k: v - 0.3 * g["d" + k] for k, v in p.items()}
            n_batches += 1
        assert n_batches == math.ceil(m / 32)
        assert c1[step] == pytest.approx(total / m, rel=1e-12)
    for k in p:
        np.testing.assert_allclose(t1.parameters[k], p[k], rtol=1e-12, atol=1e-15)


def test_l2_shrinks_weights(setup):
    X, Y, p0 = setup
    plain = Trainer(SPEC, p0, X, Y, TrainConfig(learning_rate=0.5, num_iterations=300))
    reg = Trainer(SPEC, p0, X, Y, TrainConfig(learning_rate=0.5, num_iterations=300, lambd=2.0))
    list(plain.run())
    list(reg.run())
    norm = lambda t: sum(np.sum(t.parameters[f"W{l}"] ** 2) for l in (1, 2))  # noqa: E731
    assert norm(reg) < 0.7 * norm(plain)


def test_unknown_optimizer():
    with pytest.raises(ValueError, match="unknown optimiser 'rmsprop'; expected one of gd, momentum, adam"):
        Optimizer("rmsprop")
