"""The trainer's fused, buffer-reusing step computes the course's numbers.

Its float64 cost trajectory is pinned, to 1e-12, to the same training written with
the course's public building blocks (``model_forward``, ``compute_cost``,
``model_backward``, ``update_parameters`` and the optimisers), for every hidden
activation and output, batch and mini-batch, and every optimiser.
"""

from __future__ import annotations

import numpy as np
import pytest

from tui_nn.core import (
    HIDDEN_ACTIVATIONS,
    NetworkSpec,
    Optimizer,
    TrainConfig,
    Trainer,
    compute_cost,
    initialize_parameters,
    l2_cost,
    model_backward,
    model_forward,
    random_mini_batches,
    update_parameters,
)

STEPS = 25


def data_for(output: str, n_y: int, m: int = 100, seed: int = 0):
    rng = np.random.RandomState(seed)
    X = rng.randn(3, m)
    if output == "softmax":
        labels = rng.randint(0, n_y, size=m)
        return X, np.eye(n_y)[:, labels]
    if output == "linear":
        return X, rng.randn(n_y, m)
    return X, (rng.rand(n_y, m) > 0.5).astype(np.float64)


OUTPUTS = [("sigmoid", 1), ("sigmoid", 2), ("softmax", 3), ("linear", 2)]
SETTINGS = [
    ("gd", None, 0.0, 0.1),
    ("gd", 32, 0.0, 0.1),
    ("momentum", None, 0.0, 0.1),
    ("momentum", 32, 0.7, 0.1),
    ("adam", None, 0.0, 0.005),
    ("adam", 32, 0.0, 0.005),
    ("gd", None, 0.7, 0.1),
]


@pytest.mark.parametrize("hidden", HIDDEN_ACTIVATIONS)
@pytest.mark.parametrize("output, n_y", OUTPUTS)
@pytest.mark.parametrize("optimizer, batch_size, lambd, lr", SETTINGS)
def test_cost_trajectory_matches_the_building_blocks(course_trajectory, hidden, output, n_y, optimizer, batch_size, lambd, lr):
    spec = NetworkSpec((3, 6, 4, n_y), (hidden, hidden), output)
    X, Y = data_for(output, n_y)
    p0 = initialize_parameters(spec.layer_dims, "xavier", seed=2)
    cfg = TrainConfig(learning_rate=lr, num_iterations=STEPS, optimizer=optimizer, batch_size=batch_size,
                      lambd=lambd, shuffle_seed=5)
    trainer = Trainer(spec, p0, X, Y, cfg)
    lean = np.array([r.cost for r in trainer.run()])
    course, p = course_trajectory(spec, p0, X, Y, cfg, STEPS)
    assert len(lean) == STEPS and trainer.status == "finished"
    np.testing.assert_allclose(lean, course, rtol=1e-12, atol=0)
    for key, value in p.items():
        np.testing.assert_allclose(trainer.parameters[key], value, rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("dims", [(3, 1, 1), (3, 5, 1, 4, 1), (3, 1, 1, 1), (3, 1)])
@pytest.mark.parametrize("hidden", ["tanh", "relu"])
def test_one_unit_layers_anywhere_match_the_building_blocks(course_trajectory, dims, hidden):
    """One-unit layers take the folded outer-product path; in a row they must not."""
    spec = NetworkSpec(dims, (hidden,) * (len(dims) - 2), "sigmoid")
    X, Y = data_for("sigmoid", 1)
    p0 = initialize_parameters(spec.layer_dims, "xavier", seed=4)
    cfg = TrainConfig(learning_rate=0.3, num_iterations=STEPS, lambd=0.2)
    lean = np.array([r.cost for r in Trainer(spec, p0, X, Y, cfg).run()])
    course, _ = course_trajectory(spec, p0, X, Y, cfg, STEPS)
    np.testing.assert_allclose(lean, course, rtol=1e-12, atol=0)


def test_a_learning_rate_change_takes_effect_in_the_folded_gradient_descent_step(xor):
    X, Y = xor
    spec = NetworkSpec((2, 4, 1), ("tanh",))
    p0 = initialize_parameters(spec.layer_dims, "xavier", seed=1)
    trainer = Trainer(spec, p0, X, Y, TrainConfig(learning_rate=0.5, num_iterations=STEPS))
    lean = []
    for step in range(STEPS):
        trainer.learning_rate = 0.5 if step % 2 else 0.05
        lean.append(trainer.step().cost)
    p, course = dict(p0), []
    for step in range(STEPS):
        AL, caches = model_forward(X, p, spec.activations)
        course.append(compute_cost(caches[-1].Z, Y, "sigmoid"))
        p = update_parameters(p, model_backward(AL, Y, caches, spec.activations), 0.5 if step % 2 else 0.05)
    np.testing.assert_allclose(lean, course, rtol=1e-12, atol=0)


def test_huge_logits_on_the_wrong_side_fall_back_to_the_course_cost():
    """exp of a logit beyond 709 overflows in the fast form; the cost must still be exact."""
    spec = NetworkSpec((1, 1), ())
    X = np.array([[1.0, -1.0, 2.0, 0.5]])
    Y = np.array([[0.0, 1.0, 1.0, 0.0]])
    p0 = {"W1": np.array([[800.0]]), "b1": np.zeros((1, 1))}  # logits 800, -800, 1600, 400
    r = Trainer(spec, p0, X, Y, TrainConfig(learning_rate=1e-6, num_iterations=1)).step()
    _, caches = model_forward(X, p0, spec.activations)
    assert r.cost == pytest.approx(compute_cost(caches[-1].Z, Y, "sigmoid"), rel=1e-12)
    assert r.cost == pytest.approx((800 + 800 + 0 + 400) / 4, rel=1e-12)
    assert r.status == "finished"


def test_float32_huge_logits_fall_back_too():
    spec = NetworkSpec((1, 1), ())
    X = np.array([[1.0, -1.0]], dtype=np.float32)
    Y = np.array([[0.0, 1.0]], dtype=np.float32)
    p0 = {"W1": np.array([[100.0]], dtype=np.float32), "b1": np.zeros((1, 1), dtype=np.float32)}  # e^100 overflows float32
    r = Trainer(spec, p0, X, Y, TrainConfig(learning_rate=1e-6, num_iterations=1)).step()
    assert r.cost == pytest.approx(100.0, rel=1e-6)
