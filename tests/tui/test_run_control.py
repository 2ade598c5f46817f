"""Run, pause, step, reset, new seed, learning rate and divergence, driven by keys."""

from __future__ import annotations

import numpy as np
import pytest

from tui_nn.core import compute_cost, model_forward
from tui_nn.widgets.confirm_screen import ConfirmScreen
from tui_nn.widgets.cost_plot import CostPlot
from tui_nn.widgets.model_pane import ModelPane
from tui_nn.widgets.status_line import StatusLine

LONG = 10**7  # a budget no test reaches, so runs only stop when asked


def first_cost(app) -> float:
    """J at the initial parameters, computed with the core directly."""
    exp = app.experiment
    _, caches = model_forward(exp.dataset.X_train, exp.initial_parameters, exp.spec.activations)
    return compute_cost(caches[-1].Z, exp.dataset.targets(exp.dataset.Y_train), exp.spec.output)


async def test_space_runs_fills_the_plot_and_pauses(app_factory, until):
    app = app_factory(iterations=LONG)
    async with app.run_test(size=(120, 36)) as pilot:
        status = app.query_one(StatusLine)
        assert status.state == "ready" and status.iteration == 0
        await pilot.press("space")
        await until(pilot, lambda: status.iteration > 200 and app.query_one(CostPlot).point_count() > 200)
        assert status.state == "running"
        assert status.cost is not None and status.cost < 0.7
        await pilot.press("space")
        await until(pilot, lambda: app.state == "paused")
        stopped_at = app.trainer.iteration
        await pilot.pause(0.4)
        assert app.trainer.iteration == stopped_at
        assert status.iteration == stopped_at


async def test_step_takes_exactly_one_step_with_the_course_first_cost(app_factory, until):
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("full_stop")
        status = app.query_one(StatusLine)
        await until(pilot, lambda: status.iteration == 1 and app.state == "paused")
        assert status.cost == pytest.approx(first_cost(app), rel=1e-12)  # the trainer's fused step, to rounding
        await pilot.press("full_stop")
        await until(pilot, lambda: status.iteration == 2)
        assert app.trainer.iteration == 2


async def test_reset_returns_the_first_cost_exactly(app_factory, until):
    app = app_factory(iterations=LONG)
    async with app.run_test(size=(120, 36)) as pilot:
        status = app.query_one(StatusLine)
        await pilot.press("full_stop")
        await until(pilot, lambda: status.iteration == 1)
        cost0 = status.cost
        await pilot.press("space")
        await until(pilot, lambda: status.iteration > 500)
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))  # progress would be lost: it asks
        await pilot.press("y")
        await until(pilot, lambda: app.state == "ready")
        assert status.iteration == 0 and app.query_one(CostPlot).point_count() == 0
        await pilot.press("full_stop")
        await until(pilot, lambda: status.iteration == 1)
        assert status.cost == cost0


async def test_run_to_end_finishes_the_budget(app_factory, until):
    app = app_factory(iterations=300)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("e")
        status = app.query_one(StatusLine)
        await until(pilot, lambda: app.state == "finished")
        assert status.iteration == 300 and app.trainer.iteration == 300
        assert status.train_accuracy is not None and status.dev_accuracy is not None
        await pilot.press("space")  # a finished run does not restart
        await pilot.pause(0.2)
        assert app.trainer.iteration == 300


async def test_learning_rate_keys_change_the_rate_mid_run(app_factory, until):
    app = app_factory(iterations=LONG, learning_rate=0.5)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("space")
        status = app.query_one(StatusLine)
        await until(pilot, lambda: status.iteration > 50)
        await pilot.press("plus")
        await until(pilot, lambda: app.trainer.learning_rate == 1.0)
        before = app.trainer.iteration
        await until(pilot, lambda: app.trainer.iteration > before + 50)
        assert app.state == "running"  # no reset, no pause
        assert app.trainer.iteration > before
        assert "lr 1" in shown_lr(app)
        await pilot.press("minus", "minus")
        await until(pilot, lambda: app.trainer.learning_rate == 0.25)
        await pilot.press("space")


def shown_lr(app) -> str:
    pane = app.query_one(ModelPane)
    return f"lr {pane.learning_rate:g}"


async def test_new_seed_draws_other_weights_and_resets(app_factory, until):
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        W1 = app.experiment.initial_parameters["W1"].copy()
        await pilot.press("n")
        await until(pilot, lambda: app.config.seed == 4)
        assert not np.array_equal(app.experiment.initial_parameters["W1"], W1)
        expected = np.random.RandomState(4).randn(4, 2) * 0.01
        np.testing.assert_array_equal(app.experiment.initial_parameters["W1"], expected)


async def test_learning_rate_50_pauses_as_diverged_and_says_where(app_factory, until, shown):
    app = app_factory(learning_rate=50.0, iterations=LONG)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("space")
        await until(pilot, lambda: app.state == "diverged")
        status = app.query_one(StatusLine)
        assert "Diverged at iteration" in status.message
        assert "layer" in status.message and "smaller learning rate" in status.message
        assert "DIVERGED" in shown(status)
        assert all(np.isfinite(p).all() for p in app.trainer.parameters_copy().values())
        stopped_at = app.trainer.iteration
        await pilot.pause(0.3)
        assert app.trainer.iteration == stopped_at
        assert status.iteration == stopped_at  # the diverged step is not counted
        await pilot.press("space")  # the same step would diverge again: it says so and waits
        await until(pilot, lambda: any("lower the learning rate" in str(n.message) for n in app._notifications))
        assert app.state == "diverged" and app.trainer.iteration == stopped_at
        await pilot.press("minus", "minus", "minus", "minus", "minus", "minus", "minus", "space")
        await until(pilot, lambda: app.trainer.iteration > stopped_at)
        await pilot.press("space")
