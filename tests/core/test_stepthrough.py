"""One step kept whole: it equals the trainer's blocks and step bit for bit, and the
course's chain form of the output gradient behaves as the course writes it."""

from __future__ import annotations

import numpy as np
import pytest

from tui_nn.core import (
    NetworkSpec,
    TrainConfig,
    Trainer,
    check_step,
    compute_cost,
    get_activation,
    initialize_parameters,
    l2_cost,
    logistic_example,
    model_backward,
    model_forward,
    output_gradient_chain,
    output_gradient_fused,
    step_through,
    update_parameters,
)

NETS = [
    (NetworkSpec.build(2, [4], 1, "tanh", "sigmoid"), 0.0),
    (NetworkSpec.build(2, [5, 3], 1, ["relu", "tanh"], "sigmoid"), 0.7),
    (NetworkSpec.build(2, [4, 3], 1, ["leaky_relu", "sigmoid"], "sigmoid"), 0.0),
    (NetworkSpec.build(2, [], 1, [], "sigmoid"), 0.0),
    (NetworkSpec.build(2, [6], 3, "relu", "softmax"), 0.1),
    (NetworkSpec.build(2, [4], 1, "tanh", "linear"), 0.0),
]


def _targets(spec: NetworkSpec, sets) -> tuple[np.ndarray, np.ndarray]:
    if spec.output == "softmax":
        X, _, Y = sets.three_clusters(m_per=10)
        return X, Y
    X, Y = sets.xor_quadrants(m=30)
    return X, (Y + 0.1 * X[0:1] if spec.output == "linear" else Y)


@pytest.mark.parametrize("spec,lambd", NETS, ids=lambda v: "-".join(map(str, v.layer_dims)) + v.output if isinstance(v, NetworkSpec) else str(v))
def test_every_array_equals_the_course_blocks_and_the_update(spec, lambd, sets):
    X, Y = _targets(spec, sets)
    params = initialize_parameters(spec.layer_dims, "he", seed=4)
    step = step_through(X, Y, params, spec, learning_rate=0.3, lambd=lambd)
    AL, caches = model_forward(X, params, spec.activations)
    grads = model_backward(AL, Y, caches, spec.activations, lambd)
    for mine, theirs in zip(step.caches, caches):
        for a, b in zip(mine, theirs):
            np.testing.assert_array_equal(a, b)
    assert step.cost == compute_cost(caches[-1].Z, Y, spec.output) + l2_cost(params, lambd, X.shape[1], spec.L)
    assert set(step.grads) == set(grads)
    for key in grads:
        np.testing.assert_array_equal(step.grads[key], grads[key])
    after = update_parameters(params, grads, 0.3)
    for key in after:
        np.testing.assert_array_equal(step.after[key], after[key])
        assert step.before[key] is params[key]  # the parameters themselves, untouched
    # dZ[l] and dA[l]: what model_backward computes on the way and does not return.
    for l in range(spec.L, 0, -1):
        back, cache = step.layer(l), step.cache(l)
        if l == spec.L:
            np.testing.assert_array_equal(back.dZ, AL - Y)
        else:
            np.testing.assert_array_equal(back.dA, step.cache(l + 1).W.T @ step.layer(l + 1).dZ)
            g = get_activation(spec.activations[l - 1])
            np.testing.assert_array_equal(back.dZ, g.backward(back.dA, cache.Z, cache.A))
        np.testing.assert_array_equal(back.dW, grads[f"dW{l}"])
        assert (back.dA_prev is None) == (l == 1)


