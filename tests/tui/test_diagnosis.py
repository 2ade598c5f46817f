"""The Layers pane's diagnosis: saturation told apart by its cause, with the numbers and the
setting to change; a cost that swings gets a warning."""

from __future__ import annotations

import pytest

from tui_nn.config import RunConfig
from tui_nn.diagnosis import CostSwings, InitContext, diagnose
from tui_nn.experiment import build_experiment
from tui_nn.widgets.layers_pane import LayersPane


def run(cfg: RunConfig, steps: int):
    """Train ``steps`` steps with statistics; the last result, the context and every cost."""
    exp = build_experiment(cfg)
    ctx = InitContext.of(exp.spec.layer_dims, exp.initial_parameters, exp.arrays.X_train, cfg.init,
                         cfg.init_scale, cfg.learning_rate)
    trainer = exp.new_trainer(stats_every=1)
    trainer.num_iterations = steps
    results = list(trainer.run())
    return results[-1], ctx, [r.cost for r in results]


def test_large_initial_weights_are_named_with_fan_in_and_scale():
    last, ctx, _ = run(RunConfig(init_scale=10.0, hidden=(8,)), 1)
    [warning] = diagnose(last.layer_stats, last.iteration, ctx)
    assert "saturated: the pre-activations were large from the start: 2 inputs" in warning
    assert "initial weights of spread" in warning and "|Z| ≈" in warning
    assert "Use xavier or he init (xavier scale sqrt(1/2) = 0.707)" in warning


def test_weights_that_grew_are_told_apart_from_large_pre_activations():
    # flower's course net after 10000 steps: W grew from 0.01 to several units
    last, ctx, _ = run(RunConfig(hidden=(4,)), 10000)
    warnings = diagnose(last.layer_stats, last.iteration, ctx)
    assert any("the weights have grown large (W std" in w and "0.0" in w and "L2 regularisation" in w for w in warnings)


def test_many_inputs_and_a_large_rate_saturate_units_whose_weights_stay_small(cat_dir):
    # The case: catvnoncat with flower's settings (tanh, 0.01, learning rate 1.2)
    last, ctx, _ = run(RunConfig(dataset=str(cat_dir)), 20)
    warnings = diagnose(last.layer_stats, last.iteration, ctx)
    [w] = [w for w in warnings if "saturated" in w]
    assert "W is still small" in w and "the layer sums 12288 inputs" in w and "learning rate 1.2" in w
    assert "Use a smaller learning rate" in w and "weights have grown" not in w


def test_a_cost_that_swings_gets_a_warning_and_a_steady_one_does_not():
    pytest.importorskip("sklearn", reason="digits needs the sklearn extra")
    big = RunConfig(dataset="digits", hidden=(64,), activations=("relu",), init="he", learning_rate=1.9)
    _, _, costs = run(big, 200)
    swings = CostSwings()
    swings.extend(costs)
    warning = swings.warning(1.9)
    assert warning is not None and "the learning rate (1.9) is too large. Halve it (-)" in warning
    _, _, costs = run(big.with_changes(learning_rate=0.5), 200)
    steady = CostSwings()
    steady.extend(costs)
    assert steady.warning(0.5) is None


async def test_the_layers_pane_shows_the_swing_warning(app_factory, until, shown):
    pytest.importorskip("sklearn", reason="digits needs the sklearn extra")
    app = app_factory(dataset="digits", hidden=(64,), activations=("relu",), init="he", learning_rate=1.9, iterations=200)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("e")
        await until(pilot, lambda: app.state == "finished", timeout=120)
        text = " ".join(shown(app.query_one(LayersPane)).split())
        assert "The cost swings" in text and "learning rate (1.9) is too large" in text