def test_the_step_is_the_trainers_gradient_descent_step(sets):
    """The course's blocks and the trainer take the same step; the trainer may arrange its
    arithmetic for speed (a fused [W|b] product rounds differently), so equal to rounding."""
    X, Y = sets.xor_quadrants(m=50)
    spec = NetworkSpec.build(2, [4], 1, "tanh", "sigmoid")
    params = initialize_parameters(spec.layer_dims, "random", seed=3)
    trainer = Trainer(spec, params, X, Y, TrainConfig(learning_rate=1.2, num_iterations=5, lambd=0.05))
    for _ in range(3):
        step = step_through(trainer.X, trainer.Y, trainer.parameters_copy(), spec, trainer.learning_rate, 0.05)
        result = trainer.step()
        assert result.cost == pytest.approx(step.cost, rel=1e-13)
        for key, value in trainer.parameters_copy().items():
            np.testing.assert_allclose(value, step.after[key], rtol=1e-12, atol=1e-16)


def test_chain_form_equals_the_fused_form_when_a_is_sigmoid_of_z():
    rng = np.random.RandomState(0)
    Z = rng.randn(1, 500) * 4
    A = get_activation("sigmoid").forward(Z)
    Y = (rng.rand(1, 500) > 0.5).astype(np.float64)
    dA, dZ = output_gradient_chain(A, Y, Z, "sigmoid")
    np.testing.assert_allclose(dA, -(Y / A - (1 - Y) / (1 - A)), rtol=0, atol=0)
    assert np.max(np.abs(dZ - output_gradient_fused(A, Y))) < 1e-12


def test_chain_form_follows_the_course_when_a_is_not_sigmoid_of_z():
    """The course's sigmoid_backward evaluates g' from Z, so a mismatched A[L] shows through."""
    Z = np.array([[0.5, -1.0, 2.0, 0.0]])
    A = np.array([[0.2, 0.9, 0.6, 0.3]])  # not sigmoid(Z)
    Y = np.array([[1.0, 0.0, 1.0, 0.0]])
    dA, dZ = output_gradient_chain(A, Y, Z, "sigmoid")
    s = 1 / (1 + np.exp(-Z))
    expected_dA = -(Y / A - (1 - Y) / (1 - A))
    np.testing.assert_allclose(dA, expected_dA, rtol=1e-15)
    np.testing.assert_allclose(dZ, expected_dA * s * (1 - s), rtol=1e-14)
    # e.g. the first entry: -(1/0.2) * s(0.5)(1 - s(0.5)) = -5 * 0.2350037... = -1.1750186...
    assert dZ[0, 0] == pytest.approx(-1.1750185610079725, rel=1e-12)
    assert np.max(np.abs(dZ - (A - Y))) > 0.1


def test_linear_output_chain_is_a_minus_y_times_one():
    Z = np.array([[0.3, -2.0]])
    Y = np.array([[1.0, 1.0]])
    dA, dZ = output_gradient_chain(Z, Y, Z, "linear")
    np.testing.assert_array_equal(dA, Z - Y)
    np.testing.assert_array_equal(dZ, Z - Y)
    with pytest.raises(ValueError, match="element-wise"):
        output_gradient_chain(Z, Y, Z, "softmax")


def test_a_saturated_output_makes_the_chain_infinite_but_not_the_step():
    spec = NetworkSpec.build(1, [], 1, [], "sigmoid")
    params = {"W1": np.array([[100.0]]), "b1": np.array([[0.0]])}
    X, Y = np.array([[1.0, -1.0]]), np.array([[0.0, 1.0]])
    step = step_through(X, Y, params, spec, 0.1)
    assert step.AL[0, 0] == 1.0  # sigmoid(100) rounds to 1
    assert not np.isfinite(step.layer(1).dA).all()
    assert np.isnan(step.chain_difference())
    np.testing.assert_array_equal(step.layer(1).dZ, step.AL - Y)
    assert np.isfinite(step.after["W1"]).all()


def test_course_cost_from_a_equals_the_cost_from_logits(sets):
    X, Y = sets.xor_quadrants(m=40)
    spec = NetworkSpec.build(2, [4], 1, "tanh", "sigmoid")
    step = step_through(X, Y, initialize_parameters(spec.layer_dims, "xavier", seed=1), spec, 0.5)
    assert step.course_cost == pytest.approx(step.cost, rel=1e-13)


def test_logistic_graph_matches_the_course_propagate_example():
    # Course 1, week 2 propagate(): w = [[1], [2]], b = 2, X = [[1, 2, -1], [3, 4, -3.2]], Y = [[1, 0, 1]]
    # gives dw = [[0.99845601], [2.39507239]], db = 0.00145557813678, cost 5.801545319394553.
    spec = NetworkSpec.build(2, [], 1, [], "sigmoid")
    X = np.array([[1.0, 2.0, -1.0], [3.0, 4.0, -3.2]])
    Y = np.array([[1.0, 0.0, 1.0]])
    step = step_through(X, Y, {"W1": np.array([[1.0, 2.0]]), "b1": np.array([[2.0]])}, spec, 0.009)
    graphs = [logistic_example(step, i) for i in range(3)]
    g = graphs[1]  # x = (2, 4), y = 0: z = 1*2 + 2*4 + 2 = 12
    assert g.z == 12.0 and g.a == pytest.approx(1 / (1 + np.exp(-12)), rel=1e-15)
    assert g.dz == pytest.approx(g.a - 0.0, rel=1e-15) and g.db == g.dz
    assert g.da == pytest.approx(1 / (1 - g.a), rel=1e-9)
    np.testing.assert_array_equal(g.dw, g.x * g.dz)
    assert g.loss == pytest.approx(-np.log(1 - g.a), rel=1e-9)
    np.testing.assert_allclose(np.mean([e.dw for e in graphs], axis=0), [0.99845601, 2.39507239], atol=5e-9)
    assert np.mean([e.db for e in graphs]) == pytest.approx(0.00145557813678, abs=1e-13)
    assert np.mean([e.loss for e in graphs]) == pytest.approx(5.801545319394553, rel=1e-12)
    np.testing.assert_allclose(np.mean([e.dw for e in graphs], axis=0), step.grads["dW1"][0], rtol=1e-14)
    with pytest.raises(ValueError, match="logistic regression"):
        logistic_example(step_through(X, Y, initialize_parameters((2, 3, 1), "he", seed=0),
                                      NetworkSpec.build(2, [3], 1, "relu"), 0.1), 0)


@pytest.mark.parametrize("spec,lambd", NETS, ids=lambda v: "-".join(map(str, v.layer_dims)) + v.output if isinstance(v, NetworkSpec) else str(v))
def test_numerical_checks_of_every_gradient_agree_with_backprop(spec, lambd, sets):
    X, Y = _targets(spec, sets)
    params = initialize_parameters(spec.layer_dims, "xavier", seed=7)
    params = {k: v + 0.05 for k, v in params.items()}  # nonzero biases, away from ReLU kinks at 0
    step = step_through(X, Y, params, spec, 0.1, lambd)
    checks = check_step(step)
    expected = {f"d{p}{l}" for l in range(1, spec.L + 1) for p in "WbZ"}
    expected |= {f"dA{l}" for l in range(1, spec.L)}
    if spec.output != "softmax":
        expected.add(f"dA{spec.L}")
    assert set(checks) == expected
    for name, check in checks.items():
        assert 1 <= len(check.entries) <= 3
        assert check.relative_error < 1e-7, (name, check)
        back = step.layer(int(name[2:]))
        array = {"dW": back.dW, "db": back.db, "dZ": back.dZ, "dA": back.dA}[name[:2]]
        assert check.backprop == tuple(float(array[r, c]) for r, c in check.entries)


def test_numerical_check_notices_a_wrong_gradient(sets):
    """Control: a corrupted dW makes its check fail, so the check can fail."""
    X, Y = sets.xor_quadrants(m=20)
    spec = NetworkSpec.build(2, [3], 1, "tanh", "sigmoid")
    step = step_through(X, Y, initialize_parameters(spec.layer_dims, "xavier", seed=2), spec, 0.1)
    step.layer(1).dW[0, 0] *= 1.5
    checks = check_step(step)
    assert checks["dW1"].relative_error > 1e-3
    assert checks["dW2"].relative_error < 1e-7
